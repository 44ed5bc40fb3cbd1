"""The maps' and charts' colours in greyscale and against white (the Doughnut's are in tests/briefing).

As in ``tests/briefing/test_accessibility.py``: statuses and classes are compared by CIE L*
(what a greyscale print keeps), 10 L* apart being the least a reader tells apart without a
legend; a graphic needs 3:1 against white (WCAG 1.4.11). Known failures are marked
``xfail(strict=True)`` with the reason, so the test turns red when the colour is changed.
"""

from __future__ import annotations

import itertools
import re

import pytest
import vl_convert

from cwb_metrics.charts import theme
from cwb_metrics.charts.actions import LABEL_COLOURS, STATUS_COLOURS
from cwb_metrics.charts.distribution import BASE_COLOUR, COUNT_COLOUR
from tests.briefing.test_accessibility import contrast, lightness

APART = 10.0


def diverging_colours() -> dict[int, str]:
    """The change map's colours for -4 ... +4 deciles, as vl-convert (Vega) draws them."""
    spec = {
        "data": {"values": [{"v": v} for v in range(-4, 5)]},
        "mark": "rect",
        "encoding": {
            "x": {"field": "v", "type": "ordinal"},
            "color": {
                "field": "v",
                "type": "quantitative",
                "scale": {"scheme": theme.DIVERGING_SCHEME, "reverse": True, "domainMid": 0},
                "legend": None,
            },
        },
    }
    svg = vl_convert.vegalite_to_svg(spec)
    marks = svg[svg.index('class="mark-rect') :]
    fills = [
        "#{:02x}{:02x}{:02x}".format(*(round(float(x)) for x in rgb.split(",")))
        for rgb in re.findall(r'fill="rgb\(([^)]*)\)"', marks)
    ]
    assert len(fills) == 9, fills
    return dict(zip(range(-4, 5), fills, strict=True))


def test_imd_deciles_get_lighter_from_most_to_least_deprived() -> None:
    grey = [lightness(c) for c in theme.IMD_DECILE_COLOURS]
    assert grey == sorted(grey)
    # Ten classes cannot all be 10 L* apart between black and white; each step is still visible.
    assert min(b - a for a, b in itertools.pairwise(grey)) >= 7.5


@pytest.mark.xfail(
    strict=True,
    reason="'No data' grey (#D4D4D4, L* 85) is the lightness of decile 9 (L* 83): in greyscale a missing LSOA "
    "reads as decile 9. Every grey collides with a viridis decile; a texture would be needed.",
)
def test_no_data_stands_apart_from_every_decile_in_greyscale() -> None:
    for colour in theme.IMD_DECILE_COLOURS:
        assert abs(lightness(theme.MISSING_FILL) - lightness(colour)) >= APART, colour


@pytest.mark.parametrize(("a", "b"), list(itertools.combinations(STATUS_COLOURS, 2)))
def test_action_statuses_differ_in_greyscale(a: str, b: str) -> None:
    assert abs(lightness(STATUS_COLOURS[a]) - lightness(STATUS_COLOURS[b])) >= APART


@pytest.mark.parametrize("status", list(STATUS_COLOURS))
def test_action_bar_counts_are_legible_on_their_bar(status: str) -> None:
    label = LABEL_COLOURS.get(status, theme.INK)
    assert contrast(label, STATUS_COLOURS[status]) >= 4.5, f"{label} on {STATUS_COLOURS[status]}"


def test_who_bears_bars_differ_in_greyscale() -> None:
    assert abs(lightness(BASE_COLOUR) - lightness(COUNT_COLOUR)) >= APART
    assert contrast(BASE_COLOUR, "#FFFFFF") >= 3.0


@pytest.mark.xfail(
    strict=True,
    reason="Okabe-Ito orange (#E69F00) is 2.3:1 against the white background (WCAG 1.4.11 asks 3:1); the bars "
    "are labelled by their tooltips, the description and the table beside them, and darker oranges come too "
    "close to the blue in greyscale.",
)
def test_who_bears_orange_bars_stand_out_from_white() -> None:
    assert contrast(COUNT_COLOUR, "#FFFFFF") >= 3.0


def test_change_map_is_light_in_the_middle_and_dark_at_both_ends() -> None:
    colours = diverging_colours()
    grey = {v: lightness(c) for v, c in colours.items()}
    assert grey[0] == max(grey.values())
    for v in range(1, 5):  # a bigger move is darker, whichever way
        assert grey[v] < grey[v - 1] and grey[-v] < grey[-(v - 1)]


@pytest.mark.xfail(
    strict=True,
    reason="Blue-orange is safe for the common colour-vision deficiencies, but a diverging scheme is symmetric "
    "in lightness: in greyscale a move towards more deprived (orange) reads as the same move towards less "
    "deprived (blue). The text alternative and the table give the direction.",
)
def test_change_map_direction_survives_greyscale() -> None:
    colours = diverging_colours()
    for v in range(1, 5):
        assert abs(lightness(colours[v]) - lightness(colours[-v])) >= APART, v
