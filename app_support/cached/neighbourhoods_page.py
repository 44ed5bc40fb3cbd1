"""Cached views of the neighbourhood page: the picker, the small doughnuts and the comparison tables."""

from __future__ import annotations

import streamlit as st

from app_support.cached.base import (
    AREAS,
    CHARTS,
    HASH,
    VERSIONS,
    DataRef,
    all_indicator_rows,
    area_config,
    areas,
    portrait,
    resolve,
    version_catalogue,
)
from cwb_metrics.views import neighbourhoods as view
from cwb_metrics.views.common import Choices
from cwb_metrics.views.drawing import SMALL_CHART_WIDTH, Chart, doughnut_legend, portrait_chart
from cwb_metrics.views.tables import WideTable


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def neighbourhood_choices(ref: DataRef) -> Choices:
    """The featured neighbourhoods first, then every neighbourhood and ward (code -> label)."""
    return view.neighbourhood_choices(area_config(), areas(ref))


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def small_doughnut(ref: DataRef, area: str, period: str, role: str) -> Chart:
    """A small doughnut of ``area`` for setting beside others, without a legend; ``role`` says what it is."""
    port = portrait(ref, area, period)
    return portrait_chart(
        port, "doughnut", view.small_subtitle(role, period), title=port.area_name, width=SMALL_CHART_WIDTH, legend=False
    )


@st.cache_resource(max_entries=1, show_spinner=False)
def shared_legend() -> Chart:
    """The legend and credit the small doughnuts share (drawn once below them)."""
    return doughnut_legend()


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def doughnuts_table(ref: DataRef, codes: tuple[str, ...], period: str) -> WideTable:
    """The data behind doughnuts drawn side by side: each indicator's value and status in each area."""
    return view.doughnuts_table([portrait(ref, code, period) for code in codes])


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def neighbourhood_comparison(ref: DataRef, area: str, period: str) -> WideTable:
    """A neighbourhood's or ward's indicators beside its district's, the county's and England's."""
    return view.comparison_table(
        ref.store, resolve(ref, area), period, all_indicator_rows(ref), catalogue=version_catalogue(ref)
    )


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def census_note(ref: DataRef, area: str, period: str) -> str | None:
    """Which of the area's indicators are 2021 Census snapshots, and what that means (``None`` when none are)."""
    return view.neighbourhood_census_note(portrait(ref, area, period), version_catalogue(ref))
