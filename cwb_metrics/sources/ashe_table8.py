"""ONS ASHE Table 8 (place of residence by local authority): annual gross pay, e.g. Table 8.7a.

One sheet per group of jobs (``All``, ``Male``, ``Female``, ``Full-Time``, ``Male Full-Time``,
``Female Full-Time`` ...). The header row (found by content) reads ``Description, Code,
(thousand), Median, change, Mean, change, 10, 20, 25, 30, 40, 60, 70, 75, 80, 90``: the
number of jobs, the median and mean pay with their annual % change, and percentiles.
Suppressed estimates are ``x`` (kept as missing, with that status). The data year is the
last year in the sheet's title. Rows without a code ("Not Classified") and the notes below
the table are skipped; older editions leave some codes blank, so England's row is then
recognised by its name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.workbooks import (
    ProblemCollector,
    cell_number,
    cell_text,
    find_header,
    get,
    normalise,
    read_workbook,
)

#: Percentiles in Table 8 (columns ``p10`` ... ``p90`` of the frame).
PERCENTILES: tuple[int, ...] = (10, 20, 25, 30, 40, 60, 70, 75, 80, 90)
#: Columns of the frame :func:`read_ashe_table8` returns.
ASHE_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "year", "jobs_thousands", "median", "mean",
                                 *(f"p{p}" for p in PERCENTILES), "median_status")  # fmt: skip
_GSS = re.compile(GSS_CODE_PATTERN)
_YEAR = re.compile(r"\b(20[0-9][0-9]|19[0-9][0-9])\b")
_ENGLAND = ("E92000001", "England")


def _is_header(cells: list[str]) -> bool:
    return cells[:2] == ["description", "code"] and "median" in cells and "mean" in cells


def read_ashe_table8(path: str | Path, sheet: str = "All") -> pd.DataFrame:
    """Read and validate one sheet of an ASHE Table 8 workbook (e.g. 8.7a, annual gross pay).

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (XLS as ONS publishes it, or XLSX).
    sheet : str
        The group of jobs, e.g. ``All``, ``Male Full-Time``, ``Female Full-Time``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ASHE_COLUMNS`; pay columns are float64 pounds (``NaN`` where
        suppressed; ``median_status`` is ``x`` then).

    Raises
    ------
    DataValidationError
        When the sheet or header is missing, or a row has a bad code or number, or a
        code is listed twice.
    """
    path = Path(path)
    sheets = read_workbook(path)
    problems = ProblemCollector(path.name)
    if sheet not in sheets:
        problems.add(f"has no sheet {sheet!r} (sheets: {', '.join(sheets)})")
        problems.raise_if_any()
    rows = sheets[sheet]
    problems = ProblemCollector(f"{path.name} (sheet {sheet})")
    header_index = find_header(rows, _is_header)
    if header_index is None:
        problems.fail("no header row 'Description, Code, ..., Median, ..., Mean' in the first 40 rows")
    header = [normalise(c) for c in rows[header_index]]
    columns = {"jobs_thousands": 2, "median": header.index("median"), "mean": header.index("mean")}
    for percentile in PERCENTILES:
        if str(percentile) not in header:
            problems.add(f"no column for the {percentile}th percentile", row=header_index + 1, column=str(percentile))
        else:
            columns[f"p{percentile}"] = header.index(str(percentile))
    title = " ".join(cell_text(row[0]) for row in rows[:header_index] if row)
    years = _YEAR.findall(title)
    if not years:
        problems.add("the sheet's title names no year (expected e.g. '..., 2021')", row=1)
    problems.raise_if_any()
    records = []
    for offset, row in enumerate(rows[header_index + 1 :]):
        line = header_index + offset + 2
        name, code = cell_text(get(row, 0)), cell_text(get(row, 1))
        if not code and name == _ENGLAND[1]:
            code = _ENGLAND[0]
        if not code:
            continue  # "Not Classified", the UK row of older editions, and the notes below the table
        if not _GSS.match(code):
            problems.add(f"{code!r} is not an area code", row=line, column="Code")
            continue
        record: dict[str, object] = {"areacd": code, "areanm": name, "year": int(years[-1])}
        for key, index in columns.items():
            try:
                record[key], status = cell_number(get(row, index))
            except ValueError:
                problems.add(f"{cell_text(get(row, index))!r} is not a number", row=line, column=key)
                record[key], status = None, ""
            if key == "median":
                record["median_status"] = status
        records.append(record)
    if not records:
        problems.add("the table has a header but no data rows", row=header_index + 1)
    frame = pd.DataFrame.from_records(records, columns=list(ASHE_COLUMNS))
    for code in frame.loc[frame["areacd"].duplicated(), "areacd"]:
        problems.add(f"area code {code} is listed twice", column="Code")
    problems.raise_if_any()
    for column in ASHE_COLUMNS[3:-1]:
        frame[column] = frame[column].astype("float64")
    return frame
