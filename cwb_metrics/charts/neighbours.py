"""An area's value beside its ONS similar areas and England, as a small dot strip.

Three rows: the area (one large dot), its similar areas (one dot each, their range as a
light bar and their mean as a tick) and England (one dot). The chart draws values only:
it marks no difference as better or worse (the neighbours' range is context, not a test).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import chart_title
from cwb_metrics.portrait.sentences import format_value

#: Colour of the similar areas' dots and mean tick (4.9:1 on white) and of their range bar.
NEIGHBOUR_COLOUR, RANGE_COLOUR = "#5F6B73", "#D5DDE1"


def neighbour_strip(
    *,
    area_name: str,
    value: float | None,
    neighbours: Sequence[tuple[str, float]],
    mean: float | None,
    england: float | None,
    unit: str,
    decimals: int,
    title: str,
    subtitle: str = "",
    width: int = 250,
) -> alt.LayerChart:
    """Draw an area's value, its similar areas' values, range and mean, and England's, on one axis.

    Parameters
    ----------
    area_name : str
        The area's name (first row).
    value : float or None
        The area's value (no dot when ``None``).
    neighbours : sequence of (name, value)
        The similar areas with a value for the same period.
    mean : float or None
        Their mean (a tick).
    england : float or None
        England's value (last row).
    unit : str
        The indicator's short unit (axis title and tooltips).
    decimals : int
        Decimals of the tooltips and row labels.
    title, subtitle : str
        Drawn at the top.
    width : int
        Plot width in pixels (the row labels are drawn to its left).

    Returns
    -------
    altair.LayerChart
    """

    def text(number: float | None) -> str:
        return format_value(number, decimals, unit, missing="no figure")

    rows = [area_name, f"Similar areas ({len(neighbours)})", "England"]
    points = pd.DataFrame(
        [
            *({"row": rows[1], "name": n, "value": v, "kind": "similar area", "text": text(v)} for n, v in neighbours),
            *(
                [{"row": rows[0], "name": area_name, "value": value, "kind": "area", "text": text(value)}]
                * (value is not None)
            ),
            *(
                [{"row": rows[2], "name": "England", "value": england, "kind": "England", "text": text(england)}]
                * (england is not None)
            ),
        ],
        columns=["row", "name", "value", "kind", "text"],
    )
    y = alt.Y(
        "row:N",
        sort=rows,
        scale=alt.Scale(domain=rows),
        title=None,
        axis=alt.Axis(labelFont=style.FONT, labelFontSize=12, labelLimit=150, ticks=False, domain=False),
    )
    x_scale = alt.Scale(zero=False, nice=True, padding=8)
    x = alt.X(
        "value:Q",
        title=unit or None,
        scale=x_scale,
        axis=alt.Axis(labelFont=style.FONT, grid=True, tickCount=5, labelOverlap="greedy", titleFont=style.FONT),
    )
    tooltip = [alt.Tooltip("name:N", title="Area"), alt.Tooltip("text:N", title="Value")]
    layers: list[alt.Chart] = []
    if neighbours:
        spread = pd.DataFrame(
            {"row": [rows[1]], "low": [min(v for _n, v in neighbours)], "high": [max(v for _n, v in neighbours)]}
        )
        layers.append(
            alt.Chart(spread)
            .mark_bar(color=RANGE_COLOUR, height=16, cornerRadius=8)
            .encode(x=alt.X("low:Q", scale=x_scale), x2="high:Q", y=y)
        )
    layers.append(
        alt.Chart(points)
        .transform_filter("datum.kind == 'similar area'")
        .mark_circle(size=55, color=NEIGHBOUR_COLOUR, opacity=0.85, stroke="#FFFFFF", strokeWidth=0.8)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    if mean is not None:
        tick = pd.DataFrame(
            {"row": [rows[1]], "value": [mean], "name": ["Mean of similar areas"], "text": [text(mean)]}
        )
        layers.append(
            alt.Chart(tick)
            .mark_tick(color=style.INK, thickness=3, size=26)
            .encode(x=alt.X("value:Q", scale=x_scale), y=y, tooltip=tooltip)
        )
    layers += [
        alt.Chart(points)
        .transform_filter("datum.kind == 'area'")
        .mark_circle(size=170, color=style.AREA_COLOURS[0], opacity=1)
        .encode(x=x, y=y, tooltip=tooltip),
        alt.Chart(points)
        .transform_filter("datum.kind == 'England'")
        .mark_point(shape="diamond", size=150, filled=True, color=style.ENGLAND_COLOUR, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip),
    ]
    return (
        alt.layer(*layers)
        .properties(
            width=width,
            height=132,
            title=chart_title(title, subtitle, size=14, subtitle_size=11),
        )
        .configure(background="#FFFFFF")
        .configure_view(stroke=None)
    )
