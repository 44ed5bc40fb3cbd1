"""ONS ASHE: employee jobs paid below the Living Wage Foundation rate, by place of work.

The workbook ("Work Geography LWF Table 7 LWF.1a") has one sheet per group of jobs
(``All``, ``Male``, ``Female``, ``Full-Time`` ...). Its header is split over rows: a row
with ``Description`` and ``Code``, and above it the cells ``Jobs`` and ``Per cent`` under
"% earning below Living Wage Foundation rates". Both rows are found by content. The data
year is the last year in the sheet's title. Suppressed estimates are ``x`` (kept as
missing with status ``x``); rows without a code ("Not Classified") and the notes below
the table are skipped. England's row has the code E92000001.
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
    column_of,
    find_header,
    get,
    normalise,
    read_workbook,
)

#: Columns of the frame :func:`read_living_wage` returns.
LIVING_WAGE_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "year", "jobs_below_thousands", "pct_below", "status")
_GSS = re.compile(GSS_CODE_PATTERN)
_YEAR = re.compile(r"\b(20[0-9][0-9])\b")


def _is_header(cells: list[str]) -> bool:
    return "description" in cells and "code" in cells


def read_living_wage(path: str | Path, sheet: str = "All") -> pd.DataFrame:
    """Read and validate one sheet of the ASHE Living Wage Foundation table.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (XLS as ONS publishes it, or XLSX).
    sheet : str
        Which group of jobs: ``All`` (default), ``Male``, ``Female``, ``Full-Time`` ...

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LIVING_WAGE_COLUMNS`; ``pct_below`` and ``jobs_below_thousands``
        are float64 (``NaN`` with ``status`` ``x`` where suppressed).

    Raises
    ------
    DataValidationError
        When the sheet or its columns are missing, or a row has a bad code or number.
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
        problems.fail("no header row with 'Description' and 'Code' in the first 40 rows")
    header = [normalise(c) for c in rows[header_index]]
    code_column = header.index("code")
    name_column = header.index("description")
    pct_column = jobs_column = None
    for above in rows[max(0, header_index - 3) : header_index]:
        cells = [normalise(c) for c in above]
        pct_column = column_of(cells, lambda n: n == "per cent") if pct_column is None else pct_column
        jobs_column = column_of(cells, lambda n: n == "jobs") if jobs_column is None else jobs_column
    if pct_column is None:
        problems.fail("no 'Per cent' column above the header row", row=header_index + 1, column="Per cent")
    title = " ".join(cell_text(c) for row in rows[:header_index] for c in row[:1])
    years = _YEAR.findall(title)
    if not years:
        problems.add("the sheet's title names no year (expected e.g. '..., 2022')", row=1)
        problems.raise_if_any()
    year = int(years[-1])
    records = []
    for offset, row in enumerate(rows[header_index + 1 :]):
        line = header_index + offset + 2
        code = cell_text(get(row, code_column))
        if not code:
            continue  # "Not Classified" and the notes below the table
        if not _GSS.match(code):
            problems.add(f"{code!r} is not an area code", row=line, column="Code")
            continue
        values: dict[str, float | None] = {}
        statuses = []
        for key, column, label in (("pct_below", pct_column, "Per cent"),
                                   ("jobs_below_thousands", jobs_column, "Jobs (thousand)")):  # fmt: skip
            try:
                values[key], status = cell_number(get(row, column))
            except ValueError:
                problems.add(f"{cell_text(get(row, column))!r} is not a number", row=line, column=label)
                values[key], status = None, ""
            statuses.append(status)
        pct = values["pct_below"]
        if pct is not None and not 0 <= pct <= 100:
            problems.add(f"{pct:g} is not a percentage", row=line, column="Per cent")
        records.append({"areacd": code, "areanm": cell_text(get(row, name_column)), "year": year, **values,
                        "status": statuses[0]})  # fmt: skip
    if not records:
        problems.add("the table has a header but no data rows", row=header_index + 1)
    frame = pd.DataFrame.from_records(records, columns=list(LIVING_WAGE_COLUMNS))
    repeated = frame["areacd"].duplicated()
    for code in frame.loc[repeated, "areacd"]:
        problems.add(f"area code {code} is listed twice", column="Code")
    problems.raise_if_any()
    for name in ("jobs_below_thousands", "pct_below"):
        frame[name] = frame[name].astype("float64")
    return frame
