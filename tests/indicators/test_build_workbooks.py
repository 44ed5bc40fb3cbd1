"""Workbook builders (fuel poverty, waste, living wage, life expectancy, CO2): hand-made fixtures, then the mirror."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_workbooks import extra_sources
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import FetchedFile, from_mirror
from cwb_metrics.sources.registry import load_sources

CATALOGUE = load_catalogue()
NUMBERS = ["Number of households", "Number of households in fuel poverty", "Proportion of households fuel poor (%)"]


def context_of(paths: dict[str, Path]) -> BuildContext:
    sources = load_sources()
    files = {sid: FetchedFile(sources[sid], p, str(p), "", p.stat().st_size, "") for sid, p in paths.items()}
    return BuildContext(files=files, areas=load_area_config("oxfordshire"))


def with_params(meta_id: str, **params: object) -> IndicatorMeta:
    meta = CATALOGUE[meta_id]
    return meta.model_copy(update={"extract": meta.extract.model_copy(update={"params": params})})


def fuel_poverty_book(path: Path, year: int, oxford_pct: float) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Table 2"
    sheet.append([f"Table 2: Fuel poor households by administrative area, {year}"])
    sheet.append(["Area Codes", "Area names", None, None, *NUMBERS])
    sheet.append(["E92000001", "ENGLAND", None, None, 1000, 120, 12.0])
    sheet.append(["E12000008", "SOUTH EAST", None, None, 500, 50, 10.0])
    sheet.append(["E07000178", None, None, "Oxford", 1000, round(oxford_pct * 10), oxford_pct])
    book.save(path)
    return path


def test_fuel_poverty_one_period_per_edition(tmp_path: Path) -> None:
    context = context_of({"desnz/fuel_poverty_2023": fuel_poverty_book(tmp_path / "a.xlsx", 2023, 11.4),
                          "desnz/fuel_poverty_2020": fuel_poverty_book(tmp_path / "b.xlsx", 2020, 11.0)})  # fmt: skip
    built = get_builder("fuel_poverty")(context, CATALOGUE["fuel_poverty"])  # 2021 edition not fetched: skipped
    assert tuple(built.columns) == CANONICAL_COLUMNS
    assert built[["areacd", "period", "value"]].values.tolist() == [
        ["E92000001", "2020", 12.0], ["E92000001", "2023", 12.0], ["E07000178", "2020", 11.0],
        ["E07000178", "2023", 11.4]]  # fmt: skip
    assert validate_frame(built, "fp", expected_indicator="fuel_poverty") == []


def test_fuel_poverty_editions_with_the_same_year(tmp_path: Path) -> None:
    context = context_of({"desnz/fuel_poverty_2023": fuel_poverty_book(tmp_path / "a.xlsx", 2023, 11.4),
                          "desnz/fuel_poverty_2021": fuel_poverty_book(tmp_path / "b.xlsx", 2023, 11.0)})  # fmt: skip
    with pytest.raises(CwbError, match="same data year"):
        get_builder("fuel_poverty")(context, CATALOGUE["fuel_poverty"])


def waste_book(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Table_3"
    sheet.append(["Year", "Region", "ONS code", "Jpp Order", "Authority", "Authority type",
                  "Residual household waste per household (kg/household) (Ex NI191)",
                  "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"])  # fmt: skip
    sheet.append(["2020-21", "South East", "E07000178", 1, "Oxford City Council", "Collection", 350, 0.521])
    sheet.append(["2020-21", "South East", "E10000025", 2, "Oxfordshire County Council", "Disposal", 414.4, 0.595])
    sheet.append(["2020-21", "South East", "E07000177", 3, "Cherwell District Council", "Collection", ":", ":"])
    sheet.append(["2020-21", "Total England", "Total", "Total", "Total", "Total", 552.9, 0.423])
    book.save(path)
    return path


def test_waste_not_recycled_is_the_complement_in_percent(tmp_path: Path) -> None:
    context = context_of({"defra/waste_2021": waste_book(tmp_path / "w.xlsx")})
    built = get_builder("defra_waste")(context, CATALOGUE["household_waste_not_recycled"]).set_index("areacd")
    assert built.loc["E07000178", "value"] == pytest.approx(47.9)
    assert built.loc["E92000001", ["value", "geography", "period"]].tolist() == [pytest.approx(57.7), "country",
                                                                                  "2020-04-01/P1Y"]  # fmt: skip
    assert "disposal authority" in built.loc["E10000025", "notes"].lower()
    assert pd.isna(built.loc["E07000177", "value"]) and built.loc["E07000177", "status"] == ":"
    recycling = get_builder("defra_waste")(context, with_params("household_waste_not_recycled",
                                                                measure="recycling_rate"))  # fmt: skip
    assert recycling.set_index("areacd").loc["E07000178", "value"] == pytest.approx(52.1)
    residual = get_builder("defra_waste")(context, CATALOGUE["residual_waste_per_household"]).set_index("areacd")
    assert residual.loc["E10000025", "value"] == 414.4
    with pytest.raises(CwbError, match="measure must be"):
        get_builder("defra_waste")(context, with_params("household_waste_not_recycled", measure="landfill"))


def test_living_wage_builder_keeps_suppressed_rows(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "All"
    sheet.append(["Table 7 LWF.1 lwfmgx - For all employee jobsa: United Kingdom, 2022"])
    sheet.append([None, None, "Jobs", "Per cent"])
    sheet.append(["Description", "Code", "(thousand)"])
    sheet.append(["Oxford", "E07000178", 6, 4.9])
    sheet.append(["West Oxfordshire", "E07000181", "x", "x"])
    book.save(tmp_path / "lwf.xlsx")
    built = get_builder("ashe_living_wage")(context_of({"ons/living_wage_2022": tmp_path / "lwf.xlsx"}),
                                            CATALOGUE["jobs_below_living_wage"])  # fmt: skip
    assert built[["areacd", "period", "status"]].values.tolist() == [["E07000178", "2022", ""],
                                                                     ["E07000181", "2022", "x"]]  # fmt: skip
    assert validate_frame(built, "lwf", expected_indicator="jobs_below_living_wage") == []


def test_life_expectancy_builder_picks_sex_and_age(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Period", "Country", "Area type", "Area code", "Area name", "Sex", "Sex code", "Age group",
                  "Age code", "Life expectancy", "Lower confidence interval", "Upper confidence interval"])  # fmt: skip
    for sex, age, value in (("Male", "<1", 80.3), ("Female", "<1", 83.9), ("Male", "01 to 04", 79.6)):
        sheet.append(["2021 to 2023", "England", "Local Areas", "E07000178", "Oxford", sex, 1, age, 1, value, 1, 99])
    book.save(tmp_path / "le.xlsx")
    context = context_of({"ons/life_expectancy": tmp_path / "le.xlsx"})
    built = get_builder("ons_life_expectancy")(context, CATALOGUE["life_expectancy_male"])
    assert built[["period", "value"]].values.tolist() == [["2021-01-01/P3Y", 80.3]]
    with pytest.raises(CwbError, match="no rows for sex 'Other'"):
        get_builder("ons_life_expectancy")(context, with_params("life_expectancy_male", sex="Other"))


def test_la_co2_builder_maps_codes_through_the_lookup(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text("Year,local-authority-code,official-name,Total Emissions:kt CO2,Population:000s,"
                                    "Per Person Emissions:t\n2020,OXO,Oxford City Council,532,151.6,3.51\n"
                                    "2020,ABC,Elsewhere,1,1,1\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "l.csv").write_text("gss-code,local-authority-code\nE07000178,OXO\nN09000002,ABC\n", encoding="utf-8")
    context = context_of({"mysociety/la_co2_emissions": tmp_path / "e.csv",
                          "mysociety/lookup_gss_to_registry": tmp_path / "l.csv"})  # fmt: skip
    built = get_builder("la_co2")(context, CATALOGUE["co2_per_capita_la_influence"])
    assert built[["areacd", "areanm", "period", "value"]].values.tolist() == [["E07000178", "Oxford", "2020", 3.51]]
    with pytest.raises(CwbError, match="GSS lookup"):
        get_builder("la_co2")(context, with_params("co2_per_capita_la_influence", column="Per Person Emissions:t"))


def test_gender_pay_gap_from_two_sheets(tmp_path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for sheet_name, pays in (("Male Full-Time", (40000, 30000, "x")), ("Female Full-Time", (30000, 31500, 20000))):
        sheet = book.create_sheet(sheet_name)
        sheet.append([f"Table 8.7a   Annual pay - Gross (£) - For {sheet_name.lower()} employee jobsa: UK, 2021"])
        sheet.append(["Description", "Code", "(thousand)", "Median", "change", "Mean", "change", 10, 20, 25, 30, 40,
                      60, 70, 75, 80, 90])  # fmt: skip
        for (name, code), pay in zip((("Oxford", "E07000178"), ("Cherwell", "E07000177"), ("Vale", "E07000180")),
                                     pays, strict=True):  # fmt: skip
            sheet.append([name, code, 1, pay, 0, pay, 0, *range(10)])
    book.save(tmp_path / "t8.xlsx")
    built = get_builder("ashe_pay_gap")(context_of({"ons/ashe_table8_2021": tmp_path / "t8.xlsx"}),
                                        CATALOGUE["gender_pay_gap_full_time"]).set_index("areacd")  # fmt: skip
    assert built.loc["E07000178", "value"] == 25.0  # (40,000 - 30,000) / 40,000
    assert built.loc["E07000177", "value"] == -5.0  # women's median higher
    assert "men £40,000, women £30,000" in built.loc["E07000178", "notes"]
    assert pd.isna(built.loc["E07000180", "value"]) and built.loc["E07000180", "status"] == "x"
    assert set(built["period"]) == {"2021"}


# --- every workbook indicator of the catalogue, from the real files ----------------------------------

#: Builders checked elsewhere: ELS and IMD in their own files (IoD rates: tests/deprivation/test_iod_rates.py), the
#: ecological ceiling's in test_build_ecology_mirror.py, the Census, sub-domains, turnout and police-force-area ones
#: in test_build_census.py and test_build_social.py.
ELSEWHERE = ("els", "imd_share", "iod_rate", "fingertips", "storm_overflows", "land_consumption",
             "private_outdoor_space", "health_index", "renewables_per_household", "census", "iod_subdomain_share",
             "local_turnout", "ge_turnout", "els_police_force_area")  # fmt: skip
WORKBOOK_METAS = [m for m in CATALOGUE.values() if m.extract.method not in ELSEWHERE]
RANGES = {
    "fuel_poverty": (3, 25), "jobs_below_living_wage": (1, 30), "life_expectancy_female": (75, 95),
    "life_expectancy_male": (70, 90), "co2_per_capita_la_influence": (1, 15), "household_waste_not_recycled": (20, 80),
    "residual_waste_per_household": (150, 800), "gender_pay_gap_full_time": (-15, 45),
}  # fmt: skip


@pytest.fixture(scope="module")
def built(mirror: Path) -> dict[str, pd.DataFrame]:
    sources = load_sources()
    ids = {m.extract.source for m in WORKBOOK_METAS} | {s for m in WORKBOOK_METAS for s in extra_sources(m)}
    context = BuildContext(files={sid: from_mirror(sources[sid], mirror) for sid in ids},
                           areas=load_area_config("oxfordshire"))  # fmt: skip
    return {m.id: get_builder(m.extract.method)(context, m) for m in WORKBOOK_METAS}


def test_every_workbook_indicator_has_a_range() -> None:
    assert set(RANGES) == {m.id for m in WORKBOOK_METAS}


@pytest.mark.integration
@pytest.mark.parametrize("meta", WORKBOOK_METAS, ids=[m.id for m in WORKBOOK_METAS])
def test_every_workbook_indicator_builds_valid_rows(built: dict[str, pd.DataFrame], meta: IndicatorMeta) -> None:
    frame = built[meta.id]
    assert validate_frame(frame, meta.id, expected_indicator=meta.id) == []
    assert set(frame["geography"]) == set(meta.geographies)
    low, high = RANGES[meta.id]
    assert frame["value"].dropna().between(low, high).all()


def values(frame: pd.DataFrame, period: str) -> dict[str, float]:
    return frame[frame["period"] == period].set_index("areacd")["value"].to_dict()


CODES = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181", "E10000025", "E92000001"]


@pytest.mark.integration
def test_cross_check_values_from_sources_md(built: dict[str, pd.DataFrame]) -> None:
    fuel = values(built["fuel_poverty"], "2023")
    assert [fuel[c] for c in CODES] == pytest.approx([8.97, 11.39, 9.32, 8.67, 9.84, 9.60, 11.4], abs=0.005)
    assert set(built["fuel_poverty"]["period"]) == {"2020", "2021", "2023"}
    male = values(built["life_expectancy_male"], "2021-01-01/P3Y")
    female = values(built["life_expectancy_female"], "2021-01-01/P3Y")
    assert [male[c] for c in CODES] == [80.7, 80.3, 82.0, 81.4, 81.7, 81.3, 79.1]
    assert [female[c] for c in CODES] == [83.8, 83.9, 85.8, 85.5, 85.2, 84.9, 83.1]
    co2 = values(built["co2_per_capita_la_influence"], "2020")
    assert [co2[c] for c in CODES[:6]] == pytest.approx([5.14, 3.51, 4.22, 4.88, 4.40, 4.42], abs=0.006)
    wage = built["jobs_below_living_wage"].set_index("areacd")
    assert wage.loc[["E07000177", "E07000178", "E10000025", "E92000001"], "value"].tolist() == [9.9, 4.9, 6.1, 12.5]
    assert set(wage.loc[["E07000179", "E07000180", "E07000181"], "status"]) == {"x"}


@pytest.mark.integration
def test_gender_pay_gap_matches_the_published_medians(built: dict[str, pd.DataFrame]) -> None:
    england = built["gender_pay_gap_full_time"].set_index("areacd").loc["E92000001"]
    # ASHE 2021 provisional Table 8.7a, England: male full-time median £33,777, female £28,314.
    assert england["value"] == pytest.approx(100 * (33777 - 28314) / 33777, abs=1e-4)
    assert "men £33,777, women £28,314" in england["notes"]


@pytest.mark.integration
def test_waste_series_is_consistent(built: dict[str, pd.DataFrame]) -> None:
    not_recycled = built["household_waste_not_recycled"]
    assert not_recycled["period"].nunique() == 11  # 2010/11 to 2020/21
    latest = values(not_recycled, "2020-04-01/P1Y")
    assert latest["E92000001"] == pytest.approx(100 - 42.3)
    assert latest["E10000025"] < latest["E92000001"], "Oxfordshire recycles more than England"
