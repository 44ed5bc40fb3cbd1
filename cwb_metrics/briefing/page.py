"""The one-page A4 layout of a briefing, drawn as SVG (the master of the PDF, PNG and SVG exports).

Top to bottom: a header band (area, what it is, period, data date and version), a key of
the indicator counts, the plain-English sentences, the Doughnut beside the largest
shortfalls and overshoots (value, threshold, gap, trend with a small line of the series),
the deprivation headline for IMD 2019 and 2025, and a footer with sources, licences,
method and the data version. Text sizes never go below 6.5 pt; when a briefing is long
the Doughnut is drawn smaller and the sentences in a smaller size, never cut.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from cwb_metrics.briefing.build import Briefing, KeyFigure, none_text
from cwb_metrics.briefing.fonts import shorten, text_width, wrap
from cwb_metrics.briefing.svg import ChartSvg, Svg
from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import DoughnutGeometry
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.scoring import DRAW_CAP

#: A4 in points.
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89
MARGIN = 34.0
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
HEADER_HEIGHT = 80.0

#: Colours of the page (text colours meet WCAG AA 4.5:1 on the fill they are drawn on;
#: ``tests/briefing/test_accessibility.py`` checks them).
BAND = style.SAFE_SPACE
ON_BAND = "#FFFFFF"
ON_BAND_MUTED = "#D5E9DA"
INK = style.INK
MUTED = style.MUTED_INK
HEADING = style.SAFE_SPACE
RULE = "#B9C4BD"
TILE = "#F1F5F2"
NOTE_FILL = "#FFF4DC"
NOTE_EDGE = "#C98A1B"
SPARK_THRESHOLD = "#6F6F6F"
STATUS_TEXT = {"shortfall": style.SHORTFALL, "overshoot": style.OVERSHOOT}
#: (foreground, background) pairs of the page's text, for the contrast test.
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    (ON_BAND, BAND),
    (ON_BAND_MUTED, BAND),
    (INK, "#FFFFFF"),
    (MUTED, "#FFFFFF"),
    (HEADING, "#FFFFFF"),
    (INK, TILE),
    (MUTED, TILE),
    (INK, NOTE_FILL),
    (style.SHORTFALL, "#FFFFFF"),
    (style.OVERSHOOT, "#FFFFFF"),
)


@dataclass(frozen=True)
class PageStyle:
    """The sizes that give way when a briefing is long."""

    doughnut_width: float = 292.0
    sentence_size: float = 9.0


#: Tried in order until the page fits: the Doughnut first gives way, then the sentences' size.
STYLES: tuple[PageStyle, ...] = (
    PageStyle(330, 9.0),
    PageStyle(318, 9.0),
    PageStyle(306, 8.8),
    PageStyle(294, 8.6),
    PageStyle(282, 8.4),
    PageStyle(270, 8.2),
    PageStyle(256, 8.0),
    PageStyle(240, 7.8),
    # A long list of key figures: a narrower Doughnut widens their column, so fewer lines wrap.
    PageStyle(224, 7.8),
    PageStyle(208, 7.8),
)


@dataclass(frozen=True)
class Page:
    """A laid-out page: the SVG and where the content ended."""

    svg: str
    content_bottom: float
    footer_top: float
    style: PageStyle

    @property
    def fits(self) -> bool:
        """Whether the content ends above the footer."""
        return self.content_bottom <= self.footer_top - 4


def doughnut_without_legend(spec: dict) -> dict:
    """The Doughnut's Vega-Lite spec without its legend and credit (the page draws its own key).

    Removes the legend swatches layer and the legend texts (those below the doughnut), and
    sets the height to end just under the lowest dimension label.

    Parameters
    ----------
    spec : dict
        From :func:`cwb_metrics.charts.doughnut.doughnut_chart` ``.to_dict()``.

    Returns
    -------
    dict
        A new spec; ``spec`` is left as it is.
    """
    out = copy.deepcopy(spec)
    geo = DoughnutGeometry(float(out["width"]))
    cut = geo.cy + geo.r_label + 22 * geo.unit
    layers = [layer for layer in out["layer"] if (layer.get("mark") or {}).get("type") != "rect"]
    for layer in layers:
        if (layer.get("mark") or {}).get("type") == "text":
            name = layer["data"]["name"]
            out["datasets"][name] = [row for row in out["datasets"][name] if row["y"] < cut]
    out["layer"] = layers
    out["height"] = round(cut)
    out.pop("title", None)
    return out


class _Layout:
    """Draws one briefing with one :class:`PageStyle`."""

    def __init__(self, briefing: Briefing, doughnut: ChartSvg, page_style: PageStyle) -> None:
        self.b = briefing
        self.doughnut = doughnut
        self.s = page_style
        self.svg = Svg(PAGE_WIDTH, PAGE_HEIGHT)

    # ----- pieces ---------------------------------------------------------------------
    def header(self) -> float:
        svg, b = self.svg, self.b
        svg.rect(0, 0, PAGE_WIDTH, HEADER_HEIGHT, BAND)
        svg.text(MARGIN, 22, "COUNCILLOR BRIEFING · DOUGHNUT DATA PORTRAIT", 7.5, bold=True, fill=ON_BAND_MUTED)
        right = PAGE_WIDTH - MARGIN
        svg.text(right, 22, f"Data as of {b.date_text}", 8, bold=True, fill=ON_BAND, anchor="end")
        svg.text(right, 33, f"Data version {b.data_version}", 7, fill=ON_BAND_MUTED, anchor="end")
        size = 24.0
        room = CONTENT_WIDTH - 8
        while size > 14 and text_width(b.area_name, size, bold=True) > room:
            size -= 1
        svg.text(MARGIN, 52, shorten(b.area_name, room, size, bold=True), size, bold=True, fill=ON_BAND)
        svg.text(MARGIN, 69, f"{b.area_context} · {b.period_text}", 9.5, fill=ON_BAND_MUTED)
        return HEADER_HEIGHT

    def heading(self, x: float, y: float, text: str, width: float) -> float:
        """A section heading with a rule under it; returns the y below it."""
        self.svg.text(x, y + 10, text, 10.5, bold=True, fill=HEADING)
        self.svg.line(x, y + 14, x + width, y + 14, RULE, 0.75)
        return y + 23

    def swatch(self, x: float, y: float, status: str, size: float = 9.0) -> None:
        """A status swatch (striped for no data) with its top-left corner at ``(x, y)``."""
        svg = self.svg
        if status == "safe":
            svg.rect(x, y, size, size, style.SAFE_SPACE)
            return
        svg.rect(x, y, size, size, style.STATUS_COLOURS[status])
        if status == "missing":
            for k in (0.25, 0.5, 0.75):
                svg.rect(x, y + k * size - 0.5, size, 1.0, style.MISSING_STRIPE)
            svg.rect(x, y, size, size, "none", stroke=style.MISSING_EDGE, stroke_width=0.5)

    def note(self, y: float, text: str) -> float:
        lines = wrap(text, CONTENT_WIDTH - 20, 8.5)
        height = 10 + 11 * len(lines)
        self.svg.rect(MARGIN, y, CONTENT_WIDTH, height, NOTE_FILL)
        self.svg.rect(MARGIN, y, 3, height, NOTE_EDGE)
        for i, line in enumerate(lines):
            self.svg.text(MARGIN + 12, y + 14 + 11 * i, line, 8.5, fill=INK)
        return y + height + 8

    def counts(self, y: float) -> float:
        """One line: how many indicators are in each status, each with its swatch (the Doughnut's key)."""
        b, svg = self.b, self.svg
        total = b.counts["within"] + b.counts["shortfall"] + b.counts["overshoot"]
        lead = f"{b.portrait.area_name}, {total} indicators with data:"
        x = MARGIN + svg.text(MARGIN, y + 9, lead, 8.5, bold=True) + 10
        items = [
            ("shortfall", f"{b.counts['shortfall']} shortfall"),
            ("overshoot", f"{b.counts['overshoot']} overshoot"),
            ("within", f"{b.counts['within']} within"),
            ("missing", f"{b.counts['missing_dimensions']} of {len(DIMENSIONS)} dimensions with no data"),
        ]
        for status, label in items:
            width = 12 + text_width(label, 8.5)
            if x + width > PAGE_WIDTH - MARGIN:
                x, y = MARGIN, y + 14
            self.swatch(x, y + 1.5, status, 8.5)
            x += 12 + svg.text(x + 12, y + 9, label, 8.5) + 12
        return y + 20

    def sentences(self, y: float) -> float:
        size = self.s.sentence_size
        leading = size * 1.32
        y = self.heading(MARGIN, y, "In brief", CONTENT_WIDTH)
        for sentence in self.b.sentences:
            self.svg.circle(MARGIN + 3, y + size * 0.72 - size * 0.33, 1.6, HEADING)
            last = self.svg.paragraph(MARGIN + 11, y + size * 0.72, sentence, CONTENT_WIDTH - 11, size,
                                      leading=leading)  # fmt: skip
            y = last + size * 0.28 + 4.5
        return y + 2

    def caption(self, x: float, y: float, width: float) -> float:
        """How to read the Doughnut, under it."""
        text = (
            "Shortfalls point inward from the social foundation (inner edge of the dark green ring, the safe "
            f"and just space); overshoots point outward from the ecological ceiling (its outer edge), up to the "
            f"dotted circle at {DRAW_CAP + 1:g} × the ceiling. Striped grey: no data yet, never zero."
        )
        return self.svg.paragraph(x, y + 7, text, width, 7, fill=MUTED, leading=8.6)

    def sparkline(self, figure: KeyFigure, x: float, y: float, w: float, h: float) -> None:
        values = [v for _, v in figure.series]
        if len(values) < 2:
            return
        low, high = min(values), max(values)
        span = (high - low) or abs(high) or 1.0
        threshold = figure.threshold
        # The threshold is drawn (dashed) when it is near the values, so the line is not squashed flat.
        if threshold is not None and low - span <= threshold <= high + span:
            low, high = min(low, threshold), max(high, threshold)
        else:
            threshold = None
        span = (high - low) or 1.0

        def at(i: int, v: float) -> tuple[float, float]:
            return x + w * i / (len(values) - 1), y + h - (v - low) / span * h

        self.svg.raw('<g aria-hidden="true">')
        if threshold is not None:
            ty = at(0, threshold)[1]
            self.svg.line(x, ty, x + w, ty, SPARK_THRESHOLD, 0.7, dash="2 1.5")
        points = [at(i, v) for i, v in enumerate(values)]
        self.svg.polyline(points, INK, 0.9)
        self.svg.circle(*points[-1], 1.9, STATUS_TEXT[figure.status], stroke="#FFFFFF")
        self.svg.raw("</g>")

    def key_figure(self, figure: KeyFigure, x: float, y: float, width: float) -> float:
        """Title; value, period and a line of the series; threshold and gap; trend and England."""
        svg = self.svg
        spark_w = 46.0
        title = figure.title if len(wrap(figure.title, width, 8.5, bold=True)) <= 2 else figure.short_title
        last = svg.paragraph(x, y + 7, title, width, 8.5, bold=True, leading=10, max_lines=2)
        base = last + 14.5
        value_w = svg.text(x, base, figure.value_text, 12, bold=True, fill=STATUS_TEXT[figure.status])
        if figure.period_label:
            svg.text(x + value_w + 4, base, figure.period_label, 7.5, fill=MUTED)
        self.sparkline(figure, x + width - spark_w - 2, base - 8.5, spark_w, 9.5)
        threshold = figure.threshold_text + (" (illustrative)" if figure.illustrative else "")
        detail = f"{threshold} · {figure.gap_text}"
        trend = figure.trend_text + (f" · {figure.england_text}" if figure.england_text else "")
        line2 = svg.paragraph(x, base + 9.5, detail, width, 7.3, fill=MUTED, leading=8.6, max_lines=2)
        line3 = svg.paragraph(x, line2 + 8.8, trend, width, 7.3, fill=MUTED, leading=8.6, max_lines=2)
        bottom = line3 + 5
        svg.line(x, bottom, x + width, bottom, RULE, 0.5)
        return bottom + 5

    def key_figures(self, x: float, y: float, width: float) -> float:
        b = self.b
        for status, label, figures in (
            ("shortfall", "Largest shortfalls", b.shortfalls),
            ("overshoot", "Largest overshoots", b.overshoots),
        ):
            self.svg.text(x, y + 10, label, 10.5, bold=True, fill=HEADING)
            self.svg.line(x, y + 14.5, x + width, y + 14.5, RULE, 0.75)
            y += 21
            for figure in figures:
                y = self.key_figure(figure, x, y, width)
            if not figures:
                y = self.svg.paragraph(x, y + 8, none_text(self.b.portrait, status), width, 8, fill=MUTED) + 12
            y += 4
        return y

    def main(self, y: float) -> float:
        width = self.s.doughnut_width
        left_bottom = self.heading(MARGIN, y, self.b.doughnut_heading, width)
        height = self.svg.embed(self.doughnut, MARGIN, left_bottom, width)
        left_bottom = self.caption(MARGIN, left_bottom + height + 2, width)
        gap = 18.0
        right_x = MARGIN + width + gap
        right_bottom = self.key_figures(right_x, y, PAGE_WIDTH - MARGIN - right_x)
        return max(left_bottom, right_bottom) + 4

    def deprivation(self, y: float) -> float:
        b, svg = self.b, self.svg
        y = self.heading(MARGIN, y, f"Deprivation in {b.area_name}: English Indices of Deprivation", CONTENT_WIDTH)
        if b.deprivation:
            gap = 12.0
            tile_w = (CONTENT_WIDTH - gap * (len(b.deprivation) - 1)) / len(b.deprivation)
            tile_h = 50.0
            for i, head in enumerate(b.deprivation):
                x = MARGIN + i * (tile_w + gap)
                svg.rect(x, y, tile_w, tile_h, TILE, rx=3)
                vintage = "2011" if head.edition == 2019 else "2021"
                svg.text(x + 10, y + 12, f"IMD {head.edition} · LSOAs {vintage}", 7.5, bold=True, fill=MUTED)
                big = f"{head.most_deprived_20pct} of {head.lsoa_count}"
                big_w = svg.text(x + 10, y + 32, big, 19, bold=True, fill=INK)
                svg.paragraph(x + 18 + big_w, y + 24, "neighbourhoods (LSOAs) among England's 20% most deprived",
                              tile_w - 28 - big_w, 8.5, leading=10, max_lines=2)  # fmt: skip
                detail = f"{head.most_deprived_10pct} in the most deprived 10%"
                if head.population_share_20pct is not None:
                    detail += f" · {head.population_share_20pct:.0f}% of residents live in the 20%"
                svg.text(x + 10, y + 44, shorten(detail, tile_w - 20, 7.5), 7.5, fill=MUTED)
            y += tile_h + 4
        last = svg.paragraph(MARGIN, y + 6, b.deprivation_note, CONTENT_WIDTH, 7.5, fill=MUTED, leading=9.2)
        return last + 6

    def footer(self) -> float:
        lines = [line for text in self.b.footer for line in wrap(text, CONTENT_WIDTH, 6.5)]
        leading = 8.1
        top = PAGE_HEIGHT - 22 - leading * len(lines)
        self.svg.line(MARGIN, top - 4, PAGE_WIDTH - MARGIN, top - 4, RULE, 0.75)
        for i, line in enumerate(lines):
            self.svg.text(MARGIN, top + 6 + i * leading, line, 6.5, fill=MUTED)
        return top - 10

    # ----- the page ---------------------------------------------------------------------
    def draw(self) -> Page:
        y = self.header() + 14
        if self.b.context_note:
            y = self.note(y, self.b.context_note)
        y = self.counts(y)
        y = self.sentences(y + 2)
        y = self.main(y + 2)
        y = self.deprivation(y + 2)
        footer_top = self.footer()
        svg = self.svg.document(title=self.b.title, description=self.b.text_alternative)
        return Page(svg, y, footer_top, self.s)


def layout_page(briefing: Briefing, doughnut: ChartSvg) -> Page:
    """Lay out a briefing on one A4 page, shrinking the Doughnut and the sentences until it fits.

    Parameters
    ----------
    briefing : Briefing
        What to draw.
    doughnut : ChartSvg
        The Doughnut without its legend (see :func:`doughnut_without_legend`), rendered to SVG.

    Returns
    -------
    Page
        The first style that fits, else the smallest (``Page.fits`` is then False).
    """
    page = None
    for page_style in STYLES:
        page = _Layout(briefing, doughnut, page_style).draw()
        if page.fits:
            return page
    assert page is not None
    return page
