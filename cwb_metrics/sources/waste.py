"""Defra local authority collected waste statistics: Table 3, "Selected Waste Indicators".

The LA and Regional Spreadsheet's Table 3 has one row per authority and financial year
(``2020-21``) with the former national indicators: residual household waste per household
(kg, ex NI191), the share of household waste sent for reuse, recycling or composting
(ex NI192, published as a fraction, 0.556 = 55.6%), the share of municipal waste sent to
landfill (ex NI193) and collected household waste per person (kg). Collection authorities
(districts) report their own collections; a disposal authority (a county) reports its
whole area. England is the row whose region reads "Total England" (area code ``Total``):
it is given the code E92000001. Regional totals (``*South East`` ...) and shared services
with two codes (``E07000150 / E07000153``) have no single code and are left out.

The header row is found by its content (``Year``, ``ONS code``, ``Authority`` and the
indicator names), not by its row number; cells marked ``:`` or ``-`` are missing values
with that status.
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

#: Columns of the frame :func:`read_waste_indicators` returns.
WASTE_COLUMNS: tuple[str, ...] = ("year", "period", "areacd", "areanm", "authority_type", "region",
                                  "residual_kg_per_household", "residual_status", "recycling_rate",
                                  "recycling_status")  # fmt: skip
ENGLAND = "E92000001"
_GSS = re.compile(GSS_CODE_PATTERN)
_YEAR = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_JOINT = re.compile(r"^[EKNSW][0-9]{8}(\s*/\s*[EKNSW][0-9]{8})+$")

_COLUMNS = {
    "year": lambda n: n == "year",
    "region": lambda n: n == "region",
    "code": lambda n: n == "ons code",
    "authority": lambda n: n == "authority",
    "type": lambda n: n == "authority type",
    "residual": lambda n: n.startswith("residual household waste per household"),
    "recycling": lambda n: n.startswith("percentage of household waste sent for reuse, recycling or composting"),
}
_LABELS = {
    "residual": "Residual household waste per household (kg/household) (Ex NI191)",
    "recycling": "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)",
}


def _is_header(cells: list[str]) -> bool:
    return all(any(test(c) for c in cells) for test in _COLUMNS.values())


def read_waste_indicators(path: str | Path) -> pd.DataFrame:
    """Read and validate Table 3 of Defra's LA collected waste spreadsheet.

    Parameters
    ----------
    path : str or pathlib.Path
        The "LA and Regional Spreadsheet" workbook.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`WASTE_COLUMNS`: ``year`` as published (``2020-21``), ``period``
        (ISO ``2020-04-01/P1Y``), ``areacd``, ``areanm``, ``authority_type`` (Collection,
        Disposal, Unitary, or Total for England), ``region``, ``residual_kg_per_household``
        and ``recycling_rate`` (float64, a fraction as published; ``NaN`` with a status
        where the cell is ``:`` or ``-``).

    Raises
    ------
    DataValidationError
        When no sheet has the table, or a row has a bad year, code or number, or the
        same authority appears twice in one year.
    """
    path = Path(path)
    sheets = read_workbook(path)
    problems = ProblemCollector(path.name)
    found = next(((name, i) for name, rows in sheets.items() if (i := find_header(rows, _is_header)) is not None), None)
    if found is None:
        problems.fail("no sheet has the 'Selected Waste Indicators' table (columns Year, ONS code, Authority, "
                      f"{_LABELS['residual']}, ...); sheets: {', '.join(sheets)}")  # fmt: skip
    sheet, header_index = found
    rows = sheets[sheet]
    problems = ProblemCollector(f"{path.name} (sheet {sheet})")
    header = [normalise(c) for c in rows[header_index]]
    index = {key: column_of(header, test) for key, test in _COLUMNS.items()}
    records: list[dict[str, object]] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(rows[header_index + 1 :]):
        line = header_index + offset + 2
        year = cell_text(get(row, index["year"]))
        match = _YEAR.match(year)
        if not match:
            if year and any(cell_text(get(row, index[k])) for k in ("residual", "recycling")):
                problems.add(f"{year!r} is not a financial year like 2020-21", row=line, column="Year")
            continue  # notes and blank rows below the table
        if int(match[2]) != (int(match[1]) + 1) % 100:
            problems.add(f"{year!r} is not a financial year like 2020-21", row=line, column="Year")
            continue
        record = _read_row(row, index, line, problems)
        if record is None:
            continue
        key = (year, str(record["areacd"]))
        if key in seen:
            problems.add(f"{key[1]} appears twice in {year} (first at row {seen[key]})", row=line, column="ONS code")
            continue
        seen[key] = line
        records.append({"year": year, "period": f"{match[1]}-04-01/P1Y", **record})
    if not records:
        problems.add("the table has a header but no data rows", row=header_index + 1)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=list(WASTE_COLUMNS))
    for column in ("residual_kg_per_household", "recycling_rate"):
        frame[column] = frame[column].astype("float64")
    return frame


def _read_row(row: list, index: dict[str, int | None], line: int, problems: ProblemCollector) -> dict | None:
    code = cell_text(get(row, index["code"]))
    region = cell_text(get(row, index["region"]))
    name = cell_text(get(row, index["authority"]))
    if code.lower() == "total":
        if region.lower() != "total england":
            return None  # a regional total: no area code to give it
        code, name = ENGLAND, "England"
    elif _JOINT.match(code):
        return None  # a shared service reporting for two authorities
    elif not _GSS.match(code):
        problems.add(f"{code or 'a blank'!r} is not an ONS area code", row=line, column="ONS code")
        return None
    record: dict[str, object] = {"areacd": code, "areanm": name, "region": region.lstrip("*"),
                                 "authority_type": cell_text(get(row, index["type"]))}  # fmt: skip
    for key, value_column, status_column in (("residual", "residual_kg_per_household", "residual_status"),
                                             ("recycling", "recycling_rate", "recycling_status")):  # fmt: skip
        cell = get(row, index[key])
        try:
            number, status = cell_number(cell)
        except ValueError:
            problems.add(f"{cell_text(cell)!r} is not a number", row=line, column=_LABELS[key])
            number, status = None, ""
        if key == "recycling" and number is not None and not 0 <= number <= 1:
            problems.add(f"{number:g} is not a fraction between 0 and 1", row=line, column=_LABELS[key])
        if key == "residual" and number is not None and not 0 <= number <= 5000:
            problems.add(f"{number:g} kg per household is implausible", row=line, column=_LABELS[key])
        record[value_column], record[status_column] = number, status
    return record
