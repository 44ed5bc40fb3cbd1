"""The Doughnut: a radial chart of a portrait, drawn with Vega-Lite arc marks.

Geometry (all computed in pandas, so every wedge's angles and radii are data):

- the **social foundation** is a circle of radius ``r_foundation``; each of its 12
  dimensions takes an equal slice of the circle, split into one sub-wedge per indicator;
  a **shortfall** wedge runs from the foundation circle *inward*, its length proportional
  to the shortfall (a 100% shortfall reaches the hole in the middle);
- the **ecological ceiling** is a circle of radius ``r_ceiling``; its 9 dimensions share
  the circle the same way; an **overshoot** wedge runs *outward* from it, proportional to
  the overshoot, up to :data:`~cwb_metrics.portrait.scoring.DRAW_CAP` (ratio 4.9);
- between the two circles lies the dark-green **safe and just space**; an indicator
  **within** its threshold is a light-green tick on its boundary;
- **missing** data is a light-grey striped wedge on the boundary, labelled "no data"
  where there is room, never a zero.

Wedges drawn to a limit are labelled with their true value. Theta is in radians clockwise
from 12 o'clock; radii are pixels (scales switched off).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.scoring import DRAW_CAP, score_value
from cwb_metrics.portrait.sentences import format_value

#: A shortfall wedge reaches the central hole at this score (100% short); larger scores are cut and labelled.
SHORTFALL_DRAW_MAX = 1.0
TAU = 2 * math.pi
RINGS = ("social_foundation", "ecological_ceiling")

#: Columns of the wedge data sent to the browser (everything else stays in Python).
WEDGE_COLUMNS = [
    "id", "dimension_label", "status", "t0", "t1", "r_out", "r_in", "fill",
    "title", "value_text", "threshold_text", "threshold_source", "period_label", "status_text",
    "england_text", "county_text", "trend_text",
]  # fmt: skip

TOOLTIP = [
    alt.Tooltip("title:N", title="Indicator"),
    alt.Tooltip("dimension_label:N", title="Dimension"),
    alt.Tooltip("value_text:N", title="Value"),
    alt.Tooltip("threshold_text:N", title="Threshold"),
    alt.Tooltip("threshold_source:N", title="Threshold source"),
    alt.Tooltip("period_label:N", title="Period"),
    alt.Tooltip("status_text:N", title="Status"),
    alt.Tooltip("england_text:N", title="England"),
    alt.Tooltip("county_text:N", title="County"),
    alt.Tooltip("trend_text:N", title="Trend"),
]


@dataclass(frozen=True)
class DoughnutGeometry:
    """Pixel geometry of the doughnut for a chart ``width`` pixels wide."""

    width: float

    @property
    def unit(self) -> float:
        """Pixels per design unit (the design is 640 pixels wide)."""
        return self.width / 640

    @property
    def r_hole(self) -> float:
        """Radius of the empty middle: where a 100% shortfall ends."""
        return 34 * self.unit

    @property
    def r_foundation(self) -> float:
        """Radius of the social foundation circle."""
        return 148 * self.unit

    @property
    def r_ceiling(self) -> float:
        """Radius of the ecological ceiling circle."""
        return 194 * self.unit

    @property
    def r_limit(self) -> float:
        """Radius where an overshoot of :data:`DRAW_CAP` ends."""
        return 288 * self.unit

    @property
    def r_label(self) -> float:
        """Radius of the ecological dimension labels."""
        return self.r_limit + 7 * self.unit

    @property
    def cx(self) -> float:
        """Centre, x."""
        return self.width / 2

    @property
    def cy(self) -> float:
        """Centre, y."""
        return self.r_label + 22 * self.unit

    @property
    def missing_depth(self) -> float:
        """Radial depth of a "no data" wedge."""
        return 26 * self.unit

    @property
    def within_depth(self) -> float:
        """Radial depth of a "within" tick."""
        return 7 * self.unit

    def shortfall_inner(self, score: float) -> float:
        """Inner radius of a shortfall wedge (its outer radius is the foundation)."""
        drawn = min(max(score, 0.0), SHORTFALL_DRAW_MAX)
        return self.r_foundation - drawn / SHORTFALL_DRAW_MAX * (self.r_foundation - self.r_hole)

    def overshoot_outer(self, score: float) -> float:
        """Outer radius of an overshoot wedge (its inner radius is the ceiling)."""
        drawn = min(max(score, 0.0), DRAW_CAP)
        return self.r_ceiling + drawn / DRAW_CAP * (self.r_limit - self.r_ceiling)

    def point(self, theta: float, radius: float) -> tuple[float, float]:
        """Pixel position of polar (theta clockwise from north, radius)."""
        return self.cx + radius * math.sin(theta), self.cy - radius * math.cos(theta)


def _text_width(text: str, size: float) -> float:
    """Rough rendered width of ``text`` in a sans-serif font of ``size`` pixels."""
    return max(len(line) for line in text.split("\n")) * size * 0.56


def _two_lines(text: str) -> str:
    """Break a label at the space nearest its middle."""
    words = text.split(" ")
    if len(words) < 2:
        return text
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _tangential(theta: float) -> tuple[float, bool]:
    """Text angle (degrees) running along the circle at ``theta``, and whether it was flipped."""
    degrees = math.degrees(theta) % 360
    if 90 < degrees < 270:
        return degrees - 180, True
    return (degrees - 360 if degrees >= 270 else degrees), False


def _radial(theta: float) -> float:
    """Text angle (degrees) running along the radius at ``theta``, never upside down."""
    degrees = math.degrees(theta) % 360
    return degrees - 90 if degrees < 180 else degrees - 270


#: Tooltip words for the portrait's significance-tested trend and England comparison.
_TREND_WORDS = {
    "improving": "improving (significant at 95%)",
    "worsening": "worsening (significant at 95%)",
    "no_significant_change": "no significant change",
    "not_compared": "not tested (no intervals, overlapping or too few periods)",
}
_COMPARISON_WORDS = {
    "better": " (this area significantly better)",
    "worse": " (this area significantly worse)",
    "similar": " (no significant difference)",
}


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop context entries (never drawn as wedges) and add a missing entry for every dimension not mentioned."""
    if "status" in frame:
        frame = frame[frame["status"] != "context"]
    present = set(frame["dimension"]) if "dimension" in frame else set()
    extra = [
        {"id": None, "title": f"{label}: no indicator yet", "short_title": label, "ring": ring,
         "dimension": dimension, "dimension_label": label, "status": "missing",
         "note": "No local indicator has been chosen for this dimension yet."}
        for dimension, (ring, label) in DIMENSIONS.items()
        if dimension not in present
    ]  # fmt: skip
    full = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True) if extra else frame.copy()
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    full["_order"] = full["dimension"].map(order)
    full["_pos"] = range(len(full))
    return full.sort_values(["_order", "_pos"]).reset_index(drop=True)


def _get(row: pd.Series, key: str, default: object = None) -> Any:
    value = row.get(key, default)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return default
    return value


def _describe(row: pd.Series) -> dict[str, str]:
    """The tooltip texts of one entry."""
    decimals = int(_get(row, "decimals", 1))
    unit = str(_get(row, "unit_short", "") or "")

    def fmt(value: float | None) -> str:
        return format_value(None if value is None else float(value), decimals, unit, missing="—")

    status = row["status"]
    value = _get(row, "value")
    value_text = fmt(value) if value is not None else "no data"
    lci, uci = _get(row, "lci_95"), _get(row, "uci_95")
    if value is not None and lci is not None and uci is not None:
        value_text += f" (95% CI {fmt(lci)} to {fmt(uci)})"
    kind = _get(row, "threshold_kind")
    threshold = _get(row, "threshold")
    if kind == "zero_deprivation":
        threshold_text = "Foundation: 0% (nobody deprived)"
    elif threshold is None:
        threshold_text = "—"
    else:
        threshold_text = f"{'Ceiling' if kind == 'ceiling' else 'Foundation'}: {fmt(threshold)}"
    source = str(_get(row, "threshold_source", "—"))
    if _get(row, "threshold_illustrative") and not any(w in source.lower() for w in ("illustrative", "comparator")):
        source += " (illustrative)"
    score, ratio = _get(row, "score"), _get(row, "ratio")
    if status == "shortfall":
        status_text = f"Shortfall: {score:.0%} short of the social foundation"
    elif status == "overshoot":
        times = f", {ratio:.1f} times the ceiling" if ratio is not None else ""
        status_text = f"Overshoot: {score:.0%} beyond the ecological ceiling{times}"
    elif status == "within":
        status_text = "Within the safe and just space"
    else:
        status_text = "No data: " + str(_get(row, "note", "") or "not available")
    trend = _get(row, "trend")
    return {
        "value_text": value_text,
        "threshold_text": threshold_text,
        "threshold_source": source,
        "period_label": str(_get(row, "period_label", "—")),
        "status_text": status_text,
        "england_text": fmt(_get(row, "england")) + _COMPARISON_WORDS.get(str(_get(row, "england_comparison")), ""),
        "county_text": fmt(_get(row, "county")),
        "trend_text": _TREND_WORDS.get(str(trend), str(trend).replace("_", " ")) if trend else "not enough years",
    }


def doughnut_layout(portrait_frame: pd.DataFrame, width: float = 640) -> dict[str, pd.DataFrame]:
    """Compute every mark of the doughnut in pixels.

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()``: one row per entry, in drawing order.
    width : float
        Chart width in pixels.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``wedges`` (one per entry: ``t0, t1`` angles, ``r_out, r_in`` radii, ``fill`` and
        tooltip texts), ``stripes`` (white stripes over missing wedges), ``intervals``
        (thin radial lines spanning each 95% confidence interval), ``labels`` (text marks:
        dimension names, true values of cut wedges, "no data").
    """
    geo = DoughnutGeometry(width)
    frame = _complete(portrait_frame)
    wedges, stripes, intervals, labels = [], [], [], []
    for ring in RINGS:
        dimensions = [d for d, (r, _) in DIMENSIONS.items() if r == ring]
        span = TAU / len(dimensions)
        pad = 0.9 * geo.unit / geo.r_foundation
        for k, dimension in enumerate(dimensions):
            rows = frame[frame["dimension"] == dimension]
            start, stop = k * span + pad, (k + 1) * span - pad
            step = (stop - start) / len(rows)
            label = DIMENSIONS[dimension][1]
            mid = (start + stop) / 2
            labels.append(_dimension_label(geo, ring, label, mid, span))
            for j, (_, row) in enumerate(rows.iterrows()):
                t0, t1 = start + j * step, start + (j + 1) * step
                wedge = _wedge(geo, row, ring, t0, t1)
                wedges.append(wedge)
                if row["status"] == "missing":
                    stripes += _stripes(geo, wedge)
                intervals += _interval(geo, row, ring, (t0 + t1) / 2)
                labels += _wedge_labels(geo, row, wedge)
    return {
        "wedges": pd.DataFrame(wedges),
        "stripes": pd.DataFrame(stripes),
        "intervals": pd.DataFrame(intervals),
        "labels": pd.DataFrame(labels),
    }


def _radius_of(geo: DoughnutGeometry, ring: str, score: float) -> float:
    """Where a wedge of ``score`` ends: inward from the foundation, outward from the ceiling."""
    return geo.shortfall_inner(score) if ring == "social_foundation" else geo.overshoot_outer(score)


def _interval(geo: DoughnutGeometry, row: pd.Series, ring: str, theta: float) -> list[dict[str, float]]:
    """A thin radial line across the wedge from the score of the lower to that of the upper 95% bound."""
    bounds = [_get(row, "lci_95"), _get(row, "uci_95")]
    threshold, kind, polarity = _get(row, "threshold"), _get(row, "threshold_kind"), _get(row, "polarity")
    if row["status"] == "missing" or None in bounds or threshold is None or kind is None or polarity is None:
        return []
    scores = [score_value(float(b), float(threshold), kind, polarity).score or 0.0 for b in bounds]
    radii = sorted(_radius_of(geo, ring, s) for s in scores)
    if radii[1] - radii[0] < 2:
        return []
    half = 0.6 * geo.unit / ((radii[0] + radii[1]) / 2)
    line = {"t0": theta - half, "t1": theta + half, "r_in": radii[0], "r_out": radii[1]}
    return [{key: round(value, 4 if key.startswith("t") else 1) for key, value in line.items()}]


def _wedge(geo: DoughnutGeometry, row: pd.Series, ring: str, t0: float, t1: float) -> dict[str, Any]:
    status = row["status"]
    score = float(_get(row, "score", 0.0) or 0.0)
    social = ring == "social_foundation"
    base = geo.r_foundation if social else geo.r_ceiling
    if status == "shortfall":
        r_out, r_in = geo.r_foundation, geo.shortfall_inner(score)
    elif status == "overshoot":
        r_out, r_in = geo.overshoot_outer(score), geo.r_ceiling
    elif status == "within":
        r_out, r_in = (base, base - geo.within_depth) if social else (base + geo.within_depth, base)
    else:
        r_out, r_in = (base, base - geo.missing_depth) if social else (base + geo.missing_depth, base)
    capped = (status == "shortfall" and score > SHORTFALL_DRAW_MAX) or (status == "overshoot" and score > DRAW_CAP)
    return {
        "id": _get(row, "id"),
        "dimension_label": row["dimension_label"],
        "status": status,
        "t0": round(t0, 4),
        "t1": round(t1, 4),
        "r_out": round(r_out, 1),
        "r_in": round(r_in, 1),
        "fill": style.STATUS_COLOURS[status],
        "title": str(_get(row, "title", "")),
        "capped": capped,
        "ring": ring,
        **_describe(row),
    }


def _stripes(geo: DoughnutGeometry, wedge: dict[str, Any]) -> list[dict[str, float]]:
    """Thin white concentric arcs across a missing wedge: a hatch Vega-Lite cannot draw."""
    r_in, r_out = float(wedge["r_in"]), float(wedge["r_out"])
    gap, thick = 5.0 * geo.unit, 1.6 * geo.unit
    out, radius = [], r_in + gap
    while radius + thick < r_out - 1:
        out.append({"t0": wedge["t0"], "t1": wedge["t1"], "r_in": round(radius, 1), "r_out": round(radius + thick, 1)})
        radius += gap
    return out


def _text(x: float, y: float, text: str, **style_: object) -> dict[str, object]:
    row = {"x": round(x, 1), "y": round(y, 1), "text": text, "angle": 0.0, "size": 11.0, "colour": style.INK}
    row |= {"align": "center", "baseline": "middle", "weight": "normal"}
    row.update(style_)
    return row


def _dimension_label(geo: DoughnutGeometry, ring: str, label: str, theta: float, span: float) -> dict[str, object]:
    angle, flipped = _tangential(theta)
    if ring == "social_foundation":
        radius = (geo.r_foundation + geo.r_ceiling) / 2
        size = 11.0 * max(geo.unit, 0.8)
        text = label if _text_width(label, size) < 0.8 * span * radius else _two_lines(label)
        x, y = geo.point(theta, radius)
        return _text(x, y, text, angle=angle, size=size, colour=style.ON_DARK, weight="bold", kind="dimension")
    size = 11.5 * max(geo.unit, 0.8)
    text = label if _text_width(label, size) < 0.75 * span * geo.r_label else _two_lines(label)
    x, y = geo.point(theta, geo.r_label)
    baseline = "top" if flipped else "bottom"
    return _text(
        x, y, text, angle=angle, size=size, colour=style.INK, weight="bold", baseline=baseline, kind="dimension"
    )


def _wedge_labels(geo: DoughnutGeometry, row: pd.Series, wedge: dict[str, Any]) -> list[dict[str, object]]:
    t0, t1 = float(wedge["t0"]), float(wedge["t1"])
    theta = (t0 + t1) / 2
    r_in, r_out = float(wedge["r_in"]), float(wedge["r_out"])
    size = 9.5 * max(geo.unit, 0.85)
    if wedge["status"] == "missing":
        radius = (r_in + r_out) / 2
        if _text_width("no data", size) > 0.9 * (t1 - t0) * radius:
            return []
        angle, _ = _tangential(theta)
        x, y = geo.point(theta, radius)
        return [_text(x, y, "no data", angle=angle, size=size, colour=style.INK, kind="missing")]
    if not wedge["capped"]:
        return []
    decimals = int(_get(row, "decimals", 1))
    text = format_value(float(row["value"]), decimals, str(_get(row, "unit_short", "") or ""))
    text = "▲ " + text if wedge["ring"] == "ecological_ceiling" else text + " ▼"
    radius = r_out - 6 * geo.unit if wedge["ring"] == "ecological_ceiling" else r_in + 6 * geo.unit
    degrees = math.degrees(theta) % 360
    right = degrees < 180
    outward_end = wedge["ring"] == "ecological_ceiling"
    align = ("right" if right else "left") if outward_end else ("left" if right else "right")
    x, y = geo.point(theta, radius)
    return [
        _text(x, y, text, angle=_radial(theta), size=size, colour=style.ON_DARK, weight="bold", align=align, kind="cut")
    ]


def _small(x: float, y: float, text: str) -> dict[str, object]:
    return _text(x, y, text, align="left", baseline="top", size=10.5, colour=style.MUTED_INK)


def _legend(
    geo: DoughnutGeometry, top: float, credit: str, intervals: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Swatches (rects), texts and height of the legend and credit, below the doughnut.

    Two columns from 600 pixels wide, one below that; text sizes do not shrink.
    """
    items = [
        (style.SHORTFALL, "Shortfall: below the social foundation", "longer = bigger gap; the centre = 100% short"),
        (style.SAFE_SPACE, "Safe and just space", "between the social foundation and the ecological ceiling"),
        (style.WITHIN, "Within: meets its foundation or ceiling", "a short green tick on the boundary"),
        (
            style.OVERSHOOT,
            "Overshoot: beyond the ecological ceiling",
            f"dotted circle = {DRAW_CAP + 1:g} × the ceiling",
        ),
        (style.MISSING, "No data yet", "striped grey; never counted as zero"),
    ]
    note = "Wedges drawn to the limit are labelled with their true value (▼ ▲)."
    if intervals:
        note += "\nA thin dark line across a wedge spans its 95% confidence interval."
    two = geo.width >= 600
    columns = [16.0, geo.width / 2 + 8] if two else [16.0]
    step = 34.0
    rects, texts = [], []
    for i, (fill, head, detail) in enumerate(items):
        x = columns[i % len(columns)]
        y = top + (i // len(columns)) * step
        rects.append({"x": x, "x2": x + 18, "y": y, "y2": y + 14, "fill": fill})
        if fill == style.MISSING:
            for k in range(1, 4):
                stripe = y + k * 3.5
                rects.append(
                    {"x": x, "x2": x + 18, "y": stripe - 0.8, "y2": stripe + 0.8, "fill": style.MISSING_STRIPE}
                )
        texts.append(_text(x + 25, y + 1, head, align="left", baseline="top", size=11.5, weight="bold"))
        texts.append(_small(x + 25, y + 15, detail))
    if two:
        texts.append(_small(columns[1], top + 2 * step + 1, note))
        bottom = top + 3 * step
    else:
        texts.append(_small(columns[0], top + 5 * step, note))
        bottom = top + 5 * step + 22 + (14 if intervals else 0)
    texts.append(_small(columns[0], bottom + 2, credit))
    return pd.DataFrame(rects).round(1), pd.DataFrame(texts), bottom + 20 - top


def _arc(data: pd.DataFrame, geo: DoughnutGeometry, **mark: Any) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_arc(x=geo.cx, y=geo.cy, **mark)
        .encode(
            theta=alt.Theta("t0:Q", scale=None),
            theta2=alt.Theta2("t1:Q"),
            radius=alt.Radius("r_out:Q", scale=None),
            radius2=alt.Radius2("r_in:Q"),
        )
    )


def doughnut_layers(
    portrait_frame: pd.DataFrame,
    *,
    width: float = 640,
    select_name: str = "wedge",
    credit: str | None = style.DEFAULT_CREDIT,
) -> tuple[list[alt.Chart], float]:
    """The layers of one doughnut, and the height they need, for composing into a chart.

    :func:`doughnut_chart` draws them as one chart; :mod:`cwb_metrics.charts.lenses` draws
    several side by side (``credit=None`` leaves out the legend and credit).

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()``; dimensions it does not mention are drawn as "no data".
    width : float
        Width in pixels (the geometry scales with it).
    select_name : str
        Name of the click selection on the indicator ``id``; unique within one spec.
    credit : str or None
        Source line under the legend; ``None`` draws neither legend nor credit.

    Returns
    -------
    tuple
        The layers (band, guide circle, wedges with tooltips and the selection, stripes,
        intervals, edges, legend swatches when a credit is given, texts) and the height
        in pixels.
    """
    geo = DoughnutGeometry(width)
    layout = doughnut_layout(portrait_frame, width)
    texts = layout["labels"]
    height = geo.cy + geo.r_label + 12 * geo.unit
    swatches = pd.DataFrame()
    if credit is not None:
        legend_top = geo.cy + geo.r_label + 30 * geo.unit
        swatches, legend_texts, legend_height = _legend(geo, legend_top, credit, not layout["intervals"].empty)
        height = legend_top + legend_height
        texts = pd.concat([texts, legend_texts], ignore_index=True)
    texts = texts[["x", "y", "text", "angle", "size", "colour", "align", "baseline", "weight"]]

    band = pd.DataFrame({"t0": [0.0], "t1": [TAU], "r_out": [geo.r_ceiling], "r_in": [geo.r_foundation]})
    guides = pd.DataFrame({"t0": [0.0], "t1": [TAU], "r_out": [geo.r_limit], "r_in": [geo.r_limit]}).round(1)
    selection = alt.selection_point(name=select_name, fields=["id"], on="click", clear="dblclick")
    wedges = layout["wedges"][WEDGE_COLUMNS]

    layers = [
        _arc(band, geo, fill=style.SAFE_SPACE, stroke=None),
        _arc(guides, geo, filled=False, stroke=style.GUIDE, strokeWidth=1, strokeDash=[2, 3]),
        _arc(wedges, geo, stroke="#FFFFFF", strokeWidth=0.75, cursor="pointer")
        .encode(
            fill=alt.Fill("fill:N", scale=None),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.35)),
            tooltip=TOOLTIP,
        )
        .add_params(selection),
    ]
    if not layout["stripes"].empty:
        layers.append(_arc(layout["stripes"], geo, fill=style.MISSING_STRIPE, stroke=None, tooltip=None))
    if not layout["intervals"].empty:
        layers.append(_arc(layout["intervals"], geo, fill=style.INK, stroke=None, tooltip=None))
    # Thin white circles on the foundation and the ceiling keep wedges and band apart in greyscale.
    edges = pd.DataFrame(
        {"t0": [0.0, 0.0], "t1": [TAU, TAU], "r_in": [geo.r_foundation - 0.8, geo.r_ceiling - 0.8]}
    ).assign(r_out=lambda d: d["r_in"] + 1.6)
    layers.append(_arc(edges.round(4), geo, fill=style.EDGE, stroke=None, tooltip=None))
    if not swatches.empty:
        layers.append(
            alt.Chart(swatches)
            .mark_rect()
            .encode(
                x=alt.X("x:Q", scale=None),
                x2="x2:Q",
                y=alt.Y("y:Q", scale=None),
                y2="y2:Q",
                fill=alt.Fill("fill:N", scale=None),
            )
        )
    layers.append(text_layer(texts))
    return layers, height


def legend_layers(width: float, credit: str, *, intervals: bool = False) -> tuple[list[alt.Chart], float]:
    """The doughnut's legend and credit on their own, ``width`` pixels wide, and their height.

    For charts that draw several doughnuts with one legend (:mod:`cwb_metrics.charts.lenses`).
    """
    swatches, texts, height = _legend(DoughnutGeometry(width), 0.0, credit, intervals)
    rects = (
        alt.Chart(swatches)
        .mark_rect()
        .encode(
            x=alt.X("x:Q", scale=None),
            x2="x2:Q",
            y=alt.Y("y:Q", scale=None),
            y2="y2:Q",
            fill=alt.Fill("fill:N", scale=None),
        )
    )
    columns = ["x", "y", "text", "angle", "size", "colour", "align", "baseline", "weight"]
    return [rects, text_layer(texts[columns])], height


def text_layer(texts: pd.DataFrame) -> alt.Chart:
    """Text marks placed in pixels, each row with its own angle, size, colour, alignment and weight."""
    return (
        alt.Chart(texts)
        .mark_text(
            lineBreak="\n",
            font=style.FONT,
            align=alt.ExprRef("datum.align"),
            baseline=alt.ExprRef("datum.baseline"),
            fontWeight=alt.ExprRef("datum.weight"),
        )
        .encode(
            x=alt.X("x:Q", scale=None),
            y=alt.Y("y:Q", scale=None),
            text="text:N",
            angle=alt.Angle("angle:Q", scale=None),
            size=alt.Size("size:Q", scale=None),
            color=alt.Color("colour:N", scale=None),
        )
    )


def chart_title(title: str, subtitle: str | list[str] = "", *, size: float = 18) -> alt.TitleParams:
    """The house title style: left-aligned, ink, with a muted subtitle (a list gives one line each)."""
    return alt.TitleParams(
        text=title,
        subtitle=subtitle or alt.Undefined,
        anchor="start",
        font=style.FONT,
        fontSize=size,
        subtitleFont=style.FONT,
        subtitleFontSize=13,
        subtitleColor=style.MUTED_INK,
        color=style.INK,
        offset=4,
    )


def doughnut_chart(
    portrait_frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    width: int = 640,
    select_name: str = "wedge",
    credit: str = style.DEFAULT_CREDIT,
) -> alt.LayerChart:
    """Draw a portrait as a Doughnut: shortfall inward, overshoot outward, missing striped grey.

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()`` (columns of :class:`~cwb_metrics.portrait.portrait.PortraitEntry`).
        Dimensions it does not mention are drawn as "no data".
    title, subtitle : str
        Drawn at the top (e.g. the area, and the period and data version).
    width : int
        Width in pixels; the height follows (the legend and credit sit below the doughnut).
    select_name : str
        Name of the click selection on the indicator ``id`` (Streamlit's ``on_select``).
    credit : str
        Source line drawn at the bottom.

    Returns
    -------
    altair.LayerChart
        Layers: the safe-and-just-space band, guide circles, the indicator wedges (with
        tooltips and the selection), stripes over missing wedges, legend swatches, and
        all text (dimension labels, true values of cut wedges, "no data", legend, credit).
    """
    layers, height = doughnut_layers(portrait_frame, width=width, select_name=select_name, credit=credit)
    return (
        alt.layer(*layers)
        .properties(width=width, height=round(height), title=chart_title(title, subtitle))
        .configure(background="#FFFFFF", padding={"left": 8, "right": 8, "top": 10, "bottom": 6})
        .configure_view(stroke=None)
    )
