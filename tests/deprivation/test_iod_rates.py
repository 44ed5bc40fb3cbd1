"""Absolute deprivation rates (IoD income, employment, IDACI, IDAOPI) in % of people.

Unit tests on the Testshire fixtures, with every expected value computed by hand from the
fixture numbers; integration tests on the real files, against plain pandas on the mirror.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.deprivation.iod_rates import county_lsoa_rates, la_rate_rows
from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from tests.sources.test_iod_rates_sources import write_file10_2019

IOD = Path(__file__).resolve().parents[1] / "fixtures" / "iod"
NORTH, SOUTH, COUNTY, ENGLAND = "E07099901", "E07099902", "E10099999", "E92000001"
NATIONAL = {
    "imd/2025/file10": IOD / "iod2025_file10_renamed.csv",
    "imd/2025/file6": IOD / "iod2025_file6_national.csv",
    "imd/2025/file7_national": IOD / "iod2025_file7_national.csv",
}
EXTRACT = {  # the mirror's situation: File 7 rows of one district only, and no File 6
    "imd/2025/file10": IOD / "iod2025_file10_renamed.csv",
    "imd/2025/file7_national": IOD / "iod2025_file7_oxfordshire_style_extract.csv",
}


def values(frame: pd.DataFrame, period: str = "2025") -> dict[str, float]:
    rows = frame[frame["period"] == period]
    return dict(zip(rows["areacd"], rows["value"], strict=True))


def test_income_2025_with_national_denominators(testshire_context) -> None:
    rows = la_rate_rows(testshire_context(NATIONAL), "income")
    # File 10 scale over File 6 totals: Northdale 1327 / (1540+1655+1010+990+2105 = 7300); Southdale 97 / 3230;
    # the county (1327 + 97) / 10530; England (1327 + 97 + 573) / 12950 (all eight LSOAs).
    assert values(rows) == pytest.approx(
        {NORTH: 100 * 1327 / 7300, SOUTH: 100 * 97 / 3230, COUNTY: 100 * 1424 / 10530, ENGLAND: 100 * 1997 / 12950}
    )
    north = rows[rows["areacd"] == NORTH].iloc[0]
    assert north["lci_95"] < north["value"] < north["uci_95"]
    assert north["notes"].startswith("1,327 of 7,300 residents are income-deprived")


def test_employment_uses_the_working_age_base(testshire_context) -> None:
    rows = la_rate_rows(testshire_context(NATIONAL), "employment")
    # 644 / (1000+1080+650+640+1350 = 4720); England (644 + 84 + 296.5) / (4720 + 2100 + 720 + 850).
    assert values(rows)[NORTH] == pytest.approx(100 * 644 / 4720)
    assert values(rows)[ENGLAND] == pytest.approx(100 * 1024.5 / 8390)


def test_idaci_2025_weights_lsoa_scores_by_children(testshire_context) -> None:
    rows = la_rate_rows(testshire_context(NATIONAL), "idaci")
    # Northdale: 0.30*300 + 0.27*320 + 0.24*200 + 0.21*190 + 0.18*400 = 336.3 of 1410 children; Southdale 0.15.
    # England adds Otherplace: 0.12*220 + 0.09*250 = 48.9 -> 475.2 of 2480.
    assert values(rows) == pytest.approx(
        {NORTH: 100 * 336.3 / 1410, SOUTH: 15.0, COUNTY: 100 * 426.3 / 2010, ENGLAND: 100 * 475.2 / 2480}
    )


def test_an_extract_covers_only_its_area_and_says_why_others_have_no_data(testshire_context) -> None:
    context = testshire_context(EXTRACT)
    income = la_rate_rows(context, "income")
    # Northdale is covered: the same exact base. Southdale is not: 97 / (97 / 0.030) = 3.0%, approximate.
    assert values(income)[NORTH] == pytest.approx(100 * 1327 / 7300)
    assert values(income)[SOUTH] == pytest.approx(3.0)
    assert "approximate" in income.loc[income["areacd"] == SOUTH, "notes"].item()
    # England: 1997 / (1327/0.182 + 97/0.030 + 573/0.237).
    assert values(income)[ENGLAND] == pytest.approx(100 * 1997 / (1327 / 0.182 + 97 / 0.030 + 573 / 0.237))
    idaci = la_rate_rows(context, "idaci")
    got = values(idaci)
    assert got[NORTH] == pytest.approx(100 * 336.3 / 1410)
    assert math.isnan(got[SOUTH]) and math.isnan(got[COUNTY]) and math.isnan(got[ENGLAND])
    assert "national File 7" in idaci.loc[idaci["areacd"] == SOUTH, "notes"].item()
    assert "national File 7" in idaci.loc[idaci["areacd"] == ENGLAND, "notes"].item()


def test_iod2019_from_file10_and_file6(testshire_context, tmp_path: Path) -> None:
    context = testshire_context({**NATIONAL, "imd/2019/file10": write_file10_2019(tmp_path / "file10.xlsx")})
    income, idaci = la_rate_rows(context, "income"), la_rate_rows(context, "idaci")
    # 2019 File 6: Northdale 1500+1620+1380+2010 = 6510 people, 1302 children; Southdale 3150 and 630;
    # Otherplace 2350 and 470. Income: 900 / 6510, 120 / 3150, county 1020 / 9660, England 1620 / 12010.
    assert values(income, "2019") == pytest.approx(
        {NORTH: 100 * 900 / 6510, SOUTH: 100 * 120 / 3150, COUNTY: 100 * 1020 / 9660, ENGLAND: 100 * 1620 / 12010}
    )
    # IDACI: average score x children: 0.25*1302 = 325.5, 0.05*630 = 31.5, 0.40*470 = 188.
    assert values(idaci, "2019") == pytest.approx(
        {NORTH: 25.0, SOUTH: 5.0, COUNTY: 100 * 357 / 1932, ENGLAND: 100 * 545 / 2402}
    )


def test_file6_and_file7_must_agree(testshire_context, tmp_path: Path) -> None:
    bad = tmp_path / "file6.csv"
    text = (IOD / "iod2025_file6_national.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("1540,300,900,340,1000", "1540,300,900,340,999"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="different counts"):
        la_rate_rows(testshire_context({**NATIONAL, "imd/2025/file6": bad}), "income")


def test_unknown_measure(testshire_context) -> None:
    with pytest.raises(CwbError, match="measure must be one of"):
        la_rate_rows(testshire_context(NATIONAL), "wealth")


def test_lsoa_table_counts_are_score_times_base(testshire_context) -> None:
    table = county_lsoa_rates(testshire_context(NATIONAL)).set_index("lsoa_code")
    assert sorted(table.index) == ["E01099901", "E01099902", "E01099903", "E01099904", "E01099907", "E01099909"]
    row = table.loc["E01099901"]
    # Income 0.31 x 1540; employment 0.22 x 1000; IDACI 0.30 x 300; IDAOPI 0.20 x 340.
    assert (row["income_deprived"], row["employment_deprived"]) == pytest.approx((477.4, 220.0))
    assert (row["children_income_deprived"], row["older_income_deprived"]) == pytest.approx((90.0, 68.0))
    assert set(table["year"]) == {2025} and set(table["lsoa_vintage"]) == {2021}


def test_lsoa_table_leaves_uncovered_lsoas_empty(testshire_context) -> None:
    table = county_lsoa_rates(testshire_context(EXTRACT)).set_index("lsoa_code")
    assert pd.isna(table.loc["E01099909", "population"])  # Southdale is not in the extract
    assert table.loc["E01099901", "population"] == 1540


def test_the_builder_writes_valid_canonical_rows(testshire_context) -> None:
    meta = load_catalogue()["income_deprivation_rate"]
    frame = get_builder(meta.extract.method)(testshire_context(NATIONAL), meta)
    assert validate_frame(frame, meta.id, expected_indicator=meta.id) == []
    assert list(frame["geography"]) == ["country", "county", "district", "district"]
    assert set(frame["unit"]) == {"%"}


# ---- the real files --------------------------------------------------------------------------------------------------
OXON = {"E07000177": "Cherwell", "E07000178": "Oxford", "E07000179": "South Oxfordshire",
        "E07000180": "Vale of White Horse", "E07000181": "West Oxfordshire"}  # fmt: skip


def _built(built_store, indicator: str) -> pd.DataFrame:
    frame = built_store.read_indicator(indicator)
    return frame.assign(period=frame["period"].astype(str))


@pytest.mark.integration
def test_real_2025_income_and_employment_against_pandas(built_store, mirror: Path) -> None:
    lads = pd.read_csv(mirror / "imd2025/imd2025_england_ltla24.csv").set_index("ltla24_code")
    file6 = pd.read_csv(mirror / "imd2025/File_6_IoD2025_Population_Denominators_oxfordshire_extract.csv")
    lad = "Local Authority District code (2024)"
    bases = {
        "income": file6.groupby(lad)["Total population: mid 2022"].sum(),
        "employment": file6.groupby(lad)[
            "Working age population 18-66 (for use with Employment Deprivation Domain): mid 2022"
        ].sum(),
    }
    for measure, indicator in (("income", "income_deprivation_rate"), ("employment", "employment_deprivation_rate")):
        got = values(_built(built_store, indicator))
        scale = lads[f"{measure}_scale"]
        for code in OXON:
            assert got[code] == pytest.approx(100 * scale[code] / bases[measure][code]), (indicator, code)
        county = 100 * scale[list(OXON)].sum() / bases[measure].sum()
        assert got["E10000025"] == pytest.approx(county)
        england = 100 * scale.sum() / (scale / lads[f"{measure}_average_score"]).sum()
        assert got["E92000001"] == pytest.approx(england)
    # SOURCES.md's Cherwell figure: 23,789 income-deprived of 164,189 residents = 14.49%.
    assert values(_built(built_store, "income_deprivation_rate"))["E07000177"] == pytest.approx(14.4888, abs=1e-4)


@pytest.mark.integration
def test_real_2025_idaci_and_idaopi_against_pandas(built_store, mirror: Path) -> None:
    file7 = pd.read_csv(mirror / "imd2025/File_7_IoD2025_oxfordshire_extract_IDACI_IDAOPI_denominators.csv")
    lad = "Local Authority District code (2024)"
    pairs = {
        "children_income_deprived": ("Income Deprivation Affecting Children Index (IDACI) Score (rate)",
                                     "Dependent Children aged 0-15: mid 2022"),
        "older_people_income_deprived": ("Income Deprivation Affecting Older People (IDAOPI) Score (rate)",
                                         "Older population aged 60 and over: mid 2022"),
    }  # fmt: skip
    for indicator, (score, base) in pairs.items():
        counts = (file7[score] * file7[base]).groupby(file7[lad]).sum()
        bases = file7.groupby(lad)[base].sum()
        got = values(_built(built_store, indicator))
        for code in OXON:
            assert got[code] == pytest.approx(100 * counts[code] / bases[code]), (indicator, code)
        assert got["E10000025"] == pytest.approx(100 * counts.sum() / bases.sum())
        assert math.isnan(got["E92000001"])  # England needs the national File 7, not in the mirror
    # SOURCES.md: child-weighted IDACI, county 0.225, Oxford 0.299.
    got = values(_built(built_store, "children_income_deprived"))
    assert (round(got["E10000025"] / 100, 3), round(got["E07000178"] / 100, 3)) == (0.225, 0.299)


@pytest.mark.integration
def test_real_2019_rates_against_pandas(built_store, mirror: Path) -> None:
    book = mirror / "imd2019/xlsx/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
    income = pd.read_excel(book, sheet_name="Income", engine="openpyxl").set_index(
        "Local Authority District code (2019)"
    )
    idaci = pd.read_excel(book, sheet_name="IDACI", engine="openpyxl").set_index("Local Authority District code (2019)")
    file6 = pd.read_csv(mirror / "imd2019/csv/File_6_-_IoD2019_Population_Denominators.csv.gz", thousands=",")
    by_lad = file6.groupby("Local Authority District code (2019)").sum(numeric_only=True)
    people = by_lad["Total population: mid 2015 (excluding prisoners)"]
    children = by_lad["Dependent Children aged 0-15: mid 2015 (excluding prisoners)"]
    got = values(_built(built_store, "income_deprivation_rate"), "2019")
    for code in OXON:
        assert got[code] == pytest.approx(100 * income.loc[code, "Income scale"] / people[code])
    assert got["E92000001"] == pytest.approx(100 * income["Income scale"].sum() / people[income.index].sum())
    got = values(_built(built_store, "children_income_deprived"), "2019")
    weighted = (idaci["IDACI - Average score "] * children[idaci.index]).sum() / children[idaci.index].sum()
    assert got["E92000001"] == pytest.approx(100 * weighted)
    assert got["E07000178"] == pytest.approx(100 * idaci.loc["E07000178", "IDACI - Average score "])


@pytest.mark.integration
def test_real_neighbourhood_rates_against_pandas(built_store, mirror: Path) -> None:
    from cwb_metrics.areas.resolve import resolve_area
    from cwb_metrics.portrait.small_area import small_area_indicator_rows

    area = resolve_area("Blackbird Leys", built_store)
    rows = small_area_indicator_rows(built_store, area)
    scores = pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv.gz").set_index("lsoa21_code")
    file7 = pd.read_csv(mirror / "imd2025/File_7_IoD2025_oxfordshire_extract_IDACI_IDAOPI_denominators.csv")
    file7 = file7.set_index("LSOA code (2021)").loc[list(area.lsoa21)]
    people = file7["Total population: mid 2022"]
    expected_income = 100 * (scores.loc[list(area.lsoa21), "Income_score"] * people).sum() / people.sum()
    children = file7["Dependent Children aged 0-15: mid 2022"]
    expected_idaci = 100 * (file7["Income Deprivation Affecting Children Index (IDACI) Score (rate)"] * children).sum()
    expected_idaci /= children.sum()

    def one(indicator: str) -> pd.Series:
        return rows[(rows["indicator"] == indicator) & (rows["period"] == "2025")].iloc[0]

    assert one("income_deprivation_rate")["value"] == pytest.approx(expected_income)
    assert one("children_income_deprived")["value"] == pytest.approx(expected_idaci)
    assert one("income_deprivation_rate")["lci_95"] < expected_income < one("income_deprivation_rate")["uci_95"]
