"""The four-lens view: one small doughnut per lens of DEAL's data portrait of place.

Each doughnut draws the portrait's indicators that look through one lens (local social,
local ecological, global social, global ecological); a dimension with no indicator in that
lens is drawn as "no data" (grey, striped, never zero), with a tooltip saying so. A lens
with no indicator at all says, under its title, what would measure it (from
:func:`cwb_metrics.indicators.lenses.lens_gaps`). The doughnuts reuse
:func:`cwb_metrics.charts.doughnut.doughnut_layers`; one legend and credit sit below them.
Pure: the caller passes the portrait frame and the texts.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import chart_title, doughnut_layers, legend_layers
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.models.lens import LENSES


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


def _subtitle(lens: str, count: int, gaps: Mapping[str, str], width: float) -> list[str]:
    question = LENSES[lens][1]
    chars = max(30, int(width / 6.6))
    if count:
        return [*textwrap.wrap(question, chars), f"{count} indicator{'s' if count != 1 else ''} with data"]
    gap = gaps.get(lens, "")
    lines = textwrap.wrap(question, chars) + textwrap.wrap("No data. What would measure it: " + gap, chars)
    return lines if gap else [*textwrap.wrap(question, chars), "No data in this lens yet."]


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
        written under the title of each lens with no indicator with data.
    width_each : int
        Width of each small doughnut in pixels.
    columns : int
        Doughnuts per row (2 gives a 2 x 2 grid; 4 a single row).
    credit : str
        Source line under the legend.

    Returns
    -------
    altair.VConcatChart
        Rows of doughnut panels (one layered chart per lens, titled with the lens, its
        question and either its count of indicators with data or what would measure it;
        each with its own click selection ``wedge_<lens>``), then the legend.
    """
    gaps = dict(gaps or {})
    frames = lens_frames(portrait_frame, lens_of)
    panels = []
    for lens, frame in frames.items():
        with_data = frame[frame["id"].notna() & frame.get("value", pd.Series(dtype=float)).notna()]
        layers, height = doughnut_layers(frame, width=width_each, select_name=f"wedge_{lens}", credit=None)
        panel_title = chart_title(LENSES[lens][0], _subtitle(lens, len(with_data), gaps, width_each), size=15)
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
