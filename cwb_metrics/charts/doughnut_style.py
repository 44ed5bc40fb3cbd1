"""Colours, fonts and the credit line of the Doughnut charts (doughnut, unrolled bars, trends).

Colours are chosen to stay apart for the common colour-vision deficiencies and in greyscale:
their CIE lightness steps by at least 10 L* (safe and just space 16, shortfall 29, overshoot 40,
within 51, no data 61), each graphic has 3:1 contrast with what it touches (WCAG 1.4.11), and
colour never carries meaning alone: shortfall always points inward, overshoot outward, missing
data is striped and labelled "no data". ``tests/briefing/test_accessibility.py`` checks this.
Text colours meet WCAG AA (4.5:1) on the background they are drawn on;
``tests/charts/test_doughnut.py`` checks the ratios.
"""

from __future__ import annotations

from cwb_metrics.charts.theme import FONT, INK, MUTED_INK

__all__ = ["FONT", "INK", "MUTED_INK"]  # shared with the maps (charts/theme.py)

#: Fill of a shortfall wedge / bar (below the social foundation).
SHORTFALL = "#7D233B"
#: Fill of an overshoot wedge / bar (beyond the ecological ceiling).
OVERSHOOT = "#8F4E0B"
#: The "safe and just space" band between foundation and ceiling.
SAFE_SPACE = "#092F19"
#: An indicator within its threshold: a light green tick on the boundary.
WITHIN = "#33894B"
#: A missing value: a mid grey (3:1 on white, WCAG 1.4.11), striped white, labelled "no data".
MISSING = "#949494"
MISSING_STRIPE = "#FFFFFF"
MISSING_EDGE = "#8C8C8C"
#: The white circles drawn on the foundation and the ceiling.
EDGE = "#FFFFFF"

#: Text on dark fills, and guide lines.
ON_DARK = "#FFFFFF"
GUIDE = "#9A9A9A"

#: Status -> (fill colour, legend wording).
STATUS_COLOURS: dict[str, str] = {
    "shortfall": SHORTFALL,
    "within": WITHIN,
    "overshoot": OVERSHOOT,
    "missing": MISSING,
}

#: Lines of the trend chart: areas in order, then the comparators.
AREA_COLOURS: tuple[str, ...] = ("#1F5FA8", "#B85A0D", "#2E8B57", "#7B3294", "#B51F4A", "#117A8B")
ENGLAND_COLOUR = "#1F1F1F"
COUNTY_COLOUR = "#6B6B6B"

#: Credit line drawn at the foot of the charts.
DEFAULT_CREDIT = "Source: ONS, DESNZ, OHID, DfE, MHCLG; OGL v3.0"


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours (1 to 21).

    Parameters
    ----------
    foreground, background : str
        Hex colours such as ``"#1F1F1F"``.

    Returns
    -------
    float
    """

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
