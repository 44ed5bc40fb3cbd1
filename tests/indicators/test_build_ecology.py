"""Builders of the ecological ceiling and its context, on hand-made files for the fictional Testshire.

Expected values are worked out by hand in each test from the few rows written.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from pyproj import Transformer

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import FetchedFile
from cwb_metrics.sources.registry import load_sources
from tests.sources.publisher_books import edm_book, gardens_book, health_index_book, renewables_book

CATALOGUE = load_catalogue()
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENGLAND, COUNTY, NORTHDALE, SOUTHDALE = "E92000001", "E10099999", "E07099901", "E07099902"


def context_for(paths: dict[str, Path]) -> BuildContext:
    sources = load_sources()
    files = {sid: FetchedFile(sources[sid], p, str(p), "", p.stat().st_size, "") for sid, p in paths.items()}
    return BuildContext(files=files, areas=load_area_config(path=FIXTURES / "areas" / "testshire.yaml"))


def build(meta_id: str, context: BuildContext, **params: object) -> pd.DataFrame:
    meta: IndicatorMeta = CATALOGUE[meta_id]
    if params:
        meta = meta.model_copy(update={"extract": meta.extract.model_copy(update={"params": params})})
    frame = get_builder(meta.extract.method)(context, meta)
    assert validate_frame(frame, meta_id, expected_indicator=meta_id) == []
    return frame


def cell(frame: pd.DataFrame, code: str, period: str, column: str = "value") -> object:
    rows = frame[(frame["areacd"] == code) & (frame["period"] == period)]
    assert len(rows) == 1, f"{code} {period}: {len(rows)} rows"
    return rows.iloc[0][column]


# ----- Fingertips, gaps filled from the SDG platform -----------------------------------------------------------
def test_fingertips_area_values_with_sdg_years_added() -> None:
    context = context_for({"fingertips/93861": FIXTURES / "fingertips" / "api_export.csv",
                                 "ons/sdg_3_9_1": FIXTURES / "sdg" / "indicator_3-9-1_small.csv"})  # fmt: skip
    built = build("pm25_mortality_fraction", context)
    keys = sorted(zip(built["areacd"], built["period"], strict=True))
    assert keys == sorted([(ENGLAND, "2020"), (ENGLAND, "2021"), (ENGLAND, "2022-04-01/P1Y"), (COUNTY, "2021"),
                           (NORTHDALE, "2021"), (NORTHDALE, "2022"), (SOUTHDALE, "2021")])  # fmt: skip
    assert cell(built, ENGLAND, "2021") == 5.5  # the export's headline, not the deprivation decile (5.9)
    assert cell(built, ENGLAND, "2022-04-01/P1Y", "lci_95") == 4.1
    assert cell(built, NORTHDALE, "2021") == 5.6 and cell(built, NORTHDALE, "2021", "notes") == ""
    assert cell(built, NORTHDALE, "2022") == 5.05 and "SDG" in cell(built, NORTHDALE, "2022", "notes")
    assert cell(built, ENGLAND, "2020") == 5.64
    assert math.isnan(cell(built, SOUTHDALE, "2021"))  # blank in the export; the SDG's 2022 is a "Missing value"
    assert cell(built, SOUTHDALE, "2021", "notes") == "Value missing in source data"
    assert cell(built, SOUTHDALE, "2021", "status") == "no value published"


def test_fingertips_without_the_sdg_file_has_only_the_export() -> None:
    context = context_for({"fingertips/93861": FIXTURES / "fingertips" / "api_export.csv"})
    built = build("pm25_mortality_fraction", context)
    assert (NORTHDALE, "2022") not in set(zip(built["areacd"], built["period"], strict=True))


def test_fingertips_wrong_indicator_id_is_named() -> None:
    context = context_for({"fingertips/93861": FIXTURES / "fingertips" / "api_export.csv"})
    with pytest.raises(CwbError, match=r"no rows for Fingertips indicator 30101 \(it has 93861\)"):
        build("pm25_mortality_fraction", context, indicator_id=30101)


# ----- storm overflows placed in LSOA polygons -----------------------------------------------------------------
def grid_reference(lon: float, lat: float) -> str:
    """A 10-figure reference in square SP for a point near Testshire (pyproj's OSGB36 transform)."""
    east, north = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True).transform(lon, lat)
    assert 400_000 <= east < 500_000 and 200_000 <= north < 300_000  # square SP
    return f"SP{round(east) - 400_000:05d}{round(north) - 200_000:05d}"


@pytest.fixture
def overflow_context(tmp_path: Path) -> BuildContext:
    north_a = grid_reference(-1.29, 51.755)  # inside Northdale 001A (-1.30..-1.28, 51.75..51.76)
    north_b = grid_reference(-1.27, 51.755)  # inside Northdale 001B
    south = grid_reference(-1.27, 51.745)  # inside Southdale's L-shaped LSOA
    away = grid_reference(-1.20, 51.70)  # outside every Testshire LSOA
    year_2022 = edm_book(tmp_path / "edm2022.xlsx", 2022, {
        "Thames Water": [(north_a, 20, 10), (north_b, 40, 30), (north_b, "N/A", "N/A"), (south, 7, 5)],
        "Anglian Water": [(away, 1000, 100), ("TBC", 1, 1)],
    })  # fmt: skip
    year_2021 = edm_book(tmp_path / "edm2021.xlsx", 2021, {"Thames Water": [(north_a, 8, 4), (south, "n/a", "n/a")]})
    lsoas = FIXTURES / "boundaries" / "three_squares_lsoa21.geojson"
    return context_for({"ea/edm_2022": year_2022, "ea/edm_2021": year_2021, "boundaries/lsoa21": lsoas})


def test_spills_per_overflow_by_district_county_and_england(overflow_context: BuildContext) -> None:
    built = build("storm_overflow_spills", overflow_context)
    assert cell(built, NORTHDALE, "2022") == 20.0  # (10 + 30) / 2 overflows with data (3 listed)
    assert cell(built, SOUTHDALE, "2022") == 5.0
    assert cell(built, COUNTY, "2022") == 15.0  # 45 / 3
    assert cell(built, ENGLAND, "2022") == pytest.approx(146 / 5)  # every overflow with data, placed or not
    notes = cell(built, NORTHDALE, "2022", "notes")
    assert notes == ("2 storm overflows with spill data (3 listed) placed in the district; 40 counted spills; "
                     "60 spill hours")  # fmt: skip
    assert "1 without a usable grid reference" in cell(built, ENGLAND, "2022", "notes")
    assert cell(built, NORTHDALE, "2021") == 4.0
    assert math.isnan(cell(built, SOUTHDALE, "2021"))
    assert cell(built, SOUTHDALE, "2021", "status") == "no storm overflow with spill data in the area"
    assert "1 storm overflow with spill data" in cell(built, NORTHDALE, "2021", "notes")


def test_spill_hours_per_overflow(overflow_context: BuildContext) -> None:
    built = build("storm_overflow_spill_hours", overflow_context)
    assert cell(built, NORTHDALE, "2022") == 30.0  # (20 + 40) / 2
    assert cell(built, COUNTY, "2022") == pytest.approx(67 / 3)


def test_two_returns_for_the_same_year_are_refused(overflow_context: BuildContext, tmp_path: Path) -> None:
    overflow_context.files["ea/edm_2021"] = overflow_context.files["ea/edm_2022"]
    overflow_context.cache.clear()
    with pytest.raises(CwbError, match="two EDM returns are for 2022"):
        build("storm_overflow_spills", overflow_context)


# ----- SDG 11.3.1 land consumption ----------------------------------------------------------------------------
def test_land_consumption_keeps_signed_ratios_only() -> None:
    context = context_for({"ons/sdg_11_3_1": FIXTURES / "sdg" / "indicator_11-3-1_small.csv"})
    built = build("land_consumption_ratio", context)
    assert cell(built, ENGLAND, "2013-01-01/P4Y") == 1.5
    assert cell(built, NORTHDALE, "2013-01-01/P4Y") == 3.0
    assert "Land consumption rate 3.00% a year; population growth rate 1.00%" in cell(
        built, NORTHDALE, "2013-01-01/P4Y", "notes"
    )
    # Southdale's population fell: the file's 5 is |0.02 / -0.004|, a ratio with its sign dropped.
    assert math.isnan(cell(built, SOUTHDALE, "2013-01-01/P4Y"))
    assert cell(built, SOUTHDALE, "2013-01-01/P4Y", "status").startswith("not meaningful: population fell")


def test_land_consumption_ratio_that_is_not_the_quotient_is_an_error(tmp_path: Path) -> None:
    text = (FIXTURES / "sdg" / "indicator_11-3-1_small.csv").read_text().replace(",E07099901,3\n", ",E07099901,3.5\n")
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(CwbError, match=r"E07099901: the published ratio 3\.5 is not"):
        build("land_consumption_ratio", context_for({"ons/sdg_11_3_1": path}))


# ----- homes without private outdoor space ---------------------------------------------------------------------
def test_homes_without_outdoor_space_from_counts(tmp_path: Path) -> None:
    lads = [(NORTHDALE, "Northdale", 1000, 900), (SOUTHDALE, "Southdale", 500, 480), ("E07000999", "Other", 10, 1)]
    path = gardens_book(tmp_path / "g.xlsx", lads, england=(2000, 1760))
    built = build("homes_without_outdoor_space", context_for({"ons/access_to_gardens_2020": path}),
                  period="2020", group="total")  # fmt: skip
    assert cell(built, NORTHDALE, "2020") == pytest.approx(10.0)
    assert cell(built, SOUTHDALE, "2020") == pytest.approx(4.0)
    assert cell(built, COUNTY, "2020") == pytest.approx(100 * 120 / 1500)  # summed counts of both districts
    assert cell(built, ENGLAND, "2020") == pytest.approx(12.0)
    assert cell(built, NORTHDALE, "2020", "notes") == "100 of 1,000 addresses without private outdoor space"


def test_no_county_value_when_a_district_is_missing(tmp_path: Path) -> None:
    path = gardens_book(tmp_path / "g.xlsx", [(NORTHDALE, "Northdale", 1000, 900)], england=(2000, 1760))
    built = build("homes_without_outdoor_space", context_for({"ons/access_to_gardens_2020": path}),
                  period="2020")  # fmt: skip
    assert COUNTY not in set(built["areacd"])


# ----- ONS Health Index ----------------------------------------------------------------------------------------
def test_health_index_one_period_per_yearly_sheet(tmp_path: Path) -> None:
    path = health_index_book(tmp_path / "hi.xlsx", {
        2021: [(ENGLAND, "ENGLAND", "Country", 116.1, 102.5), (COUNTY, "Testshire", "UTLA", 118.0, 99.5),
               (NORTHDALE, "Northdale", "LTLA", 113.5, 90.3)],
        2020: [(NORTHDALE, "Northdale", "LTLA", 108.2, 90.3)],
    })  # fmt: skip
    context = context_for({"ons/health_index_2021": path})
    air = build("health_index_air_pollution", context)
    assert sorted(zip(air["areacd"], air["period"], air["value"], strict=True)) == sorted(
        [(ENGLAND, "2021", 116.1), (COUNTY, "2021", 118.0), (NORTHDALE, "2021", 113.5), (NORTHDALE, "2020", 108.2)]
    )
    noise = build("health_index_noise", context)
    assert cell(noise, COUNTY, "2021") == 99.5
    with pytest.raises(CwbError, match="no Health Index column 'road safety'"):
        build("health_index_noise", context, indicator="Road safety")


# ----- renewables per household against household use ----------------------------------------------------------
def els_demand(path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    lines = ["areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes"]
    lines += [f"{c},{n},{g},Electricity consumption,2021-02-01/P1Y,{v},Consumption per meter point,"
              "kWh per meter point,,,," for c, n, g, v in rows]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_renewables_per_household_over_median_use(tmp_path: Path) -> None:
    book = renewables_book(tmp_path / "r.xlsx", {2021: [
        (NORTHDALE, "Northdale", "England", 1000, {"Photovoltaics": 2500.0, "Onshore Wind": "[X]"}),
        ("E07000999", "Elsewhere", "England", 3000, {"Photovoltaics": 3000.0}),
        ("S12000033", "Aberdeen City", "Scotland", 500, {"Hydro": 99999.0}),
    ]})  # fmt: skip
    demand = els_demand(tmp_path / "els.csv", [(NORTHDALE, "Northdale", "Local Authority District", 2500.0),
                                               (ENGLAND, "England", "Nation", 2700.0)])  # fmt: skip
    context = context_for({"desnz/renewable_electricity_2021": book, "els/domestic-electricity-consumption": demand})
    built = build("renewable_generation_per_household", context)
    assert cell(built, NORTHDALE, "2021") == pytest.approx(2500 * 1000 / 1000 / 2500)
    assert "lower bound: generation from Onshore Wind is suppressed" in cell(built, NORTHDALE, "2021", "notes")
    # England: the English authorities' generation over their households (Scotland left out), over England's median.
    assert cell(built, ENGLAND, "2021") == pytest.approx((2500 + 3000) * 1000 / 4000 / 2700)
    assert SOUTHDALE not in set(built["areacd"]) and COUNTY not in set(built["areacd"])
