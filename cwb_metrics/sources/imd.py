"""Adapter for MHCLG's English Indices of Deprivation (IoD2019 and IoD2025), LSOA level.

Reads, as CSV (plain or gzipped, with or without a byte-order mark, numbers written as
``29199``, ``"29,199"`` or ``29199.00``) or as the original XLSX (the data sheet is found
by its header row; ``Notes`` sheets are skipped):

- IoD2019 File 1 (IMD rank and decile), File 2 (IMD and the seven domains: ranks and
  deciles), File 3 (IMD, IDACI, IDAOPI: only the IMD columns are used), File 7 (all
  ranks, deciles and scores) and File 6 (population denominators, via
  :func:`read_imd_population`);
- IoD2025 File 7, with MHCLG's headers (``LSOA code (2021)``, ``Income Score (rate)``,
  ``Barriers to Housing and Services Rank (where 1 is most deprived)`` ...) or with the
  renamed headers of the humaniverse/IMD extract (``lsoa21_code``, ``IMD_decile``,
  ``Income_rank``, ``Housing_and_Services_score``, ``Environment_score`` ...).

Headers are matched after normalising case, whitespace and underscores, by the domain's
name followed by ``Rank``, ``Decile`` or ``Score``. A missing or renamed column is reported
as a :class:`~cwb_metrics.errors.Problem` naming the file and the column expected.

Output (:func:`read_imd`): one row per LSOA with the columns of :func:`imd_columns`:
``lsoa_code, lsoa_name, lad_code, lad_name, imd_rank, imd_decile, imd_score``, then
``{domain}_rank, {domain}_decile, {domain}_score`` for each of :data:`DOMAINS`, then
``population``. Names, LAD columns, scores, population, and the domain columns of files
that do not carry them (File 1, File 3) are missing (``<NA>``). Ranks and deciles are
``Int64`` (rank 1 and decile 1 are the most deprived), scores ``Float64``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from cwb_metrics.sources.rawtable import (
    ProblemList,
    RawTable,
    check_codes,
    check_floats,
    check_integers,
    check_row_count,
    check_unique,
    find_column,
    normalise_header,
    read_raw_table,
    text_column,
)

#: Editions of the English Indices of Deprivation this adapter reads.
EDITIONS: tuple[int, ...] = (2019, 2025)
#: Number of LSOAs in England in each edition (2011 LSOAs for 2019, 2021 LSOAs for 2025).
ENGLAND_LSOAS: dict[int, int] = {2019: 32_844, 2025: 33_755}
#: Rows expected in a full England file; tests on tiny fixtures may change it.
EXPECTED_ROWS: dict[int, int] = dict(ENGLAND_LSOAS)
#: LSOA vintage of each edition.
LSOA_VINTAGE: dict[int, int] = {2019: 2011, 2025: 2021}

#: The seven domains, in MHCLG's order.
DOMAINS: tuple[str, ...] = ("income", "employment", "education", "health", "crime", "barriers", "living_environment")
#: The IMD and the domains: the ``domain`` values the builders and profiles accept.
INDICES: tuple[str, ...] = ("imd", *DOMAINS)
#: MHCLG's names of the IMD and the domains, as in their column headers.
INDEX_LABELS: dict[str, str] = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living_environment": "Living Environment",
}
#: Normalised header prefixes accepted for each index (official first, then renamed forms).
_ALIASES: dict[str, tuple[str, ...]] = {
    "imd": ("index of multiple deprivation (imd)", "index of multiple deprivation", "imd"),
    "income": ("income",),
    "employment": ("employment",),
    "education": ("education, skills and training", "education skills and training", "education"),
    "health": ("health deprivation and disability", "health"),
    "crime": ("crime",),
    "barriers": ("barriers to housing and services", "housing and services", "barriers"),
    "living_environment": ("living environment", "environment"),
}
Measure = Literal["rank", "decile", "score"]
_MEASURES: tuple[Measure, ...] = ("rank", "decile", "score")

_LSOA_CODE = re.compile(r"^lsoa\s*(?P<short>11|21)?\s*(?:code|cd)(?:\s*\(?(?P<long>2011|2021)\)?)?$")
_LSOA_NAME = re.compile(r"^lsoa\s*(?:11|21)?\s*(?:name|nm)(?:\s*\(?(?:2011|2021)\)?)?$")
_LAD_CODE = re.compile(r"^(?:local authority district|lad|ltla)\s*(?:[0-9]{2})?\s*(?:code|cd)(?:\s*\([0-9]{4}\))?$")
_LAD_NAME = re.compile(r"^(?:local authority district|lad|ltla)\s*(?:[0-9]{2})?\s*(?:name|nm)(?:\s*\([0-9]{4}\))?$")
_POPULATION = re.compile(r"^total population\b")
_NOT_A_MAIN_INDEX = ("transformed", "sub-domain", "sub domain", "subdomain")

#: English LSOA code (2011 or 2021).
LSOA_CODE_PATTERN = r"E01[0-9]{6}"
#: Lower-tier local authority district code (England).
LAD_CODE_PATTERN = r"E0[6-9][0-9]{6}"


def column_name(index: str, measure: Measure) -> str:
    """Return the standard column of an index and measure, e.g. ``income_decile``."""
    return f"{index}_{measure}"


def imd_columns() -> list[str]:
    """Return the columns of :func:`read_imd`'s output, in order."""
    columns = ["lsoa_code", "lsoa_name", "lad_code", "lad_name"]
    for index in INDICES:
        columns += [column_name(index, m) for m in _MEASURES]
    return [*columns, "population"]


def official_header(index: str, measure: Measure) -> str:
    """Return MHCLG's header for an index and measure (used in messages)."""
    label = INDEX_LABELS[index]
    if measure == "rank":
        return f"{label} Rank (where 1 is most deprived)"
    if measure == "decile":
        return f"{label} Decile (where 1 is most deprived 10% of LSOAs)"
    return f"{label} Score (rate)" if index in ("income", "employment") else f"{label} Score"


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """A header test: does the header match ``pattern``."""
    return lambda header: bool(pattern.match(header))


def _measure_matcher(index: str, measure: Measure) -> Callable[[str], bool]:
    patterns = [re.compile(rf"^{re.escape(alias)}\s+{measure}\b") for alias in _ALIASES[index]]

    def matches(header: str) -> bool:
        if any(word in header for word in _NOT_A_MAIN_INDEX):
            return False
        return any(p.match(header) for p in patterns)

    return matches


def _is_lsoa_header(cells: list[str]) -> bool:
    return any(_LSOA_CODE.match(c) for c in cells)


def _check_edition(edition: int) -> None:
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")


def _resolve_expected(edition: int, expected_rows: int | Literal["england"] | None) -> int | None:
    return EXPECTED_ROWS[edition] if expected_rows == "england" else expected_rows


def _pick(problems: ProblemList, headers: list[str], matches: Callable[[str], bool], what: str) -> str | None:
    hits = find_column(headers, matches)
    if len(hits) > 1:
        problems.add(f"{len(hits)} columns look like the {what}: {', '.join(repr(h) for h in hits)}", column=hits[0])
        return None
    return hits[0] if hits else None


def _code_column(problems: ProblemList, table: RawTable, edition: int) -> str | None:
    vintage = LSOA_VINTAGE[edition]
    column = _pick(problems, list(table.frame.columns), lambda h: bool(_LSOA_CODE.match(h)), "LSOA code")
    if column is None:
        problems.add("missing column: the LSOA code column was not found", column=f"LSOA code ({vintage})")
        return None
    match = _LSOA_CODE.match(normalise_header(column))
    said = None
    if match:
        said = match["long"] or (f"20{match['short']}" if match["short"] else None)
    if said and int(said) != vintage:
        problems.add(
            f"this file is on LSOA {said} codes, but IoD{edition} uses LSOA {vintage} codes: "
            f"is it the IoD{2019 if said == '2011' else 2025} file?",
            row=table.header_row,
            column=column,
        )
    return column


def read_imd(
    path: Path,
    edition: int,
    *,
    population: Path | None = None,
    expected_rows: int | Literal["england"] | None = "england",
) -> pd.DataFrame:
    """Read and validate an IoD file of ranks and deciles (and scores where present).

    Parameters
    ----------
    path : pathlib.Path
        IoD2019 File 1, 2, 3 or 7, or IoD2025 File 7 (official or renamed headers).
    edition : {2019, 2025}
        The edition; fixes the LSOA vintage, the number of LSOAs and the rank range.
    population : pathlib.Path, optional
        IoD2019 File 6 (population denominators), joined as ``population``.
    expected_rows : int, None or "england"
        Rows the file must have: ``"england"`` (default) for every English LSOA,
        ``None`` not to check.

    Returns
    -------
    pandas.DataFrame
        One row per LSOA, with the columns of :func:`imd_columns`.

    Raises
    ------
    DataValidationError
        Listing every problem found (file, row, column): a missing or ambiguous column,
        a bad LSOA code, a rank outside 1..N, a decile outside 1..10 or not matching the
        rank, a repeated LSOA, a wrong number of rows, an empty or truncated file.
    """
    _check_edition(edition)
    table = read_raw_table(path, is_header=_is_lsoa_header, what=f"an IoD{edition} LSOA file")
    problems = ProblemList(table.file)
    headers = list(table.frame.columns)
    n_lsoas = ENGLAND_LSOAS[edition]

    code_column = _code_column(problems, table, edition)
    found: dict[str, str] = {}
    for index in INDICES:
        for measure in _MEASURES:
            label = official_header(index, measure)
            column = _pick(problems, headers, _measure_matcher(index, measure), f"'{label}'")
            if column is not None:
                found[column_name(index, measure)] = column
    has_domains = any(column_name(d, m) in found for d in DOMAINS for m in ("rank", "decile"))
    required: list[tuple[str, Measure]] = [("imd", "rank"), ("imd", "decile")]
    if has_domains:
        required += [(d, m) for d in DOMAINS for m in ("rank", "decile")]
    for index, measure in required:
        if column_name(index, measure) not in found:
            problems.add(
                f"missing column: expected {official_header(index, measure)!r} (the {index.replace('_', ' ')} "
                f"{measure}); the header may have been renamed",
                column=official_header(index, measure),
            )
    if code_column is None or problems.problems:
        problems.stop()

    frame = table.frame
    out = pd.DataFrame(index=frame.index)
    out["lsoa_code"] = text_column(frame[code_column])
    for name, pattern in (("lsoa_name", _LSOA_NAME), ("lad_code", _LAD_CODE), ("lad_name", _LAD_NAME)):
        column = _pick(problems, headers, _matches(pattern), name)
        out[name] = text_column(frame[column]) if column else pd.Series(pd.NA, index=frame.index, dtype="string")

    check_codes(problems, table, out["lsoa_code"], code_column, LSOA_CODE_PATTERN, "an English LSOA code")
    check_unique(problems, table, out["lsoa_code"], code_column)
    if "lad_code" in out and out["lad_code"].notna().any():
        lad_column = _pick(problems, headers, lambda h: bool(_LAD_CODE.match(h)), "lad_code") or "lad_code"
        check_codes(problems, table, out["lad_code"], lad_column, LAD_CODE_PATTERN, "an English district code")

    for index in INDICES:
        rank_col, decile_col = column_name(index, "rank"), column_name(index, "decile")
        score_col = column_name(index, "score")
        if rank_col in found:
            out[rank_col] = check_integers(
                problems, table, frame[found[rank_col]], found[rank_col], low=1, high=n_lsoas, what="rank"
            )
            out[decile_col] = check_integers(
                problems, table, frame[found[decile_col]], found[decile_col], low=1, high=10, what="decile"
            )
            _check_decile_matches_rank(problems, table, out[rank_col], out[decile_col], found[decile_col], n_lsoas)
        else:
            out[rank_col] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
            out[decile_col] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        if score_col in found:
            out[score_col] = check_floats(problems, table, frame[found[score_col]], found[score_col], what="score")
        else:
            out[score_col] = pd.Series(pd.NA, index=frame.index, dtype="Float64")

    pop_column = _pick(problems, headers, lambda h: bool(_POPULATION.match(h)), "total population")
    if pop_column:
        out["population"] = check_integers(
            problems, table, frame[pop_column], pop_column, low=0, high=10_000_000, what="population"
        )
    else:
        out["population"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")

    check_row_count(
        problems, len(out), _resolve_expected(edition, expected_rows), f"one per LSOA in England, IoD{edition}"
    )
    problems.raise_if_any()

    if population is not None:
        people = read_imd_population(population, edition, expected_rows=expected_rows)
        out = _join_population(out, people, table.file, Path(population).name)
    return out.loc[:, imd_columns()].reset_index(drop=True)


def _check_decile_matches_rank(
    problems: ProblemList, table: RawTable, ranks: pd.Series, deciles: pd.Series, column: str, n_lsoas: int
) -> None:
    """MHCLG's deciles: rank r is in decile ceil(10 r / N) (2019: ranks 1-3,284 in decile 1)."""
    both = ranks.notna() & deciles.notna()
    expected = np.ceil(ranks[both].astype("float64") * 10 / n_lsoas)
    wrong = pd.Series(False, index=ranks.index)
    wrong[both] = expected.to_numpy() != deciles[both].astype("float64").to_numpy()
    if wrong.any():
        shown = "decile " + deciles.astype("string").fillna("") + " with rank " + ranks.astype("string").fillna("")
        rule = f"decile does not match the rank (rank r is in decile ceil(10 r / {n_lsoas:,}))"
        problems.add_rows(table, wrong, column, rule, shown)


def _join_population(out: pd.DataFrame, people: pd.DataFrame, imd_file: str, pop_file: str) -> pd.DataFrame:
    problems = ProblemList(pop_file)
    missing = sorted(out.loc[~out["lsoa_code"].isin(people["lsoa_code"]), "lsoa_code"].dropna().tolist())
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        problems.add(f"{len(missing):,} LSOAs of {imd_file} have no population here (e.g. {shown})")
    problems.raise_if_any()
    merged = out.drop(columns="population").merge(people, on="lsoa_code", how="left", validate="one_to_one")
    return merged


def read_imd_population(
    path: Path, edition: int, *, expected_rows: int | Literal["england"] | None = "england"
) -> pd.DataFrame:
    """Read the population denominators (IoD2019 File 6, or the population columns of File 7).

    Parameters
    ----------
    path : pathlib.Path
        The file, CSV or XLSX.
    edition : {2019, 2025}
        The edition (LSOA vintage and number of rows).
    expected_rows : int, None or "england"
        As in :func:`read_imd`.

    Returns
    -------
    pandas.DataFrame
        Columns ``lsoa_code`` and ``population`` (``Int64``: total population,
        mid-2015 excluding prisoners for IoD2019).

    Raises
    ------
    DataValidationError
        When the file is unreadable, lacks a ``Total population`` column, or has bad rows.
    """
    _check_edition(edition)
    table = read_raw_table(path, is_header=_is_lsoa_header, what=f"an IoD{edition} population file")
    problems = ProblemList(table.file)
    headers = list(table.frame.columns)
    code_column = _code_column(problems, table, edition)
    pop_column = _pick(problems, headers, lambda h: bool(_POPULATION.match(h)), "total population")
    if pop_column is None:
        problems.add(
            "missing column: expected the total population (e.g. 'Total population: mid 2015 (excluding prisoners)')",
            column="Total population: mid 2015 (excluding prisoners)",
        )
    if code_column is None or pop_column is None:
        problems.stop()
    frame = table.frame
    out = pd.DataFrame({"lsoa_code": text_column(frame[code_column])})
    check_codes(problems, table, out["lsoa_code"], code_column, LSOA_CODE_PATTERN, "an English LSOA code")
    check_unique(problems, table, out["lsoa_code"], code_column)
    out["population"] = check_integers(
        problems, table, frame[pop_column], pop_column, low=0, high=10_000_000, what="population"
    )
    check_row_count(
        problems, len(out), _resolve_expected(edition, expected_rows), f"one per LSOA in England, IoD{edition}"
    )
    problems.raise_if_any()
    return out.reset_index(drop=True)
