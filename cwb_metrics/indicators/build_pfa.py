"""Builder ``els_police_force_area``: an ONS Explore Local Statistics indicator published only by police force area.

Catalogue usage::

    extract:
      method: els_police_force_area
      source: els/homicide-offences
      params:
        indicator: Homicide Offences     # as for builder ``els``; ``measure`` optional

Some statistics (homicide) are published for police force areas (``E23`` codes), not
districts. The area configuration names the force area that covers the county or
district (``police_force_area: {code: E23000029, name: Thames Valley}``); the county and
every district **inherit** that force area's value, period by period, with a note saying
so. England's row is kept as published. Without ``police_force_area`` in the
configuration no value is guessed: England is written, and the county and districts get a
row of England's latest period with no value and :data:`NO_FORCE_AREA` as its status, so
the portrait says why the figure is missing (a warning is logged too). ``init-area``
leaves the field for the user: the mirror has no official district to police force area
lookup.
"""

from __future__ import annotations

import logging

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import ElsParams, select_els_rows, to_canonical
from cwb_metrics.indicators.builders import builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import period_sort_key
from cwb_metrics.sources.context import BuildContext

log = logging.getLogger(__name__)

#: The status of the county's and districts' rows when the configuration names no force area (at most 100 characters).
NO_FORCE_AREA = "published by police force area only; set police_force_area in the area configuration"


@builder("els_police_force_area", params=ElsParams)
def build_els_police_force_area(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Build England's rows and the configured force area's rows inherited by the county and districts.

    Raises
    ------
    CwbError
        When the file has no such indicator, or no rows for the configured force area.
    """
    rows = select_els_rows(context, meta)
    areas = context.areas
    england = rows[rows["areacd"] == areas.country_code]
    force = areas.police_force_area
    if force is None:
        log.warning("indicator %s: no police_force_area in the area configuration: no local value", meta.id)
        if england.empty:
            return to_canonical(england, context, meta)
        latest = max(england["period"].astype(str), key=period_sort_key)
        codes = [*([areas.county_code] if areas.has_county_row else []), *(d.code for d in areas.districts)]
        missing = pd.DataFrame(
            {"areacd": codes, "period": latest, "value": float("nan"), "status": NO_FORCE_AREA, "notes": ""}
        )
        return to_canonical(pd.concat([england, missing], ignore_index=True), context, meta)
    own = rows[rows["areacd"] == force.code]
    if own.empty:
        raise CwbError(
            f"indicator {meta.id}: {meta.extract.source} has no rows for the police force area {force.name} "
            f"({force.code}) set in the area configuration; check police_force_area"
        )
    note = f"{force.name} police force area ({force.code}): published for the force area, not for this area"
    county = [areas.county_code] if areas.has_county_row else []
    inherited = [own.assign(areacd=code, notes=note) for code in (*county, *(d.code for d in areas.districts))]
    return to_canonical(pd.concat([england, *inherited], ignore_index=True), context, meta)
