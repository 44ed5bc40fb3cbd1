"""The four-lens view: one small doughnut per lens of DEAL's data portrait of place.

Each doughnut draws the portrait's indicators that look through one lens (local social,
local ecological, global social, global ecological); a dimension with no indicator in that
lens is drawn as "no data" (grey, striped, never zero), with a tooltip saying so. Context
indicators are counted under each lens's title but, as in the one doughnut, never drawn. A
lens with no scored indicator with data draws no empty doughnut: its panel says what would
measure it (from :func:`cwb_metrics.indicators.lenses.lens_gaps`). The doughnuts reuse
:func:`cwb_metrics.charts.doughnut.doughnut_layers`; one legend and credit sit below them.
Pure: the caller passes the portrait frame and the texts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import LINE_HEIGHT, chart_title, doughnut_layers, legend_layers, text_layer
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.models.lens import LENSES

#: Fill of the panel of a lens with no data (light grey; its text is ink, 15:1).
GAP_FILL = "#F3F4F4"


def lens_of_rows(portrait_frame: pd.DataFrame, lens_of: Mapping[str, str] | None = None) -> pd.Series:
    """Each row's lens: from ``lens_of`` (indicator id -> lens) when given, else the frame's ``lens`` column.

    Rows without an id (dimensions with no indicator) get ``None``.

    Raises
    ------
    ValueError
        When neither gives a lens for an indicator, or a lens is unknown.
    """
    ids = portrait_frame["id"] if "id" in portrait_frame else pd.Series([None] * len(portrait_frame))
    if lens_of is not None:
        lenses = ids.map(lambda i: lens_of.get(i) if isinstance(i, str) else None)
    elif "lens" in portrait_frame and portrait_frame["lens"].notna().any():  # PortraitEntry.lens may be unset
        lenses = portrait_frame["lens"].where(ids.notna(), None)
    else:
        raise ValueError("the portrait frame has no 'lens' column; pass lens_of (indicator id -> lens)")
    unknown = sorted({str(x) for x, i in zip(lenses, ids, strict=True) if isinstance(i, str) and x not in LENSES})
    if unknown:
        raise ValueError(f"unknown or missing lens for some indicators: {unknown}; expected one of {list(LENSES)}")
    return lenses


def lens_frames(portrait_frame: pd.DataFrame, lens_of: Mapping[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Split a portrait frame into one frame per lens, each with every Doughnut dimension.

    A dimension with no indicator in the lens gets one "missing" row whose note says so.
    Returns lens id -> frame, in DEAL's order.
    """
    lenses = lens_of_rows(portrait_frame, lens_of)
    frames = {}
    for lens, (label, _question) in LENSES.items():
        mine = portrait_frame[lenses.eq(lens).fillna(False).to_numpy(dtype=bool)]
        absent = [
            {"id": None, "title": f"{dim_label}: no indicator in this lens", "short_title": dim_label, "ring": ring,
             "dimension": dimension, "dimension_label": dim_label, "status": "missing",
             "note": f"No indicator looks at {dim_label.lower()} through the {label.lower()} lens yet."}
            for dimension, (ring, dim_label) in DIMENSIONS.items()
            if dimension not in set(mine.get("dimension", []))
        ]  # fmt: skip
        frames[lens] = pd.concat([mine, pd.DataFrame(absent)], ignore_index=True) if absent else mine
    return frames


#: Statuses of an indicator drawn against its threshold (context indicators are never drawn).
SCORED = ("shortfall", "overshoot", "within")


def scored_count(frame: pd.DataFrame) -> int:
    """Indicators of a lens frame placed against their threshold (with data, not context)."""
    if frame.empty or "status" not in frame:
        return 0
    return int((frame["id"].notna() & frame["status"].isin(SCORED)).sum())


def _subtitle(lens: str, frame: pd.DataFrame, width: float) -> list[str]:
    """The lens's question, then what its doughnut draws (scored indicators; context is not drawn)."""
    chars = max(30, int(width / 6.6))
    scored = scored_count(frame)
    context = int((frame["id"].notna() & frame.get("status", pd.Series(dtype=str)).eq("context")).sum())
    if scored:
        count = f"{scored} scored indicator{'s' if scored != 1 else ''} with data"
        if context:
            count += f" (+{context} context, not drawn)"
    else:
        count = "No scored indicator with data in this lens"
    return [*textwrap.wrap(LENSES[lens][1], chars), count]


def _gap_panel(lens: str, gap: str, width: float, height: float) -> list[alt.Chart]:
    """The body of a lens with no data: a pale panel saying what would measure it (no empty doughnut)."""
    size = 12.0
    chars = max(28, int((width - 40) / (size * 0.56)))
    lines = (
        ["No data in this lens yet.", "", "What would measure it:", *textwrap.wrap(gap, chars)]
        if gap
        else ["No data in this lens yet."]
    )
    box = pd.DataFrame({"x": [4.0], "x2": [width - 4.0], "y": [8.0], "y2": [height - 8.0]})
    step = size * LINE_HEIGHT
    top = max(24.0, (height - step * len(lines)) / 2)
    texts = pd.DataFrame(
        [
            {"x": 20.0, "y": round(top + i * step, 1), "text": line, "angle": 0.0, "size": size,
             "colour": style.INK, "align": "left", "baseline": "top",
             "weight": "bold" if i == 0 or line.endswith(":") else "normal", "dy": 0.0}
            for i, line in enumerate(lines)
        ]
    )  # fmt: skip
    rect = (
        alt.Chart(box)
        .mark_rect(fill=GAP_FILL, stroke=style.MISSING_EDGE, strokeDash=[4, 3], cornerRadius=6)
        .encode(x=alt.X("x:Q", scale=None), x2="x2:Q", y=alt.Y("y:Q", scale=None), y2="y2:Q")
    )
    return [rect, text_layer(texts)]


def lens_view_chart(
    portrait_frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    lens_of: Mapping[str, str] | None = None,
    gaps: Mapping[str, str] | None = None,
    width_each: int = 340,
    columns: int = 2,
    credit: str = style.DEFAULT_CREDIT,
) -> alt.VConcatChart:
    """Draw the four-lens view: a small doughnut per lens, then one legend and the credit.

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()``; its ``lens`` column (or ``lens_of``) says each indicator's lens.
    title, subtitle : str
        The whole chart's title (e.g. the area) and subtitle (period, data version).
    lens_of : mapping, optional
        Indicator id -> lens, when the frame has no ``lens`` column.
    gaps : mapping, optional
        Lens id -> what would measure it (:func:`cwb_metrics.indicators.lenses.lens_gaps`),
        written in the panel of each lens with no scored indicator with data.
    width_each : int
        Width of each small doughnut in pixels.
    columns : int
        Doughnuts per row (2 gives a 2 x 2 grid; 4 a single row).
    credit : str
        Source line under the legend.

    Returns
    -------
    altair.VConcatChart
        Rows of panels, one per lens, titled with the lens, its question and its count of
        scored indicators with data (every title as tall as the tallest): a doughnut with
        its own click selection ``wedge_<lens>``, or, for a lens with no scored data, a
        pale panel saying what would measure it. Then the legend.
    """
    gaps = dict(gaps or {})
    frames = lens_frames(portrait_frame, lens_of)
    subtitles = {lens: _subtitle(lens, frame, width_each) for lens, frame in frames.items()}
    lines = max(len(lines) for lines in subtitles.values())
    panels = []
    for lens, frame in frames.items():
        layers, height = doughnut_layers(frame, width=width_each, select_name=f"wedge_{lens}", credit=None)
        if not scored_count(frame):
            layers = _gap_panel(lens, gaps.get(lens, ""), width_each, height)
        padded = subtitles[lens] + [" "] * (lines - len(subtitles[lens]))  # every title as tall as the tallest
        panel_title = chart_title(LENSES[lens][0], padded, size=15)
        panels.append(alt.layer(*layers).properties(width=width_each, height=round(height), title=panel_title))
    rows = [alt.hconcat(*panels[i : i + columns], spacing=16) for i in range(0, len(panels), columns)]
    full_width = width_each * min(columns, len(panels)) + 16 * (min(columns, len(panels)) - 1)
    legend, legend_height = legend_layers(full_width, credit)
    legend_chart = alt.layer(*legend).properties(width=full_width, height=round(legend_height))
    return (
        alt.vconcat(*rows, legend_chart, spacing=18)
        .properties(title=chart_title(title, subtitle))
        .configure(background="#FFFFFF", padding={"left": 8, "right": 8, "top": 10, "bottom": 6})
        .configure_view(stroke=None)
    )
