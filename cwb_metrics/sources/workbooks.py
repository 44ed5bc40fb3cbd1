"""Helpers shared by the adapters of publishers' spreadsheets (and the ELS CSV adapter).

Official workbooks move their header row between editions, put notes above and below
the table, mark suppressed cells with ``x`` or ``:`` and come as XLSX, legacy XLS or
"strict" OOXML. These helpers read any of them with ``python-calamine`` (fast, and the
only reader that opens strict OOXML), find a header row by its content, and turn cells
into numbers or a suppression status, collecting :class:`~cwb_metrics.errors.Problem`
records that name the file, sheet, 1-based row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.models.cells import THOUSANDS, parse_decimal
from cwb_metrics.sources.rawtable import not_a_table

#: Cells that mean "no value" in official tables, and the status written for them.
SUPPRESSION_MARKERS: dict[str, str] = {
    "x": "x",
    "[x]": "x",
    "[c]": "c",
    "c": "c",
    ":": ":",
    "..": ":",
    "[z]": "z",
    "z": "z",
    "-": "-",
    "*": "*",
    "u": "u",
    "[u]": "u",
}
MAX_PROBLEMS = 200

Cell = str | int | float | bool | None
Rows = list[list[Cell]]


#: A GSS area code: a letter and eight ASCII digits (E07000178).
GSS_CODE = re.compile(r"[EKNSW][0-9]{8}", re.ASCII)
#: A cell meant as an area code, right or wrong: letters, then digits (of any script) and spaces.
_CODE_LIKE = re.compile(r"[A-Za-z]{1,3}\s*\d[\d\s]*")


def area_code(cell: Cell) -> tuple[str | None, str | None]:
    """Read a table's area-code cell: ``(code, None)``, ``(None, None)`` or ``(None, problem)``.

    A row whose code cell is blank or plain words (a total, a source note) holds no area
    and is skipped. A cell that looks like a code but is not a GSS code (``E0709990``, a
    code in Arabic-Indic digits) is a problem: skipping it would lose that area's row.
    """
    text = cell_text(cell)
    if GSS_CODE.fullmatch(text):
        return text, None
    if _CODE_LIKE.fullmatch(text):
        return None, f"{text!r} is not a GSS area code (a letter and eight digits 0-9, e.g. E07000178)"
    return None, None


class ProblemCollector:
    """Problems found in one file, capped so that a wholly wrong file does not flood the message."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        """Record one problem (row 1-based, header = row 1 in a CSV; the sheet's own row in a workbook)."""
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, row, column, message))
        elif len(self.items) == MAX_PROBLEMS:
            self.items.append(Problem(self.file, None, None, f"stopped after {MAX_PROBLEMS} problems"))

    def raise_if_any(self) -> None:
        """Raise :class:`DataValidationError` listing every problem, if there are any."""
        if self.items:
            raise DataValidationError(self.items)

    def fail(self, message: str, *, row: int | None = None, column: str | None = None) -> NoReturn:
        """Record one problem that stops the reading, and raise every problem found so far."""
        self.add(message, row=row, column=column)
        self.stop()

    def stop(self) -> NoReturn:
        """Raise :class:`DataValidationError` listing every problem: the reading cannot go on."""
        raise DataValidationError(self.items)


def parse_number(text: str) -> float | None:
    """Parse a published number written as text: blank is ``None``; ``"1,234.5"`` is 1234.5.

    Raises
    ------
    ValueError
        When the text is not a finite number.
    """
    text = text.strip()
    if THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    # One strict parser for every number read from text: no '1_000', no '١٢', no 'nan'.
    return parse_decimal(text)


def cell_text(cell: Cell) -> str:
    """Return a cell as stripped text ("" for empty); whole floats lose their ``.0``."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\u00a0", " ").strip()


def normalise(cell: Cell) -> str:
    """Return a header cell in canonical form: lower case, single spaces, no notes like ``[Note 4]``."""
    text = re.sub(r"\[[^\]]*\]", " ", cell_text(cell))
    return re.sub(r"\s+", " ", text).strip().casefold()


def cell_number(cell: Cell) -> tuple[float | None, str]:
    """Read a numeric cell: ``(number, "")``, ``(None, status)`` when suppressed, ``(None, "")`` when empty.

    Raises
    ------
    ValueError
        When the cell is text that is neither a number nor a suppression marker.
    """
    if cell is None or cell == "":
        return None, ""
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    if isinstance(cell, int | float):
        if not math.isfinite(cell):
            raise ValueError(f"{cell!r} is not a finite number")
        return float(cell), ""
    text = cell_text(cell)
    marker = SUPPRESSION_MARKERS.get(text.lower())
    if marker is not None:
        return None, marker
    return parse_number(text), ""


class Workbook(Mapping[str, Rows]):
    """The sheets of a workbook by name, each read (and kept) the first time it is asked for.

    Searching sheets in order for a table therefore never parses the large sheets after it
    (a fuel poverty workbook's LSOA table is not read when the LA table is wanted).
    """

    def __init__(self, path: Path, book: object) -> None:
        self._path = path
        self._book = book
        self._names: list[str] = list(book.sheet_names)  # type: ignore[attr-defined]
        self._rows: dict[str, Rows] = {}

    def __getitem__(self, name: str) -> Rows:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._rows:
            try:
                sheet = self._book.get_sheet_by_name(name)  # type: ignore[attr-defined]
                self._rows[name] = sheet.to_python(skip_empty_area=False)
            except Exception as error:  # calamine raises its own error types
                problems = ProblemCollector(self._path.name)
                problems.add(f"sheet {name!r} cannot be read ({error}); the file may be truncated")
                problems.raise_if_any()
        return self._rows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def read_workbook(path: str | Path) -> Workbook:
    """Open an XLSX, XLS or strict-OOXML workbook; its sheets are read as lists of cells on demand.

    Raises
    ------
    DataValidationError
        When the file is missing, empty, a web page or other file that is no spreadsheet,
        or cannot be opened as one (or, later, when a sheet asked for cannot be read).
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    problems = ProblemCollector(path.name)
    if not path.is_file():
        problems.add(f"file not found: {path}")
    elif path.stat().st_size == 0:
        problems.add("the file is empty (0 bytes); expected a spreadsheet")
    problems.raise_if_any()
    with open(path, "rb") as handle:
        found = not_a_table(handle.read(2048))
    if found is not None:
        problems.fail(f"the file is {found}, not a spreadsheet: download the file again from the publisher")
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types
        problems.add(f"cannot be read as a spreadsheet ({error}); it may be truncated or not a workbook")
        problems.raise_if_any()
    return Workbook(path, book)


def find_header(rows: Rows, is_header: Callable[[list[str]], bool], *, within: int = 40) -> int | None:
    """Return the 0-based index of the first row (of the first ``within``) that ``is_header`` accepts.

    ``is_header`` gets the row's cells normalised with :func:`normalise`.
    """
    for index, row in enumerate(rows[:within]):
        if is_header([normalise(c) for c in row]):
            return index
    return None


def column_of(header: list[str], matches: Callable[[str], bool]) -> int | None:
    """Return the index of the first normalised header cell that ``matches``, or ``None``."""
    return next((i for i, name in enumerate(header) if matches(name)), None)


def get(row: list[Cell], index: int | None) -> Cell:
    """Return ``row[index]``, or ``None`` when the row is short or the index is ``None``."""
    if index is None or index >= len(row):
        return None
    return row[index]
