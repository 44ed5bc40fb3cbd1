"""ONS UK Sustainable Development Goals data (sdgdata.gov.uk): one tidy CSV per indicator.

The UK SDG platform publishes each indicator in the open-sdg format: a ``Year`` column,
one column per disaggregation (``Series``, ``Region``, ``Local authority``, ``Deprivation
decile``, ``Units``, ``Observation status`` ... which differ between indicators), a
``GeoCode`` and a ``Value``. Blank disaggregation cells mean "all" (the headline row).
:func:`read_sdg_csv` reads any of them; rows are kept as published.

``Year`` is a year (``2021``) or a span (``2013/16``); :func:`sdg_period` turns it into an
ISO period. ``Observation status`` ``Missing value`` rows have no value.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from cwb_metrics.sources.rawtable import ProblemList, RawTable, normalise_header, parse_numbers, read_raw_table

_YEAR = re.compile(r"^([0-9]{4})$")
_SPAN = re.compile(r"^([0-9]{4})/([0-9]{2})$")


def sdg_period(year: str) -> str:
    """``2021`` -> ``2021``; ``2013/16`` (change between 2013 and 2016) -> ``2013-01-01/P4Y``.

    A span is written as the calendar years it runs over, first to last, as the
    publisher's ``2013/16`` reads.

    Raises
    ------
    ValueError
        For any other form.
    """
    text = str(year).strip()
    if _YEAR.match(text):
        return text
    if match := _SPAN.match(text):
        start = int(match[1])
        years = (int(match[2]) - start % 100) % 100 + 1
        if 2 <= years <= 20:
            return f"{start}-01-01/P{years}Y"
    raise ValueError(f"{text!r} is not a year (2021) or a span of years (2013/16)")


def read_sdg_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate an open-sdg indicator CSV from the UK SDG platform.

    Parameters
    ----------
    path : str or pathlib.Path
        E.g. ``indicator_3-9-1.csv``.

    Returns
    -------
    pandas.DataFrame
        ``year`` (as published), ``period`` (ISO, :func:`sdg_period`), ``geocode``
        (``""`` where blank), ``value`` (float64, ``NaN`` where blank), and every other
        column under its normalised name (lower case, e.g. ``series``,
        ``local authority``, ``deprivation decile``, ``observation status``) as text with
        ``""`` for blank.

    Raises
    ------
    DataValidationError
        Naming the file, line and column: no ``Year`` or ``Value`` column, a year that is
        not a year or span, a value that is not a number, or a row repeated with another
        value (a repeat with the same value is kept once).
    """
    path = Path(path)
    table: RawTable = read_raw_table(
        path, is_header=lambda cells: "year" in cells and "value" in cells, what="an open-sdg indicator CSV"
    )
    frame = table.frame
    problems = ProblemList(table.file)
    names = {normalise_header(c): c for c in frame.columns}
    out = pd.DataFrame(index=frame.index)
    for name, column in names.items():
        if name != "value":
            out[name] = frame[column].fillna("").astype(str).str.strip()
    values, _, invalid = parse_numbers(frame[names["value"]])
    if invalid.any():
        problems.add_rows(table, invalid, names["value"], "not a number", frame[names["value"]])
    out["value"] = values
    if "geocode" not in out:
        out["geocode"] = ""
    periods = []
    for position, year in enumerate(out["year"]):
        try:
            periods.append(sdg_period(year))
        except ValueError as error:
            problems.add(str(error), row=table.line(position), column=names["year"])
            periods.append("")
    out["period"] = periods
    problems.raise_if_any()
    return _without_repeats(out, table, problems, names["value"]).reset_index(drop=True)


def _without_repeats(out: pd.DataFrame, table: RawTable, problems: ProblemList, value_column: str) -> pd.DataFrame:
    """Keep one row per year, disaggregation and area; a repeat with another value is a problem."""
    keys = [c for c in out.columns if c not in ("value", "period")]
    repeated = out.duplicated(keys, keep="first").to_numpy()
    if not repeated.any():
        return out
    first = out.drop_duplicates(keys, keep="first").set_index(keys)["value"]
    later = out.loc[repeated].set_index(keys)["value"]
    earlier = first.reindex(later.index).to_numpy()
    differs = ~np.isclose(later.to_numpy(), earlier, equal_nan=True, rtol=0, atol=1e-12)
    if differs.any():
        mask = repeated.copy()
        mask[repeated] = differs
        problems.add_rows(table, mask, value_column,
                          "the same year, series, disaggregation and area appear earlier with another value",
                          out["value"].astype("string"))  # fmt: skip
        problems.raise_if_any()
    return out.loc[~repeated]
