"""Builder ``health_index``: one indicator of the ONS Health Index for England (index score, England 2015 = 100).

Catalogue usage::

    extract:
      method: health_index
      source: ons/health_index_2021
      params:
        indicator: Air pollution        # a column of the yearly tables, without its [note]

One period per yearly sheet; England, the county (an upper-tier authority in the
workbook) and its districts (lower-tier). Scores are used as published. They are
relative index values, so these records are context: shown beside the portrait, never
scored against a threshold.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import require_param, to_canonical
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.health_index import read_health_index


class HealthIndexParams(BuilderParams):
    """``extract.params`` of the ``health_index`` builder."""

    indicator: str


@builder("health_index", params=HealthIndexParams)
def build_health_index(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Index scores of one Health Index indicator, one period per year.

    Raises
    ------
    CwbError
        When the workbook has no such indicator.
    """
    wanted = require_param(meta, "indicator").casefold()
    source = meta.extract.source
    table = context.cached(f"health_index:{source}", lambda: read_health_index(context.path(source)))
    rows = table[table["indicator"] == wanted]
    if rows.empty:
        found = ", ".join(sorted(table["indicator"].unique())[:12])
        raise CwbError(f"indicator {meta.id}: {source} has no Health Index column {wanted!r} (it has {found}, ...)")
    return to_canonical(rows.assign(period=rows["year"].astype(str)), context, meta)
