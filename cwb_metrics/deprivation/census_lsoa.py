"""Table producer: Census 2021 counts for the county's LSOAs (2021), written at each refresh.

``lsoa/census2021.parquet`` holds one row per county LSOA 2021 (from
:func:`cwb_metrics.deprivation.county.county_lsoa21`) with, for every measure of
:data:`cwb_metrics.sources.census.CENSUS_MEASURES`, its count (``<id>_count``) and base
(``<id>_base``) as ONS publishes them for the LSOA. Wards and neighbourhoods are then
built as the sum of counts over the sum of bases (households- or residents-weighted), by
:mod:`cwb_metrics.portrait.small_area` through
:data:`cwb_metrics.deprivation.lsoa_indicators.LSOA_INDICATORS`.

A measure whose LSOA file was not fetched (an optional source missing from the mirror)
has no columns, so it has no small-area rows (shown as missing, never as zero).
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.county import WARD25_LOOKUP, county_lsoa21, imd_sources
from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.sources.census import CENSUS_MEASURES, CENSUS_PERIOD, census_source, measure_counts, read_census_table
from cwb_metrics.sources.context import BuildContext, Output

CENSUS_TABLE = "lsoa/census2021.parquet"
#: Place columns of :data:`CENSUS_TABLE`; each measure adds ``<id>_count`` and ``<id>_base``.
CENSUS_PLACE_COLUMNS: tuple[str, ...] = ("lsoa_code", "lsoa_name", "lsoa_vintage", "lad_code", "year")


def count_column(indicator: str) -> str:
    """The column of :data:`CENSUS_TABLE` holding a measure's count."""
    return f"{indicator}_count"


def base_column(indicator: str) -> str:
    """The column of :data:`CENSUS_TABLE` holding a measure's base."""
    return f"{indicator}_base"


def county_census(context: BuildContext) -> tuple[pd.DataFrame, list[str]]:
    """Return the county's LSOA Census counts and the Census sources read.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table (:data:`CENSUS_PLACE_COLUMNS`, then ``<id>_count``, ``<id>_base`` per
        measure whose LSOA file was fetched; ``Int64``), sorted by LSOA code; and the
        source ids it was built from.

    Raises
    ------
    DataValidationError
        When a Census LSOA file lacks some of the county's LSOAs, or is invalid.
    """
    places = county_lsoa21(context)
    frame = pd.DataFrame(
        {
            "lsoa_code": places["lsoa_code"].astype("string"),
            "lsoa_name": places["lsoa_name"].astype("string"),
            "lsoa_vintage": 2021,
            "lad_code": places["lad_code"].astype("string"),
            "year": int(CENSUS_PERIOD),
        }
    )
    used: list[str] = []
    for indicator, measure in CENSUS_MEASURES.items():
        source = census_source(measure.table, "lsoa")
        if source not in context.files:
            continue
        path = context.path(source)
        table = context.cached(f"census:{source}", lambda: read_census_table(path, level="lsoa"))  # noqa: B023
        counts = measure_counts(table, measure, path.name).set_index("areacd")
        missing = sorted(set(frame["lsoa_code"]) - set(counts.index))
        if missing:
            shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
            message = f"lacks {len(missing)} of the county's LSOAs (2021): {shown}"
            raise DataValidationError([Problem(path.name, None, "geography code", message)])
        frame[count_column(indicator)] = frame["lsoa_code"].map(counts["count"]).astype("Int64")
        frame[base_column(indicator)] = frame["lsoa_code"].map(counts["base"]).astype("Int64")
        used.append(source)
    return frame.sort_values("lsoa_code", ignore_index=True), list(dict.fromkeys(used))


def build_census_lsoa_table(context: BuildContext) -> list[Output]:
    """Build ``lsoa/census2021.parquet`` (a table producer); nothing when no Census LSOA file was fetched."""
    if not any(census_source(m.table, "lsoa") in context.files for m in CENSUS_MEASURES.values()):
        return []
    frame, used = county_census(context)
    places = [*imd_sources(context, 2025)] + ([WARD25_LOOKUP] if WARD25_LOOKUP in context.files else [])
    return [Output(CENSUS_TABLE, frame, tuple(dict.fromkeys([*used, *places])))]
