"""ONS "Life expectancy for local areas of the UK": the long table (Sheet 1).

Columns (header found by content, on row 6 of the ONS file): ``Period`` ("2021 to 2023"),
``Country``, ``Area type``, ``Area code``, ``Area name``, ``Sex``, ``Sex code``, ``Age group``
("<1" is life expectancy at birth), ``Age code``, ``Life expectancy``, ``Lower confidence
interval``, ``Upper confidence interval``. Periods become ISO-8601 (``2021-01-01/P3Y``).
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

#: Columns of the frame :func:`read_life_expectancy` returns.
LIFE_EXPECTANCY_COLUMNS: tuple[str, ...] = ("period", "areacd", "areanm", "area_type", "sex", "age_group", "value",
                                            "lci_95", "uci_95")  # fmt: skip
_GSS = re.compile(GSS_CODE_PATTERN)
_PERIOD = re.compile(r"^([0-9]{4}) to ([0-9]{4})$")
_HEADERS = {
    "period": "Period",
    "area_type": "Area type",
    "areacd": "Area code",
    "areanm": "Area name",
    "sex": "Sex",
    "age_group": "Age group",
    "value": "Life expectancy",
    "lci_95": "Lower confidence interval",
    "uci_95": "Upper confidence interval",
}


def _is_header(cells: list[str]) -> bool:
    return all(name.lower() in cells for name in _HEADERS.values())


def iso_period(text: str) -> str | None:
    """Turn ONS's "2021 to 2023" into ``2021-01-01/P3Y``; ``None`` when it is not that form."""
    match = _PERIOD.match(text.strip())
    if not match or int(match[2]) < int(match[1]):
        return None
    return f"{match[1]}-01-01/P{int(match[2]) - int(match[1]) + 1}Y"


def read_life_expectancy(path: str | Path) -> pd.DataFrame:
    """Read and validate the ONS local-area life expectancy table.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (the full ONS file or a copy trimmed to some periods).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LIFE_EXPECTANCY_COLUMNS`; ``value``, ``lci_95``, ``uci_95`` float64.

    Raises
    ------
    DataValidationError
        When no sheet has the table, or a row has a bad period, code or number, or an
        area, sex, age group and period appear twice at one area type.
    """
    path = Path(path)
    sheets = read_workbook(path)
    problems = ProblemCollector(path.name)
    found = next(((name, i) for name, rows in sheets.items() if (i := find_header(rows, _is_header)) is not None), None)
    if found is None:
        problems.fail(f"no sheet has the life expectancy table (columns {', '.join(_HEADERS.values())})")
    sheet, header_index = found
    rows = sheets[sheet]
    problems = ProblemCollector(f"{path.name} (sheet {sheet})")
    header = [normalise(c) for c in rows[header_index]]
    index = {key: header.index(title.lower()) for key, title in _HEADERS.items()}
    records = []
    seen: dict[tuple[str, ...], int] = {}
    for offset, row in enumerate(rows[header_index + 1 :]):
        line = header_index + offset + 2
        text = {key: cell_text(get(row, i)) for key, i in index.items()}
        if not any(text.values()):
            continue
        period = iso_period(text["period"])
        if period is None:
            problems.add(f"{text['period']!r} is not a period like '2021 to 2023'", row=line, column="Period")
        if not _GSS.match(text["areacd"]):
            problems.add(f"{text['areacd']!r} is not an area code", row=line, column="Area code")
        record: dict[str, object] = {**text, "period": period}
        for key in ("value", "lci_95", "uci_95"):
            try:
                record[key] = cell_number(get(row, index[key]))[0]
            except ValueError:
                problems.add(f"{text[key]!r} is not a number", row=line, column=_HEADERS[key])
                record[key] = None
        identity = (text["period"], text["areacd"], text["area_type"], text["sex"], text["age_group"])
        if identity in seen:
            problems.add(f"duplicate of row {seen[identity]}", row=line, column="Area code")
        seen.setdefault(identity, line)
        records.append(record)
    if not records:
        problems.add("the table has a header but no data rows", row=header_index + 1)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=list(LIFE_EXPECTANCY_COLUMNS))
    for column in ("value", "lci_95", "uci_95"):
        frame[column] = frame[column].astype("float64")
    return frame
