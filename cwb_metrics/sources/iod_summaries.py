"""Adapter for the IoD local authority district summaries (File 10): average scores and scale.

Reads either layout of File 10:

- MHCLG's **workbook** (IoD2019 and IoD2025 v2): one sheet per domain or index (``Income``,
  ``Employment``, ``IDACI``, ``IDAOPI`` ...), each with ``Local Authority District code
  (2019)``, ``<Domain> - Average score`` and, for income and employment, ``<Domain> scale``
  (the number of people income- or employment-deprived);
- the **renamed CSV** of the humaniverse/IMD package (the mirror's 2025 copy): one table with
  ``ltla24_code``, ``income_average_score``, ``income_scale``, ``employment_average_score``,
  ``employment_scale`` ... (it carries no IDACI or IDAOPI columns).

For income and employment the average score is the population-weighted mean of the LSOA
rates, so it equals scale / population (rounded by MHCLG to 3 decimal places).

:func:`read_iod_summaries` returns one row per district with ``lad_code, lad_name`` and
``{measure}_average_score``, ``{measure}_scale`` for each of :data:`SUMMARY_MEASURES`
(missing where the file has none).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources import imd
from cwb_metrics.sources.rawtable import (
    ProblemList,
    RawTable,
    check_codes,
    check_floats,
    check_unique,
    find_column,
    normalise_header,
    read_raw_table,
    text_column,
)

#: Measures read, and the name each has in MHCLG's headers (normalised).
SUMMARY_MEASURES: dict[str, str] = {
    "income": "income",
    "employment": "employment",
    "idaci": "idaci",
    "idaopi": "idaopi",
}
#: Measures with a scale (a count of people) as well as an average score.
WITH_SCALE: tuple[str, ...] = ("income", "employment")
_LAD_CODE = re.compile(r"^(?:local authority district|lad|ltla)\s*(?:\d{2})?\s*(?:code|cd)(?:\s*\(\d{4}\))?$")
_LAD_NAME = re.compile(r"^(?:local authority district|lad|ltla)\s*(?:\d{2})?\s*(?:name|nm)(?:\s*\(\d{4}\))?$")


def summary_columns() -> list[str]:
    """Return the columns of :func:`read_iod_summaries`, in order."""
    columns = ["lad_code", "lad_name"]
    for measure in SUMMARY_MEASURES:
        columns += [f"{measure}_average_score", f"{measure}_scale"]
    return columns


def _average(measure: str) -> re.Pattern[str]:
    return re.compile(rf"^{measure}\s*(?:-\s*)?average score$")


def _scale(measure: str) -> re.Pattern[str]:
    return re.compile(rf"^{measure}\s*(?:-\s*)?scale$")


def _is_header(measure: str | None):
    def check(cells: list[str]) -> bool:
        if not any(_LAD_CODE.match(c) for c in cells):
            return False
        if measure is None:
            return any(_average(m).match(c) for m in SUMMARY_MEASURES for c in cells)
        return any(_average(measure).match(c) for c in cells)

    return check


def _one(table: RawTable, problems: ProblemList, pattern: re.Pattern[str], what: str) -> str | None:
    hits = find_column(list(table.frame.columns), lambda h: bool(pattern.match(h)))
    if len(hits) > 1:
        problems.add(f"{len(hits)} columns look like the {what}: {hits}", column=hits[0])
        return None
    return hits[0] if hits else None


def _read_measures(table: RawTable, measures: list[str], edition: int) -> pd.DataFrame:
    problems = ProblemList(table.file)
    code = _one(table, problems, _LAD_CODE, "district code")
    if code is None:
        problems.add("missing column: the Local Authority District code", column="Local Authority District code")
        problems.raise_if_any()
    assert code is not None
    frame = table.frame
    out = pd.DataFrame({"lad_code": text_column(frame[code])})
    name = _one(table, problems, _LAD_NAME, "district name")
    out["lad_name"] = text_column(frame[name]) if name else pd.Series(pd.NA, index=frame.index, dtype="string")
    check_codes(problems, table, out["lad_code"], code, imd.LAD_CODE_PATTERN, "an English district code")
    check_unique(problems, table, out["lad_code"], code)
    for measure in measures:
        average = _one(table, problems, _average(measure), f"{measure} average score")
        if average is None:
            continue
        scores = check_floats(problems, table, frame[average], average, what="average score")
        outside = (scores.notna() & ((scores < 0) | (scores > 1))).fillna(False)
        if outside.any():
            problems.add_rows(table, outside, average, "an average rate must be between 0 and 1")
        out[f"{measure}_average_score"] = scores
        if measure in WITH_SCALE:
            scale = _one(table, problems, _scale(measure), f"{measure} scale")
            if scale is None:
                problems.add(f"missing column: expected the {measure} scale beside its average score", column=scale)
                continue
            counts = check_floats(problems, table, frame[scale], scale, what="scale (people)")
            negative = (counts.notna() & (counts < 0)).fillna(False)
            if negative.any():
                problems.add_rows(table, negative, scale, "a count of people cannot be negative")
            out[f"{measure}_scale"] = counts
    problems.raise_if_any()
    return out


def read_iod_summaries(path: Path, edition: int) -> pd.DataFrame:
    """Read File 10 (the district summaries) of an IoD edition, workbook or renamed CSV.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    edition : {2019, 2025}
        The edition (for messages and code checks).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`summary_columns`, one row per district; scores and scales
        ``Float64`` (missing where the file has no such column).

    Raises
    ------
    DataValidationError
        Naming the file, sheet, row and column: no district code, no income or employment
        average score, a scale missing beside its average, a rate outside 0..1, a repeated
        district, or districts that differ between sheets.
    """
    if edition not in imd.EDITIONS:
        raise ValueError(f"edition must be one of {imd.EDITIONS}, not {edition!r}")
    what = f"IoD{edition} File 10 (district summaries)"
    first = read_raw_table(path, is_header=_is_header(None), what=what)
    headers = [normalise_header(h) for h in first.frame.columns]
    in_first = [m for m in SUMMARY_MEASURES if any(_average(m).match(h) for h in headers)]
    if len(in_first) > 1:  # one table holds every measure (the renamed CSV)
        out = _read_measures(first, in_first, edition)
    else:  # one sheet per measure (MHCLG's workbook)
        out = None
        for measure in SUMMARY_MEASURES:
            try:
                table = read_raw_table(path, is_header=_is_header(measure), what=f"{what}, {measure} sheet")
            except DataValidationError:
                if measure in WITH_SCALE:
                    raise
                continue
            part = _read_measures(table, [measure], edition)
            if out is None:
                out = part
                continue
            if set(part["lad_code"]) != set(out["lad_code"]):
                problems = ProblemList(table.file)
                problems.add(f"the {measure} sheet lists other districts than the first sheet")
                problems.raise_if_any()
            out = out.merge(part.drop(columns="lad_name"), on="lad_code", how="left", validate="one_to_one")
        assert out is not None
    for measure in WITH_SCALE:
        if f"{measure}_average_score" not in out:
            problems = ProblemList(Path(path).name)
            problems.add(f"missing column: expected the {measure} average score", column=f"{measure} - Average score")
            problems.raise_if_any()
    for column in summary_columns():
        if column not in out:
            out[column] = pd.Series(pd.NA, index=out.index, dtype="Float64")
    return out.loc[:, summary_columns()].reset_index(drop=True)
