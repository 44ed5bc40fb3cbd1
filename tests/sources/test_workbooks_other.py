"""Adapters for Defra waste, ASHE living wage, ONS life expectancy and mySociety CO2, on files written here."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.ashe_table8 import read_ashe_table8
from cwb_metrics.sources.la_co2 import read_gss_lookup, read_la_co2
from cwb_metrics.sources.life_expectancy import iso_period, read_life_expectancy
from cwb_metrics.sources.living_wage import read_living_wage
from cwb_metrics.sources.waste import read_waste_indicators
from cwb_metrics.sources.workbooks import cell_number

RESIDUAL = "Residual household waste per household (kg/household) (Ex NI191)"
RECYCLING = "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"
WASTE_HEADER = ["Year", "Region", "ONS code", "Jpp Order", "Authority", "Authority type", RESIDUAL, RECYCLING,
                "Percentage of municipal waste sent to landfill (Ex NI193)"]  # fmt: skip


def save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def waste_book(path: Path, rows: list[list]) -> Path:
    """Imitate Defra's LA and Regional Spreadsheet: an index sheet, then Table_3 with the header on row 4."""
    book = Workbook()
    book.active.title = "Index"
    sheet = book.create_sheet("Table_3")
    sheet.append(["Table 3: Selected Waste Indicators 2010-11 to 2020-21"])
    sheet.append([])
    sheet.append([])
    sheet.append(WASTE_HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["Notes:"])
    sheet.append(["From 2019-20 there were several mergers and changes to local authorities:-"])
    return save(book, path)


GOOD_WASTE = [
    ["2019-20", "South East", "E07000178", 325, "Oxford City Council", "Collection", 331.5, 0.526, ":"],
    ["2020-21", "South East", "E07000178", 325, "Oxford City Council", "Collection", 350, 0.521, ":"],
    ["2020-21", "South East", "E10000025", 327, "Oxfordshire County Council", "Disposal", 414.4, 0.595, 0.033],
    ["2020-21", "East Midlands", "E07000150 / E07000153", 718, "Corby and Kettering", "Collection", 500, 0.4, "-"],
    ["2020-21", "*South East", "Total", "Total", "Total", "Total", 480, 0.5, 0.05],
    ["2020-21", "Total England", "Total", "Total", "Total", "Total", 552.9, 0.423, 0.078],
]


def test_waste_table(tmp_path: Path) -> None:
    frame = read_waste_indicators(waste_book(tmp_path / "waste.xlsx", GOOD_WASTE))
    assert list(frame["areacd"]) == ["E07000178", "E07000178", "E10000025", "E92000001"]  # no region, no joint code
    england = frame.set_index("areacd").loc["E92000001"]
    assert (england["areanm"], england["period"], england["recycling_rate"]) == ("England", "2020-04-01/P1Y", 0.423)
    assert frame.loc[0, "year"] == "2019-20" and frame.loc[0, "residual_kg_per_household"] == 331.5


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["2020-21", "South East", "E0700017", 1, "X", "Collection", 350, 0.5, ":"], "ONS code", "not an ONS"),
        (["2020-21", "South East", "E07000177", 1, "X", "Collection", "lots", 0.5, ":"], RESIDUAL, "not a number"),
        (["2020-21", "South East", "E07000177", 1, "X", "Collection", 350, 52.1, ":"], RECYCLING, "fraction"),
        (["2020-22", "South East", "E07000177", 1, "X", "Collection", 350, 0.5, ":"], "Year", "financial year"),
        (["2019-20", "South East", "E07000178", 1, "X", "Collection", 350, 0.5, ":"], "ONS code", "twice"),
    ],
)
def test_waste_problems(tmp_path: Path, row: list, column: str, words: str) -> None:
    path = waste_book(tmp_path / "waste.xlsx", [GOOD_WASTE[0], row])
    with pytest.raises(DataValidationError) as caught:
        read_waste_indicators(path)
    (only,) = caught.value.problems
    assert (only.file, only.row, only.column) == ("waste.xlsx (sheet Table_3)", 6, column)
    assert words in only.message


def living_wage_book(path: Path, rows: list[list]) -> Path:
    """Imitate ONS's LWF Table 7: a title, a header split over three rows, notes below."""
    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("All")
    sheet.append(["Table 7 LWF.1 lwfmgx - For all employee jobsa: United Kingdom, 2022"])
    sheet.append([])
    sheet.append([None, None, "% earning below Living Wage Foundation rates"])
    sheet.append([None, None, "Jobs", "Per cent"])
    sheet.append(["Description", "Code", "(thousand)"])
    for row in rows:
        sheet.append(row)
    sheet.append(["Not Classified", None, ":"])
    sheet.append(["Source: Annual Survey of Hours and Earnings, Office for National Statistics."])
    return save(book, path)


def test_living_wage_table(tmp_path: Path) -> None:
    rows = [["England", "E92000001", 2951, 12.5], ["Oxford", "E07000178", 6, 4.9],
            ["South Oxfordshire", "E07000179", "x", "x"]]  # fmt: skip
    frame = read_living_wage(living_wage_book(tmp_path / "lwf.xlsx", rows)).set_index("areacd")
    assert frame.loc["E07000178", ["pct_below", "jobs_below_thousands", "year"]].tolist() == [4.9, 6.0, 2022]
    assert frame.loc["E07000179", "status"] == "x" and frame["pct_below"].isna().sum() == 1


def test_living_wage_problems(tmp_path: Path) -> None:
    path = living_wage_book(tmp_path / "lwf.xlsx", [["Oxford", "E07000178", 6, "about five"]])
    with pytest.raises(DataValidationError, match="'about five' is not a number"):
        read_living_wage(path)
    with pytest.raises(DataValidationError, match="no sheet 'Male'"):
        read_living_wage(path, "Male")


def ashe_table8_book(path: Path, rows: list[list]) -> Path:
    """Imitate ONS's ASHE Table 8.7a: a title, two label rows, the header, data and notes."""
    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Male Full-Time")
    sheet.append(["Table 8.7a   Annual pay - Gross (£) - For male full-time employee jobsa: United Kingdom, 2021"])
    sheet.append([None, None, "Number", None, "Annual", None, "Annual"])
    sheet.append([None, None, "of jobsb", None, "percentage", None, "percentage", "Percentiles"])
    sheet.append(["Description", "Code", "(thousand)", "Median", "change", "Mean", "change", 10, 20, 25, 30, 40, 60,
                  70, 75, 80, 90])  # fmt: skip
    for row in rows:
        sheet.append(row)
    sheet.append(["Not Classified", None, 78, 30311])
    sheet.append(["Source: Annual Survey of Hours and Earnings, Office for National Statistics."])
    return save(book, path)


PERCENTILE_CELLS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]


def test_ashe_table8(tmp_path: Path) -> None:
    rows = [["England", None, 8589, 33777, -1.5, 42478, -1.3, *PERCENTILE_CELLS],
            ["Oxford", "E07000178", 30, 37462, 3.1, 41518, -1.8, *PERCENTILE_CELLS[:8], "x", "x"],
            ["Vale of White Horse", "E07000180", "x", "x", None, 42297, 6.4, *(["x"] * 10)]]  # fmt: skip
    frame = read_ashe_table8(ashe_table8_book(tmp_path / "t8.xlsx", rows), "Male Full-Time").set_index("areacd")
    assert frame.loc["E92000001", ["areanm", "year", "median", "mean", "p90"]].tolist() == ["England", 2021, 33777,
                                                                                          42478, 10]  # fmt: skip
    assert pd.isna(frame.loc["E07000178", "p90"]) and frame.loc["E07000178", "median"] == 37462
    assert frame.loc["E07000180", "median_status"] == "x"
    with pytest.raises(DataValidationError, match="no sheet 'Female Full-Time'"):
        read_ashe_table8(tmp_path / "t8.xlsx", "Female Full-Time")


def test_ashe_table8_problems(tmp_path: Path) -> None:
    rows = [["Oxford", "E0700178", 30, 37462], ["Cherwell", "E07000177", 31, "lots"]]
    with pytest.raises(DataValidationError) as caught:
        read_ashe_table8(ashe_table8_book(tmp_path / "t8.xlsx", rows), "Male Full-Time")
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "Code"), (6, "median")]


LE_HEADER = ["Period", "Country", "Area type", "Area code", "Area name", "Sex", "Sex code", "Age group", "Age code",
             "Life expectancy", "Lower confidence interval", "Upper confidence interval"]  # fmt: skip


def life_expectancy_book(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    for line in ("Sheet 1: Life expectancy for local areas", "[note 1]", "This worksheet contains one table.",
                 "Source: Office for National Statistics", "Return to Contents"):  # fmt: skip
        sheet.append([line])
    sheet.append(LE_HEADER)
    for row in rows:
        sheet.append(row)
    return save(book, path)


def test_life_expectancy_table(tmp_path: Path) -> None:
    period = "2021 to 2023"
    rows = [[period, "England", "Local Areas", "E07000178", "Oxford", "Male", 1, "<1", 1, 80.3, 79.7, 80.9],
            [period, "England", "Country", "E92000001", "England", "Female", 2, "<1", 1, 83.1, 83.0, 83.1]]  # fmt: skip
    frame = read_life_expectancy(life_expectancy_book(tmp_path / "le.xlsx", rows))
    assert list(frame["period"]) == ["2021-01-01/P3Y", "2021-01-01/P3Y"]
    assert frame.loc[0, ["value", "lci_95", "uci_95"]].tolist() == [80.3, 79.7, 80.9]


def test_life_expectancy_problems(tmp_path: Path) -> None:
    row = ["2021-2023", "England", "Local Areas", "E07000178", "Oxford", "Male", 1, "<1", 1, "n/a", 79.7, 80.9]
    with pytest.raises(DataValidationError) as caught:
        read_life_expectancy(life_expectancy_book(tmp_path / "le.xlsx", [row, row]))
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(7, "Period"), (7, "Life expectancy"), (8, "Area code")} <= found


def test_iso_period() -> None:
    assert iso_period("2021 to 2023") == "2021-01-01/P3Y"
    assert iso_period("2023 to 2021") is None


CO2_HEADER = ("Year,local-authority-code,official-name,Domestic Total:kt CO2,Total Emissions:kt CO2,Population:000s,"
              "Per Person Emissions:t")  # fmt: skip


def test_la_co2_and_lookup(tmp_path: Path) -> None:
    emissions = tmp_path / "local_authority_emissions.csv"
    rows = ["2020,OXO,Oxford City Council,172.3,532.1,151.584,3.51", "2020,CPCA,Combined Authority,1,2,3,0.6"]
    emissions.write_text("\n".join([CO2_HEADER, *rows]) + "\n", encoding="utf-8")
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("gss-code,local-authority-code\nE07000178,OXO\nS12000045,EDU\nS12000009,EDU\n,XYZ\n",
                      encoding="utf-8")  # fmt: skip
    frame = read_la_co2(emissions)
    assert frame.loc[0, ["year", "la_code", "Per Person Emissions:t"]].tolist() == [2020, "OXO", 3.51]
    assert read_gss_lookup(lookup) == {"OXO": ("E07000178",), "EDU": ("S12000045", "S12000009")}


@pytest.mark.parametrize(
    ("line", "column"),
    [("2020,OXO,Oxford,abc,1,2,3", "Domestic Total:kt CO2"), ("20x0,OXO,Oxford,1,1,2,3", "Year"),
     ("2020,oxo,Oxford,1,1,2,3", "local-authority-code")],
)  # fmt: skip
def test_la_co2_problems(tmp_path: Path, line: str, column: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(f"{CO2_HEADER}\n{line}\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        read_la_co2(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, column)]


def test_la_co2_missing_column_and_truncated_row(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("Year,local-authority-code,official-name\n2020,OXO,Oxford\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="Per Person Emissions:t"):
        read_la_co2(path)
    path.write_text(f"{CO2_HEADER}\n2020,OXO,Oxford,1,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="truncated"):
        read_la_co2(path)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(12.5, (12.5, "")), ("1,234", (1234.0, "")), ("x", (None, "x")), (":", (None, ":")), (None, (None, ""))],
)
def test_cell_number(cell: object, expected: tuple) -> None:
    assert cell_number(cell) == expected


def test_cell_number_rejects_text() -> None:
    with pytest.raises(ValueError):
        cell_number("abc")


# --- the real files -------------------------------------------------------------------------------

RAW = "indicators_raw"


@pytest.mark.integration
def test_real_living_wage(mirror: Path) -> None:
    path = mirror / RAW / "ons_ashe_living_wage" / "PROV - Work Geography LWF Table 7 LWF.1a lwfmgx 2022.xls"
    frame = read_living_wage(path).set_index("areacd")
    # SOURCES.md: Cherwell 9.9 %, Oxford 4.9 %, other three districts suppressed; county 6.1 %, England 12.5 %.
    assert frame.loc[["E07000177", "E07000178", "E10000025", "E92000001"], "pct_below"].tolist() == [9.9, 4.9, 6.1,
                                                                                                     12.5]  # fmt: skip
    assert set(frame.loc[["E07000179", "E07000180", "E07000181"], "status"]) == {"x"}


@pytest.mark.integration
def test_real_life_expectancy(mirror: Path) -> None:
    frame = read_life_expectancy(
        mirror / RAW / "ons_life_expectancy" / "lifeexpectancylocalareas_trimmed_2021to2023.xlsx"
    )
    at_birth = frame[frame["age_group"] == "<1"].drop_duplicates(["areacd", "sex"]).set_index(["areacd", "sex"])
    # SOURCES.md: LE at birth 2021-23, M / F.
    expected = {"E07000177": (80.7, 83.8), "E07000178": (80.3, 83.9), "E07000179": (82.0, 85.8),
                "E07000180": (81.4, 85.5), "E07000181": (81.7, 85.2), "E10000025": (81.3, 84.9),
                "E92000001": (79.1, 83.1)}  # fmt: skip
    for code, (male, female) in expected.items():
        assert (at_birth.loc[(code, "Male"), "value"], at_birth.loc[(code, "Female"), "value"]) == (male, female)


@pytest.mark.integration
def test_real_mysociety_co2(mirror: Path) -> None:
    folder = mirror / RAW / "mysociety_la_co2_emissions"
    lookup = read_gss_lookup(folder / "lookup_gss_to_registry.csv")
    frame = read_la_co2(folder / "local_authority_emissions.csv")
    per_person = frame[frame["year"] == 2020].set_index("la_code")["Per Person Emissions:t"]
    # SOURCES.md: CO2 t/cap 2020, LA-influence subset.
    expected = {"CHR": 5.14, "OXO": 3.51, "SOX": 4.22, "VAL": 4.88, "WOX": 4.40, "OXF": 4.42}
    assert {k: per_person[k] for k in expected} == pytest.approx(expected, abs=0.006)
    assert lookup["OXF"] == ("E10000025",) and lookup["OXO"] == ("E07000178",)


@pytest.mark.integration
def test_real_waste(mirror: Path) -> None:
    frame = read_waste_indicators(mirror / RAW / "defra_waste_recycling" / "LA_and_Regional_Spreadsheet_2021_rev.xlsx")
    latest = frame[frame["year"] == "2020-21"].set_index("areacd")
    assert {"E07000177", "E07000178", "E07000179", "E07000180", "E07000181", "E10000025", "E92000001"} <= set(
        latest.index
    )
    assert latest.loc["E92000001", "recycling_rate"] == pytest.approx(0.423)
    assert set(frame["year"]) == {f"{y}-{str(y + 1)[-2:]}" for y in range(2010, 2021)}
