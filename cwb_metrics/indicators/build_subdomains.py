"""Builder ``iod_subdomain_share``: % of residents in LSOAs among England's most deprived 20% on an IoD2025 sub-domain.

Catalogue usage::

    extract:
      method: iod_subdomain_share
      source: imd/2025/subdomains
      params:
        population_source: census/2021/ts037_lsoa

The sub-domain comes from :data:`cwb_metrics.sources.imd_subdomains.SUBDOMAIN_INDICATORS`
under the indicator's id. LSOAs are weighted by their Census 2021 usual residents. England
is every English LSOA (about 20% by construction, not exactly, because LSOAs differ in
population); each district is its LSOAs (:func:`cwb_metrics.deprivation.county.county_lsoa21`);
the county is the sum of its districts. Wards and neighbourhoods are built from
``lsoa/iod2025_subdomains.parquet`` at portrait time. A relative measure: catalogue records
set ``role: context``. Period ``2025``.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.subdomains_lsoa import (
    SUBDOMAIN_EDITION,
    county_subdomains,
    deprived_column,
    england_subdomains,
)
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import to_canonical
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.imd_subdomains import SUBDOMAIN_INDICATORS, SUBDOMAINS


def _row(code: str, deprived: int, residents: int, label: str, how: str) -> dict[str, object]:
    value = round(100 * deprived / residents, 6) if residents > 0 else None
    notes = (f"{deprived:,} of {residents:,} residents (Census 2021) live in LSOAs among England's 20% most deprived "
             f"on the {label} sub-domain ({how})")  # fmt: skip
    return {"areacd": code, "value": value, "notes": notes}


class SubdomainParams(BuilderParams):
    """``extract.params`` of builder ``iod_subdomain_share``: the source of the population weights."""

    population_source: str


@builder("iod_subdomain_share", params=SubdomainParams)
def build_iod_subdomain_share(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Build the share for England, the county and its districts (see the module docstring).

    Raises
    ------
    CwbError
        When the indicator's id names no sub-domain.
    """
    key = SUBDOMAIN_INDICATORS.get(meta.id)
    if key is None:
        raise CwbError(f"indicator {meta.id}: builder 'iod_subdomain_share' has no sub-domain for this id; "
                       "add it to cwb_metrics.sources.imd_subdomains.SUBDOMAIN_INDICATORS")  # fmt: skip
    label, column = SUBDOMAINS[key], deprived_column(key)
    england = england_subdomains(context)
    county = county_subdomains(context)
    rows = [_row(context.areas.country_code, int(england[column].sum()), int(england["residents"].sum()), label,
                 f"England's {len(england):,} LSOAs")]  # fmt: skip
    totals = []
    for district in context.areas.districts:
        own = county[county["lad_code"] == district.code]
        if own.empty:
            continue
        deprived, residents = int(own[column].sum()), int(own["residents"].sum())
        totals.append((deprived, residents))
        rows.append(_row(district.code, deprived, residents, label, f"its {len(own)} LSOAs"))
    if context.areas.has_county_row and totals and len(totals) == len(context.areas.districts):
        rows.append(_row(context.areas.county_code, sum(d for d, _ in totals), sum(r for _, r in totals), label,
                         f"its {len(county)} LSOAs"))  # fmt: skip
    return to_canonical(pd.DataFrame.from_records(rows).assign(period=str(SUBDOMAIN_EDITION)), context, meta)
