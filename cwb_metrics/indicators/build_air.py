"""Builder ``fingertips``: an indicator from an OHID Fingertips export, gaps filled from the UK SDG platform.

Catalogue usage::

    extract:
      method: fingertips
      source: fingertips/93861                  # the Fingertips all-data CSV export
      params:
        indicator_id: 93861                     # required: the Fingertips indicator id
        sex: Persons                            # optional (default Persons)
        age: 30+ yrs                            # optional (default: any)
        extra_source: ons/sdg_3_9_1             # optional: an open-sdg CSV of the same indicator
        sdg_series: Fraction of mortality attributable to particulate air pollution (new method)

Rows are the export's area values (no ``Category Type``: breakdowns such as England by
deprivation decile are left out) for England, the county and its districts, with their
95% confidence limits where published and Fingertips' value note in ``notes``. When
``extra_source`` is given and fetched, an area and period the export lacks is taken from
that SDG series (its headline rows: no deprivation decile, value not missing), noted as
such: the ONS SDG team copies Fingertips' values, rounded to 2 decimal places, so this
only adds periods (e.g. a year published after the export was made, or older years of a
series). Two Fingertips indicators measured by different methods are two catalogue
records, never spliced into one series.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import area_lookup, require_param, to_canonical
from cwb_metrics.indicators.build_workbooks import extra_sources
from cwb_metrics.indicators.builders import ExtraSourceParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fingertips import read_fingertips_csv
from cwb_metrics.sources.sdg import read_sdg_csv


def _fingertips_rows(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    params = meta.extract.params
    source = meta.extract.source
    try:
        indicator_id = int(require_param(meta, "indicator_id"))
    except ValueError:
        message = f"indicator {meta.id}: extract.params.indicator_id must be a Fingertips indicator number"
        raise CwbError(message) from None
    table = context.cached(f"fingertips:{source}", lambda: read_fingertips_csv(context.path(source)))
    rows = table[(table["indicator_id"] == indicator_id) & table["category_type"].eq("")]
    if rows.empty:
        found = ", ".join(str(i) for i in sorted(table["indicator_id"].unique()))
        raise CwbError(f"indicator {meta.id}: {source} has no rows for Fingertips indicator {indicator_id} "
                       f"(it has {found})")  # fmt: skip
    rows = rows[rows["sex"] == str(params.get("sex", "Persons"))]
    if "age" in params:
        rows = rows[rows["age"] == str(params["age"])]
    if rows.duplicated(["areacd", "period"]).any():
        raise CwbError(f"indicator {meta.id}: {source} has several ages or sexes per area and period; "
                       "set extract.params.sex and extract.params.age")  # fmt: skip
    return rows.assign(notes=rows["value_note"])


def _sdg_rows(context: BuildContext, meta: IndicatorMeta, source: str) -> pd.DataFrame:
    series = require_param(meta, "sdg_series")
    table = context.cached(f"sdg:{source}", lambda: read_sdg_csv(context.path(source)))
    rows = table[table.get("series", pd.Series("", index=table.index)) == series]
    if rows.empty:
        found = ", ".join(repr(s) for s in table.get("series", pd.Series(dtype=str)).unique())
        raise CwbError(f"indicator {meta.id}: {source} has no series {series!r} (it has {found})")
    if "deprivation decile" in rows:
        rows = rows[rows["deprivation decile"].eq("")]
    if "observation status" in rows:
        rows = rows[~rows["observation status"].str.casefold().eq("missing value")]
    rows = rows[rows["value"].notna()]
    note = f"From the ONS UK SDG platform ({source}), which republishes Fingertips' value rounded to 2 decimals"
    return pd.DataFrame({"areacd": rows["geocode"], "period": rows["period"], "value": rows["value"], "notes": note})


class FingertipsParams(ExtraSourceParams):
    """``extract.params`` of the ``fingertips`` builder."""

    indicator_id: int
    sex: str = "Persons"
    age: str | None = None
    sdg_series: str | None = None


@builder("fingertips", params=FingertipsParams)
def build_fingertips(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Area values of one Fingertips indicator (see the module docstring).

    Raises
    ------
    CwbError
        When the export has no such indicator, or several sexes or ages remain, or the
        SDG file has no such series.
    DataValidationError
        When a file itself is invalid.
    """
    areas = area_lookup(context)
    rows = _fingertips_rows(context, meta)
    rows = rows[rows["areacd"].isin(areas)]
    frames = [rows[["areacd", "period", "value", "lci_95", "uci_95", "notes"]]]
    for source in extra_sources(meta):
        if source not in context.files:
            continue
        extra = _sdg_rows(context, meta, source)
        extra = extra[extra["areacd"].isin(areas)]
        have = set(zip(rows["areacd"], rows["period"], strict=True))
        frames.append(extra[[(a, p) not in have for a, p in zip(extra["areacd"], extra["period"], strict=True)]])
    return to_canonical(pd.concat(frames, ignore_index=True), context, meta)
