"""Builder ``census``: a Census 2021 share (% of households or residents) for districts, the county and England.

Catalogue usage::

    extract:
      method: census
      source: census/2021/ts011_ltla        # the district (LTLA) table, or the LSOA table
      params:                               # where ONS publishes no district file (TS052)
        lsoa_source: census/2021/ts011_lsoa

The categories counted and their base come from
:data:`cwb_metrics.sources.census.CENSUS_MEASURES` under the indicator's id. Values are
100 x count / base, from counts, never from averaged percentages:

- **district**: ONS's own district (LTLA) row; where the source is an LSOA table, or the
  district is not in the LTLA file (a council created after 2021), the sum of its LSOAs'
  counts (the county's LSOAs and their districts come from
  :func:`cwb_metrics.deprivation.county.county_lsoa21`);
- **county**: the sum of its districts' counts (written only when every district has one);
- **England**: the sum over England's districts in the LTLA file (codes ``E06``-``E09``),
  or over England's LSOAs (``E01``) for an LSOA table.

Wards, neighbourhoods and LSOAs are built from the LSOA counts at portrait time
(:data:`cwb_metrics.deprivation.lsoa_indicators.LSOA_INDICATORS`). The period is
``2021`` (Census Day, 21 March 2021); ``notes`` give the counts and how they were summed.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.county import county_lsoa21
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import require_param, to_canonical
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.census import (
    CENSUS_MEASURES,
    CENSUS_PERIOD,
    CensusMeasure,
    Level,
    measure_counts,
    read_census_table,
)
from cwb_metrics.sources.context import BuildContext


def census_measure(meta: IndicatorMeta) -> CensusMeasure:
    """Return the Census measure of a catalogue record (by its id).

    Raises
    ------
    CwbError
        When no measure is defined for the id.
    """
    try:
        return CENSUS_MEASURES[meta.id]
    except KeyError:
        raise CwbError(
            f"indicator {meta.id}: builder 'census' has no measure for this id; define its categories in "
            "cwb_metrics.sources.census.CENSUS_MEASURES"
        ) from None


def census_table(context: BuildContext, source: str, level: Level) -> pd.DataFrame:
    """Return a fetched Census table (:func:`~cwb_metrics.sources.census.read_census_table`), read once."""
    return context.cached(f"census:{source}", lambda: read_census_table(context.path(source), level=level))


def census_counts(context: BuildContext, source: str, level: Level, measure: CensusMeasure) -> pd.DataFrame:
    """Return ``areacd, areanm, count, base`` of a measure from a fetched Census table."""
    return measure_counts(census_table(context, source, level), measure, context.path(source).name)


def _note(count: int, base: int, measure: CensusMeasure, how: str) -> str:
    return f"{count:,} of {base:,} {measure.base_label} {measure.predicate} ({how})"


class CensusParams(BuilderParams):
    """``extract.params`` of builder ``census``: the LSOA table's source (for districts without their own row)."""

    lsoa_source: str


@builder("census", params=CensusParams)
def build_census(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Build a Census 2021 share for England, the county and its districts (see the module docstring).

    Raises
    ------
    CwbError
        When the record has no measure or no ``lsoa_source``.
    DataValidationError
        When a Census file is invalid or lacks a category of the measure.
    """
    measure = census_measure(meta)
    lsoa_source = require_param(meta, "lsoa_source")
    source = meta.extract.source
    lsoa = census_counts(context, lsoa_source, "lsoa", measure)
    ltla = census_counts(context, source, "ltla", measure) if source != lsoa_source else None
    published = ltla.set_index("areacd") if ltla is not None else None
    rows: list[dict[str, object]] = []
    totals: list[tuple[int, int]] = []
    for district in context.areas.districts:
        if published is not None and district.code in published.index:
            count, base = int(published.at[district.code, "count"]), int(published.at[district.code, "base"])
            how = "ONS district table"
        else:
            places = county_lsoa21(context)
            codes = set(places.loc[places["lad_code"] == district.code, "lsoa_code"])
            chosen = lsoa[lsoa["areacd"].isin(codes)]
            if chosen.empty:
                continue
            count, base = int(chosen["count"].sum()), int(chosen["base"].sum())
            how = f"sum of its {len(chosen)} LSOAs (2021)"
        totals.append((count, base))
        rows.append({"areacd": district.code, "count": count, "base": base, "notes": _note(count, base, measure, how)})
    if context.areas.has_county_row and totals and len(totals) == len(context.areas.districts):
        count, base = sum(c for c, _ in totals), sum(b for _, b in totals)
        how = f"sum of its {len(totals)} districts' counts"
        rows.append({"areacd": context.areas.county_code, "count": count, "base": base,
                     "notes": _note(count, base, measure, how)})  # fmt: skip
    if ltla is not None:
        england = ltla[ltla["areacd"].str.match(r"^E0[6-9]")]
        how = f"sum of England's {len(england)} districts"
    else:
        england = lsoa[lsoa["areacd"].str.startswith("E01")]
        how = f"sum of England's {len(england):,} LSOAs (2021)"
    if not england.empty:
        count, base = int(england["count"].sum()), int(england["base"].sum())
        rows.append({"areacd": context.areas.country_code, "count": count, "base": base,
                     "notes": _note(count, base, measure, how)})  # fmt: skip
    frame = pd.DataFrame.from_records(rows, columns=["areacd", "count", "base", "notes"])
    frame["period"] = CENSUS_PERIOD
    frame["value"] = (100 * frame["count"] / frame["base"]).where(frame["base"] > 0).astype("float64").round(6)
    frame["status"] = frame["value"].isna().map({True: "no households or residents", False: ""})
    return to_canonical(frame, context, meta)
