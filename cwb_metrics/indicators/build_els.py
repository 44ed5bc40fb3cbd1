"""Builder ``els``: an indicator from an ONS Explore Local Statistics tidy CSV.

Catalogue usage::

    extract:
      method: els
      source: els/housing-affordability-ratio      # the CSV's source id in data/sources.yaml
      params:
        indicator: Housing affordability ratio (residence-based)   # required
        measure: Percentage                                        # optional

Parameters (``extract.params``):

``indicator`` (required)
    The exact value of the CSV's ``indicator`` column, e.g. ``Satisfaction`` or
    ``Economically inactive``. A file often holds several indicators.
``measure`` (optional)
    A substring of the ``measure`` column, needed only when the indicator has several
    measures (e.g. business demography's ``Percentage`` and ``Number of enterprises``).

Rows are kept for England, the county and its districts (``context.area_codes()``) and
published values are used unchanged, with their confidence limits, status and notes.
Area names and geography (``country``/``county``/``district``) come from the area
configuration. Where ELS has no row for an area (e.g. no county row for smoking or
domestic gas), the area is left missing: no aggregate is invented. The unit is the
catalogue's (``unit_short`` if set, else ``unit``), because some ELS unit labels are
wrong (housing affordability is a ratio, not a "%"). Each CSV is parsed once per refresh
(``context.cached``).

The module also holds the helpers every builder uses: :func:`area_lookup` and
:func:`to_canonical`.
"""

from __future__ import annotations

import math

import pandas as pd
from pydantic import Field

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import BuilderParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.periods import period_sort_key
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.els import read_els_csv

#: Drawing order of geography levels in built frames.
GEOGRAPHY_ORDER = {"country": 0, "region": 1, "county": 2, "district": 3}
#: Status written when a published row has no value and no status of its own.
NO_VALUE = "no value published"


def area_lookup(context: BuildContext) -> dict[str, tuple[str, str]]:
    """Return ``{code: (name, geography)}`` for England, the area, its districts and comparators."""
    return {code: (name, geography) for code, name, geography in context.areas.area_list()}


def unit_of(meta: IndicatorMeta) -> str:
    """The unit written in the canonical CSV: ``unit_short`` when set, else ``unit``."""
    return meta.unit_short or meta.unit


def to_canonical(rows: pd.DataFrame, context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Turn rows with ``areacd, period, value`` (and optionally ``lci_95, uci_95, status, notes``) into canonical rows.

    Keeps the configured areas only, names them and sets their geography from the area
    configuration, and sorts by geography, area and period.

    Raises
    ------
    CwbError
        When an area and period appear twice (the builder would have to choose a value).
    """
    areas = area_lookup(context)
    kept = rows[rows["areacd"].isin(areas)].copy()
    for column in ("lci_95", "uci_95"):
        if column not in kept:
            kept[column] = math.nan
    for column in ("status", "notes"):
        kept[column] = kept[column].fillna("").astype(str) if column in kept else ""
    repeated = kept.duplicated(["areacd", "period"], keep=False)
    if repeated.any():
        sample = kept.loc[repeated, ["areacd", "period"]].head(3).to_dict("records")
        raise CwbError(f"indicator {meta.id}: the source has several values for the same area and period ({sample}); "
                       "narrow extract.params so that one value is left")  # fmt: skip
    value = pd.to_numeric(kept["value"], errors="coerce").astype("float64")
    status = kept["status"].where(~(value.isna() & kept["status"].eq("")), NO_VALUE)
    out = pd.DataFrame(
        {
            "areacd": kept["areacd"].astype(str),
            "areanm": [areas[c][0] for c in kept["areacd"]],
            "geography": [areas[c][1] for c in kept["areacd"]],
            "indicator": meta.id,
            "period": kept["period"].astype(str),
            "value": value,
            "unit": unit_of(meta),
            "lci_95": pd.to_numeric(kept["lci_95"], errors="coerce").astype("float64"),
            "uci_95": pd.to_numeric(kept["uci_95"], errors="coerce").astype("float64"),
            "status": status.astype(str),
            "notes": kept["notes"].astype(str),
        }
    )
    keys = zip(out["geography"].map(GEOGRAPHY_ORDER), out["areacd"], out["period"].map(period_sort_key), strict=True)
    order = sorted(range(len(out)), key=list(keys).__getitem__)
    return out.iloc[order].reset_index(drop=True).loc[:, list(CANONICAL_COLUMNS)]


def require_param(meta: IndicatorMeta, name: str) -> str:
    """Return a required ``extract.params`` entry as text (prefer a :class:`BuilderParams` model).

    Raises
    ------
    CwbError
        When the catalogue record lacks it.
    """
    value = meta.extract.params.get(name)
    if value in (None, ""):
        raise CwbError(f"indicator {meta.id}: extract.params.{name} is required by builder {meta.extract.method!r}")
    return str(value)


class ElsParams(BuilderParams):
    """``extract.params`` of builder ``els`` (see the module docstring)."""

    indicator: str = Field(min_length=1)
    measure: str | None = None


@builder("els", params=ElsParams)
def build_els(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Build an indicator from an ONS Explore Local Statistics CSV (see the module docstring).

    Raises
    ------
    CwbError
        When the file has no such indicator or measure, or several measures remain.
    DataValidationError
        When the file itself is invalid.
    """
    return to_canonical(select_els_rows(context, meta), context, meta)


def select_els_rows(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Return the rows of the record's ELS file for its ``indicator`` (and ``measure``), every area kept.

    Raises
    ------
    CwbError
        When the file has no such indicator or measure, or several measures remain.
    """
    source = meta.extract.source
    params = ElsParams.of(meta)
    label, measure = params.indicator, params.measure
    frame = context.cached(f"els:{source}", lambda: read_els_csv(context.path(source)))
    rows = frame[frame["indicator"] == label]
    if rows.empty:
        found = ", ".join(repr(i) for i in frame["indicator"].unique())
        raise CwbError(f"indicator {meta.id}: {source} has no indicator {label!r} (it has {found})")
    if measure:
        rows = rows[rows["measure"].str.contains(str(measure), regex=False)]
        if rows.empty:
            found = ", ".join(repr(m) for m in frame.loc[frame["indicator"] == label, "measure"].unique())
            raise CwbError(f"indicator {meta.id}: {source} has no measure containing {measure!r} (it has {found})")
    if rows["measure"].nunique() > 1:
        found = ", ".join(repr(m) for m in rows["measure"].unique())
        raise CwbError(f"indicator {meta.id}: {label!r} has several measures ({found}); set extract.params.measure")
    return rows
