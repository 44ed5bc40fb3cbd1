"""DESNZ (formerly BEIS) sub-regional fuel poverty workbooks: the local-authority and LSOA tables.

Fuel poverty here is the Low Income Low Energy Efficiency (LILEE) measure. Each edition
puts its tables on differently numbered sheets with the header on a different row:

======================================  ==========  ==========  ===========================
edition (data year)                     LA table    LSOA table  LSOA geography
======================================  ==========  ==========  ===========================
2022 tables (2020 data)                 Table 2     Table 3     LSOA 2011
2023 tables (2021 data)                 Table 2     Table 3     LSOA 2021
2025 statistics (2023 data)             Table 2     Table 4     LSOA 2021
======================================  ==========  ==========  ===========================

so the tables are found by their header row's content, never by sheet name or row
number: the LA table's header starts with an area-code column ("Area Codes" or "Local
Authority code") and the LSOA table's with "LSOA Code"; both have "Number of households",
"Number of households in fuel poverty" and "Proportion of households fuel poor (%)". The
data year is the last year in the sheet's title ("..., 2023"). Notes, blank rows and
"Back to contents" links around the table are skipped; a row with numbers but no valid
area code is a problem.

The area name of an LA-table row is its most specific name cell (district, else county,
else region), and its geography comes from the GSS code's entity type:
``E92`` country, ``E12``/``E13`` region, ``E10``/``E11`` county, ``E06``-``E09`` lad.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.workbooks import (
    ProblemCollector,
    Rows,
    cell_number,
    cell_text,
    column_of,
    find_header,
    get,
    normalise,
    read_workbook,
)

Table = Literal["la", "lsoa"]

#: Columns of the frame :func:`read_fuel_poverty` returns.
FUEL_POVERTY_COLUMNS: tuple[str, ...] = ("areacd", "areanm", "geography", "households", "fuel_poor_households",
                                         "fuel_poor_pct", "year", "la_code")  # fmt: skip

#: Geography of an LA-table row, by the first three characters of its GSS code.
GEOGRAPHY_BY_ENTITY: dict[str, str] = {
    "E92": "country",
    "E12": "region",
    "E13": "region",
    "E10": "county",
    "E11": "county",
    "E06": "lad",
    "E07": "lad",
    "E08": "lad",
    "E09": "lad",
    "E01": "lsoa",
}
_GSS = re.compile(GSS_CODE_PATTERN)
_YEAR = re.compile(r"\b(19[0-9][0-9]|20[0-9][0-9])\b")
#: Largest gap (percentage points) between the published % and households in fuel poverty / households.
PCT_TOLERANCE = 0.1


def _is_households(name: str) -> bool:
    return name == "number of households"


def _is_fuel_poor(name: str) -> bool:
    return name.startswith("number of households in fuel poverty")


def _is_pct(name: str) -> bool:
    return name.startswith("proportion of households fuel poor")


def _header_test(table: Table) -> Callable[[list[str]], bool]:
    def is_header(cells: list[str]) -> bool:
        first = next((c for c in cells if c), "")
        has_numbers = any(map(_is_households, cells)) and any(map(_is_fuel_poor, cells)) and any(map(_is_pct, cells))
        if table == "lsoa":
            return has_numbers and first == "lsoa code"
        return has_numbers and first in ("area codes", "local authority code", "la code", "area code")

    return is_header


def _find_table(sheets: Mapping[str, Rows], table: Table) -> tuple[str, int] | None:
    for name, rows in sheets.items():
        index = find_header(rows, _header_test(table))
        if index is not None:
            return name, index
    return None


def _year_of(rows: Rows, header_index: int) -> int | None:
    for row in reversed(rows[:header_index]):
        for cell in row:
            years = _YEAR.findall(re.sub(r"\[[^\]]*\]", " ", cell_text(cell)))
            if years:
                return int(years[-1])
    return None


def read_fuel_poverty(path: str | Path, table: Table = "la") -> pd.DataFrame:
    """Read and validate the LA or LSOA table of a DESNZ sub-regional fuel poverty workbook.

    Parameters
    ----------
    path : str or pathlib.Path
        The workbook (any edition since the 2022 tables).
    table : {"la", "lsoa"}
        Which table: local authorities (with region, county and England rows) or LSOAs.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FUEL_POVERTY_COLUMNS`: ``areacd``, ``areanm``, ``geography``
        (country/region/county/lad, or lsoa), ``households`` and ``fuel_poor_households``
        (Int64), ``fuel_poor_pct`` (float64, as published), ``year`` (the data year, int),
        and ``la_code`` (the LSOA's local authority; blank in the LA table).

    Raises
    ------
    DataValidationError
        When the table cannot be found, or a row has a bad code, a missing or
        non-numeric count, more fuel-poor households than households, a percentage
        outside 0-100 or inconsistent with the counts, or a code listed twice.
    """
    path = Path(path)
    sheets = read_workbook(path)
    problems = ProblemCollector(path.name)
    found = _find_table(sheets, table)
    if found is None:
        what = "an LSOA table (header 'LSOA Code', ...)" if table == "lsoa" else "a local-authority table"
        expected = (
            "'Number of households', 'Number of households in fuel poverty', 'Proportion of households fuel poor (%)'"
        )
        problems.fail(f"no sheet has {what} with columns {expected} (sheets: {', '.join(sheets)})")
    sheet, header_index = found
    rows = sheets[sheet]
    problems = ProblemCollector(f"{path.name} (sheet {sheet})")
    year = _year_of(rows, header_index)
    if year is None:
        problems.fail("the table's title names no data year (expected e.g. '..., 2023')", row=1)
    header = [normalise(c) for c in rows[header_index]]
    households = header.index("number of households")  # the header test found it
    columns = {
        "code": 0,
        "households": households,
        "fuel_poor": column_of(header, _is_fuel_poor),
        "pct": column_of(header, _is_pct),
        "name": column_of(header, lambda n: n == "lsoa name"),
        "la_code": column_of(header, lambda n: n in ("la code", "local authority code")),
    }
    name_columns: list[int | None] = [columns["name"]] if table == "lsoa" else list(range(1, households))
    records = []
    for offset, row in enumerate(rows[header_index + 1 :]):
        line = header_index + offset + 2
        record = _read_row(row, line, columns, name_columns, table, problems)
        if record is not None:
            records.append({**record, "year": year})
    if not records:
        problems.add("the table has a header but no data rows", row=header_index + 1)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=[*FUEL_POVERTY_COLUMNS, "_line"])
    _check_unique(frame, problems)
    problems.raise_if_any()
    frame = frame.drop(columns="_line")
    for column in ("households", "fuel_poor_households"):
        frame[column] = frame[column].astype("Int64")
    frame["fuel_poor_pct"] = frame["fuel_poor_pct"].astype("float64")
    frame["year"] = frame["year"].astype("int64")
    return frame


def _read_row(
    row: list, line: int, columns: dict[str, int | None], name_columns: list[int | None], table: Table,
    problems: ProblemCollector,
) -> dict[str, object] | None:  # fmt: skip
    code = cell_text(get(row, columns["code"]))
    cells = {key: get(row, columns[key]) for key in ("households", "fuel_poor", "pct")}
    numbers: dict[str, float | None] = {}
    for key, cell in cells.items():
        try:
            numbers[key] = cell_number(cell)[0]
        except ValueError:
            numbers[key] = math.nan
    has_numbers = any(v is not None and not math.isnan(v) for v in numbers.values())
    if not _GSS.match(code) and not has_numbers:
        return None  # a note, a blank row or a "Back to contents" link
    if not _GSS.match(code):
        problems.add(f"{code or 'a blank'!r} is not an area code, but the row has numbers", row=line,
                     column="code")  # fmt: skip
        return None
    entity = code[:3]
    geography = "lsoa" if table == "lsoa" else GEOGRAPHY_BY_ENTITY.get(entity)
    if table == "lsoa" and entity != "E01":
        problems.add(f"{code!r} is not an LSOA code (E01...)", row=line, column="LSOA Code")
    if geography is None:
        problems.add(f"{code!r} is not a country, region, county or district code", row=line, column="code")
    labels = {"households": "Number of households", "fuel_poor": "Number of households in fuel poverty",
              "pct": "Proportion of households fuel poor (%)"}  # fmt: skip
    for key, value in numbers.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            problems.add(f"{cell_text(cells[key]) or 'blank'!r} is not a number", row=line, column=labels[key])
    households, fuel_poor, pct = numbers["households"], numbers["fuel_poor"], numbers["pct"]
    if households is None or fuel_poor is None or pct is None or any(map(math.isnan, (households, fuel_poor, pct))):
        return None
    if fuel_poor > households or households < 0 or fuel_poor < 0:
        problems.add(f"{fuel_poor:g} households in fuel poverty out of {households:g}", row=line,
                     column=labels["fuel_poor"])  # fmt: skip
    elif not 0 <= pct <= 100:
        problems.add(f"{pct:g} is not a percentage", row=line, column=labels["pct"])
    elif households and abs(100 * fuel_poor / households - pct) > PCT_TOLERANCE:
        problems.add(f"{pct:g}% does not match {fuel_poor:g} of {households:g} households "
                     f"({100 * fuel_poor / households:.2f}%)", row=line, column=labels["pct"])  # fmt: skip
    names = [cell_text(get(row, i)) for i in name_columns]
    name = next((n for n in reversed(names) if n), "")
    if not name:
        problems.add("area name is blank", row=line, column="name")
    return {
        "areacd": code,
        "areanm": name,
        "geography": geography,
        "households": round(households),
        "fuel_poor_households": round(fuel_poor),
        "fuel_poor_pct": pct,
        "la_code": cell_text(get(row, columns["la_code"])) if table == "lsoa" else "",
        "_line": line,
    }


def _check_unique(frame: pd.DataFrame, problems: ProblemCollector) -> None:
    repeated = frame[frame["areacd"].duplicated(keep="first")]
    for code, line in zip(repeated["areacd"], repeated["_line"], strict=True):
        problems.add(f"area code {code} is listed twice", row=int(line), column="code")
