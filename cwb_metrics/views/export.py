"""Chart downloads: a typed request names each chart; its frame says what the exported file shows.

Every chart a page can export is one of the request classes below (no chart is picked by
a string name). ``app_support.cached`` turns a request into the chart and its data and
calls the ``frame_*`` function of its kind; :func:`export` draws the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from cwb_metrics.briefing import chart_text_alternative, export_chart
from cwb_metrics.briefing.build import sources_credit
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import entry_value_text, join_words
from cwb_metrics.views.common import Spec, version_note
from cwb_metrics.views.drawing import Chart, PortraitView, portrait_export_spec, spec_of, untitled
from cwb_metrics.views.lens_view import lens_gaps_for, lens_text, local_portrait
from cwb_metrics.views.map_request import MapRequest
from cwb_metrics.views.portrait import WhatIf, entry
from cwb_metrics.views.who_bears import DecileData

ChartFormat = Literal["png", "svg"]


# ----- the charts a page can export --------------------------------------------------------
@dataclass(frozen=True)
class PortraitChart:
    """The one doughnut, the four lenses or the unrolled bars of an area's portrait."""

    area: str
    period: str
    view: PortraitView


@dataclass(frozen=True)
class WhatIfChart:
    """The portrait drawn with one what-if threshold (not saved)."""

    area: str
    period: str
    view: PortraitView
    what_if: WhatIf


@dataclass(frozen=True)
class TrendChart:
    """One indicator over time for some areas (``main``: the page's own area, drawn solid)."""

    indicator: str
    areas: tuple[str, ...]
    main: str = ""


@dataclass(frozen=True)
class MapChart:
    """An LSOA map of the IMD or of its change."""

    request: MapRequest


@dataclass(frozen=True)
class SmallDoughnutChart:
    """One of the doughnuts set side by side on the neighbourhood page."""

    area: str
    period: str
    role: str


@dataclass(frozen=True)
class DecileChart:
    """One of the two charts of who bears a shortfall."""

    indicator: str
    data: DecileData
    domain: str
    which: Literal["shares", "rates"]


@dataclass(frozen=True)
class ProgressChart:
    """The action plan's progress by theme."""


@dataclass(frozen=True)
class NeighbourChart:
    """An area's value of one indicator beside its ONS similar areas and England (the explorer)."""

    area: str
    indicator: str


ChartRequest = (
    PortraitChart
    | WhatIfChart
    | TrendChart
    | MapChart
    | SmallDoughnutChart
    | DecileChart
    | ProgressChart
    | NeighbourChart
)


# ----- what an exported file shows -----------------------------------------------------------
@dataclass(frozen=True)
class FramedChart:
    """A chart as it is exported: its spec (own title taken off) and what the frame around it says."""

    spec: Spec
    title: str
    area: str
    period: str
    credit: str


def when(period: str) -> str:
    """The frame's period line: ``latest`` (drawn "Latest available figures") or "Figures for 2023"."""
    return "latest" if period == "latest" else f"Figures for {period}"


#: The exported file's title of each view of the portrait.
VIEW_TITLES: dict[str, str] = {
    "doughnut": "The Doughnut (local lenses)",
    "lenses": "The Doughnut through four lenses",
    "bars": "Shortfall and overshoot: the Doughnut unrolled (local lenses)",
}


def frame_portrait(
    portrait: Portrait, view: PortraitView, period: str, version: str, catalogue: Mapping[str, IndicatorMeta]
) -> FramedChart:
    """A view of a portrait, credited to the producers of its figures (lens gaps from ``catalogue``)."""
    gaps = lens_gaps_for(portrait, catalogue) if view == "lenses" else None
    return FramedChart(
        portrait_export_spec(portrait, view, gaps),
        VIEW_TITLES[view],
        portrait.area_name,
        when(period),
        f"{sources_credit(portrait, catalogue)} {version_note(version)}",
    )


def frame_what_if(
    after: Portrait,
    what_if: WhatIf,
    view: PortraitView,
    period: str,
    version: str,
    catalogue: Mapping[str, IndicatorMeta],
) -> FramedChart:
    """The portrait under a what-if threshold, titled with it."""
    e = entry(after, what_if.indicator)
    what = {"bars": "Shortfall and overshoot", "lenses": "The four lenses"}.get(view, "The Doughnut")
    gaps = lens_gaps_for(after, catalogue) if view == "lenses" else None
    return FramedChart(
        portrait_export_spec(after, view, gaps),
        f"{what} if the {e.short_title.lower()} threshold were {entry_value_text(e, what_if.value)} (not saved)",
        after.area_name,
        when(period),
        f"{sources_credit(after, catalogue)} {version_note(version)}",
    )


def frame_trend(meta: IndicatorMeta, spec: Spec, points: pd.DataFrame, version: str) -> FramedChart:
    """A trend, its areas and the span of periods it draws."""
    names = list(dict.fromkeys(points["area"])) if not points.empty else []
    ordered = points.sort_values("date")
    period = (
        "No figures" if points.empty else f"{ordered['period_label'].iloc[0]} to {ordered['period_label'].iloc[-1]}"
    )
    origin = meta.origin
    return FramedChart(
        untitled(spec, keep_subtitle=True),
        meta.title,
        join_words(names) or "No area chosen",
        period,
        f"Source: {origin.producer}, {origin.title}, published {origin.date_published:%d %B %Y}. "
        f"Licence: {origin.licence}. {version_note(version)}",
    )


def frame_map(request: MapRequest, chart: Chart, shown: str, place: str | None, version: str) -> FramedChart:
    """An LSOA map: ``shown`` is the county or district drawn, ``place`` the outlined ward or neighbourhood."""
    return FramedChart(
        untitled(chart),
        request.title,
        shown if not place else f"{shown}, {place} outlined",
        request.period,
        f"{request.credit} {version_note(version)}",
    )


def frame_small_doughnut(
    portrait: Portrait, role: str, period: str, version: str, catalogue: Mapping[str, IndicatorMeta]
) -> FramedChart:
    """A neighbourhood page doughnut, exported at full width (not at the page's small size)."""
    return FramedChart(
        portrait_export_spec(portrait, "doughnut"),
        "The Doughnut",
        f"{portrait.area_name} ({role.lower()})",
        when(period),
        f"{sources_credit(portrait, catalogue)} {version_note(version)}",
    )


def frame_deciles(
    chart: Chart, meta: IndicatorMeta, county_name: str, data: DecileData, domain: str, version: str
) -> FramedChart:
    """A chart of who bears a shortfall, credited to the indicator's producer and the IoD."""
    spec = spec_of(chart)
    title = spec.get("title", {})
    measure = "IMD" if domain == "imd" else f"IMD {domain.replace('_', ' ')} domain"
    return FramedChart(
        untitled(spec),
        str(title.get("text", "")) if isinstance(title, dict) else str(title or ""),
        county_name,
        f"{measure} {data.edition} deciles; data for {data.year}",
        f"{meta.origin.citation or meta.origin.producer} MHCLG English Indices of Deprivation {data.edition}, "
        f"Open Government Licence v3.0. {version_note(version)}",
    )


def frame_progress(chart: Chart, source: str, publisher: str, version: str) -> FramedChart:
    """The action plan's progress chart."""
    return FramedChart(
        untitled(chart),
        "CWB action plan 24/25: progress by theme",
        publisher,
        f"Statuses in data version {version}",
        f"Source: {source}",
    )


def frame_neighbours(spec: Spec, meta: IndicatorMeta, area_name: str, period: str, version: str) -> FramedChart:
    """An area beside its similar areas, credited to the indicator's producer and to ONS for the similar areas."""
    return FramedChart(
        untitled(spec, keep_subtitle=True),
        f"{meta.title}: beside similar areas",
        area_name,
        f"Figures for {period}",
        f"Source: {meta.origin.producer}; similar areas: ONS Explore Local Statistics. "
        f"Licence: {meta.origin.licence}. {version_note(version)}",
    )


def export(framed: FramedChart, fmt: ChartFormat) -> bytes:
    """The chart file (PNG or SVG) with its title, area, period and credit drawn in."""
    return export_chart(
        framed.spec, fmt, title=framed.title, area=framed.area, period=framed.period, credit=framed.credit
    )


# ----- text alternatives ---------------------------------------------------------------------
def portrait_text(portrait: Portrait, view: PortraitView, catalogue: Mapping[str, IndicatorMeta] | None = None) -> str:
    """The text alternative of a view of the portrait (the one doughnut and the bars: the local lenses).

    The four-lens view needs ``catalogue`` to say which lenses have no data.
    """
    if view == "lenses":
        return lens_text(portrait, lens_gaps_for(portrait, catalogue or {}))
    return chart_text_alternative(local_portrait(portrait), view)


def what_if_text(
    after: Portrait, what_if: WhatIf, view: PortraitView, catalogue: Mapping[str, IndicatorMeta] | None = None
) -> str:
    """The what-if chart's text alternative: the portrait's, and the threshold tried."""
    e = entry(after, what_if.indicator)
    threshold = entry_value_text(e, what_if.value)
    return (
        f"{portrait_text(after, view, catalogue)} Drawn with a what-if {e.short_title.lower()} threshold of "
        f"{threshold} (not saved)."
    )
