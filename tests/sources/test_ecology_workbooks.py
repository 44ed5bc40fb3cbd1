"""Adapters for the ecological-ceiling workbooks (EA EDM returns, ONS gardens, ONS Health Index, DESNZ renewables).

Hand-made workbooks in each publisher's layout (tests/sources/publisher_books.py), then the
mirror's real files, checked against plain pandas / openpyxl reads and the publishers' own totals.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.edm import EDM_COLUMNS, read_edm_return
from cwb_metrics.sources.gardens import read_private_outdoor_space
from cwb_metrics.sources.health_index import read_health_index
from cwb_metrics.sources.renewables import read_renewable_generation
from tests.sources.publisher_books import edm_book, gardens_book, health_index_book, renewables_book

FOLDER = "indicators_raw/ea_edm_storm_overflows/"
EDM = FOLDER + "EDM {year} Storm Overflow Annual Return - all water and sewerage companies.xlsx"
TRENDS = FOLDER + "EDM Storm Overflow Annual Return - Long-term Trends 2016-2022.xlsx"


# ----- EA EDM storm overflow annual return -------------------------------------------------------------------
def test_edm_rows_locations_and_no_data_markers(tmp_path: Path) -> None:
    path = edm_book(tmp_path / "edm.xlsx", 2022, {
        "Thames Water": [("SP5123406789", 120.5, 14), ("SP 5100 0700", "N/A", "N/A"), ("TBC", 10, 2)],
        "Anglian Water": [("TL 12345 67890", 0, 0), ("TA 12050 808010", "#N/A", "n/a")],
    })  # fmt: skip
    table = read_edm_return(path)
    assert tuple(table.columns) == EDM_COLUMNS
    assert len(table) == 5 and set(table["year"]) == {2022}
    first = table.iloc[0]
    assert (first["company"], first["easting"], first["northing"], first["spills"], first["hours"]) == (
        "Thames Water", 451234.5, 206789.5, 14.0, 120.5)  # fmt: skip
    assert (first["sheet"], first["row"]) == ("Thames Water 2022", 3)
    assert table["spills"].isna().tolist() == [False, True, False, False, True]
    # 'TBC' and the unsplittable 'TA 12050 808010' are kept, unlocated.
    assert table["easting"].isna().tolist() == [False, False, True, False, True]


def test_edm_text_in_a_number_column_is_a_problem(tmp_path: Path) -> None:
    rows = [("SP5123406789", 12, "lots"), ("SP5123406789", -3, 1)]
    path = edm_book(tmp_path / "edm.xlsx", 2021, {"Thames Water": rows})
    with pytest.raises(DataValidationError) as error:
        read_edm_return(path)
    messages = [str(p) for p in error.value.problems]
    assert any("sheet Thames Water 2021), row 3, column 'Counted spills': 'lots'" in m for m in messages)
    assert any("row 4, column 'Total Duration (hrs)': '-3' is negative" in m for m in messages)


def test_edm_without_a_return_sheet_is_a_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["Not an EDM return"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(DataValidationError, match="no sheet has an EDM storm overflow return header"):
        read_edm_return(tmp_path / "other.xlsx")


@pytest.mark.parametrize("year", [2021, 2022])
def test_mirror_edm_england_totals_match_the_ea_headline_tables(mirror: Path, year: int) -> None:
    table = read_edm_return(mirror / EDM.format(year=year))
    trends = openpyxl.load_workbook(mirror / TRENDS, read_only=True)["Long-term trends"]
    rows = [r[1:] for r in trends.iter_rows(values_only=True) if len(r) > 1 and r[1]]  # labels in column B
    header = next(r for r in rows if str(r[0]).startswith("EDM Annual Return: long-term trends"))
    column = [str(c).rstrip("*") for c in header].index(str(year))
    published = {str(r[0]).strip(): r[column] for r in rows if len(r) > column}
    with_data = table[table["spills"].notna()]
    assert len(with_data) == published["Total no. storm overflows with spill data1"]
    spills, hours = (
        published["Total number of monitored spill events2"],
        published["Total duration (hrs) of monitored spill events"],
    )
    assert with_data["spills"].sum() == pytest.approx(spills, rel=1e-4)
    assert with_data["hours"].sum() == pytest.approx(hours, rel=1e-4)
    if year != 2022:
        return
    # Every row with a counted-spills number in the raw sheets, read with plain pandas (and another xlsx reader).
    sheets = pd.read_excel(mirror / EDM.format(year=year), sheet_name=None, header=1, engine="openpyxl")
    raw = 0
    for frame in sheets.values():
        column = next(c for c in frame.columns if str(c).startswith("Counted spills"))
        raw += int(pd.to_numeric(frame[column], errors="coerce").notna().sum())
    assert len(with_data) == raw


# ----- ONS private outdoor space -----------------------------------------------------------------------------
def test_gardens_reads_the_total_group_counts(tmp_path: Path) -> None:
    lads = [("E07099901", "Northdale", 1000, 900), ("E07099902", "Southdale", 500, 480)]
    path = gardens_book(tmp_path / "g.xlsx", lads, england=(2000, 1760))
    lad = read_private_outdoor_space(path, "LAD gardens")
    assert lad.values.tolist() == [["E07099901", "Northdale", 1000.0, 900.0], ["E07099902", "Southdale", 500.0, 480.0]]
    country = read_private_outdoor_space(path, "Country gardens")
    assert country.values.tolist() == [["E92000001", "England", 2000.0, 1760.0]]  # Great Britain has no code


def test_gardens_missing_sheet_is_a_problem(tmp_path: Path) -> None:
    path = gardens_book(tmp_path / "g.xlsx", [], england=(1, 1))
    with pytest.raises(DataValidationError, match="no sheet 'MSOA gardens'"):
        read_private_outdoor_space(path, "MSOA gardens")


def test_mirror_gardens_match_plain_pandas(mirror: Path) -> None:
    path = mirror / "indicators_raw/ons_access_to_gardens/osprivateoutdoorspacereferencetables.xlsx"
    raw = pd.read_excel(path, sheet_name="LAD gardens", header=None, skiprows=2, engine="openpyxl")
    # Columns: 4 = LAD code, 19 = total address count, 20 = total addresses with private outdoor space.
    oxford = raw[raw[4] == "E07000178"].iloc[0]
    read = read_private_outdoor_space(path, "LAD gardens").set_index("areacd")
    assert read.loc["E07000178", ["addresses", "with_outdoor_space"]].tolist() == [oxford[19], oxford[20]]
    # Published percentage with outdoor space (SOURCES.md section 22): Oxford 83.9%.
    assert 100 * oxford[20] / oxford[19] == pytest.approx(83.9, abs=0.05)


# ----- ONS Health Index --------------------------------------------------------------------------------------
def test_health_index_is_read_long_with_one_row_per_area(tmp_path: Path) -> None:
    path = health_index_book(tmp_path / "hi.xlsx", {
        2021: [("E92000001", "ENGLAND", "Country", 116.1, 102.5), ("E06099903", "Riverton", "UTLA", 110.0, 99.0),
               ("E06099903", "Riverton", "LTLA", 110.0, 99.0)],
        2020: [("E92000001", "ENGLAND", "Country", 111.0, 101.0)],
    })  # fmt: skip
    table = read_health_index(path)
    air = table[table["indicator"] == "air pollution"].sort_values(["year", "areacd"])
    assert air[["year", "areacd", "value"]].values.tolist() == [[2020, "E92000001", 111.0], [2021, "E06099903", 110.0],
                                                                  [2021, "E92000001", 116.1]]  # fmt: skip
    assert set(table["indicator"]) == {"healthy people domain", "air pollution", "noise complaints"}


def test_mirror_health_index_matches_plain_pandas(mirror: Path) -> None:
    path = mirror / "indicators_raw/ons_health_index/healthindexscoresengland.xlsx"
    raw = pd.read_excel(path, sheet_name="Table_3_2021_Index", header=4, engine="openpyxl").set_index("Area Code")
    read = read_health_index(path)
    got = read[(read["year"] == 2021) & (read["indicator"] == "air pollution")].set_index("areacd")["value"]
    for code in ("E07000177", "E07000178", "E10000025", "E92000001"):
        assert got[code] == raw.loc[code, "Air pollution [Pl5]"]
    assert got["E07000178"] == 113.5  # SOURCES.md section 21
    assert sorted(read["year"].unique()) == list(range(2015, 2022))


# ----- DESNZ renewable electricity by local authority --------------------------------------------------------
def test_renewables_totals_households_and_suppressed_technologies(tmp_path: Path) -> None:
    path = renewables_book(tmp_path / "r.xlsx", {
        2021: [("E07099901", "Northdale", "England", 1000, {"Photovoltaics": 2500.0, "Onshore Wind": "[X]"}),
               ("S12000033", "Aberdeen City", "Scotland", 500, {"Hydro": 10.0})],
        2020: [("E07099901", "Northdale", "England", 990, {"Photovoltaics": 2000.0})],
    })  # fmt: skip
    table = read_renewable_generation(path).sort_values(["year", "areacd"])
    assert table[["year", "areacd", "households", "total_mwh", "suppressed"]].values.tolist() == [
        [2020, "E07099901", 990.0, 2000.0, ""],
        [2021, "E07099901", 1000.0, 2500.0, "Onshore Wind"],
        [2021, "S12000033", 500.0, 10.0, ""],
    ]


def test_mirror_renewables_match_plain_pandas(mirror: Path) -> None:
    folder = mirror / "indicators_raw/desnz_renewable_electricity"
    path = folder / "Renewable_electricity_by_local_authority_2014-2021_Nov22update.xlsx"
    read = read_renewable_generation(path)
    assert sorted(read["year"].unique()) == list(range(2014, 2022))
    raw = pd.read_excel(path, sheet_name="LA - Generation, 2021", header=6, engine="openpyxl")
    raw = raw.set_index("Local Authority Code [note 1]")
    cherwell = read[(read["year"] == 2021) & (read["areacd"] == "E07000177")].iloc[0]
    assert cherwell["total_mwh"] == pytest.approx(raw.loc["E07000177", "Total"])
    households = next(c for c in raw.columns if str(c).startswith("Estimated number of households"))
    assert cherwell["households"] == raw.loc["E07000177", households]
    suppressed = [c for c in raw.columns[5:-1] if str(raw.loc["E07000177", c]).strip() == "[X]"]
    assert cherwell["suppressed"] == ", ".join(str(c) for c in suppressed)
    assert not math.isnan(cherwell["total_mwh"])
