"""Validate canonical indicator CSVs: every problem, by row and column, before anything changes.

Used by ``python -m cwb_metrics validate FILE``, by the refresh (on every built indicator)
and by imports. Each row is checked by :class:`cwb_metrics.models.row.IndicatorRow`, the one
strict schema of a data row; this module adds what a single row cannot know: the header,
the file's encoding and shape, unknown areas and indicators, and duplicates (same area,
indicator and period, once periods are in their canonical form).

Reading is done with the ``csv`` module, every cell as text, so that nothing is half-parsed,
row numbers are the file's own line numbers (header = row 1) and a truncated last row is
caught. :func:`parse_canonical_file` returns the validated rows themselves, so an import
stores exactly what was checked.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
from collections.abc import Collection, Iterable, Mapping
from numbers import Real
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from cwb_metrics.errors import Problem, problem
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS, REQUIRED_COLUMNS, IndicatorRow, row_errors

#: Largest canonical file accepted; no real release of one indicator comes near it.
MAX_FILE_BYTES = 25_000_000
#: Columns of a publisher's file that a canonical file may carry and that are ignored.
IGNORED_COLUMNS = ("observation", "measure")
_NUMBER_COLUMNS = ("value", "lci_95", "uci_95")
_MAX_PROBLEMS = 500
_MAX_HEADER_PROBLEMS = 20
#: Signatures of files that are not text: a zip (an .xlsx workbook), an old Excel file, a PDF, parquet.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook or other zip file",
    b"\xd0\xcf\x11\xe0": "an old-style Excel (.xls) file",
    b"%PDF": "a PDF",
    b"PAR1": "a parquet file",
}


def _header_problems(columns: list[str], file: str) -> list[Problem]:
    problems: list[Problem] = []
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            strangers = [c for c in columns if c not in CANONICAL_COLUMNS]
            close = [c for c in strangers if name in c.lower()] or difflib.get_close_matches(name, strangers, n=1)
            hint = f"; found {close[0]!r}: was it renamed?" if close else ""
            problems.append(problem(file, f"required column {name!r} is missing{hint}", row=1, column=name))
    unknown = [c for c in columns if c not in CANONICAL_COLUMNS and c not in IGNORED_COLUMNS]
    for name in unknown[:_MAX_HEADER_PROBLEMS]:
        problems.append(
            problem(file, f"unexpected column {name[:60]!r}; expected {', '.join(CANONICAL_COLUMNS)}", row=1,
                    column=name[:60])
        )  # fmt: skip
    if len(unknown) > _MAX_HEADER_PROBLEMS:
        more = len(unknown) - _MAX_HEADER_PROBLEMS
        problems.append(problem(file, f"... and {more:,} more unexpected columns", row=1))
    counts: dict[str, int] = {}
    for name in columns:
        counts[name] = counts.get(name, 0) + 1
    for name in sorted(n for n, count in counts.items() if count > 1)[:_MAX_HEADER_PROBLEMS]:
        problems.append(problem(file, f"column {name[:60]!r} appears more than once", row=1, column=name[:60]))
    return problems


def _blank(cell: object) -> bool:
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    return isinstance(cell, str) and not cell.strip()


def parse_records(
    header: list[str],
    records: Iterable[tuple[int, list[object]]],
    file: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> tuple[list[IndicatorRow], list[Problem]]:
    """Validate canonical rows with their line numbers; return the valid rows and every problem.

    Parameters
    ----------
    header : list of str
        The header row.
    records : iterable of (line number, fields)
        Data rows as read by ``csv.reader`` (text), or a DataFrame's cells.
    file : str
        The file's name, for messages.
    known_areas : collection of str, optional
        Area codes the project knows; others are reported as unknown.
    catalogue : mapping, optional
        Known indicators; rows for other indicators are reported.
    expected_indicator : str, optional
        When set, every row must be for this indicator.

    Returns
    -------
    tuple
        ``(rows, problems)``: the rows that passed (periods in canonical form) and every
        problem found. Use the rows only when there are no problems.
    """
    columns = [c.strip() for c in header]
    if columns:
        columns[0] = columns[0].removeprefix("\ufeff").strip()
    problems = _header_problems(columns, file)
    if problems:
        return [], problems
    index = {name: columns.index(name) for name in columns if name in CANONICAL_COLUMNS}
    rows: list[IndicatorRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    count = 0
    for line, fields in records:
        if all(_blank(f) for f in fields):
            continue  # an empty line, or one of only commas: nothing to lose
        count += 1
        if len(problems) >= _MAX_PROBLEMS:
            problems.append(problem(file, f"stopped after {_MAX_PROBLEMS} problems", row=line))
            break
        if len(fields) != len(columns):
            kind = "truncated or half-written" if len(fields) < len(columns) else "has extra fields"
            problems.append(problem(file, f"row {kind}: {len(fields)} fields, expected {len(columns)}", row=line))
            continue
        cells = {name: fields[i] for name, i in index.items()}
        try:
            row = IndicatorRow.model_validate(cells)
        except ValidationError as error:
            failed = {column for column, _ in row_errors(error)}
            for column, message in row_errors(error):
                problems.append(problem(file, message, row=line, column=column))
            code = str(cells["areacd"]).strip() if "areacd" not in failed else None
            indicator = str(cells["indicator"]).strip() if "indicator" not in failed else None
            _context(file, line, code, indicator, problems, known_areas, catalogue, expected_indicator)
            continue
        if _context(file, line, row.areacd, row.indicator, problems, known_areas, catalogue, expected_indicator):
            continue
        key = (row.areacd, row.indicator, row.period)
        if key in seen:
            problems.append(
                problem(
                    file,
                    f"duplicate of row {seen[key]} (same area, indicator and period {row.period})",
                    row=line,
                    column="period",
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    if count == 0:
        problems.append(problem(file, "has a header but no data rows", row=None))
    return rows, problems


def _context(
    file: str,
    line: int,
    code: str | None,
    indicator: str | None,
    problems: list[Problem],
    known_areas: Collection[str] | None,
    catalogue: Mapping[str, IndicatorMeta] | None,
    expected_indicator: str | None,
) -> bool:
    """Check what one row cannot know by itself; return True when a problem was added."""
    before = len(problems)
    if code is not None and known_areas is not None and code not in known_areas:
        problems.append(problem(file, f"unknown area code {code!r}", row=line, column="areacd"))
    if indicator is not None:
        if expected_indicator is not None and indicator != expected_indicator:
            problems.append(
                problem(
                    file,
                    f"indicator {indicator!r} but this file is for {expected_indicator!r}",
                    row=line,
                    column="indicator",
                )
            )
        elif catalogue is not None and indicator not in catalogue:
            problems.append(
                problem(
                    file,
                    f"unknown indicator {indicator!r}; add its metadata record first",
                    row=line,
                    column="indicator",
                )
            )
    return len(problems) > before


def validate_records(
    header: list[str],
    records: Iterable[tuple[int, list[object]]],
    file: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate canonical rows given as text, with their line numbers; return every problem.

    See :func:`parse_records`, which also returns the validated rows.
    """
    return parse_records(
        header, records, file, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )[1]


def rows_frame(rows: Iterable[IndicatorRow]) -> pd.DataFrame:
    """The validated rows as a canonical DataFrame (numbers as float64, ``NaN`` where empty)."""
    frame = pd.DataFrame.from_records([row.as_record() for row in rows], columns=list(CANONICAL_COLUMNS))
    for column in _NUMBER_COLUMNS:
        frame[column] = frame[column].astype("float64")
    for column in CANONICAL_COLUMNS:
        if column not in _NUMBER_COLUMNS:
            frame[column] = frame[column].astype(object)
    return frame


def read_canonical_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a file's text for validation: size, emptiness, type and encoding checks first."""
    path = Path(path)
    name = path.name
    if path.is_dir():
        return None, [problem(name, f"{path} is a folder, not a CSV file")]
    if path.exists() and not path.is_file():  # a device or a pipe (/dev/zero) would be read for ever
        return None, [problem(name, f"{path} is not a regular file")]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                problem(
                    name,
                    f"file is {size:,} bytes, far larger than any real release "
                    f"(limit {MAX_FILE_BYTES:,}); is it the right file?",
                )
            ]
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [problem(name, f"file not found: {path}")]
    except OSError as error:
        return None, [problem(name, f"cannot be read ({error.strerror or error}); check it is a readable file")]
    if not raw:
        return None, [problem(name, "file is empty (0 bytes)")]
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            return None, [problem(name, f"is binary ({what}), not a CSV; save it as 'CSV UTF-8 (comma delimited)'")]
    if b"\x00" in raw[:4096]:
        return None, [problem(name, "file is binary (or UTF-16), not a UTF-8 CSV; save it as 'CSV UTF-8'")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            problem(
                name,
                f"is not UTF-8 (byte {raw[error.start]:#x} at position {error.start}); save it as 'CSV UTF-8'",
                row=line,
            )
        ]
    return text, []


def _csv_error(name: str, error: csv.Error, line: int) -> Problem:
    if "field larger than field limit" in str(error):
        limit = csv.field_size_limit()
        return problem(name, f"a cell is longer than {limit:,} characters: is this the right file?", row=line)
    return problem(name, f"is not a readable CSV: {error}", row=line)


def parse_canonical_file(
    path: Path,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read and validate a canonical indicator CSV; return its rows and every problem found.

    Every cell is read as text and parsed by :class:`~cwb_metrics.models.row.IndicatorRow`,
    so the rows returned are exactly the rows checked (periods in canonical form, text
    stripped). When there are problems the frame is empty.
    """
    empty = rows_frame([])
    text, problems = read_canonical_text(path)
    if text is None:
        return empty, problems
    name = Path(path).name
    if not text.endswith(("\n", "\r")):
        last = text.rsplit("\n", 1)[-1]
        problems.append(
            problem(
                name,
                f"the last line does not end with a newline ({last[:40]!r}): the file may be half-written",
                row=text.count("\n") + 1,
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return empty, [problem(name, "file has no header row")]
    except csv.Error as error:
        return empty, [_csv_error(name, error, 1)]
    records: list[tuple[int, list[object]]] = []
    try:
        for fields in reader:
            records.append((reader.line_num, list(fields)))
    except csv.Error as error:
        problems.append(_csv_error(name, error, reader.line_num))
    rows, found = parse_records(
        header, records, name, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )
    problems += found
    return (empty, problems) if problems else (rows_frame(rows), problems)


def validate_canonical_file(
    path: Path,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate a canonical indicator CSV file; return every problem found (empty if valid)."""
    return parse_canonical_file(
        path, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )[1]


def _frame_cell(value: object, column: str) -> object:
    """A DataFrame cell as the row model reads it: numbers as they are, text as text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return None
    if column in _NUMBER_COLUMNS:
        return float(value) if isinstance(value, Real) and not isinstance(value, bool) else value
    return value if isinstance(value, str) else str(value)


def parse_frame(
    frame: pd.DataFrame,
    label: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Validate a canonical DataFrame (e.g. a builder's output); return its checked rows and the problems.

    Row numbers in problems count a header line, as in a CSV (the first row is row 2).
    """
    columns = [str(c) for c in frame.columns]
    records = (
        (i + 2, [_frame_cell(v, c) for v, c in zip(row, columns, strict=True)])
        for i, row in enumerate(frame.astype(object).itertuples(index=False, name=None))
    )
    rows, problems = parse_records(
        columns, records, label, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )
    return (rows_frame([]), problems) if problems else (rows_frame(rows), problems)


def validate_frame(
    frame: pd.DataFrame,
    label: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate a canonical DataFrame (e.g. a builder's output) with the same rules; return every problem."""
    return parse_frame(
        frame, label, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )[1]
