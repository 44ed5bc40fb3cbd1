"""BEIS/DESNZ local authority CO2 emissions "within the scope of influence of LAs", as re-shaped by mySociety.

``local_authority_emissions.csv`` (mySociety's ``uk_local_authority_emissions_data``) has
one row per authority and year: ``Year``, ``local-authority-code`` (mySociety's three-letter
code, e.g. ``OXO`` for Oxford), ``official-name``, kt CO2 by sector and sub-sector
(``Domestic Total:kt CO2`` ...), ``Total Emissions:kt CO2``, ``Population:000s``,
``Per Person Emissions:t``, ``Area:km2`` and ``Emissions per km2:kt``. mySociety's lookup
``lookup_gss_to_registry.csv`` (``gss-code``, ``local-authority-code``) gives the GSS codes.

The subset excludes emissions LAs cannot influence (large industrial installations'
share, motorways, LULUCF ...) and is CO2 only, so it is lower than the territorial GHG
totals.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.workbooks import ProblemCollector, parse_number

_GSS = re.compile(GSS_CODE_PATTERN)
_LA_CODE = re.compile(r"^[A-Z]{3,4}$")
REQUIRED = ("Year", "local-authority-code", "official-name", "Total Emissions:kt CO2", "Population:000s",
            "Per Person Emissions:t")  # fmt: skip


def _rows(path: Path, required: tuple[str, ...], problems: ProblemCollector) -> tuple[list[str], list]:
    if not path.is_file() or path.stat().st_size == 0:
        problems.add(f"the file {path} is missing or empty")
        problems.raise_if_any()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        problems.add(f"is not UTF-8 text ({error})")
        problems.raise_if_any()
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    for name in required:
        if name not in header:
            problems.add(f"required column {name!r} is missing", row=1, column=name)
    problems.raise_if_any()
    rows = []
    for fields in reader:
        if not fields:
            continue
        if len(fields) != len(header):
            problems.add(f"row has {len(fields)} fields, expected {len(header)}: the file may be truncated",
                         row=reader.line_num)  # fmt: skip
            continue
        rows.append((reader.line_num, fields))
    if not rows:
        problems.add("has a header but no data rows")
    return header, rows


def read_gss_lookup(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Read mySociety's ``lookup_gss_to_registry.csv``: authority code -> its GSS code(s).

    An authority whose GSS code changed (e.g. after a boundary change) is listed once per
    code, so each maps to a tuple; rows without a GSS code (combined authorities without
    one) are skipped.

    Raises
    ------
    DataValidationError
        When a column is missing, or a code is malformed.
    """
    path = Path(path)
    problems = ProblemCollector(path.name)
    header, rows = _rows(path, ("gss-code", "local-authority-code"), problems)
    gss_at, la_at = header.index("gss-code"), header.index("local-authority-code")
    lookup: dict[str, tuple[str, ...]] = {}
    for line, fields in rows:
        gss, la = fields[gss_at].strip(), fields[la_at].strip()
        if not gss:
            continue
        if not _GSS.match(gss):
            problems.add(f"{gss!r} is not a GSS code", row=line, column="gss-code")
        elif not _LA_CODE.match(la):
            problems.add(f"{la!r} is not a mySociety authority code (3 or 4 capitals)", row=line,
                         column="local-authority-code")  # fmt: skip
        elif gss not in lookup.get(la, ()):
            lookup[la] = (*lookup.get(la, ()), gss)
    problems.raise_if_any()
    return lookup


def read_la_co2(path: str | Path) -> pd.DataFrame:
    """Read and validate mySociety's local authority CO2 emissions table.

    Parameters
    ----------
    path : str or pathlib.Path
        ``local_authority_emissions.csv``.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``la_code`` (join to GSS codes with :func:`read_gss_lookup`),
        ``areanm`` (the official name) and every numeric column under its own header
        (float64; ``kt CO2``, ``000s``, ``t`` per person ...).

    Raises
    ------
    DataValidationError
        When a column is missing, or a row has a bad year, code or number, or an
        authority appears twice in one year.
    """
    path = Path(path)
    problems = ProblemCollector(path.name)
    header, rows = _rows(path, REQUIRED, problems)
    numeric = [h for h in header if h not in ("Year", "local-authority-code", "official-name")]
    position = {name: header.index(name) for name in header}
    records = []
    seen: dict[tuple[int, str], int] = {}
    for line, fields in rows:
        year_text, code = fields[position["Year"]].strip(), fields[position["local-authority-code"]].strip()
        if not re.fullmatch(r"(19|20)[0-9][0-9]", year_text):
            problems.add(f"{year_text!r} is not a year", row=line, column="Year")
            continue
        if not _LA_CODE.match(code):
            problems.add(
                f"{code!r} is not a mySociety authority code (3 or 4 capitals)", row=line, column="local-authority-code"
            )
            continue
        key = (int(year_text), code)
        if key in seen:
            problems.add(f"{code} appears twice in {year_text} (first at line {seen[key]})", row=line,
                         column="local-authority-code")  # fmt: skip
            continue
        seen[key] = line
        record: dict[str, object] = {
            "year": key[0],
            "la_code": code,
            "areanm": fields[position["official-name"]].strip(),
        }
        for name in numeric:
            try:
                record[name] = parse_number(fields[position[name]])
            except ValueError:
                problems.add(f"{fields[position[name]]!r} is not a number", row=line, column=name)
        records.append(record)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=["year", "la_code", "areanm", *numeric])
    for name in numeric:
        frame[name] = frame[name].astype("float64")
    return frame
