"""Chart finishing the pages share: sizes, legible axis text, the portrait's two views, export specs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import altair as alt

from cwb_metrics.charts import theme
from cwb_metrics.charts.bars import unrolled_bars
from cwb_metrics.charts.doughnut import doughnut_chart, legend_chart
from cwb_metrics.charts.doughnut_style import DEFAULT_CREDIT
from cwb_metrics.charts.lenses import lens_view_chart
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.views.common import Json, Spec
from cwb_metrics.views.lens_view import local_portrait

#: A chart as the library's builders return it (a Chart, LayerChart, VConcatChart ...).
Chart = alt.TopLevelMixin
#: The portrait's three views (the URL's ``?view=``): the one doughnut and the bars draw the two
#: local lenses; the four-lens view a small doughnut per lens (see :mod:`cwb_metrics.views.lens_view`).
PortraitView = Literal["doughnut", "lenses", "bars"]
VIEWS: dict[PortraitView, str] = {"doughnut": "One doughnut", "lenses": "Four lenses", "bars": "Unrolled bars"}

#: Width (px) of the main charts: they sit in the wider of two columns on a laptop screen.
CHART_WIDTH = 560
#: Width (px) of the map itself; its legend sits to the right.
MAP_WIDTH = 450
#: Width (px) of each doughnut of the neighbourhood page, two a row (half the page's content is about
#: 460 px on a 1440 px screen; a third, 305 px, is too narrow for legible labels). They share one legend.
SMALL_CHART_WIDTH = 420
#: Width (px) of the legend the neighbourhood page's doughnuts share (in the fourth cell of their grid).
LEGEND_WIDTH = 420
#: Width (px) of each small doughnut of the four-lens view (two a row).
LENS_WIDTH = 380
#: Axis and legend text of the charts Streamlit themes: its theme greys them to #808495 (3.7:1 on
#: white); these are 8.5:1 (labels) and 16.5:1 (titles), WCAG 1.4.3 asking 4.5:1.
LABEL_INK, TITLE_INK = "#4D4D4D", "#1F1F1F"


def portrait_view(text: str) -> PortraitView:
    """``"bars"``, ``"lenses"`` or (for anything else) ``"doughnut"``."""
    return "bars" if text == "bars" else "lenses" if text == "lenses" else "doughnut"


def legible(chart: Chart, **legend: Json) -> Chart:
    """Dark axis and legend text (``legend``: other legend settings, set in the same call)."""
    return chart.configure_axis(labelColor=LABEL_INK, titleColor=TITLE_INK).configure_legend(
        labelColor=LABEL_INK, titleColor=TITLE_INK, **legend
    )


def natural_size(chart: Chart) -> Chart:
    """Draw a chart at the size its builder chose.

    Without an ``autosize`` of its own, Streamlit gives a chart ``fit``, which squeezes
    everything (titles, legends, credit lines) into the declared width and height and
    shrinks the plot itself; the library's charts are laid out in pixels, so they keep ``pad``.
    """
    return chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))


def portrait_chart(
    portrait: Portrait,
    view: PortraitView,
    subtitle: str,
    *,
    title: str | None = None,
    width: int = CHART_WIDTH,
    gaps: Mapping[str, str] | None = None,
    legend: bool = True,
) -> Chart:
    """The one doughnut, the four lenses or the unrolled bars of a portrait, clickable by wedge.

    The one doughnut and the bars draw the two local lenses (:func:`local_portrait`), with the
    selection ``wedge``; the four-lens view draws every lens, one selection ``wedge_<lens>``
    per drawn doughnut, and says what would measure each lens in ``gaps``. ``title`` defaults
    to "<area>: the Doughnut" ("... through four lenses", "...: shortfall and overshoot").
    ``legend=False`` leaves the one doughnut's legend and credit out (see :func:`doughnut_legend`).
    """
    if view == "lenses":
        chart: Chart = lens_view_chart(
            portrait.frame(),
            title=title or f"{portrait.area_name}: the Doughnut through four lenses",
            subtitle=subtitle,
            gaps=gaps,
            width_each=LENS_WIDTH if width == CHART_WIDTH else width,
        )
    elif view == "bars":
        chart = unrolled_bars(
            local_portrait(portrait).frame(),
            title=title or f"{portrait.area_name}: shortfall and overshoot",
            subtitle=subtitle,
            select_name="wedge",
            width=width,
        )
    else:
        chart = doughnut_chart(
            local_portrait(portrait).frame(),
            title=title or f"{portrait.area_name}: the Doughnut",
            subtitle=subtitle,
            select_name="wedge",
            width=width,
            credit=DEFAULT_CREDIT if legend else None,
        )
    return natural_size(chart)


def doughnut_legend(width: int = LEGEND_WIDTH) -> Chart:
    """The legend and credit shared by doughnuts drawn without their own."""
    return natural_size(legend_chart(width))


def portrait_subtitle(period: str, version: str) -> str:
    """The portrait chart's subtitle: which figures, and the data version."""
    when = "Latest available data" if period == "latest" else f"Data for {period}"
    return f"{when} · data version {version.split('-')[0]}"


def spec_of(chart: Chart | Spec) -> Spec:
    """A chart's Vega-Lite spec (a copy of a spec given as a dict)."""
    return dict(chart) if isinstance(chart, dict) else chart.to_dict()


def untitled(chart: Chart | Spec, *, keep_subtitle: bool = False) -> Spec:
    """The chart's spec without its own title: the export frame draws the title, area, period and credit.

    With ``keep_subtitle`` the chart's subtitle (units, notes) stays, as a small grey line.
    """
    spec = spec_of(chart)
    title = spec.pop("title", None)
    subtitle = title.get("subtitle") if keep_subtitle and isinstance(title, dict) else None
    if subtitle:
        spec["title"] = {
            "text": subtitle,
            "anchor": "start",
            "font": theme.FONT,
            "fontSize": 11,
            "fontWeight": "normal",
            "color": theme.MUTED_INK,
        }
    return spec


def portrait_export_spec(portrait: Portrait, view: PortraitView, gaps: Mapping[str, str] | None = None) -> Spec:
    """A portrait's chart at full width, with no title or credit of their own (the frame has them).

    As on the page: the one doughnut and the bars draw the local lenses, the four-lens view every lens.
    """
    if view == "lenses":
        chart: Chart = lens_view_chart(portrait.frame(), title="", credit="", gaps=gaps, width_each=LENS_WIDTH)
    elif view == "bars":
        chart = unrolled_bars(local_portrait(portrait).frame(), title="", credit="", width=CHART_WIDTH)
    else:
        chart = doughnut_chart(local_portrait(portrait).frame(), title="", credit="", width=CHART_WIDTH)
    return untitled(natural_size(chart))


def iso_dates(node: Json) -> None:
    """Give temporal axes their tick ``values`` as ISO dates (in place).

    Streamlit's front end draws no labels for a temporal axis whose ``values`` are epoch
    milliseconds (Vega-Lite itself and vl-convert accept them); ISO date strings work in both.
    """
    if isinstance(node, dict):
        axis = node.get("axis")
        values = axis.get("values") if isinstance(axis, dict) else None
        if node.get("type") == "temporal" and isinstance(axis, dict) and isinstance(values, list):
            axis["values"] = [
                dt.datetime.fromtimestamp(v / 1000, dt.UTC).strftime("%Y-%m-%d")
                if isinstance(v, int | float) and not isinstance(v, bool)
                else v
                for v in values
            ]
        for value in node.values():
            iso_dates(value)
    elif isinstance(node, list):
        for value in node:
            iso_dates(value)
