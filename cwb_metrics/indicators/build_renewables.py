"""Builder ``renewables_per_household``: renewable electricity generated per household, over typical household use.

Catalogue usage::

    extract:
      method: renewables_per_household
      source: desnz/renewable_electricity_2021          # DESNZ renewable electricity by LA
      params:
        demand_source: els/domestic-electricity-consumption
        demand_indicator: Electricity consumption       # ELS: median domestic kWh per meter

For each area and year: (renewable generation in kWh / estimated households) / median
domestic electricity consumption per meter (kWh). 1 means the area's renewable sites
generate, per household, as much electricity as a typical home uses in a year.

- Generation and households are DESNZ's (households are ONS estimates printed in the
  same table). England sums the generation and households of every English local
  authority with a household estimate.
  The county has no value: ELS publishes no county median consumption, and a median of
  districts' medians is not a median, so none is invented.
- Generation is by calendar year; consumption runs February to January (``2021`` is
  February 2021 to January 2022): the two are paired by their first year.
- Where DESNZ suppresses a technology (``[X]``), its total leaves that generation out:
  the value is then a lower bound and the notes name the technologies left out.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import require_param, to_canonical
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import parse_period
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.els import read_els_csv
from cwb_metrics.sources.renewables import read_renewable_generation


def _demand(context: BuildContext, meta: IndicatorMeta) -> pd.Series:
    """Median domestic kWh per meter by (area code, first year of the period)."""
    source = require_param(meta, "demand_source")
    label = require_param(meta, "demand_indicator")
    frame = context.cached(f"els:{source}", lambda: read_els_csv(context.path(source)))
    rows = frame[frame["indicator"] == label]
    if rows.empty:
        raise CwbError(f"indicator {meta.id}: {source} has no indicator {label!r}")
    years = rows["period"].map(lambda p: parse_period(p).start.year)
    return pd.Series(rows["value"].to_numpy(), index=pd.MultiIndex.from_arrays([rows["areacd"], years]))


class RenewablesParams(BuilderParams):
    """``extract.params`` of the ``renewables_per_household`` builder."""

    demand_source: str
    demand_indicator: str


@builder("renewables_per_household", params=RenewablesParams)
def build_renewables_per_household(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Renewable generation per household over median household electricity use (see the module docstring)."""
    source = meta.extract.source
    generation = context.cached(f"renewables:{source}", lambda: read_renewable_generation(context.path(source)))
    demand = _demand(context, meta)
    districts = generation[generation["areacd"].isin([d.code for d in context.areas.districts])]
    english = generation[(generation["country"] == "England") & generation["households"].notna()]
    england = (
        english.groupby("year", as_index=False)[["households", "total_mwh"]]
        .sum(min_count=1)
        .assign(areacd=context.areas.country_code, suppressed="some technologies in some authorities")
    )
    rows = []
    for row in pd.concat([districts, england], ignore_index=True).itertuples(index=False):
        median = demand.get((row.areacd, int(row.year)))
        per_household = row.total_mwh * 1000 / row.households if row.households else float("nan")
        notes = f"{row.total_mwh:,.0f} MWh generated; {row.households:,.0f} households"
        if median is not None:
            notes += f"; median household use {median:,.0f} kWh"
        if row.suppressed:
            notes += f"; lower bound: generation from {row.suppressed} is suppressed by DESNZ and not counted"
        value = per_household / median if median else float("nan")
        status = "" if median else "no median household electricity use published for this area and year"
        rows.append({"areacd": row.areacd, "period": str(row.year), "value": value, "status": status, "notes": notes})
    return to_canonical(pd.DataFrame(rows), context, meta)
