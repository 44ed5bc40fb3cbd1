"""Validate canonical indicator CSVs: every problem, by row and column, before anything changes.

Used by ``python -m cwb_metrics validate FILE``, by the refresh (on every built indicator)
and by imports. Reading is done with the ``csv`` module so that row numbers are the
file's own line numbers (header = row 1) and a truncated last row is caught.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import pandas as pd

from cwb_metrics.errors import Problem, problem
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS, GSS_CODE_PATTERN
from cwb_metrics.periods import PeriodError, parse_period

#: Largest canonical file accepted; no real release of one indicator comes near it.
MAX_FILE_BYTES = 25_000_000
REQUIRED_COLUMNS = ("areacd", "areanm", "geography", "indicator", "period", "value", "unit")
OPTIONAL_COLUMNS = ("lci_95", "uci_95", "status", "notes")
GEOGRAPHIES = {"country", "county", "district", "ward", "neighbourhood", "lsoa", "region"}
_GSS = re.compile(GSS_CODE_PATTERN)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_MAX_PROBLEMS = 500


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


def _check_number(
    text: str, file: str, row: int, column: str, problems: list[Problem], *, required: bool
) -> float | None:
    text = text.strip()
    if text == "":
        if required:
            problems.append(problem(file, "is empty; a number is required", row=row, column=column))
        return None
    if _THOUSANDS.match(text):
        problems.append(
            problem(
                file, f"{text!r} has a thousands separator; write it as {text.replace(',', '')}", row=row, column=column
            )
        )
        return None
    try:
        return _number(text)
    except ValueError:
        problems.append(problem(file, f"{text!r} is not a number", row=row, column=column))
        return None


def validate_records(
    header: list[str],
    records: Iterable[tuple[int, list[str]]],
    file: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate canonical rows given as text, with their line numbers.

    Parameters
    ----------
    header : list of str
        The header row.
    records : iterable of (line number, fields)
        Data rows as read by ``csv.reader``.
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
    list of Problem
        Empty when the rows are valid.
    """
    problems: list[Problem] = []
    columns = [c.strip().lstrip("\ufeff") for c in header]
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            strangers = [c for c in columns if c not in CANONICAL_COLUMNS]
            close = [c for c in strangers if name in c.lower()] or difflib.get_close_matches(name, strangers, n=1)
            hint = f"; found {close[0]!r}: was it renamed?" if close else ""
            problems.append(problem(file, f"required column {name!r} is missing{hint}", row=1, column=name))
    unknown = [c for c in columns if c not in CANONICAL_COLUMNS and c not in ("observation", "measure")]
    for name in unknown:
        problems.append(
            problem(file, f"unexpected column {name!r}; expected {', '.join(CANONICAL_COLUMNS)}", row=1, column=name)
        )
    duplicated = {c for c in columns if columns.count(c) > 1}
    for name in sorted(duplicated):
        problems.append(problem(file, f"column {name!r} appears more than once", row=1, column=name))
    if problems:
        return problems
    index = {name: columns.index(name) for name in columns}
    seen: dict[tuple[str, str, str], int] = {}
    count = 0
    for line, fields in records:
        count += 1
        if len(problems) >= _MAX_PROBLEMS:
            problems.append(problem(file, f"stopped after {_MAX_PROBLEMS} problems", row=line))
            break
        if len(fields) != len(columns):
            kind = "truncated or half-written" if len(fields) < len(columns) else "has extra fields"
            problems.append(problem(file, f"row {kind}: {len(fields)} fields, expected {len(columns)}", row=line))
            continue
        get = {name: fields[i] for name, i in index.items()}
        for name in ("areacd", "areanm", "geography", "indicator", "period", "unit", "status", "notes"):
            text = get.get(name, "")
            if text[:1] in _FORMULA_START and not _is_negative_number(text):
                problems.append(
                    problem(
                        file,
                        f"{text[:30]!r} starts with {text[:1]!r}, which a spreadsheet would "
                        "run as a formula; remove it",
                        row=line,
                        column=name,
                    )
                )
        code = get["areacd"].strip()
        if not _GSS.match(code):
            problems.append(
                problem(
                    file,
                    f"{code!r} is not a GSS area code (a letter and 8 digits, e.g. E07000178)",
                    row=line,
                    column="areacd",
                )
            )
        elif not code.startswith(("E", "K")):
            problems.append(problem(file, f"{code!r} is outside England", row=line, column="areacd"))
        elif known_areas is not None and code not in known_areas:
            problems.append(problem(file, f"unknown area code {code!r}", row=line, column="areacd"))
        if not get["areanm"].strip():
            problems.append(problem(file, "area name is empty", row=line, column="areanm"))
        if get["geography"].strip() not in GEOGRAPHIES:
            problems.append(
                problem(
                    file,
                    f"geography {get['geography']!r} is not one of {sorted(GEOGRAPHIES)}",
                    row=line,
                    column="geography",
                )
            )
        indicator = get["indicator"].strip()
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
        try:
            parse_period(get["period"])
        except PeriodError as error:
            problems.append(problem(file, str(error), row=line, column="period"))
        value = _check_number(get["value"], file, line, "value", problems, required=False)
        lci = _check_number(get.get("lci_95", ""), file, line, "lci_95", problems, required=False)
        uci = _check_number(get.get("uci_95", ""), file, line, "uci_95", problems, required=False)
        if value is None and get["value"].strip() == "" and not get.get("status", "").strip():
            problems.append(
                problem(
                    file,
                    "value is empty; give a value, or a status saying why it is missing (e.g. 'suppressed')",
                    row=line,
                    column="value",
                )
            )
        unit = get["unit"].strip()
        if value is not None and unit in ("%", "percent", "Percentage") and not 0 <= value <= 100:
            problems.append(
                problem(file, f"{value:g} is not a possible percentage (0 to 100)", row=line, column="value")
            )
        if lci is not None and uci is not None and lci > uci:
            problems.append(
                problem(file, f"lower bound {lci:g} is above upper bound {uci:g}", row=line, column="lci_95")
            )
        if value is not None and lci is not None and uci is not None and not lci <= value <= uci:
            problems.append(
                problem(file, f"value {value:g} lies outside its interval [{lci:g}, {uci:g}]", row=line, column="value")
            )
        key = (code, indicator, get["period"].strip())
        if key in seen:
            problems.append(
                problem(
                    file, f"duplicate of row {seen[key]} (same area, indicator and period)", row=line, column="period"
                )
            )
        else:
            seen[key] = line
    if count == 0:
        problems.append(problem(file, "has a header but no data rows", row=None))
    return problems


def _is_negative_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def read_canonical_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a file's text for validation: size, emptiness and encoding checks first."""
    name = Path(path).name
    if not Path(path).is_file():
        return None, [problem(name, f"file not found: {path}")]
    size = Path(path).stat().st_size
    if size == 0:
        return None, [problem(name, "file is empty (0 bytes)")]
    if size > MAX_FILE_BYTES:
        return None, [
            problem(
                name,
                f"file is {size:,} bytes, far larger than any real release "
                f"(limit {MAX_FILE_BYTES:,}); is it the right file?",
            )
        ]
    raw = Path(path).read_bytes()
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


def validate_canonical_file(
    path: Path,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate a canonical indicator CSV file; return every problem found (empty if valid)."""
    text, problems = read_canonical_text(path)
    if text is None:
        return problems
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
        return [problem(name, "file has no header row")]
    except csv.Error as error:
        return [problem(name, f"is not a readable CSV: {error}", row=1)]
    records = []
    try:
        for fields in reader:
            if fields:
                records.append((reader.line_num, fields))
    except csv.Error as error:
        problems.append(problem(name, f"is not a readable CSV: {error}", row=reader.line_num))
    problems += validate_records(
        header, records, name, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )
    return problems


def validate_frame(
    frame: pd.DataFrame,
    label: str,
    *,
    known_areas: Collection[str] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    expected_indicator: str | None = None,
) -> list[Problem]:
    """Validate a canonical DataFrame (e.g. a builder's output) with the same rules."""
    columns = list(frame.columns)
    text = frame.astype(object).where(frame.notna(), "")

    def fmt(value: object) -> str:
        return repr(value) if isinstance(value, float) else str(value)

    records = ((i + 2, [fmt(v) for v in row]) for i, row in enumerate(text.itertuples(index=False, name=None)))
    return validate_records(
        columns, records, label, known_areas=known_areas, catalogue=catalogue, expected_indicator=expected_indicator
    )
