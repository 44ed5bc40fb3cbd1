"""Read a publisher's table (CSV, gzipped CSV or XLSX) as text, and check it column by column.

The adapters in :mod:`cwb_metrics.sources` read files whose headers and number formats
vary between releases and exports: a UTF-8 byte-order mark, quoted thousands separators
(``"29,199"``), floats (``29199.00``), gzip, or the original spreadsheet with a notes sheet
in front. :func:`read_raw_table` hides those differences; :class:`ProblemList` and the
``check_*`` helpers turn bad cells into :class:`~cwb_metrics.errors.Problem` records that
name the file, the 1-based row (header = row 1) and the column.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.models.cells import DECIMAL, THOUSANDS

#: How many rows are named for one kind of problem before the rest are summed up.
MAX_ROWS_PER_CHECK = 10

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


def normalise_header(text: object) -> str:
    """Return a header in a canonical form: case-folded, ``_`` as spaces, whitespace collapsed."""
    value = str(text).replace("\ufeff", "").replace("\u00a0", " ").replace("_", " ")
    return re.sub(r"\s+", " ", value).strip().casefold()


@dataclass
class RawTable:
    """A table read as text, with where its rows sit in the original file.

    Attributes
    ----------
    frame : pandas.DataFrame
        The data rows, with the file's own headers; cells are text or, from a
        spreadsheet, numbers. Missing cells are ``NaN``.
    file : str
        The file's base name, as problems name it.
    header_row : int
        1-based row number of the header in the file (1 for CSV).
    lines : numpy.ndarray, optional
        The 1-based file row of each data row, where blank lines were left out (a CSV);
        ``None`` when the data rows follow the header one after another.
    """

    frame: pd.DataFrame
    file: str
    header_row: int = 1
    lines: np.ndarray | None = None

    def row_numbers(self, mask: pd.Series | np.ndarray) -> list[int]:
        """Return the 1-based file row numbers of the rows selected by ``mask``."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if self.lines is not None:
            return [int(self.lines[p]) for p in positions]
        return [int(p) + self.header_row + 1 for p in positions]

    def line(self, position: int) -> int:
        """The 1-based file row of the data row at ``position`` (0-based)."""
        return int(self.lines[position]) if self.lines is not None else position + self.header_row + 1


def _fail(file: str, message: str) -> DataValidationError:
    return DataValidationError([Problem(file, None, None, message)])


def _sniff(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4)


#: Signatures of files that are no table: what each is, for the message.
_NOT_TABLES = {b"%PDF": "a PDF document", b"PAR1": "a parquet file", b"\x89PNG": "a PNG image"}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # a legacy Excel (.xls) workbook, which the spreadsheet reader opens


def not_a_table(head: bytes) -> str | None:
    """What a file is when its first bytes show it is no table at all (``None``: it may be one).

    Finds a web page (a portal's error or sign-in page saved under the file's name), a PDF,
    parquet or an image, from the first kilobyte or so of the file.

    Examples
    --------
    >>> not_a_table(b"<!DOCTYPE html><html><title>503</title>")
    'a web page (HTML), perhaps an error or sign-in page saved under this name'
    """
    for signature, what in _NOT_TABLES.items():
        if head.startswith(signature):
            return what
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in text[:1024]
    ):
        return "a web page (HTML), perhaps an error or sign-in page saved under this name"
    return None


def _not_a_table_error(name: str, what_it_is: str, what: str) -> DataValidationError:
    return _fail(name, f"the file is {what_it_is}, not {what}: download the file again from the publisher")


def read_raw_table(path: Path, *, is_header: Callable[[list[str]], bool], what: str) -> RawTable:
    """Read a CSV (plain or gzipped) or an XLSX file into a :class:`RawTable` of text.

    Parameters
    ----------
    path : pathlib.Path
        The file. Its format is found from its first bytes, not its name.
    is_header : callable
        Given a row's normalised cells, says whether it is the header row. In a
        spreadsheet, the first sheet with such a row in its first 20 rows is read, so
        ``Notes`` and ``Terms & Conditions`` sheets are skipped.
    what : str
        What the file should be, for messages (e.g. "IoD2019 File 2").

    Returns
    -------
    RawTable

    Raises
    ------
    DataValidationError
        When the file is empty, truncated (a row with fewer cells than the header), not a
        table (a web page, a PDF), not UTF-8 (naming the row), has a column header twice,
        or has no recognisable header.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise _fail(name, f"the file {path} does not exist")
    if path.stat().st_size == 0:
        raise _fail(name, f"the file is empty (0 bytes); expected {what}")
    magic = _sniff(path)
    if magic.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        return _read_xlsx(path, is_header=is_header, what=what)
    raw = path.read_bytes()
    if magic.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (EOFError, gzip.BadGzipFile, zlib.error) as error:
            raise _fail(name, f"the file is truncated or corrupt ({error}); download it again") from None
    return read_csv_bytes(raw, name, is_header=is_header, what=what)


def read_csv_bytes(raw: bytes, name: str, *, is_header: Callable[[list[str]], bool], what: str) -> RawTable:
    """Read a CSV held in memory (a file's bytes, or a member of a zip) into a :class:`RawTable` of text.

    Every cell is read as text; see :func:`read_raw_table` for what is refused.
    """
    found = not_a_table(raw[:2048])
    if found is not None:
        raise _not_a_table_error(name, found, what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start : error.start + 1].hex()
        message = f"the file is not UTF-8 text (byte 0x{byte} in row {line}); save it as UTF-8, or download it again"
        raise DataValidationError([Problem(name, line, None, message)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as error:
        raise DataValidationError(
            [Problem(name, reader.line_num, None, f"the file is not a well-formed CSV ({error})")]
        ) from None
    if not rows:
        raise _fail(name, f"the file has no header and no rows; expected {what}")
    header, header_line = rows[0], lines[0]
    if not is_header([normalise_header(c) for c in header]):
        raise DataValidationError(
            [Problem(name, header_line, None, f"the first row is not {what}'s header row (found: {_preview(header)})")]
        )
    problems = ProblemList(name)
    _check_header(problems, header, header_line)
    width = len(header)
    for row, line in zip(rows[1:], lines[1:], strict=True):
        if len(row) < width:  # a row cut short: its missing cells must not read as blanks
            problems.add(
                f"the row has {len(row)} cells, but the header has {width}: the file is cut short or the row "
                "lost cells; download the file again",
                row=line,
            )
        elif len(row) > width and any(cell.strip() for cell in row[width:]):
            problems.add(f"the row has {len(row)} cells, but the header has {width}", row=line)
        if len(problems.problems) >= MAX_ROWS_PER_CHECK:
            break
    problems.raise_if_any()
    frame = pd.DataFrame([row[:width] for row in rows[1:]], columns=header, dtype=object)
    if frame.empty:
        frame = pd.DataFrame(columns=header, dtype=object)
    return RawTable(frame, name, header_row=header_line, lines=np.asarray(lines[1:], dtype=np.int64))


def _check_header(problems: ProblemList, header: Sequence[object], row: int) -> None:
    """Record every column header given twice (a repeated header makes the column ambiguous)."""
    seen: set[str] = set()
    for cell in header:
        label = normalise_header("" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else cell)
        if label and label in seen:
            problems.add(f"the column {str(cell).strip()!r} appears twice in the header", row=row,
                         column=str(cell).strip())  # fmt: skip
        seen.add(label)


def _preview(cells: Iterable[object], limit: int = 6) -> str:
    values = [str(c) for c in list(cells)[:limit]]
    return ", ".join(repr(v) for v in values) + (", ..." if len(list(cells)) > limit else "")


def _read_xlsx(path: Path, *, is_header: Callable[[list[str]], bool], what: str) -> RawTable:
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own error types
        raise _fail(name, f"the spreadsheet cannot be opened ({error}); it may be truncated") from None
    for sheet_name in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as error:
            raise _fail(name, f"sheet {sheet_name!r} cannot be read ({error})") from None
        for index, row in enumerate(rows[:20]):
            if is_header([normalise_header(c) for c in row]):
                header = [str(c).strip() for c in row]
                body = [r for r in rows[index + 1 :]]
                while body and all(c in ("", None) for c in body[-1]):
                    body.pop()
                label = f"{name} (sheet {sheet_name})"
                problems = ProblemList(label)
                _check_header(problems, header, index + 1)
                problems.raise_if_any()
                frame = pd.DataFrame(body, columns=header, dtype=object)
                frame = frame.replace({"": np.nan})
                return RawTable(frame, label, header_row=index + 1)
    raise _fail(name, f"no sheet has {what}'s header row (sheets: {', '.join(workbook.sheet_names)})")


@dataclass
class ProblemList:
    """Problems found in one file, collected before raising them all at once."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.file, row, column, message))

    def add_rows(
        self,
        table: RawTable,
        mask: pd.Series | np.ndarray,
        column: str,
        message: str,
        values: pd.Series | None = None,
    ) -> None:
        """Record one problem per selected row (the first few), then a count of the rest.

        When ``values`` is given, each row's message starts with the offending cell.
        """
        selected = np.asarray(mask, dtype=bool)
        rows = table.row_numbers(selected)
        cells = list(values[selected][:MAX_ROWS_PER_CHECK]) if values is not None else []
        for position, row in enumerate(rows[:MAX_ROWS_PER_CHECK]):
            cell = cells[position] if position < len(cells) else None
            shown = "" if cell is None or (not isinstance(cell, str) and pd.isna(cell)) else f"{str(cell).strip()!r}: "
            self.add(shown + message, row=row, column=column)
        if len(rows) > MAX_ROWS_PER_CHECK:
            self.add(f"... and {len(rows) - MAX_ROWS_PER_CHECK:,} more rows: {message}", column=column)

    def raise_if_any(self) -> None:
        """Raise :class:`DataValidationError` listing every problem, if there are any."""
        if self.problems:
            raise DataValidationError(self.problems)

    def stop(self) -> NoReturn:
        """Raise :class:`DataValidationError` listing every problem: the reading cannot go on."""
        raise DataValidationError(self.problems)


def find_column(headers: list[str], matches: Callable[[str], bool]) -> list[str]:
    """Return the original headers whose normalised form satisfies ``matches``."""
    return [h for h in headers if matches(normalise_header(h))]


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse numbers written as ``29199``, ``"29,199"``, ``29199.00``, ``1.2e3`` or spreadsheet numbers.

    Text is read exactly as the single strict parser reads it
    (:func:`cwb_metrics.models.cells.parse_decimal`): ASCII digits, an optional sign, point
    and exponent, and thousands separators only where they belong (``1,234,567``).
    Anything else is *invalid*, never read as empty or as another number: ``1_000``,
    Arabic-Indic or full-width digits, ``12%``, ``1,00``, ``12 000``, ``nan``, ``inf``,
    ``0x10``, and infinite spreadsheet numbers.

    Returns
    -------
    numbers : pandas.Series
        float64, ``NaN`` where blank or invalid.
    blank : pandas.Series
        bool, True where the cell is empty.
    invalid : pandas.Series
        bool, True where the cell is not empty but not a number.
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        # A spreadsheet column of numbers.
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        blank = pd.Series(np.asarray(values.isna(), dtype=bool), index=values.index)
        invalid = ~blank & ~np.isfinite(numbers.to_numpy())
        return numbers.where(~invalid), blank, pd.Series(np.asarray(invalid, dtype=bool), index=values.index)
    text = values.astype("string").str.strip()
    blank = pd.Series(np.asarray((text.isna() | text.eq("")).fillna(True), dtype=bool), index=values.index)
    plain = text.str.fullmatch(DECIMAL.pattern).fillna(False).astype(bool)
    grouped = text.str.fullmatch(THOUSANDS.pattern).fillna(False).astype(bool)
    ascii_only = text.map(lambda t: t.isascii() if isinstance(t, str) else True).astype(bool)
    readable = (plain | grouped) & ascii_only & ~blank
    cleaned = text.where(readable).str.replace(",", "", regex=False)
    numbers = _to_float(cleaned)
    invalid = ~blank & (~readable | ~np.isfinite(numbers.fillna(0).to_numpy()))
    invalid = pd.Series(np.asarray(invalid, dtype=bool), index=values.index)
    return numbers.where(~invalid), blank, invalid


def _to_float(text: pd.Series) -> pd.Series:
    """Cast checked decimal text (or missing) to float64 with Arrow (fast)."""
    cast = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def text_column(values: pd.Series) -> pd.Series:
    """Return a column as stripped pandas strings, with blanks as missing."""
    text = values.astype("string").str.strip()
    return text.mask(text.eq(""), pd.NA)


def check_codes(
    problems: ProblemList, table: RawTable, codes: pd.Series, column: str, pattern: str, what: str
) -> pd.Series:
    """Record rows whose code is blank or does not match ``pattern``; return the bad-row mask."""
    text = codes.fillna("")
    bad = ~(text.str.fullmatch(pattern).astype(bool) & text.map(str.isascii).astype(bool))
    if bad.any():
        problems.add_rows(table, bad, column, f"not {what} (expected a code matching {pattern})", codes)
    return bad


def check_unique(problems: ProblemList, table: RawTable, codes: pd.Series, column: str) -> None:
    """Record every repeated code (each row after the first)."""
    repeated = codes.notna() & codes.duplicated(keep="first")
    if repeated.any():
        problems.add_rows(table, repeated, column, "code listed twice; each must appear once", codes)


def check_integers(
    problems: ProblemList,
    table: RawTable,
    values: pd.Series,
    column: str,
    *,
    low: int,
    high: int,
    what: str,
    required: bool = True,
) -> pd.Series:
    """Parse a column of whole numbers in ``low..high``; record bad cells; return ``Int64``."""
    numbers, blank, invalid = parse_numbers(values)
    if required and blank.any():
        problems.add_rows(table, blank, column, f"blank {what}; the file may be truncated")
    if invalid.any():
        problems.add_rows(table, invalid, column, f"{what} is not a number", values)
    fractional = numbers.notna() & (numbers % 1 != 0)
    if fractional.any():
        problems.add_rows(table, fractional, column, f"{what} is not a whole number", values)
    outside = numbers.notna() & ~fractional & ((numbers < low) | (numbers > high))
    if outside.any():
        problems.add_rows(table, outside, column, f"{what} is outside {low:,}..{high:,}", values)
    keep = numbers.where(~fractional & ~outside)
    return keep.round().astype("Int64")


def check_floats(problems: ProblemList, table: RawTable, values: pd.Series, column: str, *, what: str) -> pd.Series:
    """Parse a column of decimal numbers (blanks allowed); record unreadable cells; return ``Float64``."""
    numbers, _blank, invalid = parse_numbers(values)
    if invalid.any():
        problems.add_rows(table, invalid, column, f"{what} is not a number", values)
    return numbers.astype("Float64")


def check_row_count(problems: ProblemList, found: int, expected: int | None, what: str) -> None:
    """Record a problem when a file has not the expected number of data rows."""
    if expected is None or found == expected:
        return
    hint = "the file looks truncated" if found < expected else "the file has extra rows"
    problems.add(f"expected {expected:,} data rows ({what}), found {found:,}: {hint}")
