"""ONS "Access to gardens and public green space in Great Britain": private outdoor space reference tables.

The workbook (``osprivateoutdoorspacereferencetables.xlsx``, OS AddressBase Plus epoch 74,
April 2020) has one sheet per geography (``Country gardens``, ``Region gardens``,
``LAD gardens``, ``MSOA gardens``). Each has two header rows: the first names column groups
(``Property type: Houses``, ``Property type: Flats``, ``Property type: Total``), the second
the measures in each group (``Address count``, ``Adress with private outdoor space count``
[sic], total area, percentage, average size ...). :func:`read_private_outdoor_space` reads
the address counts of one group for every area of a sheet.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cwb_metrics.sources.workbooks import (
    ProblemCollector,
    area_code,
    cell_number,
    cell_text,
    get,
    normalise,
    read_workbook,
)

#: Columns of the frame :func:`read_private_outdoor_space` returns.
GARDEN_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "addresses", "with_outdoor_space")


def _code_column(header: list[str], level: str) -> int | None:
    wanted = "lad code" if level == "lad" else "country code"
    return next((i for i, h in enumerate(header) if h == wanted), None)


def read_private_outdoor_space(path: str | Path, sheet: str, *, group: str = "total") -> pd.DataFrame:
    """Read address counts with and without private outdoor space from one sheet.

    Parameters
    ----------
    path : str or pathlib.Path
        The reference-tables workbook.
    sheet : str
        ``"LAD gardens"`` or ``"Country gardens"``.
    group : str
        The property-type group: ``"total"`` (default), ``"houses"`` or ``"flats"``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GARDEN_COLUMNS`, one row per area with a GSS code; counts as float64.

    Raises
    ------
    DataValidationError
        When the sheet or its header is missing, a count is not a number, a code cell is
        not a GSS code, or an area is listed twice.
    """
    path = Path(path)
    book = read_workbook(path)
    problems = ProblemCollector(f"{path.name} (sheet {sheet})")
    if sheet not in book:
        problems.add(f"no sheet {sheet!r} (sheets: {', '.join(book)})")
        problems.raise_if_any()
    rows = book[sheet]
    level = "lad" if sheet.lower().startswith("lad") else "country"
    top = next((i for i, row in enumerate(rows[:10]) if any(normalise(c) == f"property type: {group}" for c in row)),
               None)  # fmt: skip
    if top is None or top + 1 >= len(rows):
        problems.add(f"no column group 'Property type: {group.title()}' in the first rows")
        problems.stop()
    groups, measures = rows[top], [normalise(c) for c in rows[top + 1]]
    start = next(i for i, c in enumerate(groups) if normalise(c) == f"property type: {group}")
    header = [normalise(c) for c in groups]
    code = _code_column(header, level)
    name = code + 1 if code is not None else None
    addresses = next((i for i in range(start, len(measures)) if measures[i] == "address count"), None)
    with_space = next((i for i in range(start, len(measures))
                       if measures[i].replace("adress", "address").startswith("address with private outdoor space")),
                      None)  # fmt: skip
    if code is None or addresses is None or with_space is None:
        problems.add(f"expected '{level.upper()} code', 'Address count' and 'Adress with private outdoor space count' "
                     f"columns under 'Property type: {group.title()}'")  # fmt: skip
        problems.stop()
    records = []
    seen: dict[str, int] = {}
    code_label = cell_text(groups[code])
    for offset, row in enumerate(rows[top + 2 :]):
        line = top + offset + 3
        areacd, wrong = area_code(get(row, code))
        if wrong is not None:
            problems.add(wrong, row=line, column=code_label)
        if areacd is None:
            continue  # blank rows, Great Britain (no code) and the source note below the table
        if seen.setdefault(areacd, line) != line:
            problems.add(f"{areacd} is listed twice (first in row {seen[areacd]}); each area once", row=line,
                         column=code_label)  # fmt: skip
            continue
        counts = []
        for index, label in ((addresses, "Address count"), (with_space, "Adress with private outdoor space count")):
            try:
                number, _ = cell_number(get(row, index))
            except ValueError:
                problems.add(f"{cell_text(get(row, index))!r} is not a number", row=line, column=label)
                number = None
            else:
                if number is None:  # every area has counts: a blank one was lost, not withheld
                    shown = cell_text(get(row, index))
                    problems.add(f"{shown!r} is not a count" if shown else "the count is blank", row=line,
                                 column=label)  # fmt: skip
            counts.append(number)
        records.append({"areacd": areacd, "areanm": cell_text(get(row, name)), "addresses": counts[0],
                        "with_outdoor_space": counts[1]})  # fmt: skip
    problems.raise_if_any()
    return pd.DataFrame.from_records(records, columns=list(GARDEN_COLUMNS)).astype(
        {"addresses": "float64", "with_outdoor_space": "float64"}
    )
