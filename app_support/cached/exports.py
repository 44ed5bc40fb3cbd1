"""Chart downloads and text alternatives: a typed request (``cwb_metrics.views.export``) names each chart."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import streamlit as st

from app_support.cached.action_plan_page import action_plan, action_progress
from app_support.cached.base import HASH, TABLES, DataRef, area_config, portrait, resolve, version_catalogue
from app_support.cached.explorer_page import similar_areas_panel, trend_points, trend_spec, trend_text
from app_support.cached.portrait_page import what_if
from app_support.cached.who_bears_page import decile_charts
from cwb_metrics.errors import CwbError
from cwb_metrics.views import export as view
from cwb_metrics.views.export import (
    ChartFormat,
    ChartRequest,
    DecileChart,
    FramedChart,
    MapChart,
    NeighbourChart,
    PortraitChart,
    ProgressChart,
    SmallDoughnutChart,
    TrendChart,
    WhatIfChart,
)

#: Chart files kept (PNG and SVG of the charts last downloaded).
FILES = 48


def framed(ref: DataRef, request: ChartRequest) -> FramedChart:
    """The chart of a request as it is exported, with what its frame says."""
    catalogue, version = version_catalogue(ref), ref.version
    match request:
        case PortraitChart(area, period, shown):
            return view.frame_portrait(portrait(ref, area, period), shown, period, version, catalogue)
        case WhatIfChart(area, period, shown, trial):
            after, _changes = what_if(ref, area, period, trial)
            return view.frame_what_if(after, trial, shown, period, version, catalogue)
        case TrendChart(indicator, areas, main):
            spec, points = trend_spec(ref, indicator, areas, main), trend_points(ref, indicator, areas, main)
            return view.frame_trend(catalogue[indicator], spec, points, version)
        case MapChart(request=map_request):
            from app_support.cached.map_pages import lsoa_map, map_area_name  # geometry libraries: maps only

            place = resolve(ref, map_request.place).name if map_request.place else None
            shown_area = map_area_name(ref, map_request.district)
            return view.frame_map(map_request, lsoa_map(ref, map_request), shown_area, place, version)
        case SmallDoughnutChart(area, period, role):
            return view.frame_small_doughnut(portrait(ref, area, period), role, period, version, catalogue)
        case DecileChart(indicator, data, domain, which):
            charts = decile_charts(ref, indicator, data, domain)
            chart = charts.shares if which == "shares" else charts.rates
            return view.frame_deciles(chart, catalogue[indicator], area_config().county_name, data, domain, version)
        case ProgressChart():
            plan = action_plan(ref)
            return view.frame_progress(action_progress(ref).chart, plan.source, plan.publisher, version)
        case NeighbourChart(area, indicator):
            near = similar_areas_panel(ref, area, indicator)
            if near.spec is None:
                raise CwbError(f"{area} has no comparison with similar areas for {indicator}.")
            name = portrait(ref, area, "latest").area_name
            return view.frame_neighbours(near.spec, catalogue[indicator], name, near.period, version)


@st.cache_data(max_entries=FILES, show_spinner=False, hash_funcs=HASH)
def chart_file(ref: DataRef, request: ChartRequest, fmt: ChartFormat) -> bytes:
    """One chart as a PNG or SVG file, with its title, area, period and source credit drawn in."""
    return view.export(framed(ref, request), fmt)


def chart_files(ref: DataRef, request: ChartRequest) -> tuple[Callable[[], bytes], Callable[[], bytes]]:
    """``(png, svg)``: callables that draw the chart's files (a download button's ``data``, drawn on click)."""
    return partial(chart_file, ref, request, "png"), partial(chart_file, ref, request, "svg")


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def chart_description(ref: DataRef, request: ChartRequest) -> str:
    """The text alternative of a chart: what it shows, in a few sentences."""
    match request:
        case PortraitChart(area, period, shown):
            return view.portrait_text(portrait(ref, area, period), shown, version_catalogue(ref))
        case WhatIfChart(area, period, shown, trial):
            return view.what_if_text(what_if(ref, area, period, trial)[0], trial, shown, version_catalogue(ref))
        case TrendChart(indicator, areas, main):
            return trend_text(ref, indicator, areas, main)
        case MapChart(request=map_request):
            from app_support.cached.map_pages import map_text  # geometry libraries: maps only

            return map_text(ref, map_request)
        case SmallDoughnutChart(area, period, _role):
            return view.portrait_text(portrait(ref, area, period), "doughnut")
        case DecileChart(indicator, data, domain, which):
            charts = decile_charts(ref, indicator, data, domain)
            return charts.shares_text if which == "shares" else charts.rates_text
        case ProgressChart():
            return action_progress(ref).text
        case NeighbourChart(area, indicator):
            return similar_areas_panel(ref, area, indicator).sentence
