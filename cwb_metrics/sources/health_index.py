"""ONS Health Index for England: the yearly index tables of the "Health Index scores" workbook.

``healthindexscoresengland.xlsx`` has one sheet per year (``Table_3_2021_Index`` ...
``Table_9_2015_Index``). Each has notes above a header row ``Area Code, Area Name, Area
Type [Note 3], Healthy People Domain, ...`` with one column per domain, subdomain and
indicator (``Air pollution [Pl5]``, ``Noise complaints [Pl5]`` ...), and one row per area
(England, regions, upper-tier ``UTLA`` and lower-tier ``LTLA`` authorities; a unitary
authority is listed at both tiers with the same scores).

Scores are **index values, not measurements**: England in 2015 = 100 and higher is
healthier (for air pollution: less exposure). :func:`read_health_index` returns them long.
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

#: Columns of the frame :func:`read_health_index` returns.
HEALTH_INDEX_COLUMNS: tuple[str, ...] = ("year", "areacd", "areanm", "area_type", "indicator", "value")
_SHEET = re.compile(r"_([0-9]{4})_Index$", re.IGNORECASE)


def _is_header(cells: list[str]) -> bool:
    return "area code" in cells and "area name" in cells and "area type" in cells


def read_health_index(path: str | Path) -> pd.DataFrame:
    """Read every yearly index sheet of the Health Index workbook.

    Parameters
    ----------
    path : str or pathlib.Path
        ``healthindexscoresengland.xlsx``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`HEALTH_INDEX_COLUMNS`: ``year`` (int, from the sheet name),
        ``indicator`` as the header reads without its note (``Air pollution``),
        ``value`` float64. Repeats of an area at two tiers are kept once; a repeat with
        another score is a problem.

    Raises
    ------
    DataValidationError
        When no yearly sheet is found, a yearly sheet has no header, a score is not a
        number, a code cell is not a GSS code, or an area is listed twice with other scores.
    """
    path = Path(path)
    book = read_workbook(path)
    problems = ProblemCollector(path.name)
    records: list[tuple[int, str, str, str, str, float | None, str, int]] = []
    sheets = [(name, int(m[1])) for name in book if (m := _SHEET.search(name))]
    if not sheets:
        problems.add(f"no yearly index sheet such as 'Table_3_2021_Index' (sheets: {', '.join(book)})")
    indicators_of: dict[str, tuple[int, dict[str, str]]] = {}  # sheet -> header row, indicator -> header
    for sheet, year in sheets:
        rows = book[sheet]
        sheet_problems = ProblemCollector(f"{path.name} (sheet {sheet})")
        header_index = find_header(rows, _is_header, within=15)
        if header_index is None:
            sheet_problems.add("no header row with Area Code, Area Name and Area Type")
            problems.items += sheet_problems.items
            continue
        header = [normalise(c) for c in rows[header_index]]
        columns = [(i, h) for i, h in enumerate(header) if h and h not in ("area code", "area name", "area type")]
        indicators_of[sheet] = (header_index + 1, {h: str(rows[header_index][i]) for i, h in columns})
        code, name, kind = (header.index(h) for h in ("area code", "area name", "area type"))
        seen: dict[tuple[str, str], tuple[int, float | None]] = {}
        for offset, row in enumerate(rows[header_index + 1 :]):
            line = header_index + offset + 2
            areacd, wrong = area_code(get(row, code))
            if wrong is not None:
                sheet_problems.add(wrong, row=line, column=str(rows[header_index][code]))
            if areacd is None:
                continue
            for index, indicator in columns:
                column = str(rows[header_index][index])
                try:
                    number, _ = cell_number(get(row, index))
                except ValueError:
                    sheet_problems.add(f"{cell_text(get(row, index))!r} is not a number", row=line, column=column)
                    continue
                earlier = seen.setdefault((areacd, indicator), (line, number))
                if earlier[0] != line:  # a unitary at both tiers has the same scores: kept once
                    if earlier[1] != number and not (earlier[1] is None and number is None):
                        sheet_problems.add(f"{areacd} is listed in row {earlier[0]} with another score ({earlier[1]})",
                                           row=line, column=column)  # fmt: skip
                    continue
                records.append((year, areacd, cell_text(get(row, name)), cell_text(get(row, kind)), indicator, number,
                                sheet, line))  # fmt: skip
        problems.items += sheet_problems.items
    _same_columns(path.name, indicators_of, problems)
    problems.raise_if_any()
    columns_read = [*HEALTH_INDEX_COLUMNS, "sheet", "row"]
    frame = pd.DataFrame.from_records(records, columns=columns_read).astype({"value": "float64"})
    return frame.loc[:, list(HEALTH_INDEX_COLUMNS)].reset_index(drop=True)


def _same_columns(file: str, indicators_of: dict[str, tuple[int, dict[str, str]]], problems: ProblemCollector) -> None:
    """Every yearly sheet has the indicators the others have: one renamed would lose that year silently."""
    every = {name: header for _, columns in indicators_of.values() for name, header in columns.items()}
    for sheet, (row, columns) in indicators_of.items():
        sheet_problems = ProblemCollector(f"{file} (sheet {sheet})")
        for name in sorted(set(every) - set(columns)):
            sheet_problems.add(f"no column {every[name]!r}, which the other yearly sheets have: was it renamed?",
                               row=row, column=every[name])  # fmt: skip
        problems.items += sheet_problems.items
