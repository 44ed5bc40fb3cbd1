"""Adapter for the IoD population denominators and supplementary indices by LSOA (File 6 and File 7).

Reads, as CSV (plain or gzipped) or XLSX (the data sheet is found by its header row):

- **IoD2025 File 7** (all ranks, scores, deciles and population denominators), official
  national layout (33,755 LSOAs, MHCLG's headers), or the mirror's Oxfordshire extract of
  it (the same headers, a subset of columns and of rows);
- **IoD2025 File 6** (population denominators, mid-2022), national or the extract;
- **IoD2019 File 6** (mid-2015, excluding prisoners).

Headers are matched after normalising case, whitespace and underscores:

===========================  =================================================================
column                       header (prefix)
===========================  =================================================================
``population``               ``Total population: mid 2022`` / ``... mid 2015 (excluding prisoners)``
``children``                 ``Dependent Children aged 0-15: ...``
``older``                    ``Older population aged 60 and over: ...``
``working_age``              ``Working age population 18-66 ...`` / ``... 18-59/64 ...``
``aged_16_59``               ``Population aged 16-59: ...`` (File 6 only)
``idaci_score``              ``Income Deprivation Affecting Children Index (IDACI) Score (rate)``
``idaopi_score``             ``Income Deprivation Affecting Older People (IDAOPI) Score (rate)``
===========================  =================================================================

:func:`read_iod_denominators` returns one row per LSOA with ``lsoa_code, lsoa_name,
lad_code, lad_name`` and the columns above (missing ones are ``<NA>``), and records in
``attrs["layout"]`` whether the file is ``national`` (every English LSOA of the edition)
or an ``extract`` (a subset, such as the mirror's Oxfordshire transcription): builders then
give "no data", with the reason, to areas the extract does not cover.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import pandas as pd

from cwb_metrics.sources import imd
from cwb_metrics.sources.rawtable import (
    ProblemList,
    check_codes,
    check_floats,
    check_integers,
    check_unique,
    find_column,
    read_raw_table,
    text_column,
)

Layout = Literal["national", "extract"]
#: Count columns, by the header prefix (normalised) that names them.
COUNT_HEADERS: dict[str, re.Pattern[str]] = {
    "population": re.compile(r"^total population\b"),
    "children": re.compile(r"^dependent children aged 0-15\b"),
    "older": re.compile(r"^older population aged 60 and over\b"),
    "working_age": re.compile(r"^working age population\b"),
    "aged_16_59": re.compile(r"^population aged 16-59\b"),
}
#: Supplementary index scores (rates, 0 to 1).
SCORE_HEADERS: dict[str, re.Pattern[str]] = {
    "idaci_score": re.compile(r"^income deprivation affecting children index \(idaci\) score\b"),
    "idaopi_score": re.compile(r"^income deprivation affecting older people (index )?\(idaopi\) score\b"),
}
#: Columns of :func:`read_iod_denominators`, in order.
DENOMINATOR_COLUMNS: tuple[str, ...] = (
    "lsoa_code",
    "lsoa_name",
    "lad_code",
    "lad_name",
    *COUNT_HEADERS,
    *SCORE_HEADERS,
)


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda header: bool(pattern.match(header))


def _pick(problems: ProblemList, headers: list[str], matches: Callable[[str], bool], what: str) -> str | None:
    hits = find_column(headers, matches)
    if len(hits) > 1:
        problems.add(f"{len(hits)} columns look like the {what}: {', '.join(repr(h) for h in hits)}", column=hits[0])
        return None
    return hits[0] if hits else None


def read_iod_denominators(
    path: Path,
    edition: int,
    *,
    require: tuple[str, ...] = ("population",),
) -> pd.DataFrame:
    """Read IoD population denominators (and IDACI/IDAOPI scores where present) by LSOA.

    Parameters
    ----------
    path : pathlib.Path
        IoD2025 File 7 or File 6 (national or an extract), or IoD2019 File 6.
    edition : {2019, 2025}
        The edition (LSOA vintage; how many LSOAs a national file has).
    require : tuple of str
        Columns that must be present (e.g. ``("children", "idaci_score")``).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`DENOMINATOR_COLUMNS`, one row per LSOA; counts ``Int64``,
        scores ``Float64``; ``attrs["layout"]`` is ``national`` or ``extract``.

    Raises
    ------
    DataValidationError
        Naming the file, row and column: a missing required column, a bad or repeated LSOA
        code, a negative or non-whole count, a score outside 0..1, counts of children or
        older people above the total, or (File 6) age groups that do not add up to the total.
        (The working-age count is not checked against the total: IoD2019 File 6 has LSOAs
        with prisons where it is larger.)
    """
    if edition not in imd.EDITIONS:
        raise ValueError(f"edition must be one of {imd.EDITIONS}, not {edition!r}")
    table = read_raw_table(path, is_header=imd._is_lsoa_header, what=f"an IoD{edition} denominators file")
    problems = ProblemList(table.file)
    headers = list(table.frame.columns)
    code_column = imd._code_column(problems, table, edition)
    found: dict[str, str] = {}
    for name, pattern in {**COUNT_HEADERS, **SCORE_HEADERS}.items():
        column = _pick(problems, headers, _matcher(pattern), name.replace("_", " "))
        if column is not None:
            found[name] = column
    for name in require:
        if name not in found:
            problems.add(f"missing column: expected the {name.replace('_', ' ')} column", column=name)
    if code_column is None or problems.problems:
        problems.raise_if_any()
    assert code_column is not None
    frame = table.frame
    out = pd.DataFrame(index=frame.index)
    out["lsoa_code"] = text_column(frame[code_column])
    for name, pattern in (("lsoa_name", imd._LSOA_NAME), ("lad_code", imd._LAD_CODE), ("lad_name", imd._LAD_NAME)):
        column = _pick(problems, headers, _matcher(pattern), name)
        out[name] = text_column(frame[column]) if column else pd.Series(pd.NA, index=frame.index, dtype="string")
    check_codes(problems, table, out["lsoa_code"], code_column, imd.LSOA_CODE_PATTERN, "an English LSOA code")
    check_unique(problems, table, out["lsoa_code"], code_column)
    for name in COUNT_HEADERS:
        if name in found:
            out[name] = check_integers(
                problems, table, frame[found[name]], found[name], low=0, high=10_000_000, what="count of people"
            )
        else:
            out[name] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for name in SCORE_HEADERS:
        if name in found:
            scores = check_floats(problems, table, frame[found[name]], found[name], what="score")
            outside = scores.notna() & ((scores < 0) | (scores > 1))
            if outside.any():
                problems.add_rows(table, outside.fillna(False), found[name], "a rate must be between 0 and 1")
            out[name] = scores
        else:
            out[name] = pd.Series(pd.NA, index=frame.index, dtype="Float64")
    # Not the working-age count: IoD2019 File 6 has LSOAs (with prisons) whose working-age denominator
    # for the Employment domain exceeds the total excluding prisoners.
    for part in ("children", "older"):
        if part in found and "population" in found:
            above = (out[part] > out["population"]).fillna(False)
            if above.any():
                problems.add_rows(table, above, found[part], f"more {part.replace('_', ' ')} than people in total")
    if {"children", "aged_16_59", "older", "population"} <= set(found):
        total = out["children"] + out["aged_16_59"] + out["older"]
        wrong = (total != out["population"]).fillna(False)
        if wrong.any():
            problems.add_rows(table, wrong, found["population"], "0-15 + 16-59 + 60+ does not add up to the total")
    problems.raise_if_any()
    out = out.loc[:, list(DENOMINATOR_COLUMNS)].reset_index(drop=True)
    out.attrs["layout"] = "national" if len(out) == imd.EXPECTED_ROWS[edition] else "extract"
    out.attrs["file"] = table.file
    return out
