"""Cached views of the indicator explorer: its table, an indicator's trend and the CSV behind it."""

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
from cwb_metrics.views import explorer as view
from cwb_metrics.views.common import Choices, Spec
from cwb_metrics.views.explorer import ExplorerFilter, ExplorerRow, TrendRow, TrendSetup
from cwb_metrics.views.tables import Table

#: Every row of the explorer.
NO_FILTER = ExplorerFilter()


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def explorer_table(ref: DataRef, area: str, chosen: ExplorerFilter = NO_FILTER) -> Table[ExplorerRow]:
    """Every indicator with its latest value and status for ``area``, filtered (an empty filter keeps all)."""
    return view.filtered(view.explorer_table(portrait(ref, area, "latest")), chosen)


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
