"""The DESNZ sub-regional fuel poverty adapter, on workbooks written here with openpyxl."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.fuel_poverty import FUEL_POVERTY_COLUMNS, read_fuel_poverty

PCT = "Proportion of households fuel poor (%)"
NUMBERS = ["Number of households", "Number of households in fuel poverty", PCT]


def edition_2022(path: Path, *, la_rows: list[list] | None = None) -> Path:
    """Imitate the 2022 tables (2020 data): Table 2 LA with three name columns, Table 3 LSOA 2011."""
    book = Workbook()
    book.active.title = "Contents"
    book["Contents"].append(["Table 2: Fuel poor households by administrative area, 2020"])
    la = book.create_sheet("Table 2")
    la.append(["Table 2: Fuel poor households by administrative area, 2020 [Notes 3 and 4]"])
    la.append([])
    la.append(["Area Codes", "Area names ", None, None, *NUMBERS])
    rows = la_rows or [
        ["E92000001", "ENGLAND", None, None, 23868877, 3158206, 13.231481313511315],
        ["E12000008", "SOUTH EAST", None, None, 3861161, 331687, 8.590343681602503],
        ["E10000025", None, "Oxfordshire ", None, 281588, 22861, 8.118598803926304],
        ["E07000178", None, None, "Oxford", 60193, 6651, 11.049457578123702],
    ]
    for row in rows:
        la.append(row)
    la.append([])
    la.append(["Back to contents"])
    lsoa = book.create_sheet("Table 3")
    lsoa.append(["Table 3: Fuel Poverty by LSOA [Note A], 2020 [Notes 3 and 4]"])
    lsoa.append([])
    lsoa.append(["LSOA Code", "LSOA Name", "LA Code", "LA Name", "Region", *NUMBERS])
    lsoa.append(["E01028513", "Oxford 005A", "E07000178", "Oxford", "South East", 1006, 154, 15.308151093439365])
    lsoa.append(["E01028514", "Oxford 005B", "E07000178", "Oxford", "South East", 595, 105, 17.647058823529413])
    lsoa.append([None, None, None, None, None, None, None, "England"])
    book.save(path)
    return path


def edition_2025(path: Path) -> Path:
    """Imitate the 2025 statistics (2023 data): header on row 4, constituencies on Table 3, LSOAs on Table 4."""
    book = Workbook()
    book.active.title = "Title"
    book["Title"].append(["Sub-regional fuel poverty statistics 2025"])
    la = book.create_sheet("Table 2")
    la.append(["Table 2: Fuel poor households in England by Local Authority, 2023"])
    la.append(["This worksheet contains one table."])
    la.append([])
    la.append(["Local Authority code", "Nation or Region", "County or Unitary Authority", "Local Authority District",
               *NUMBERS])  # fmt: skip
    la.append(["E92000001", "ENGLAND", None, None, 24568372, 2801647, 11.4])
    la.append(["E10000025", "SOUTH EAST", "Oxfordshire ", None, 304355, 29208, 9.6])
    la.append(["E07000178", "SOUTH EAST", "Oxfordshire ", "Oxford", 58543, 6669, 11.39])
    constituencies = book.create_sheet("Table 3")
    constituencies.append(["Table 3: Fuel Poverty in England by Parliamentary Constituency, 2023"])
    constituencies.append(["Parliamentary Constituency Code", "Nation or Region", "Parliamentary Constituency",
                           *NUMBERS])  # fmt: skip
    constituencies.append(["E14001101", "NORTH EAST", "Bishop Auckland", 44262, 5504, 12.44])
    lsoa = book.create_sheet("Table 4")
    lsoa.append(["Table 4: Fuel Poverty in England by Lower layer Super Output Area (LSOA), 2023"])
    lsoa.append([])
    lsoa.append(["LSOA Code", "LSOA Name", "Local Authority Code", "Local Authority Name", "Region", *NUMBERS])
    lsoa.append(["E01028513", "Oxford 005A", "E07000178", "Oxford", "South East", 975, 109, 11.18])
    book.save(path)
    return path


def test_la_table_of_the_2022_edition(tmp_path: Path) -> None:
    frame = read_fuel_poverty(edition_2022(tmp_path / "fp2022.xlsx"), "la")
    assert tuple(frame.columns) == FUEL_POVERTY_COLUMNS
    by_code = frame.set_index("areacd")
    assert by_code.loc["E10000025", "areanm"] == "Oxfordshire"
    assert by_code.loc["E07000178", "areanm"] == "Oxford"
    assert by_code["geography"].to_dict() == {
        "E92000001": "country", "E12000008": "region", "E10000025": "county", "E07000178": "lad"}  # fmt: skip
    assert by_code.loc["E07000178", "households"] == 60193
    assert by_code.loc["E07000178", "fuel_poor_households"] == 6651
    assert by_code.loc["E07000178", "fuel_poor_pct"] == pytest.approx(11.05, abs=0.01)
    assert set(frame["year"]) == {2020}


def test_lsoa_table_of_the_2022_edition(tmp_path: Path) -> None:
    frame = read_fuel_poverty(edition_2022(tmp_path / "fp2022.xlsx"), "lsoa")
    assert list(frame["areacd"]) == ["E01028513", "E01028514"]
    assert set(frame["geography"]) == {"lsoa"} and set(frame["la_code"]) == {"E07000178"}
    assert set(frame["year"]) == {2020}


def test_2025_edition_header_row_and_table_numbers_differ(tmp_path: Path) -> None:
    path = edition_2025(tmp_path / "fp2025.xlsx")
    la = read_fuel_poverty(path, "la").set_index("areacd")
    assert la.loc["E07000178", "fuel_poor_pct"] == 11.39
    assert la.loc["E07000178", "areanm"] == "Oxford"
    assert la.loc["E10000025", "areanm"] == "Oxfordshire"
    assert set(la["year"]) == {2023}
    lsoa = read_fuel_poverty(path, "lsoa")  # Table 4, not the constituencies on Table 3
    assert list(lsoa["areacd"]) == ["E01028513"] and lsoa["year"].item() == 2023


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["E0700017", None, None, "Oxford", 60193, 6651, 11.05], "code", "not an area code"),
        ([None, None, None, "Oxford", 60193, 6651, 11.05], "code", "not an area code"),
        (["E07000178", None, None, "Oxford", "many", 6651, 11.05], "Number of households", "not a number"),
        (["E07000178", None, None, "Oxford", 6000, 6651, 11.05], "Number of households in fuel poverty", "out of"),
        (["E07000178", None, None, "Oxford", 60193, 6651, 31.05], PCT, "does not match"),
        (["E07000178", None, None, None, 60193, 6651, 11.05], "name", "blank"),
    ],
)
def test_bad_rows_are_reported_with_sheet_row_and_column(tmp_path: Path, row: list, column: str, words: str) -> None:
    path = edition_2022(tmp_path / "bad.xlsx", la_rows=[["E92000001", "ENGLAND", None, None, 100, 10, 10.0], row])
    with pytest.raises(DataValidationError) as caught:
        read_fuel_poverty(path, "la")
    (only,) = caught.value.problems
    assert only.file == "bad.xlsx (sheet Table 2)"
    assert (only.row, only.column) == (5, column)
    assert words in only.message


def test_duplicate_code(tmp_path: Path) -> None:
    row = ["E07000178", None, None, "Oxford", 60193, 6651, 11.05]
    with pytest.raises(DataValidationError, match="listed twice"):
        read_fuel_poverty(edition_2022(tmp_path / "dup.xlsx", la_rows=[row, row]), "la")


def test_workbook_without_the_table(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Region", *NUMBERS])
    book.save(tmp_path / "regions.xlsx")
    with pytest.raises(DataValidationError, match="no sheet has a local-authority table"):
        read_fuel_poverty(tmp_path / "regions.xlsx", "la")


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated zip"])
def test_empty_or_truncated_workbook(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(DataValidationError) as caught:
        read_fuel_poverty(path, "la")
    assert caught.value.problems[0].file == "broken.xlsx"


# --- the real files ------------------------------------------------------------------------------

FP = "indicators_raw/desnz_fuel_poverty"
EDITIONS = {
    "sub-regional-fuel-poverty-2022-tables.xlsx": (2020, 407),
    "sub-regional-fuel-poverty-tables-2023-2021-data.xlsx": (2021, 428),
    "Sub-regional_fuel_poverty_statistics_2023.xlsx": (2023, 428),
}
OXON = {"E10000025", "E07000177", "E07000178", "E07000179", "E07000180", "E07000181"}


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_real_editions(mirror: Path, name: str) -> None:
    year, oxon_lsoas = EDITIONS[name]
    la = read_fuel_poverty(mirror / FP / name, "la")
    assert set(la["year"]) == {year}
    assert OXON | {"E92000001"} <= set(la["areacd"])
    lsoa = read_fuel_poverty(mirror / FP / name, "lsoa")
    assert (lsoa["la_code"].isin(OXON)).sum() == oxon_lsoas  # SOURCES.md: 407 LSOA11 / 428 LSOA21 in Oxfordshire
    assert len(lsoa) > 32_000


@pytest.mark.integration
def test_fuel_poverty_2023_matches_published_values(mirror: Path) -> None:
    la = read_fuel_poverty(mirror / FP / "Sub-regional_fuel_poverty_statistics_2023.xlsx", "la")
    pct = la.set_index("areacd")["fuel_poor_pct"]
    # SOURCES.md quick cross-check values (fuel poor 2023 %).
    expected = {"E07000177": 8.97, "E07000178": 11.39, "E07000179": 9.32, "E07000180": 8.67, "E07000181": 9.84,
                "E10000025": 9.60, "E92000001": 11.4}  # fmt: skip
    assert {code: pct[code] for code in expected} == pytest.approx(expected, abs=0.005)
