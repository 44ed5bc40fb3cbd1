"""Environment Agency Event Duration Monitoring (EDM): the storm overflow annual return workbook.

Each year's workbook ("EDM 2022 Storm Overflow Annual Return - all water and sewerage
companies.xlsx") has one sheet per water and sewerage company (``Thames Water 2022`` ...).
Row 1 is a title (``EDM STORM OVERFLOW REGULATORY ANNUAL RETURN 2022``), row 2 the header,
then one row per storm overflow. Columns are found by the start of their header (headers
hold line breaks and change a little between years):

- ``Water Company Name``, ``Site Name (EA Consents Database)``, ``EA Permit Reference``;
- ``Outlet Discharge NGR``: the outlet's Ordnance Survey grid reference (read with
  :func:`cwb_metrics.sources.gridref.parse_grid_reference`; some cells hold two outlets,
  ``TBC``, ``N/A`` or words; those without a usable reference are kept, unlocated);
- ``Total Duration (hrs) all spills prior to processing through 12-24h count method``;
- ``Counted spills using 12-24h count method`` (the EA's count: a spill starts a 12-hour
  block, and every further 24 hours of discharge counts once more).

An overflow "with spill data" has a number in the counted-spills cell; ``N/A``, ``n/a``,
``#N/A`` or blank mean the monitor was not installed or not working (the EA's own
headline tables count the same way: 13,080 overflows with spill data in 2022).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from cwb_metrics.sources.gridref import parse_grid_reference
from cwb_metrics.sources.workbooks import (
    ProblemCollector,
    cell_number,
    cell_text,
    find_header,
    get,
    normalise,
    read_workbook,
)

#: Columns of the frame :func:`read_edm_return` returns.
EDM_COLUMNS: tuple[str, ...] = ("year", "company", "site", "permit", "ngr", "easting", "northing", "spills", "hours",
                                "sheet", "row")  # fmt: skip

_COLUMNS = {
    "company": "water company name",
    "site": "site name (ea consents database)",
    "permit": "ea permit reference",
    "ngr": "outlet discharge ngr",
    "hours": "total duration (hrs) all spills",
    "spills": "counted spills using 12-24h count method",
}
#: Text meaning "no value" in the spill and hour columns.
_NO_VALUE = re.compile(r"^#?\s*n\s*/?\s*a\s*$", re.IGNORECASE)
_YEAR = re.compile(r"\b(20[0-9]{2})\b")


def _is_header(cells: list[str]) -> bool:
    return all(any(c.startswith(start) for c in cells) for start in _COLUMNS.values())


def _partial_header(rows: Sequence[Sequence[object]], label: str, problems: ProblemCollector) -> None:
    """A sheet with most of the return's columns but not all: a renamed column would drop its company silently."""
    for index, row in enumerate(rows[:10]):
        cells = [normalise(c) for c in row]  # type: ignore[arg-type]
        found = {key for key, start in _COLUMNS.items() if any(c.startswith(start) for c in cells)}
        if len(found) >= len(_COLUMNS) // 2:
            missing = ", ".join(repr(_COLUMNS[key]) for key in _COLUMNS if key not in found)
            sheet = ProblemCollector(label)
            sheet.add(f"the header has no column starting {missing}: was it renamed?", row=index + 1)
            problems.items += sheet.items
            return


def _number(cell: object, problems: ProblemCollector, line: int, column: str) -> float:
    text = cell_text(cell)  # type: ignore[arg-type]
    if not text or _NO_VALUE.match(text):
        return np.nan
    try:
        number, _status = cell_number(cell)  # type: ignore[arg-type]
    except ValueError:
        problems.add(f"{text!r} is not a number (expected a number, blank or N/A)", row=line, column=column)
        return np.nan
    if number is None:
        return np.nan
    if number < 0:
        problems.add(f"{text!r} is negative", row=line, column=column)
        return np.nan
    return number


def read_edm_return(path: str | Path) -> pd.DataFrame:
    """Read every company sheet of an EDM storm overflow annual return.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook.

    Returns
    -------
    pandas.DataFrame
        One row per storm overflow, columns :data:`EDM_COLUMNS`: ``year`` (int, from the
        sheet's title or name), ``company``, ``site``, ``permit``, ``ngr`` (the cell as
        published), ``easting`` and ``northing`` (metres, EPSG:27700; ``NaN`` when the
        cell holds no usable grid reference), ``spills`` and ``hours`` (float64; ``NaN``
        when the overflow has no spill data), ``sheet`` and ``row`` (1-based).

    Raises
    ------
    DataValidationError
        Naming the file, sheet, row and column: no sheet with the return's header, a
        year that cannot be found, or a spill or hour cell that is not a number.
    """
    path = Path(path)
    book = read_workbook(path)
    records: list[dict[str, object]] = []
    problems = ProblemCollector(path.name)
    found = False
    for sheet in book:
        rows = book[sheet]
        header_index = find_header(rows, _is_header, within=10)
        if header_index is None:
            _partial_header(rows, f"{path.name} (sheet {sheet})", problems)
            continue
        found = True
        sheet_problems = ProblemCollector(f"{path.name} (sheet {sheet})")
        header = [normalise(c) for c in rows[header_index]]
        index = {key: next(i for i, h in enumerate(header) if h.startswith(start)) for key, start in _COLUMNS.items()}
        titles = " ".join(cell_text(c) for row in rows[:header_index] for c in row) + " " + sheet
        year = _YEAR.search(titles)
        if year is None:
            sheet_problems.add("no year in the title above the header or in the sheet name")
            problems.items += sheet_problems.items
            continue
        for offset, row in enumerate(rows[header_index + 1 :]):
            line = header_index + offset + 2
            if all(cell_text(c) == "" for c in row):
                continue
            ngr = cell_text(get(row, index["ngr"]))
            try:
                point = parse_grid_reference(ngr)
            except ValueError:
                point = None  # kept, unlocated: counted for England but not placed in any area
            records.append({
                "year": int(year[1]),
                "company": cell_text(get(row, index["company"])),
                "site": cell_text(get(row, index["site"])),
                "permit": cell_text(get(row, index["permit"])),
                "ngr": ngr,
                "easting": point[0] if point else np.nan,
                "northing": point[1] if point else np.nan,
                "spills": _number(get(row, index["spills"]), sheet_problems, line, "Counted spills"),
                "hours": _number(get(row, index["hours"]), sheet_problems, line, "Total Duration (hrs)"),
                "sheet": sheet,
                "row": line,
            })  # fmt: skip
        problems.items += sheet_problems.items
    if not found:
        problems.add("no sheet has an EDM storm overflow return header (Water Company Name, Outlet Discharge NGR, "
                     f"Counted spills using 12-24h count method ...); sheets: {', '.join(book)}")  # fmt: skip
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=list(EDM_COLUMNS))
    return frame.astype({"year": "int64", "easting": "float64", "northing": "float64", "spills": "float64",
                         "hours": "float64", "row": "int64"})  # fmt: skip
