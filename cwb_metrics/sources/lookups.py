"""Adapters for the ONS geography lookups that place LSOAs in wards and districts.

- :func:`read_lsoa11_ward19`: *LSOA (2011) to Ward (2019) Lookup in England and Wales*
  (``LSOA11CD, LSOA11NM, WD19CD, WD19NM, LAD19CD, LAD19NM``; 34,753 rows).
- :func:`read_lsoa11_lsoa21`: *LSOA (2011) to LSOA (2021) to LAD (2022) Best Fit Lookup*
  (``LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, LAD22CD, LAD22NM``; 34,753 rows, one per
  LSOA 2011: a 2011 LSOA that was split points at one of its 2021 parts only).
- :func:`read_lsoa21_ward25`: LSOA (2021) to Ward (May 2025): the official
  ``LSOA21_WD25_LAD25_EW_LU`` or the derived Oxfordshire file of the mirror
  (``LSOA21CD, LSOA21NM, WD25CD, WD25NM, LAD25CD, LAD25NM`` and optional extras).

Headers are matched case-insensitively; extra columns (``FID``, ``ObjectId``, Welsh names)
are ignored. Output columns are lower-case and say their vintage, e.g. ``lsoa11_code,
lsoa11_name, ward19_code, ward19_name, lad19_code, lad19_name``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

from cwb_metrics.sources.rawtable import (
    ProblemList,
    RawTable,
    check_codes,
    check_row_count,
    check_unique,
    normalise_header,
    read_raw_table,
    text_column,
)

#: Rows of the England and Wales lookups keyed on LSOA 2011 (one per LSOA in E&W).
LSOA11_EW_ROWS = 34_753
#: Rows expected by default in each lookup (``None``: not checked); tests on tiny fixtures may change it.
EXPECTED_ROWS: dict[str, int | None] = {
    "lsoa11_ward19": LSOA11_EW_ROWS,
    "lsoa11_lsoa21": LSOA11_EW_ROWS,
    "lsoa21_ward25": None,
}
Expected = int | None | Literal["default"]
#: LSOA code, England or Wales (2011 or 2021).
LSOA_PATTERN = r"[EW]01[0-9]{6}"
#: Electoral ward code, England or Wales.
WARD_PATTERN = r"[EW]05[0-9]{6}"
#: Lower-tier local authority district code, England or Wales.
LAD_PATTERN = r"(?:E0[6-9]|W06)[0-9]{6}"


def _expected(kind: str, expected_rows: Expected) -> int | None:
    return EXPECTED_ROWS[kind] if expected_rows == "default" else expected_rows


def _read_lookup(
    path: Path,
    columns: dict[str, str],
    patterns: dict[str, tuple[str, str]],
    *,
    key: str,
    what: str,
    expected_rows: int | None,
    optional: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read a lookup whose ONS headers are the keys of ``columns`` (renamed to the values).

    ``patterns`` maps output columns to (regex, description) for code checks; ``key`` is
    the output column that must be unique.
    """
    wanted = {h.casefold(): out for h, out in columns.items()}
    key_header = next(h for h, out in columns.items() if out == key)

    def is_header(cells: list[str]) -> bool:
        return key_header.casefold() in cells

    table: RawTable = read_raw_table(path, is_header=is_header, what=what)
    problems = ProblemList(table.file)
    by_norm = {normalise_header(h): h for h in table.frame.columns}
    found: dict[str, str] = {}
    for header, out in columns.items():
        original = by_norm.get(normalise_header(header))
        if original is None:
            problems.add(f"missing column: expected {header!r} in {what}", column=header)
        else:
            found[out] = original
    problems.raise_if_any()
    frame = table.frame
    result = pd.DataFrame({out: text_column(frame[original]) for out, original in found.items()})
    for header, out in (optional or {}).items():
        original = by_norm.get(normalise_header(header))
        if original is not None:
            values = text_column(frame[original])
            result[out] = (
                pd.to_numeric(values, errors="coerce").astype("Float64") if out.startswith("share") else values
            )
    for out, (pattern, description) in patterns.items():
        check_codes(problems, table, result[out], found[out], pattern, description)
    check_unique(problems, table, result[key], found[key])
    for out in wanted.values():
        if out.endswith("_name"):
            blank = result[out].isna()
            if blank.any():
                problems.add_rows(table, blank, found[out], "blank name")
    check_row_count(problems, len(result), expected_rows, what)
    problems.raise_if_any()
    return result.reset_index(drop=True)


def read_lsoa11_ward19(path: Path, *, expected_rows: Expected = "default") -> pd.DataFrame:
    """Read the ONS LSOA (2011) to Ward (2019) to LAD (2019) lookup.

    Parameters
    ----------
    path : pathlib.Path
        The CSV (plain or gzipped) or XLSX file.
    expected_rows : int, None or "default"
        Rows expected: ``"default"`` for 34,753 (every LSOA in England and Wales),
        ``None`` not to check.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, ward19_code, ward19_name, lad19_code, lad19_name``.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of every problem.
    """
    return _read_lookup(
        path,
        {
            "LSOA11CD": "lsoa11_code",
            "LSOA11NM": "lsoa11_name",
            "WD19CD": "ward19_code",
            "WD19NM": "ward19_name",
            "LAD19CD": "lad19_code",
            "LAD19NM": "lad19_name",
        },
        {
            "lsoa11_code": (LSOA_PATTERN, "an LSOA code"),
            "ward19_code": (WARD_PATTERN, "a ward code"),
            "lad19_code": (LAD_PATTERN, "a district code"),
        },
        key="lsoa11_code",
        what="the ONS LSOA (2011) to Ward (2019) lookup",
        expected_rows=_expected("lsoa11_ward19", expected_rows),
    )


def read_lsoa11_lsoa21(path: Path, *, expected_rows: Expected = "default") -> pd.DataFrame:
    """Read the ONS LSOA (2011) to LSOA (2021) to LAD (2022) best-fit lookup.

    Parameters
    ----------
    path : pathlib.Path
        The CSV (plain or gzipped) or XLSX file.
    expected_rows : int, None or "default"
        Rows expected: ``"default"`` for 34,753 (one per LSOA 2011 in England and
        Wales), ``None`` not to check.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, lad22_code, lad22_name``.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of every problem.
    """
    return _read_lookup(
        path,
        {
            "LSOA11CD": "lsoa11_code",
            "LSOA11NM": "lsoa11_name",
            "LSOA21CD": "lsoa21_code",
            "LSOA21NM": "lsoa21_name",
            "LAD22CD": "lad22_code",
            "LAD22NM": "lad22_name",
        },
        {
            "lsoa11_code": (LSOA_PATTERN, "an LSOA code"),
            "lsoa21_code": (LSOA_PATTERN, "an LSOA code"),
            "lad22_code": (LAD_PATTERN, "a district code"),
        },
        key="lsoa11_code",
        what="the ONS LSOA (2011) to LSOA (2021) best-fit lookup",
        expected_rows=_expected("lsoa11_lsoa21", expected_rows),
    )


def read_lsoa21_ward25(path: Path, *, expected_rows: Expected = "default") -> pd.DataFrame:
    """Read an LSOA (2021) to Ward (May 2025) to LAD (2025) lookup.

    Accepts the official ONS best-fit lookup or the derived file of the mirror
    (``data/derived/oxfordshire_lsoa21_to_wd25_derived.csv``: an approximate,
    point-in-polygon assignment for Oxfordshire only).

    Parameters
    ----------
    path : pathlib.Path
        The CSV (plain or gzipped) or XLSX file.
    expected_rows : int, None or "default"
        Rows expected; by default not checked, since the derived file covers one
        county only.

    Returns
    -------
    pandas.DataFrame
        ``lsoa21_code, lsoa21_name, ward25_code, ward25_name, lad25_code, lad25_name``,
        plus ``ward25_code_max_area`` and ``share_area_in_max_area_ward`` when present.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of every problem.
    """
    return _read_lookup(
        path,
        {
            "LSOA21CD": "lsoa21_code",
            "LSOA21NM": "lsoa21_name",
            "WD25CD": "ward25_code",
            "WD25NM": "ward25_name",
            "LAD25CD": "lad25_code",
            "LAD25NM": "lad25_name",
        },
        {
            "lsoa21_code": (LSOA_PATTERN, "an LSOA code"),
            "ward25_code": (WARD_PATTERN, "a ward code"),
            "lad25_code": (LAD_PATTERN, "a district code"),
        },
        key="lsoa21_code",
        what="an LSOA (2021) to Ward (2025) lookup",
        expected_rows=_expected("lsoa21_ward25", expected_rows),
        optional={
            "WD25CD_max_area": "ward25_code_max_area",
            "share_area_in_max_area_ward": "share_area_in_max_area_ward",
        },
    )


#: Header pairs (code, name) accepted for the districts of an IoD Local Authority District summary.
_LAD_NAME_HEADERS: tuple[tuple[str, str], ...] = (
    ("Local Authority District code (2024)", "Local Authority District name (2024)"),
    ("Local Authority District code (2019)", "Local Authority District name (2019)"),
    ("ltla24_code", "ltla24_name"),
    ("lad24cd", "lad24nm"),
    ("lad_code", "lad_name"),
)


def read_lad_names(path: Path) -> pd.DataFrame:
    """Read the district codes and names of an IoD Local Authority District summary (File 10).

    Accepts MHCLG's File 10 (``Local Authority District code (2024)``, ``... name (2024)``;
    CSV or the XLSX's first data sheet) and the renamed extract of the mirror
    (``ltla24_code``, ``ltla24_name``).

    Parameters
    ----------
    path : pathlib.Path
        The CSV (plain or gzipped) or XLSX file.

    Returns
    -------
    pandas.DataFrame
        ``lad_code, lad_name``, one row per district.

    Raises
    ------
    DataValidationError
        Naming the file and column of every problem (missing columns, bad or repeated codes).
    """
    wanted = {normalise_header(code) for code, _name in _LAD_NAME_HEADERS}

    def is_header(cells: list[str]) -> bool:
        return bool(wanted & {normalise_header(c) for c in cells})

    table = read_raw_table(path, is_header=is_header, what="an IoD Local Authority District summary")
    problems = ProblemList(table.file)
    by_norm = {normalise_header(h): h for h in table.frame.columns}
    pair = next(
        ((by_norm[normalise_header(c)], by_norm[normalise_header(n)]) for c, n in _LAD_NAME_HEADERS
         if normalise_header(c) in by_norm and normalise_header(n) in by_norm),
        None,
    )  # fmt: skip
    if pair is None:
        problems.add(
            "missing columns: expected 'Local Authority District code (2024)' and '... name (2024)' "
            "(or ltla24_code and ltla24_name)"
        )
        problems.raise_if_any()
    code_column, name_column = pair  # type: ignore[misc]
    result = pd.DataFrame(
        {"lad_code": text_column(table.frame[code_column]), "lad_name": text_column(table.frame[name_column])}
    )
    check_codes(problems, table, result["lad_code"], code_column, LAD_PATTERN, "a district code")
    check_unique(problems, table, result["lad_code"], code_column)
    problems.raise_if_any()
    return result.reset_index(drop=True)
