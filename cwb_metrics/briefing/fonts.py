"""Advance widths of the briefing's font, so text can be wrapped without a renderer.

The briefing is drawn in Liberation Sans (metric-compatible with Arial and Helvetica, and
the sans-serif font vl-convert finds on Debian); SVG viewers without it fall back to Arial
or Helvetica, which have the same widths. The table holds the advance width of each
character in thousandths of an em, read once from ``LiberationSans-Regular.ttf`` and
``LiberationSans-Bold.ttf`` (fonts-liberation) at 2048 units per em; kerning is ignored,
so measured widths are never too small.
"""

from __future__ import annotations

import textwrap

#: The font stack written into every SVG ``font-family``.
FONT_FAMILY = "Liberation Sans, Arial, Helvetica, sans-serif"

#: The characters measured: printable ASCII, Latin-1 and a few typographic signs.
_CHARS = "".join(map(chr, range(32, 127))) + "".join(map(chr, range(160, 256))) + "–—‘’“”•…−≤≥→←↑↓▲▼■€₂"
_REGULAR = """
    278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556
    556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556
    556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 278
    333 556 556 556 556 260 556 333 737 370 556 584 0 737 552 400 549 333 333 333 576 537 278 333
    333 365 556 834 834 834 611 667 667 667 667 667 667 1000 722 667 667 667 667 278 278 278 278 722
    722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 889 500 556
    556 556 556 278 278 278 278 556 556 556 556 556 556 556 549 611 556 556 556 556 500 556 500 556
    1000 222 222 333 333 350 1000 584 549 549 1000 1000 500 500 990 990 604 556 365
"""
_BOLD = """
    278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556
    556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778
    667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611
    611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584 278
    333 556 556 556 556 280 556 333 737 370 556 584 0 737 552 400 549 333 333 333 576 556 278 333
    333 365 556 834 834 834 611 722 722 722 722 722 722 1000 722 667 667 667 667 278 278 278 278 722
    722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 889 556 556
    556 556 556 278 278 278 278 611 611 611 611 611 611 611 549 611 611 611 611 611 556 611 556 556
    1000 278 278 500 500 350 1000 584 549 549 1000 1000 500 500 990 990 604 556 365
"""
_WIDTHS = {
    False: dict(zip(_CHARS, map(int, _REGULAR.split()), strict=True)),
    True: dict(zip(_CHARS, map(int, _BOLD.split()), strict=True)),
}
#: Width of a character missing from the table (a wide one, so lines are never too long).
_FALLBACK = 1000


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set in the briefing font at ``size`` points (or pixels).

    Parameters
    ----------
    text : str
        One line of text.
    size : float
        Font size.
    bold : bool
        Bold weight.

    Returns
    -------
    float
    """
    table = _WIDTHS[bold]
    return sum(table.get(ch, _FALLBACK) for ch in text) * size / 1000


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (a word longer than a line gets a line of its own).

    Parameters
    ----------
    text : str
        The paragraph (runs of white space count as one space).
    width : float
        Line width, in the unit of ``size``.
    size : float
        Font size.
    bold : bool
        Bold weight.

    Returns
    -------
    list of str
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold=bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def shorten(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """Return ``text``, cut at a word and ended with an ellipsis if it is wider than ``width``."""
    if text_width(text, size, bold=bold) <= width:
        return text
    words = text.split()
    while words and text_width(" ".join(words) + "…", size, bold=bold) > width:
        words.pop()
    return (" ".join(words) + "…") if words else textwrap.shorten(text, 1, placeholder="…")
