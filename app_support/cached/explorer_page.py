"""Cached views of the indicator explorer: its table, an indicator's panel, trend, similar areas and CSVs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.cached.base import (
    AREAS,
    CHARTS,
    HASH,
    TABLES,
    DataRef,
    area_config,
    indicator_rows,
    portrait,
    version_catalogue,
)
from app_support.cached.councils_page import league, similar_areas
from cwb_metrics.compare.neighbours import SimilarAreas
from cwb_metrics.compare.versus import neighbour_comparison
from cwb_metrics.errors import CwbError
from cwb_metrics.views import explorer as view
from cwb_metrics.views import explorer_neighbours as neighbours_view
from cwb_metrics.views import explorer_panel as panel_view
from cwb_metrics.views.common import Choices, Spec
from cwb_metrics.views.explorer import ExplorerFilter, ExplorerRow, TrendRow, TrendSetup
from cwb_metrics.views.explorer_neighbours import NeighbourPanel
from cwb_metrics.views.explorer_panel import IndicatorPanel
from cwb_metrics.views.portrait import entry
from cwb_metrics.views.tables import Table

#: Every row of the explorer.
NO_FILTER = ExplorerFilter()


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def explorer_table(ref: DataRef, area: str, chosen: ExplorerFilter = NO_FILTER) -> Table[ExplorerRow]:
    """Every indicator with its latest value and status for ``area``, filtered (an empty filter keeps all)."""
    return view.filtered(view.explorer_table(portrait(ref, area, "latest")), chosen)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def table_csv(ref: DataRef, area: str, chosen: ExplorerFilter = NO_FILTER) -> bytes:
    """The (filtered) table as CSV, with the area and the data version."""
    return view.table_csv(explorer_table(ref, area, chosen), portrait(ref, area, "latest").area_name, ref.version)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def indicator_panel(ref: DataRef, area: str, indicator_id: str) -> IndicatorPanel:
    """What the explorer says about one indicator in ``area``: England, trend, threshold, pace."""
    shown = portrait(ref, area, "latest")
    meta = version_catalogue(ref)[indicator_id]
    return panel_view.indicator_panel(entry(shown, indicator_id), meta, shown.area_name, shown.area_kind)


# ----- similar areas (the league of councils is built once per data version) ----------------------
def _similar(ref: DataRef) -> SimilarAreas:
    similar = similar_areas(ref)
    if similar is None:
        raise CwbError(f"Data version {ref.version} has no ONS similar-areas file: rebuild it with `refresh`.")
    return similar


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def similar_areas_reason(ref: DataRef, area: str) -> str:
    """Why ``area`` has no ONS similar areas ("" when it has them)."""
    try:
        similar = _similar(ref)
    except CwbError as error:
        return str(error)
    if area in similar.lists:
        return ""
    return neighbours_view.no_list_reason(portrait(ref, area, "latest").area_name)


def league_ready(ref: DataRef) -> bool:
    """True when the league of councils is on disk for this data version (a cheap check, never cached)."""
    return neighbours_view.league_cached(ref.store, ref.version)


def build_league(ref: DataRef) -> None:
    """Build (or load) the league of councils of this data version: every English council, about a minute."""
    league(ref)


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def similar_areas_panel(ref: DataRef, area: str, indicator_id: str) -> NeighbourPanel:
    """The area's value beside its ONS similar areas' mean and range and England's (call when the league is ready)."""
    reason = similar_areas_reason(ref, area)
    if reason:
        return neighbours_view.no_neighbours(reason)
    built = league(ref)
    period = entry(portrait(ref, area, "latest"), indicator_id).period
    try:
        comparison = neighbour_comparison(
            built, _similar(ref), indicator_id, area, catalogue=version_catalogue(ref), period=period
        )
    except CwbError as error:
        return neighbours_view.no_neighbours(str(error))
    return neighbours_view.neighbour_panel(comparison)


# ----- trend ----------------------------------------------------------------------------------------
@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def trend_area_choices(ref: DataRef, indicator_id: str) -> Choices:
    """Areas with data for an indicator (code -> name): England, the county, districts, ..."""
    return view.trend_area_choices(indicator_rows(ref, indicator_id))


def _setup(ref: DataRef, indicator_id: str, areas: tuple[str, ...], main: str) -> TrendSetup:
    return view.trend_setup(version_catalogue(ref)[indicator_id], area_config(), areas, main)


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def trend_spec(ref: DataRef, indicator_id: str, areas: tuple[str, ...], main: str = "") -> Spec:
    """The Vega-Lite spec of one indicator's trend; England and the county are dashed unless ``main``."""
    return view.trend_spec(indicator_rows(ref, indicator_id), _setup(ref, indicator_id, areas, main))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def trend_points(ref: DataRef, indicator_id: str, areas: tuple[str, ...], main: str = "") -> pd.DataFrame:
    """The points a trend chart draws (area, period, value, confidence interval and their texts)."""
    return view.trend_points(indicator_rows(ref, indicator_id), _setup(ref, indicator_id, areas, main))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def trend_table(ref: DataRef, indicator_id: str, areas: tuple[str, ...], main: str = "") -> Table[TrendRow]:
    """The figures a trend chart draws: area, period, value and its 95% confidence interval."""
    return view.trend_table(trend_points(ref, indicator_id, areas, main))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def trend_text(ref: DataRef, indicator_id: str, areas: tuple[str, ...], main: str = "") -> str:
    """The trend chart's text alternative."""
    return view.trend_text(trend_points(ref, indicator_id, areas, main), _setup(ref, indicator_id, areas, main))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def indicator_csv(ref: DataRef, indicator_id: str, areas: tuple[str, ...]) -> bytes:
    """The canonical CSV rows behind a trend chart (the chosen areas), as bytes."""
    return view.indicator_csv(indicator_rows(ref, indicator_id), areas)
