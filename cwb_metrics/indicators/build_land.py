"""Builders for land: the SDG 11.3.1 land-consumption ratio, and homes without private outdoor space.

``land_consumption``
    ONS UK SDG indicator 11.3.1 (open-sdg CSV): the ratio of the land consumption rate
    (growth of OS "manmade" land cover, natural-log rate per year) to the population
    growth rate, for 2013 to 2016. Params: none. The published ratio is kept where both
    rates are positive. The platform publishes the ratio **without its sign**: where
    built-up land shrank or population fell, its "ratio" is the absolute value of a
    negative number, which would read as a normal result. Those areas get no value and a
    status saying why. Each row's notes give both rates. A published ratio that does not
    equal land rate / population rate is an error.
``private_outdoor_space``
    ONS private outdoor space reference tables (April 2020): the percentage of residential
    addresses **without** a private garden, patio or balcony, 100 x (addresses - addresses
    with private outdoor space) / addresses, from the address counts (not the rounded
    published percentage). Districts from ``LAD gardens``, England from ``Country
    gardens``; the county is the sum of its districts' counts when every district is
    present (a count, so the sum is exact). Params: ``period`` (the AddressBase epoch's
    date, required, e.g. ``2020``), ``group`` (``total``, ``houses`` or ``flats``; default
    ``total``).
"""

from __future__ import annotations

import math

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import require_param, to_canonical
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.gardens import read_private_outdoor_space
from cwb_metrics.sources.sdg import read_sdg_csv

SERIES = {
    "land": "Land consumption rate",
    "population": "Population growth rate",
    "ratio": "Ratio of land consumption rate to population growth rate",
}


def _status(land: float, population: float) -> str:
    if land <= 0:
        return "not meaningful: built-up land is recorded as shrinking (the published ratio drops the sign)"
    if population <= 0:
        return "not meaningful: population fell while built-up land grew (the published ratio drops the sign)"
    return ""


@builder("land_consumption")
def build_land_consumption(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Ratio of land consumption rate to population growth rate (SDG 11.3.1), signs checked.

    Raises
    ------
    CwbError
        When a series is missing, or a published ratio is not land rate / population rate.
    """
    source = meta.extract.source
    table = context.cached(f"sdg:{source}", lambda: read_sdg_csv(context.path(source)))
    if "series" not in table:
        raise CwbError(f"indicator {meta.id}: {source} has no Series column; expected SDG 11.3.1")
    missing = [name for name in SERIES.values() if name not in set(table["series"])]
    if missing:
        raise CwbError(f"indicator {meta.id}: {source} lacks the series {missing}")
    wide = table[table["geocode"] != ""].pivot_table(
        index=["geocode", "period"], columns="series", values="value", aggfunc="first"
    )
    wide = wide.rename(columns={name: key for key, name in SERIES.items()}).reset_index()
    records = []
    for row in wide.itertuples(index=False):
        land, population, ratio = float(row.land), float(row.population), float(row.ratio)
        if population and not math.isclose(abs(land / population), ratio, rel_tol=1e-6):
            raise CwbError(f"indicator {meta.id}: {source}, {row.geocode}: the published ratio {ratio} is not the land "
                           f"consumption rate {land} / population growth rate {population}")  # fmt: skip
        status = _status(land, population)
        notes = (f"Land consumption rate {100 * land:.2f}% a year; population growth rate {100 * population:.2f}% "
                 "a year (natural-log rates between the 2013 and 2016 snapshots)")  # fmt: skip
        records.append({"areacd": row.geocode, "period": row.period, "value": math.nan if status else ratio,
                        "status": status, "notes": notes})  # fmt: skip
    return to_canonical(pd.DataFrame.from_records(records), context, meta)


class OutdoorSpaceParams(BuilderParams):
    """``extract.params`` of the ``private_outdoor_space`` builder."""

    period: str
    group: str = "total"


@builder("private_outdoor_space", params=OutdoorSpaceParams)
def build_private_outdoor_space(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of residential addresses without private outdoor space (April 2020)."""
    source = meta.extract.source
    group = str(meta.extract.params.get("group", "total"))
    period = require_param(meta, "period")
    path = context.path(source)

    def sheet_of(sheet: str) -> pd.DataFrame:
        return context.cached(
            f"gardens:{source}:{sheet}:{group}", lambda: read_private_outdoor_space(path, sheet, group=group)
        )

    districts, countries = sheet_of("LAD gardens"), sheet_of("Country gardens")
    codes = [d.code for d in context.areas.districts]
    mine = districts[districts["areacd"].isin(codes)]
    parts = [mine, countries[countries["areacd"] == context.areas.country_code]]
    if context.areas.has_county_row and set(mine["areacd"]) == set(codes):
        county = mine[["addresses", "with_outdoor_space"]].sum()
        parts.append(pd.DataFrame([{"areacd": context.areas.county_code, **county.to_dict()}]))
    counts = pd.concat(parts, ignore_index=True)
    value = 100 * (counts["addresses"] - counts["with_outdoor_space"]) / counts["addresses"]
    notes = [f"{a - w:,.0f} of {a:,.0f} addresses without private outdoor space"
             for a, w in zip(counts["addresses"], counts["with_outdoor_space"], strict=True)]  # fmt: skip
    rows = pd.DataFrame({"areacd": counts["areacd"], "period": period, "value": value, "notes": notes})
    return to_canonical(rows, context, meta)
