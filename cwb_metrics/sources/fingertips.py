"""OHID Fingertips: the API's "all data" CSV export for one or more indicators.

``https://fingertips.phe.org.uk/api/all_data/csv/by_indicator_id?indicator_ids=ID&child_area_type_id=C&parent_area_type_id=P``
returns one row per indicator, area, sex, age, category and time period. Its header is
written by Fingertips' own exporter (``CsvBuilderIndicatorDataHeaderWriter`` in
PublicHealthEngland/fingertips-open; the R client fingertipsR reads the same names):

``Indicator ID, Indicator Name, Parent Code, Parent Name, Area Code, Area Name, Area Type,
Sex, Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit, Upper CI 95.0
limit, Lower CI 99.8 limit, Upper CI 99.8 limit, Count, Denominator, Value note, Recent
Trend, Compared to England value or percentiles, Compared to <parent> value or percentiles,
Time period Sortable, New data, Compared to goal`` (newer exports add ``Time period range``).

The same export re-saved by R's ``write.csv`` (as the ONS SDG team did for SDG 3.9.1) has a
first, unnamed row-number column, dots for the spaces in the header (``Indicator.ID``,
``Lower.CI.95.0.limit``) and ``NA`` for empty cells. :func:`read_fingertips_csv` reads
both: headers are matched after turning dots into spaces, and ``NA`` is blank in the
re-saved form.

Rows with a ``Category Type`` are breakdowns (e.g. England by deprivation decile), not
area values. A unitary authority appears once per area type it belongs to (county and
district lists) with the same value: such repeats are kept once; repeats with different
values are problems.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from cwb_metrics.sources.rawtable import ProblemList, RawTable, parse_numbers, read_raw_table

#: Canonical column -> the Fingertips header (as the API writes it).
HEADERS: dict[str, str] = {
    "indicator_id": "Indicator ID",
    "indicator_name": "Indicator Name",
    "areacd": "Area Code",
    "areanm": "Area Name",
    "area_type": "Area Type",
    "sex": "Sex",
    "age": "Age",
    "category_type": "Category Type",
    "category": "Category",
    "time_period": "Time period",
    "value": "Value",
    "lci_95": "Lower CI 95.0 limit",
    "uci_95": "Upper CI 95.0 limit",
    "count": "Count",
    "denominator": "Denominator",
    "value_note": "Value note",
}
#: Columns every export has; the others are read when present.
REQUIRED: tuple[str, ...] = ("indicator_id", "areacd", "areanm", "area_type", "sex", "age", "category_type",
                             "category", "time_period", "value")  # fmt: skip
#: Columns of the frame :func:`read_fingertips_csv` returns.
FINGERTIPS_COLUMNS: tuple[str, ...] = (*HEADERS, "period")

_YEAR = re.compile(r"^([0-9]{4})$")
_FINANCIAL = re.compile(r"^([0-9]{4})/([0-9]{2})$")
_POOLED = re.compile(r"^([0-9]{4})\s*-\s*([0-9]{2})$")


def _normalise(header: object) -> str:
    """A header without case, dots or repeated spaces: ``Lower.CI.95.0.limit`` = ``Lower CI 95.0 limit``."""
    text = str(header).replace("\ufeff", "").replace(".", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()


def fingertips_period(text: str) -> str:
    """Turn a Fingertips time period into an ISO-8601 period as ONS writes it.

    ``2019`` -> ``2019``; ``2019/20`` (financial year) -> ``2019-04-01/P1Y``;
    ``2017 - 19`` (three pooled years) -> ``2017-01-01/P3Y``.

    Raises
    ------
    ValueError
        For any other form.
    """
    text = str(text).strip()
    if _YEAR.match(text):
        return text
    if match := _FINANCIAL.match(text):
        start = int(match[1])
        if int(match[2]) != (start + 1) % 100:
            raise ValueError(f"{text!r} is not a financial year like 2019/20")
        return f"{start}-04-01/P1Y"
    if match := _POOLED.match(text):
        start, end = int(match[1]), int(match[2])
        span = (end - start % 100) % 100 + 1
        if not 2 <= span <= 10:
            raise ValueError(f"{text!r} is not a run of pooled years like 2017 - 19")
        return f"{start}-01-01/P{span}Y"
    raise ValueError(f"{text!r} is not a Fingertips time period (2019, 2019/20 or 2017 - 19)")


def _is_header(cells: list[str]) -> bool:
    return any(_normalise(c) == "indicator id" for c in cells)


def _read_text(path: Path) -> tuple[RawTable, bool]:
    """The file as text cells, and whether it is R's re-saved form."""
    table = read_raw_table(path, is_header=_is_header, what="a Fingertips all-data CSV export")
    frame = table.frame
    resaved = any("." in str(c) for c in frame.columns) or str(frame.columns[0]).strip() == ""
    if resaved:
        if str(frame.columns[0]).strip() == "":
            frame = frame.iloc[:, 1:]
        frame = frame.replace({"NA": ""})
    frame = frame.fillna("").astype(str)
    return RawTable(frame, table.file, table.header_row, table.lines), resaved


def read_fingertips_csv(path: str | Path) -> pd.DataFrame:
    """Read and validate a Fingertips "all data" CSV export (API form or R's re-saved form).

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FINGERTIPS_COLUMNS`: text columns as published (blank as ``""``),
        ``indicator_id`` as int, ``value``, ``lci_95``, ``uci_95``, ``count`` and
        ``denominator`` as float64 (``NaN`` when blank), and ``period`` in ISO form
        (:func:`fingertips_period`). One row per indicator, area, sex, age, category and
        period.

    Raises
    ------
    DataValidationError
        Naming the file, 1-based line (header = line 1) and column: a missing column,
        a non-integer indicator id, an unreadable time period or number, an empty area
        code, or the same area and period twice with different values.
    """
    path = Path(path)
    table, _ = _read_text(path)
    text = table.frame
    problems = ProblemList(table.file)
    by_name = {_normalise(c): c for c in text.columns}
    columns: dict[str, str] = {}
    for key, header in HEADERS.items():
        found = by_name.get(_normalise(header))
        if found is not None:
            columns[key] = found
        elif key in REQUIRED:
            problems.add(f"no column {header!r} (found: {', '.join(map(str, text.columns[:8]))}, ...); "
                         "expected a Fingertips all-data CSV export")  # fmt: skip
    problems.raise_if_any()

    out = pd.DataFrame(index=text.index)
    for key in HEADERS:
        if key in ("indicator_id", "value", "lci_95", "uci_95", "count", "denominator"):
            continue
        out[key] = text[columns[key]].str.strip() if key in columns else ""
    ids, blank, invalid = parse_numbers(text[columns["indicator_id"]])
    bad_id = blank | invalid | (ids.fillna(0) % 1 != 0)
    if bad_id.any():
        problems.add_rows(table, bad_id, HEADERS["indicator_id"], "not a whole number", text[columns["indicator_id"]])
    out.insert(0, "indicator_id", ids.fillna(0).astype("int64"))
    for key in ("value", "lci_95", "uci_95", "count", "denominator"):
        if key not in columns:
            out[key] = np.nan
            continue
        numbers, _, invalid = parse_numbers(text[columns[key]])
        if invalid.any():
            problems.add_rows(table, invalid, HEADERS[key], "not a number", text[columns[key]])
        out[key] = numbers
    no_code = out["areacd"].eq("")
    if no_code.any():
        problems.add_rows(table, no_code, HEADERS["areacd"], "the area code is empty")
    periods: list[str] = []
    for position, raw in enumerate(out["time_period"]):
        try:
            periods.append(fingertips_period(raw))
        except ValueError as error:
            problems.add(str(error), row=table.line(position), column=HEADERS["time_period"])
            periods.append("")
    out["period"] = periods
    problems.raise_if_any()
    return _drop_repeats(out, table, problems).loc[:, list(FINGERTIPS_COLUMNS)].reset_index(drop=True)


def _drop_repeats(out: pd.DataFrame, table: RawTable, problems: ProblemList) -> pd.DataFrame:
    """Keep one row per area, sex, age, category and period; differing repeats are problems."""
    keys = ["indicator_id", "areacd", "sex", "age", "category_type", "category", "period"]
    repeated = out.duplicated(keys, keep="first")
    if not repeated.any():
        return out
    first = out.drop_duplicates(keys, keep="first").set_index(keys)["value"]
    later = out.loc[repeated].set_index(keys)["value"]
    differs = ~np.isclose(later.to_numpy(), first.reindex(later.index).to_numpy(), equal_nan=True, rtol=0, atol=1e-9)
    if differs.any():
        mask = repeated.copy()
        mask.loc[repeated] = differs
        problems.add_rows(table, mask, HEADERS["value"],
                          "the same area, sex, age, category and period appear earlier with a different value",
                          out["areacd"])  # fmt: skip
        problems.raise_if_any()
    return out.loc[~repeated]
