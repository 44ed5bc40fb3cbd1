"""A small SVG writer: text (wrapped with real font metrics), boxes, lines and embedded charts.

The briefing page and the chart exports are drawn with it, so every word is an SVG
``<text>`` element: selectable in the PDF (vl-convert's svg2pdf keeps text as text),
searchable in the SVG and read by screen readers. Units are points (1 SVG unit = 1 pt in
the PDF).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from cwb_metrics.briefing.fonts import FONT_FAMILY, text_width, wrap


def esc(text: str) -> str:
    """Escape text for an XML text node or attribute."""
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class ChartSvg:
    """A rendered chart: its SVG markup without the root element, and its size."""

    body: str
    width: float
    height: float
    label: str = ""

    @classmethod
    def parse(cls, markup: str, label: str = "") -> ChartSvg:
        """Split vl-convert's SVG into its size and its content.

        Parameters
        ----------
        markup : str
            A complete ``<svg ...>...</svg>`` document with ``width`` and ``height``.
        label : str
            Alt text for the chart.

        Returns
        -------
        ChartSvg
        """
        root = re.search(r"<svg\b[^>]*>", markup)
        if root is None:
            raise ValueError("not an SVG document")
        size = {k: float(v) for k, v in re.findall(r'\b(width|height)="([\d.]+)', root.group(0))}
        body = markup[root.end() : markup.rindex("</svg>")]
        return cls(body, size["width"], size["height"], label)


@dataclass
class Svg:
    """An SVG document built element by element, in points."""

    width: float
    height: float
    parts: list[str] = field(default_factory=list)

    # ----- primitives -------------------------------------------------------------------
    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        fill: str,
        *,
        rx: float = 0,
        stroke: str | None = None,
        stroke_width: float = 0.75,
    ) -> None:
        """Draw a rectangle (``rx`` rounds its corners)."""
        extra = f' rx="{_num(rx)}"' if rx else ""
        if stroke:
            extra += f' stroke="{stroke}" stroke-width="{_num(stroke_width)}"'
        self.parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" fill="{fill}"{extra}/>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 0.75, dash: str = ""
    ) -> None:
        """Draw a straight line."""
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" stroke="{stroke}" '
            f'stroke-width="{_num(width)}"{dashed}/>'
        )

    def polyline(self, points: list[tuple[float, float]], stroke: str, width: float = 1.0) -> None:
        """Draw a line through ``points``."""
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in points)
        self.parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{stroke}" stroke-width="{_num(width)}" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )

    def circle(self, x: float, y: float, r: float, fill: str, *, stroke: str | None = None) -> None:
        """Draw a dot."""
        edge = f' stroke="{stroke}" stroke-width="0.75"' if stroke else ""
        self.parts.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{fill}"{edge}/>')

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        fill: str = "#1F1F1F",
        anchor: str = "start",
        spacing: float = 0.0,
    ) -> float:
        """Write one line of text with its baseline at ``y``; return its width."""
        attrs = f'x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{fill}"'
        if bold:
            attrs += ' font-weight="bold"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if spacing:
            attrs += f' letter-spacing="{_num(spacing)}"'
        self.parts.append(f"<text {attrs}>{esc(text)}</text>")
        return text_width(text, size, bold=bold) + spacing * len(text)

    def paragraph(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        size: float,
        *,
        leading: float | None = None,
        bold: bool = False,
        fill: str = "#1F1F1F",
        max_lines: int | None = None,
    ) -> float:
        """Write ``text`` wrapped to ``width``, first baseline at ``y``; return the last baseline.

        With ``max_lines`` the text is cut at a word and ended with an ellipsis.
        """
        leading = leading or size * 1.3
        lines = wrap(text, width, size, bold=bold) or [""]
        if max_lines is not None and len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1].rstrip(".,;:") + "…"
        for i, line in enumerate(lines):
            self.text(x, y + i * leading, line, size, bold=bold, fill=fill)
        return y + (len(lines) - 1) * leading

    def embed(self, chart: ChartSvg, x: float, y: float, width: float) -> float:
        """Place a chart at ``(x, y)`` scaled to ``width``; return its drawn height."""
        height = width * chart.height / chart.width
        label = f' role="img" aria-label="{esc(chart.label)}"' if chart.label else ""
        self.parts.append(
            f'<svg x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" height="{_num(height)}" '
            f'viewBox="0 0 {_num(chart.width)} {_num(chart.height)}"{label}>{chart.body}</svg>'
        )
        return height

    def raw(self, markup: str) -> None:
        """Add markup as it is."""
        self.parts.append(markup)

    # ----- the document -----------------------------------------------------------------
    def document(self, *, title: str, description: str = "") -> str:
        """Return the complete SVG document, with a ``<title>`` and ``<desc>`` for screen readers."""
        desc = f"<desc>{esc(description)}</desc>" if description else ""
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" '
            f'width="{_num(self.width)}" height="{_num(self.height)}" '
            f'viewBox="0 0 {_num(self.width)} {_num(self.height)}" xml:lang="en-GB" role="document" '
            f'font-family="{FONT_FAMILY}">'
            f"<title>{esc(title)}</title>{desc}"
            f'<rect width="{_num(self.width)}" height="{_num(self.height)}" fill="#FFFFFF"/>'
            + "".join(self.parts)
            + "</svg>\n"
        )
