"""The portrait of a named area, read from the current data version."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, resolve_area
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.portrait import Portrait, compute_portrait
from cwb_metrics.portrait.small_area import small_area_indicator_rows
from cwb_metrics.store import DataStore


def portrait_for(
    store: DataStore,
    area: str,
    *,
    period: str = "latest",
    thresholds: Mapping[str, float] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    data: pd.DataFrame | None = None,
) -> Portrait:
    """Compute the portrait of ``area`` (a name or code) from the store's current data.

    Parameters
    ----------
    store : DataStore
        The data folder.
    area : str
        Name or GSS code: the county, a district, a ward or a named neighbourhood.
    period : str
        ``"latest"`` or a period (a year such as ``2023``, or ONS's ISO text).
    thresholds : mapping, optional
        What-if thresholds by indicator id.
    catalogue : mapping, optional
        The catalogue (default: the committed one with the data version's own records).
    data : pandas.DataFrame, optional
        Already-read indicator rows (the app passes its cached copy).

    Returns
    -------
    Portrait

    Raises
    ------
    AreaNotFoundError
        When the area is unknown.
    NoDataError
        When no data has been built yet.
    """
    config = load_area_config()
    resolved = resolve_area(area, store, config)
    catalogue = catalogue if catalogue is not None else catalogue_for(store)
    version = store.current_version()
    if data is None:
        data = store.read_all_indicators()
    extra = small_area_rows(store, resolved) if resolved.kind in ("ward", "neighbourhood", "lsoa") else None
    if extra is not None and not extra.empty:
        data = pd.concat([data, extra], ignore_index=True)
    return compute_portrait(
        catalogue,
        data,
        area_code=resolved.code,
        area_name=resolved.name,
        area_kind=resolved.kind,
        period=period,
        county_code=config.county_code,
        country_code=config.country_code,
        thresholds=thresholds,
        data_version=version,
    )


def small_area_rows(store: DataStore, area: ResolvedArea) -> pd.DataFrame:
    """Indicator rows for a ward, neighbourhood or LSOA, built from LSOA-level tables.

    See :func:`~cwb_metrics.portrait.small_area.small_area_indicator_rows`.
    """
    return small_area_indicator_rows(store, area)
