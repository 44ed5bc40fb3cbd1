"""SVG and PNG of a briefing, and single-chart exports with their title, area, period and credit.

Charts are drawn by vl-convert (Vega's own renderer, no browser, no screenshot); the page
around them is SVG written by :mod:`cwb_metrics.briefing.page`, and vl-convert's resvg
turns the SVG into PNG.
"""

from __future__ import annotations

from typing import Any, Literal

import vl_convert

from cwb_metrics.briefing.build import Briefing
from cwb_metrics.briefing.fonts import wrap
from cwb_metrics.briefing.page import PAGE_WIDTH, Page, doughnut_without_legend, layout_page
from cwb_metrics.briefing.svg import ChartSvg, Svg
from cwb_metrics.charts.theme import INK, MUTED_INK
from cwb_metrics.errors import CwbError

#: PNG resolution of a whole briefing (A4 at 150 dpi is 1240 x 1754 pixels).
DEFAULT_DPI = 150
#: Pixel density of single-chart PNG exports.
CHART_SCALE = 2.0


def chart_svg(spec: dict[str, Any], label: str = "") -> ChartSvg:
    """Render a Vega-Lite spec to SVG with vl-convert."""
    return ChartSvg.parse(vl_convert.vegalite_to_svg(spec), label)


def briefing_page(briefing: Briefing) -> Page:
    """Lay out the briefing's A4 page (the Doughnut rendered by vl-convert)."""
    doughnut = chart_svg(doughnut_without_legend(briefing.doughnut), briefing.text_alternative)
    return layout_page(briefing, doughnut)


def render_svg(briefing: Briefing) -> bytes:
    """The whole briefing as one A4 SVG document (595 x 842 points), text as text.

    Parameters
    ----------
    briefing : Briefing
        From :func:`~cwb_metrics.briefing.build.build_briefing`.

    Returns
    -------
    bytes
        UTF-8 SVG.
    """
    return briefing_page(briefing).svg.encode("utf-8")


def svg_to_png(svg: str | bytes, *, scale: float) -> bytes:
    """Rasterise an SVG document with vl-convert (resvg)."""
    text = svg.decode("utf-8") if isinstance(svg, bytes) else svg
    return bytes(vl_convert.svg_to_png(text, scale=scale))


def render_png(briefing: Briefing, *, dpi: int = DEFAULT_DPI) -> bytes:
    """The whole briefing as an A4 PNG.

    Parameters
    ----------
    briefing : Briefing
        From :func:`~cwb_metrics.briefing.build.build_briefing`.
    dpi : int
        Resolution; 150 dpi gives 1240 x 1754 pixels.

    Returns
    -------
    bytes
        PNG.
    """
    return svg_to_png(briefing_page(briefing).svg, scale=dpi / 72)


def _spec_of(chart: Any) -> dict[str, Any]:
    if isinstance(chart, dict):
        return chart
    to_dict = getattr(chart, "to_dict", None)
    if to_dict is None:
        raise CwbError(f"Cannot export {type(chart).__name__}: expected an Altair chart or a Vega-Lite spec.")
    return to_dict()


def export_chart(
    chart: Any,
    fmt: Literal["png", "svg"],
    *,
    title: str,
    area: str,
    period: str,
    credit: str,
) -> bytes:
    """Export one chart as PNG or SVG, with its title, area, period and source credit drawn in.

    The chart is rendered by vl-convert and framed: the title and a line naming the area
    and period above it, the credit (wrapped) below it, all as text. A chart carrying
    its own title keeps it.

    Parameters
    ----------
    chart : altair.Chart or dict
        Any Altair chart (layered, concatenated, configured) or a Vega-Lite spec.
    fmt : {"png", "svg"}
        The file format.
    title : str
        What the chart shows, e.g. ``"The Doughnut"``.
    area : str
        The area's name.
    period : str
        ``"latest"`` (written "Latest available figures") or the period shown.
    credit : str
        Sources and licence, e.g. ``"Source: ONS, DESNZ; Open Government Licence v3.0"``.

    Returns
    -------
    bytes
        PNG, or UTF-8 SVG.

    Raises
    ------
    CwbError
        For an unknown format or something that is not a chart.
    """
    if fmt not in ("png", "svg"):
        raise CwbError(f"Charts export as 'png' or 'svg', not {fmt!r}.")
    inner = chart_svg(_spec_of(chart), f"{title}: {area}")
    pad = 16.0
    width = max(inner.width + 2 * pad, 360.0)
    text_width = width - 2 * pad
    title_lines = wrap(title, text_width, 16, bold=True)
    when = "Latest available figures" if period == "latest" else str(period)
    sub_lines = wrap(f"{area} · {when}", text_width, 11.5)
    credit_lines = wrap(credit, text_width, 9.5)
    top = pad + 20 * len(title_lines) + 15 * len(sub_lines) + 4
    height = top + inner.height + 8 + 12 * len(credit_lines) + pad - 4
    svg = Svg(width, height)
    y = pad + 13
    for line in title_lines:
        svg.text(pad, y, line, 16, bold=True, fill=INK)
        y += 20
    for line in sub_lines:
        svg.text(pad, y - 2, line, 11.5, fill=MUTED_INK)
        y += 15
    svg.embed(inner, (width - inner.width) / 2, top, inner.width)
    y = top + inner.height + 8 + 9
    for line in credit_lines:
        svg.text(pad, y, line, 9.5, fill=MUTED_INK)
        y += 12
    document = svg.document(title=f"{title}: {area} ({when})", description=credit)
    if fmt == "svg":
        return document.encode("utf-8")
    return svg_to_png(document, scale=CHART_SCALE)


__all__ = ["DEFAULT_DPI", "PAGE_WIDTH", "briefing_page", "export_chart", "render_png", "render_svg"]
