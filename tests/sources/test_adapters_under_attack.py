"""Every adapter of an official file, given the malformed files a portal or a hand edit produces (issue 9).

Each adapter reads a hand-written fixture in its publisher's layout (tests/fixtures/README.md)
or a tiny workbook (tests/sources/publisher_books.py); each attack changes one thing in a
copy of it: a renamed or repeated column, a number pandas half-parses (``1_000``,
Arabic-Indic digits, ``12%``, ``1,00``, ``nan``, ``inf``), a repeated row with another
value, a file cut short, an empty file, an XLSX workbook or a portal's HTML error page saved
under the file's name, a Windows-1252 file. Each must be a
:class:`~cwb_metrics.errors.DataValidationError` naming the file (and, for a cell, its row
and column): never another exception, and never a value read as empty.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources import imd
from cwb_metrics.sources.census import read_census_table
from cwb_metrics.sources.edm import read_edm_return
from cwb_metrics.sources.elections import read_ec_local_wards, read_hoc_ge_results
from cwb_metrics.sources.fingertips import read_fingertips_csv
from cwb_metrics.sources.gardens import read_private_outdoor_space
from cwb_metrics.sources.health_index import read_health_index
from cwb_metrics.sources.iod_denominators import read_iod_denominators
from cwb_metrics.sources.iod_summaries import read_iod_summaries
from cwb_metrics.sources.renewables import read_renewable_generation
from cwb_metrics.sources.sdg import read_sdg_csv
from cwb_metrics.sources.similar_areas import read_cluster_allocation, read_neighbours
from tests.sources.publisher_books import edm_book, gardens_book, health_index_book, renewables_book
from tests.sources.test_iod_rates_sources import write_file10_2019

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

HTML_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><title>503 Service Unavailable</title></head>\n'
    b"<body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p>"
    b"</body></html>\n"
)
#: Cells a number column must refuse (never read as empty, never as another number).
BAD_NUMBERS = ["1_000", "\u0661\u0662", "12%", "1,00", "nan", "inf", "0x10", "12 000", "\uff11\uff12"]


def xlsx_bytes(tmp_path: Path) -> bytes:
    """A real workbook, but not the publisher's table: e.g. a report saved over the download."""
    book = openpyxl.Workbook()
    book.active.append(["Report"])
    book.active.append(["Nothing here", 1])
    path = tmp_path / "other.xlsx"
    book.save(path)
    return path.read_bytes()


# ----- CSV adapters ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvCase:
    """An adapter reading a CSV fixture; ``column``/``row``: a number cell to attack (row: the file's line)."""

    fixture: str
    read: Callable[[Path], object]
    column: str
    row: int
    required: str  # a column the adapter needs (renamed by an attack)
    text: str  # a text column (a character outside ASCII goes there)


CSV_CASES: dict[str, CsvCase] = {
    "census": CsvCase("census/census2021-ts037-lsoa.csv", read_census_table,
                      "General health: Bad health", 3, "geography code", "geography"),
    "ec_local_wards": CsvCase("elections/ec_ward_data.csv", read_ec_local_wards,
                              "Electorate", 3, "Ballot papers at the count", "Ward Name"),
    "hoc_ge_results": CsvCase("elections/hoc_ge_results.csv", read_hoc_ge_results,
                              "Electorate", 2, "Valid votes", "Constituency name"),
    "fingertips_api": CsvCase("fingertips/api_export.csv", read_fingertips_csv, "Value", 4, "Area Code", "Area Name"),
    "fingertips_resaved": CsvCase("fingertips/resaved_r.csv", read_fingertips_csv,
                                  "Value", 4, "Area.Code", "Area.Name"),
    "sdg": CsvCase("sdg/indicator_3-9-1_small.csv", read_sdg_csv, "Value", 3, "Year", "Series"),
    "iod_denominators": CsvCase("iod/iod2025_file6_national.csv", lambda p: read_iod_denominators(p, 2025),
                                "Older population aged 60 and over: mid 2022", 3, "Total population: mid 2022",
                                "LSOA name (2021)"),
    "iod_summaries": CsvCase("iod/iod2025_file10_renamed.csv", lambda p: read_iod_summaries(p, 2025),
                             "income_scale", 3, "ltla24_code", "ltla24_name"),
    "cluster_allocation": CsvCase("similar_areas/cluster-allocation.csv", read_cluster_allocation,
                                  "AREACD", 3, "Global", "AREANM"),
}  # fmt: skip
#: Adapters whose attacked column holds codes, not numbers.
CODE_COLUMNS = {"cluster_allocation"}


def _rows(case: CsvCase) -> tuple[list[list[str]], bool]:
    raw = (FIXTURES / case.fixture).read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))), bom


def _write(path: Path, rows: list[list[str]], bom: bool, encoding: str = "utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom and encoding == "utf-8" else b"") + out.getvalue().encode(encoding))
    return path


def _cell(case: CsvCase, tmp_path: Path, value: str) -> Path:
    rows, bom = _rows(case)
    rows[case.row - 1][rows[0].index(case.column)] = value
    return _write(tmp_path / Path(case.fixture).name, rows, bom)


def _refused(read: Callable[[Path], object], path: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as caught:
        read(path)
    assert path.name in str(caught.value), str(caught.value)
    return caught.value


def _names_cell(error: DataValidationError, row: int, column: str) -> bool:
    return any(p.row == row and p.column == column for p in error.problems)


@pytest.fixture(autouse=True)
def _eight_lsoas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imd, "EXPECTED_ROWS", {2019: 8, 2025: 8})


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_the_fixture_itself_is_read(name: str) -> None:
    case = CSV_CASES[name]
    assert len(case.read(FIXTURES / case.fixture)) > 0  # the attacks below start from a good file


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize("name", sorted(set(CSV_CASES) - CODE_COLUMNS))
def test_a_number_pandas_half_parses_is_refused_by_row_and_column(name: str, value: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    error = _refused(case.read, _cell(case, tmp_path, value))
    assert _names_cell(error, case.row, case.column), [str(p) for p in error.problems]


@pytest.mark.parametrize("name", sorted(set(CSV_CASES) - CODE_COLUMNS))
def test_a_thousands_separator_is_read_exactly_or_refused(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    path = _cell(case, tmp_path, "1,234")
    try:
        read = case.read(path)
    except DataValidationError as error:
        assert path.name in str(error) and any(p.row == case.row for p in error.problems), str(error)
        return
    frame = read if isinstance(read, pd.DataFrame) else pd.DataFrame(read)
    numbers = frame.select_dtypes("number").stack()
    assert (numbers == 1234).any()  # read as 1,234: not 1.234, not empty


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_renamed_column_is_named(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    rows, bom = _rows(case)
    rows[0][rows[0].index(case.required)] = "Renamed column"
    _refused(case.read, _write(tmp_path / Path(case.fixture).name, rows, bom))


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_repeated_column_is_refused(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    rows, bom = _rows(case)
    position = rows[0].index(case.column)
    rows[0][(position + 1) % len(rows[0])] = case.column  # the next column now has the same header
    error = _refused(case.read, _write(tmp_path / Path(case.fixture).name, rows, bom))
    assert any(p.row == 1 for p in error.problems), str(error)


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_repeated_row_with_another_value_is_refused(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    rows, bom = _rows(case)
    again = list(rows[case.row - 1])
    column = rows[0].index(case.column)
    again[column] = "E07099999" if name in CODE_COLUMNS else str(float(again[column].replace(",", "") or 0) + 7)
    if name in CODE_COLUMNS:
        again = list(rows[case.row - 1])
        again[rows[0].index("Global")] = "Z"
    rows.append(again)
    error = _refused(case.read, _write(tmp_path / Path(case.fixture).name, rows, bom))
    assert any(p.row == len(rows) for p in error.problems), str(error)


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_file_cut_short_is_refused(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    rows, bom = _rows(case)
    path = _write(tmp_path / Path(case.fixture).name, rows, bom)
    raw = path.read_bytes()
    lines = raw.split(b"\r\n")
    cut = b"\r\n".join(lines[: case.row - 1]) + b"\r\n" + lines[case.row - 1][:12]  # half a row, no newline
    path.write_bytes(cut)
    error = _refused(case.read, path)
    assert any(p.row == case.row for p in error.problems), str(error)


@pytest.mark.parametrize(
    "content", [b"", b"\xef\xbb\xbf", HTML_PAGE, "xlsx"], ids=["empty", "only-a-bom", "html-error-page", "xlsx"]
)
@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_file_that_is_not_the_table_is_named(name: str, content: bytes | str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    path = tmp_path / Path(case.fixture).name
    path.write_bytes(xlsx_bytes(tmp_path) if content == "xlsx" else content)
    error = _refused(case.read, path)
    if content == HTML_PAGE:
        assert "HTML" in str(error), str(error)


@pytest.mark.parametrize("name", sorted(CSV_CASES))
def test_a_file_in_another_encoding_is_named_with_its_row(name: str, tmp_path: Path) -> None:
    case = CSV_CASES[name]
    rows, bom = _rows(case)
    rows[case.row - 1][rows[0].index(case.text)] = "Caf\u00e9 " + rows[case.row - 1][rows[0].index(case.text)]
    error = _refused(case.read, _write(tmp_path / Path(case.fixture).name, rows, bom, encoding="cp1252"))
    assert "UTF-8" in str(error) and any(p.row == case.row for p in error.problems), str(error)


# ----- workbook adapters --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BookCase:
    """An adapter reading a workbook; ``sheet``/``row``/``column``: a number cell to attack (1-based)."""

    write: Callable[[Path], Path]
    read: Callable[[Path], object]
    sheet: str
    row: int
    column: int
    header_row: int


def _edm(path: Path) -> Path:
    rows = [("SP5123406789", 120.5, 14), ("SP5100007000", 3, 1)]
    return edm_book(path, 2022, {"Thames Water": rows, "Anglian Water": rows})  # a company must not vanish


def _gardens(path: Path) -> Path:
    return gardens_book(path, [("E07099901", "Northdale", 1000, 900), ("E07099902", "Southdale", 500, 480)],
                        england=(1500, 1380))  # fmt: skip


def _health(path: Path) -> Path:
    rows = [("E92000001", "ENGLAND", "Country", 116.1, 102.5), ("E07099901", "Northdale", "LTLA", 110.0, 99.0)]
    return health_index_book(path, {2021: rows, 2020: rows})  # a column renamed in one year's sheet is found


def _renewables(path: Path) -> Path:
    return renewables_book(path, {2021: [("E07099901", "Northdale", "England", 1000, {"Photovoltaics": 2500.0}),
                                         ("E07099902", "Southdale", "England", 800, {"Hydro": 10.0})]})  # fmt: skip


BOOK_CASES: dict[str, BookCase] = {
    "edm": BookCase(_edm, read_edm_return, "Thames Water 2022", 3, 9, 2),
    "gardens": BookCase(_gardens, lambda p: read_private_outdoor_space(p, "LAD gardens"), "LAD gardens", 3, 20, 2),
    "health_index": BookCase(_health, read_health_index, "Table_3_2021_Index", 7, 5, 5),
    "renewables": BookCase(_renewables, read_renewable_generation, "LA - Generation, 2021", 5, 5, 4),
    "iod_summaries_book": BookCase(write_file10_2019, lambda p: read_iod_summaries(p, 2019), "Income", 3, 4, 1),
}


def _book(name: str, tmp_path: Path) -> tuple[BookCase, Path, openpyxl.Workbook]:
    case = BOOK_CASES[name]
    path = case.write(tmp_path / f"{name}.xlsx")
    return case, path, openpyxl.load_workbook(path)


@pytest.mark.parametrize("name", sorted(BOOK_CASES))
def test_the_workbook_itself_is_read(name: str, tmp_path: Path) -> None:
    case, path, _ = _book(name, tmp_path)
    assert len(case.read(path)) > 0


@pytest.mark.parametrize("value", BAD_NUMBERS)
@pytest.mark.parametrize("name", sorted(BOOK_CASES))
def test_a_number_written_as_odd_text_in_a_workbook_is_refused(name: str, value: str, tmp_path: Path) -> None:
    case, path, book = _book(name, tmp_path)
    book[case.sheet].cell(case.row, case.column).value = value
    book.save(path)
    error = _refused(case.read, path)
    assert any(p.row == case.row and case.sheet in p.file for p in error.problems), [str(p) for p in error.problems]


@pytest.mark.parametrize("name", sorted(BOOK_CASES))
def test_a_renamed_header_in_a_workbook_is_refused(name: str, tmp_path: Path) -> None:
    case, path, book = _book(name, tmp_path)
    book[case.sheet].cell(case.header_row, case.column).value = "Something else"
    book.save(path)
    _refused(case.read, path)


@pytest.mark.parametrize("name", sorted(BOOK_CASES))
def test_a_repeated_row_with_another_value_in_a_workbook_is_refused(name: str, tmp_path: Path) -> None:
    case, path, book = _book(name, tmp_path)
    sheet = book[case.sheet]
    cells = [c.value for c in sheet[case.row]]
    cells[case.column - 1] = (cells[case.column - 1] or 0) + 7
    sheet.insert_rows(case.row + 1)
    for column, value in enumerate(cells, start=1):
        sheet.cell(case.row + 1, column).value = value
    book.save(path)
    if name == "edm":  # two outlets may share every field: the return lists each overflow as it is
        return
    error = _refused(case.read, path)
    assert any(p.row == case.row + 1 for p in error.problems), [str(p) for p in error.problems]


@pytest.mark.parametrize(
    "content", [b"", HTML_PAGE, b"a,b\n1,2\n", "cut"], ids=["empty", "html-error-page", "csv-text", "cut-short"]
)
@pytest.mark.parametrize("name", sorted(BOOK_CASES))
def test_a_workbook_that_is_not_the_workbook_is_named(name: str, content: bytes | str, tmp_path: Path) -> None:
    case, path, _ = _book(name, tmp_path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2] if content == "cut" else content)
    error = _refused(case.read, path)
    if content == HTML_PAGE:
        assert "HTML" in str(error), str(error)


def test_a_code_cell_that_is_almost_a_code_is_not_skipped(tmp_path: Path) -> None:
    """A mistyped code must not make its area's row vanish (the row would be read as 'no data')."""
    for name, column in (("health_index", 1), ("renewables", 1), ("gardens", 5)):
        case, path, book = _book(name, tmp_path)
        book[case.sheet].cell(case.row, column).value = "E0709990"  # a digit short
        book.save(path)
        error = _refused(case.read, path)
        assert any(p.row == case.row for p in error.problems), (name, [str(p) for p in error.problems])


# ----- the similar-areas lists ----------------------------------------------------------------------------------
def test_a_gap_inside_a_neighbour_list_is_refused(tmp_path: Path) -> None:
    """A blank rank followed by a neighbour would move every later neighbour up one place."""
    path = tmp_path / "global-neighbours.csv"
    path.write_text("AREACD,1,2,3\nE07099901,E07099902,,E10099999\n", encoding="utf-8")
    error = _refused(read_neighbours, path)
    assert _names_cell(error, 2, "2"), [str(p) for p in error.problems]


def test_an_area_listed_twice_in_one_neighbour_list_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "global-neighbours.csv"
    path.write_text("AREACD,1,2,3\nE07099901,E07099902,E07099902,E10099999\n", encoding="utf-8")
    error = _refused(read_neighbours, path)
    assert _names_cell(error, 2, "2"), [str(p) for p in error.problems]


def test_a_repeated_rank_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "global-neighbours.csv"
    path.write_text("AREACD,1,2,2\nE07099901,E07099902,E07099903,E10099999\n", encoding="utf-8")
    error = _refused(read_neighbours, path)
    assert any(p.row == 1 and p.column == "2" for p in error.problems), [str(p) for p in error.problems]
