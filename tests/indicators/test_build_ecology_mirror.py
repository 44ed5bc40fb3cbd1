"""The ecological-ceiling indicators built from the mirror's real files for Oxfordshire.

Each expected value is computed here independently: plain pandas / openpyxl on the raw
files, the publishers' own headline tables, or the check values the mirror's SOURCES.md
records (computed by whoever assembled the mirror, not by this code).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.area import AreaConfig, District
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import from_mirror
from cwb_metrics.sources.registry import load_sources

pytestmark = pytest.mark.integration

CATALOGUE = load_catalogue()
IDS = ("pm25_mortality_fraction", "pm25_mortality_fraction_old_method", "storm_overflow_spills",
       "storm_overflow_spill_hours", "land_consumption_ratio", "homes_without_outdoor_space",
       "health_index_air_pollution", "health_index_noise", "ghg_per_capita_fair_share", "ghg_emissions_per_capita",
       "renewable_generation_per_household")  # fmt: skip
DISTRICTS = {"E07000177": "Cherwell", "E07000178": "Oxford", "E07000179": "South Oxfordshire",
             "E07000180": "Vale of White Horse", "E07000181": "West Oxfordshire"}  # fmt: skip
RAW = "indicators_raw/"
#: Plausible ranges for Oxfordshire, its districts and England (a guard against unit slips).
RANGES = {"pm25_mortality_fraction": (3, 12), "pm25_mortality_fraction_old_method": (2, 10),
          "storm_overflow_spills": (1, 100), "storm_overflow_spill_hours": (10, 2_000),
          "land_consumption_ratio": (1, 20), "homes_without_outdoor_space": (3, 30),
          "health_index_air_pollution": (60, 150), "health_index_noise": (60, 150),
          "ghg_per_capita_fair_share": (1, 20), "ghg_emissions_per_capita": (1, 20),
          "renewable_generation_per_household": (0.01, 10)}  # fmt: skip


def sources_of(meta_id: str) -> set[str]:
    meta = CATALOGUE[meta_id]
    named = {v for value in meta.extract.params.values() for v in (value if isinstance(value, list) else [value])}
    return {meta.extract.source, *(v for v in named if isinstance(v, str) and v in load_sources())}


def context_for(mirror: Path, areas: AreaConfig) -> BuildContext:
    sources = load_sources()
    wanted = set().union(*(sources_of(i) for i in IDS))
    return BuildContext(files={sid: from_mirror(sources[sid], mirror) for sid in wanted}, areas=areas)


@pytest.fixture(scope="module")
def built(mirror: Path) -> dict[str, pd.DataFrame]:
    context = context_for(mirror, load_area_config("oxfordshire"))
    out = {}
    for meta_id in IDS:
        meta = CATALOGUE[meta_id]
        out[meta_id] = get_builder(meta.extract.method)(context, meta)
    return out


def value(frame: pd.DataFrame, code: str, period: str, column: str = "value") -> object:
    rows = frame[(frame["areacd"] == code) & (frame["period"] == period)]
    assert len(rows) == 1, f"{code} {period}: {len(rows)} rows"
    return rows.iloc[0][column]


@pytest.mark.parametrize("meta_id", IDS)
def test_rows_are_valid_canonical_rows(built: dict[str, pd.DataFrame], meta_id: str) -> None:
    frame = built[meta_id]
    assert not frame.empty
    assert validate_frame(frame, meta_id, expected_indicator=meta_id) == []
    assert set(frame["geography"]) == set(CATALOGUE[meta_id].geographies)
    low, high = RANGES[meta_id]
    values = frame["value"].dropna()
    assert values.between(low, high).all(), f"{meta_id}: {values.min()}..{values.max()}"


def test_pm25_new_method_from_fingertips_then_the_sdg_file(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    frame = built["pm25_mortality_fraction"]
    raw = pd.read_csv(mirror / RAW / "ohid_fingertips_air_pollution/new_series_from_stable_link.csv", index_col=0)
    raw = raw[raw["Category.Type"].isna()]
    for code in [*DISTRICTS, "E10000025", "E92000001"]:
        for year in (2018, 2019, 2020):
            expected = raw[(raw["Area.Code"] == code) & (raw["Time.period"] == year)]["Value"].iloc[0]
            assert value(frame, code, str(year)) == pytest.approx(expected, abs=1e-12)
    sdg = pd.read_csv(mirror / RAW / "ons_sdg_uk/indicator_3-9-1.csv")
    sdg = sdg[sdg["Series"].str.endswith("(new method)") & sdg["Deprivation decile"].isna() & (sdg["Year"] == 2021)]
    for code in [*DISTRICTS, "E92000001"]:
        assert value(frame, code, "2021") == sdg.loc[sdg["GeoCode"] == code, "Value"].iloc[0]
    assert "E10000025" not in set(frame.loc[frame["period"] == "2021", "areacd"])  # no county row in the SDG file
    assert value(frame, "E07000178", "2021") == 5.75  # SOURCES.md section 19


def test_pm25_old_method_is_its_own_series(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    old, new = built["pm25_mortality_fraction_old_method"], built["pm25_mortality_fraction"]
    raw = pd.read_csv(mirror / RAW / "ohid_fingertips_air_pollution/old_series_from_stable_link.csv", index_col=0)
    oxford = raw[(raw["Area.Code"] == "E07000178") & raw["Category.Type"].isna()].set_index("Time.period")["Value"]
    assert value(old, "E07000178", "2019") == pytest.approx(oxford[2019], abs=1e-12)
    sdg = pd.read_csv(mirror / RAW / "ons_sdg_uk/indicator_3-9-1.csv")
    early = sdg[(sdg["GeoCode"] == "E07000178") & sdg["Series"].str.endswith("(old method)") & (sdg["Year"] < 2017)]
    assert sorted(old.loc[(old["areacd"] == "E07000178") & (old["period"] < "2017"), "period"]) == [
        str(y) for y in sorted(early["Year"])
    ]
    # Both series have 2018 and 2019, with different values: they are never spliced.
    assert value(old, "E07000178", "2018") != pytest.approx(value(new, "E07000178", "2018"), abs=0.5)


def _counts(notes: str) -> tuple[int, int, float, float]:
    match = re.match(r"([\d,]+) storm overflows? with spill data \(([\d,]+) listed\).*?; ([\d,]+) counted spills; "
                     r"([\d,]+) spill hours", notes)  # fmt: skip
    assert match, notes
    return tuple(int(g.replace(",", "")) for g in match.groups())  # type: ignore[return-value]


def test_storm_overflows_match_the_mirror_checks_and_the_ea_headline(
    built: dict[str, pd.DataFrame], mirror: Path
) -> None:  # fmt: skip
    spills, hours = built["storm_overflow_spills"], built["storm_overflow_spill_hours"]
    # SOURCES.md section 20: outlets inside Oxfordshire's LSOA 2021 polygons.
    checks = {"2022": (87, 1402, 14127, {"E07000177": 25, "E07000178": 3, "E07000179": 27, "E07000180": 12,
                                         "E07000181": 20}),
              "2021": (79, 3053, 40400, {"E07000177": 24, "E07000178": 1, "E07000179": 23, "E07000180": 11,
                                         "E07000181": 20})}  # fmt: skip
    for period, (listed, total_spills, total_hours, by_district) in checks.items():
        with_data, county_listed, county_spills, county_hours = _counts(value(spills, "E10000025", period, "notes"))
        assert (county_listed, county_spills) == (listed, total_spills)
        assert abs(county_hours - total_hours) <= 1  # the notes round, SOURCES.md truncates
        assert value(spills, "E10000025", period) == pytest.approx(total_spills / with_data)
        assert value(hours, "E10000025", period) == pytest.approx(total_hours / with_data, abs=1 / with_data)
        for code, count in by_district.items():
            assert _counts(value(spills, code, period, "notes"))[1] == count
    trends_file = (
        mirror / RAW / "ea_edm_storm_overflows/EDM Storm Overflow Annual Return - Long-term Trends 2016-2022.xlsx"
    )
    trends = openpyxl.load_workbook(trends_file, read_only=True)["Long-term trends"]
    rows = {str(r[1]).strip(): r for r in trends.iter_rows(values_only=True) if len(r) > 8 and r[1]}
    # 2022 is the column after '2021*'; the EA's headline: 301,091 spills over 13,080 overflows with spill data.
    assert value(spills, "E92000001", "2022") == pytest.approx(
        rows["Total number of monitored spill events2"][8] / rows["Total no. storm overflows with spill data1"][8]
    )
    assert value(hours, "E92000001", "2022") == pytest.approx(
        rows["Total duration (hrs) of monitored spill events"][8]
        / rows["Total no. storm overflows with spill data1"][8]
    )


def test_land_consumption_ratio_and_its_unsigned_cases(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    frame = built["land_consumption_ratio"]
    raw = pd.read_csv(mirror / RAW / "ons_sdg_uk/indicator_11-3-1.csv")
    ratio = raw[raw["Series"].str.startswith("Ratio")].set_index("GeoCode")["Value"]
    for code in [*DISTRICTS, "E92000001"]:
        assert value(frame, code, "2013-01-01/P4Y") == ratio[code]
    assert value(frame, "E07000181", "2013-01-01/P4Y") == pytest.approx(9.12, abs=0.005)  # SOURCES.md section 19
    # Blackpool's population fell 2013-2016 (rate < 0), yet the file prints a positive ratio: not shown.
    rates = raw[raw["Series"] == "Population growth rate"].set_index("GeoCode")["Value"]
    assert rates["E06000009"] < 0 < ratio["E06000009"]
    blackpool = AreaConfig(id="test", county_code="E10000025", county_name="Oxfordshire",
                           districts=[District(code="E06000009", name="Blackpool")])  # fmt: skip
    context = context_for(mirror, blackpool)
    meta = CATALOGUE["land_consumption_ratio"]
    other = get_builder(meta.extract.method)(context, meta)
    assert math.isnan(value(other, "E06000009", "2013-01-01/P4Y"))
    assert "population fell" in value(other, "E06000009", "2013-01-01/P4Y", "status")


def test_homes_without_outdoor_space_match_the_raw_counts(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    frame = built["homes_without_outdoor_space"]
    path = mirror / RAW / "ons_access_to_gardens/osprivateoutdoorspacereferencetables.xlsx"
    lad = pd.read_excel(path, sheet_name="LAD gardens", header=None, skiprows=2, engine="openpyxl").set_index(4)
    share = 100 * (1 - lad[20] / lad[19])  # total addresses (col 19) and those with outdoor space (col 20)
    for code in DISTRICTS:
        assert value(frame, code, "2020") == pytest.approx(share[code])
    county = lad.loc[list(DISTRICTS)]
    assert value(frame, "E10000025", "2020") == pytest.approx(100 * (1 - county[20].sum() / county[19].sum()))
    assert value(frame, "E07000178", "2020") == pytest.approx(100 - 83.9, abs=0.05)  # SOURCES.md section 22


def test_health_index_scores_match_the_raw_table(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    path = mirror / RAW / "ons_health_index/healthindexscoresengland.xlsx"
    raw = pd.read_excel(path, sheet_name="Table_3_2021_Index", header=4, engine="openpyxl")
    raw = raw.drop_duplicates("Area Code").set_index("Area Code")
    for code in [*DISTRICTS, "E10000025", "E92000001"]:
        assert value(built["health_index_air_pollution"], code, "2021") == raw.loc[code, "Air pollution [Pl5]"]
        assert value(built["health_index_noise"], code, "2021") == raw.loc[code, "Noise complaints [Pl5]"]


def test_renewables_per_household_match_plain_pandas(built: dict[str, pd.DataFrame], mirror: Path) -> None:
    frame = built["renewable_generation_per_household"]
    path = (
        mirror
        / RAW
        / "desnz_renewable_electricity"
        / "Renewable_electricity_by_local_authority_2014-2021_Nov22update.xlsx"
    )
    raw = pd.read_excel(path, sheet_name="LA - Generation, 2021", header=6, engine="openpyxl")
    raw = raw.set_index(raw.columns[0])
    households = raw[next(c for c in raw.columns if str(c).startswith("Estimated number of households"))]
    els = pd.read_csv(mirror / RAW / "ons_explore_local_statistics/domestic-electricity-consumption.csv",
                      encoding="utf-8-sig")  # fmt: skip
    median = els[els["period"] == "2021-02-01/P1Y"].set_index("areacd")["observation"]
    for code in DISTRICTS:
        expected = raw.loc[code, "Total"] * 1000 / households[code] / median[code]
        assert value(frame, code, "2021") == pytest.approx(expected)
    england = raw[(raw["Country"] == "England") & pd.to_numeric(households, errors="coerce").notna()]
    expected = england["Total"].sum() * 1000 / pd.to_numeric(households[england.index], errors="coerce").sum()
    assert value(frame, "E92000001", "2021") == pytest.approx(expected / median["E92000001"])


def test_fair_share_record_reads_the_same_emissions(built: dict[str, pd.DataFrame]) -> None:
    fair, local = built["ghg_per_capita_fair_share"], built["ghg_emissions_per_capita"]
    columns = ["areacd", "period", "value"]
    pd.testing.assert_frame_equal(fair[columns], local[columns])
    assert CATALOGUE["ghg_per_capita_fair_share"].lens == "global_ecological"
    # The ceiling: 130 GtCO2 / 8.2 billion people / 26 years (2025-2050), rounded to 2 decimals.
    assert CATALOGUE["ghg_per_capita_fair_share"].threshold.value == round(130e9 / 8.2e9 / 26, 2)
