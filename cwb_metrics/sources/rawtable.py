"""Read a publisher's table (CSV, gzipped CSV or XLSX) as text, and check it column by column.

The adapters in :mod:`cwb_metrics.sources` read files whose headers and number formats
vary between releases and exports: a UTF-8 byte-order mark, quoted thousands separators
(``"29,199"``), floats (``29199.00``), gzip, or the original spreadsheet with a notes sheet
in front. :func:`read_raw_table` hides those differences; :class:`ProblemList` and the
``check_*`` helpers turn bad cells into :class:`~cwb_metrics.errors.Problem` records that
name the file, the 1-based row (header = row 1) and the column.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cwb_metrics.errors import DataValidationError, Problem

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
    """

    frame: pd.DataFrame
    file: str
    header_row: int = 1

    def row_numbers(self, mask: pd.Series | np.ndarray) -> list[int]:
        """Return the 1-based file row numbers of the rows selected by ``mask``."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        return [int(p) + self.header_row + 1 for p in positions]


def _fail(file: str, message: str) -> DataValidationError:
    return DataValidationError([Problem(file, None, None, message)])


def _sniff(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4)


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
        When the file is empty, truncated, not a table, or has no recognisable header.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise _fail(name, f"the file {path} does not exist")
    if path.stat().st_size == 0:
        raise _fail(name, f"the file is empty (0 bytes); expected {what}")
    magic = _sniff(path)
    if magic.startswith(_ZIP_MAGIC):
        return _read_xlsx(path, is_header=is_header, what=what)
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            compression="gzip" if magic.startswith(_GZIP_MAGIC) else None,
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        raise _fail(name, f"the file has no header and no rows; expected {what}") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise _fail(name, f"the file is truncated or corrupt ({error}); download it again") from None
    except UnicodeDecodeError as error:
        raise _fail(name, f"the file is not UTF-8 text ({error}); expected {what} as CSV or XLSX") from None
    except pd.errors.ParserError as error:
        raise _fail(name, f"the file is not a well-formed CSV ({error})") from None
    if not is_header([normalise_header(c) for c in frame.columns]):
        raise _fail(name, f"the first row is not {what}'s header row (found: {_preview(frame.columns)})")
    return RawTable(frame, name, header_row=1)


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
                frame = pd.DataFrame(body, columns=header, dtype=object)
                frame = frame.replace({"": np.nan})
                return RawTable(frame, f"{name} (sheet {sheet_name})", header_row=index + 1)
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
    """Parse numbers written as ``29199``, ``"29,199"``, ``29199.00`` or spreadsheet floats.

    Returns
    -------
    numbers : pandas.Series
        float64, ``NaN`` where blank or unreadable.
    blank : pandas.Series
        bool, True where the cell is empty.
    invalid : pandas.Series
        bool, True where the cell is not empty but not a number.
    """
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        # A spreadsheet column of numbers.
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        blank = values.isna()
    else:
        text = values.astype("string").str.strip().str.replace(",", "", regex=False)
        blank = (text.isna() | text.eq("")).fillna(True).astype(bool)
        numbers = _to_float(text.mask(blank, None))
    blank = pd.Series(np.asarray(blank, dtype=bool), index=values.index)
    invalid = numbers.isna() & ~blank
    return numbers, blank, invalid


def _to_float(text: pd.Series) -> pd.Series:
    """Cast text to float64 with Arrow (fast); fall back to pandas when some cells are not numbers."""
    try:
        cast = pc.cast(pa.array(text, type=pa.string(), from_pandas=True), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return pd.to_numeric(text, errors="coerce").astype("float64")
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def text_column(values: pd.Series) -> pd.Series:
    """Return a column as stripped pandas strings, with blanks as missing."""
    text = values.astype("string").str.strip()
    return text.mask(text.eq(""), pd.NA)


def check_codes(
    problems: ProblemList, table: RawTable, codes: pd.Series, column: str, pattern: str, what: str
) -> pd.Series:
    """Record rows whose code is blank or does not match ``pattern``; return the bad-row mask."""
    bad = ~codes.fillna("").str.fullmatch(pattern).astype(bool)
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
