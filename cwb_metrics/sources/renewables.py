"""DESNZ (BEIS) Energy Trends: renewable electricity by local authority, one sheet per year.

The workbook ("Renewable electricity by local authority 2014 - 2021") has sheets
``LA - Sites YYYY``, ``LA - Capacity, YYYY`` and ``LA - Generation, YYYY``. A generation
sheet has notes above a header row ``Local Authority Code [note 1], Local Authority Name,
Region, Country, Estimated number of households, Photovoltaics, Onshore Wind, Hydro, ...,
Cofiring, Total`` and one row per local authority, generation in MWh. ``[X]`` marks a
technology whose generation is suppressed to protect a single plant: the ``Total`` then
leaves it out, so the total is a lower bound. :func:`read_renewable_generation` reads the
generation sheets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cwb_metrics.sources.workbooks import (
    ProblemCollector,
    area_code,
    cell_number,
    cell_text,
    find_header,
    get,
    normalise,
    read_workbook,
)

#: Columns of the frame :func:`read_renewable_generation` returns.
GENERATION_COLUMNS: tuple[str, ...] = ("year", "areacd", "areanm", "country", "households", "total_mwh", "suppressed")
_SHEET = re.compile(r"^la\s*-\s*generation,?\s*([0-9]{4})$", re.IGNORECASE)
_FIXED = ("local authority code", "local authority name", "region", "country", "estimated number of households",
          "total")  # fmt: skip


def _is_header(cells: list[str]) -> bool:
    return all(name in cells for name in _FIXED)


def read_renewable_generation(path: str | Path) -> pd.DataFrame:
    """Read every ``LA - Generation, YYYY`` sheet.

    Parameters
    ----------
    path : str or pathlib.Path
        The "Renewable electricity by local authority" workbook.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GENERATION_COLUMNS`: ``year`` (int), ``households`` and
        ``total_mwh`` (float64; ``NaN`` when blank), ``suppressed`` (the technologies
        marked ``[X]``, comma-separated, ``""`` when none), one row per local authority.

    Raises
    ------
    DataValidationError
        When there is no generation sheet, a sheet has no header, a cell is neither a
        number nor a suppression marker, a code cell is not a GSS code, or an authority is
        listed twice in a year.
    """
    path = Path(path)
    book = read_workbook(path)
    problems = ProblemCollector(path.name)
    sheets = [(name, int(m[1])) for name in book if (m := _SHEET.match(name.strip()))]
    if not sheets:
        problems.add(f"no sheet such as 'LA - Generation, 2021' (sheets: {', '.join(book)})")
    records = []
    for sheet, year in sheets:
        rows = book[sheet]
        sheet_problems = ProblemCollector(f"{path.name} (sheet {sheet})")
        header_index = find_header(rows, _is_header, within=15)
        if header_index is None:
            sheet_problems.add("no header row (Local Authority Code, ..., Estimated number of households, ..., Total)")
            problems.items += sheet_problems.items
            continue
        raw = rows[header_index]
        header = [normalise(c) for c in raw]
        index = {name: header.index(name) for name in _FIXED}
        technologies = [(i, cell_text(raw[i])) for i in range(index["estimated number of households"] + 1,
                                                               index["total"])]  # fmt: skip
        seen: dict[str, int] = {}
        for offset, row in enumerate(rows[header_index + 1 :]):
            line = header_index + offset + 2
            areacd, wrong = area_code(get(row, index["local authority code"]))
            if wrong is not None:
                sheet_problems.add(wrong, row=line, column=str(raw[index["local authority code"]]))
            if areacd is None:
                continue  # totals ("Grand Total (UK)") and notes
            if seen.setdefault(areacd, line) != line:
                sheet_problems.add(f"{areacd} is listed twice (first in row {seen[areacd]}); each authority once",
                                   row=line, column=str(raw[index["local authority code"]]))  # fmt: skip
                continue
            numbers = {}
            for key in ("estimated number of households", "total"):
                try:
                    numbers[key], _ = cell_number(get(row, index[key]))
                except ValueError:
                    sheet_problems.add(f"{cell_text(get(row, index[key]))!r} is not a number", row=line,
                                       column=str(raw[index[key]]))  # fmt: skip
                    numbers[key] = None
            suppressed = [name for i, name in technologies if cell_text(get(row, i)).lower() == "[x]"]
            records.append({
                "year": year, "areacd": areacd, "areanm": cell_text(get(row, index["local authority name"])),
                "country": cell_text(get(row, index["country"])),
                "households": numbers["estimated number of households"], "total_mwh": numbers["total"],
                "suppressed": ", ".join(suppressed),
            })  # fmt: skip
        problems.items += sheet_problems.items
    problems.raise_if_any()
    return pd.DataFrame.from_records(records, columns=list(GENERATION_COLUMNS)).astype(
        {"households": "float64", "total_mwh": "float64"}
    )
