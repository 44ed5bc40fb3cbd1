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

#: Columns of the frame :func:`read_health_index` returns.
HEALTH_INDEX_COLUMNS: tuple[str, ...] = ("year", "areacd", "areanm", "area_type", "indicator", "value")
_SHEET = re.compile(r"_(\d{4})_Index$", re.IGNORECASE)
_GSS = re.compile(GSS_CODE_PATTERN)


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
        ``value`` float64. Repeats of an area at two tiers are kept once.

    Raises
    ------
    DataValidationError
        When no yearly sheet is found, a yearly sheet has no header, or a score is not a
        number.
    """
    path = Path(path)
    book = read_workbook(path)
    problems = ProblemCollector(path.name)
    records: list[tuple[int, str, str, str, str, float | None]] = []
    sheets = [(name, int(m[1])) for name in book if (m := _SHEET.search(name))]
    if not sheets:
        problems.add(f"no yearly index sheet such as 'Table_3_2021_Index' (sheets: {', '.join(book)})")
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
        code, name, kind = (header.index(h) for h in ("area code", "area name", "area type"))
        for offset, row in enumerate(rows[header_index + 1 :]):
            areacd = cell_text(get(row, code))
            if not _GSS.match(areacd):
                continue
            for index, indicator in columns:
                try:
                    number, _ = cell_number(get(row, index))
                except ValueError:
                    line, column = header_index + offset + 2, str(rows[header_index][index])
                    sheet_problems.add(f"{cell_text(get(row, index))!r} is not a number", row=line, column=column)
                    continue
                records.append((year, areacd, cell_text(get(row, name)), cell_text(get(row, kind)), indicator, number))
        problems.items += sheet_problems.items
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=list(HEALTH_INDEX_COLUMNS)).astype({"value": "float64"})
    return frame.drop_duplicates(["year", "areacd", "indicator"], keep="first").reset_index(drop=True)
