"""The unrolled Doughnut (after Doughnut 3.0): the portrait's scores as horizontal bars.

Social-foundation indicators are bars to the **left** of zero (shortfall), ecological-ceiling
indicators bars to the **right** (overshoot); indicators within their threshold are a green
diamond at zero; missing ones say "no data". Rows are grouped by dimension in Doughnut order.
Bars are drawn up to :data:`~cwb_metrics.portrait.scoring.DRAW_CAP` and every bar is
labelled with its true value, with an arrow where it runs off the scale.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import _complete, _describe, _get
from cwb_metrics.portrait.scoring import DRAW_CAP, score_value
from cwb_metrics.portrait.sentences import format_value

ROW_STEP = 19
NAME_WIDTH = 210

TOOLTIP = [
    alt.Tooltip("title:N", title="Indicator"),
    alt.Tooltip("value_text:N", title="Value"),
    alt.Tooltip("threshold_text:N", title="Threshold"),
    alt.Tooltip("threshold_source:N", title="Threshold source"),
    alt.Tooltip("period_label:N", title="Period"),
    alt.Tooltip("status_text:N", title="Status"),
    alt.Tooltip("england_text:N", title="England"),
    alt.Tooltip("county_text:N", title="County"),
    alt.Tooltip("trend_text:N", title="Trend"),
]
TOOLTIP_FIELDS = [spec["field"] for t in TOOLTIP if isinstance(spec := t.to_dict(), dict)]
RING_HEADINGS = {
    "social_foundation": "Social foundation: shortfall, to the left",
    "ecological_ceiling": "Ecological ceiling: overshoot, to the right",
}


def _nice_limit(value: float) -> float:
    """Round an axis limit up to the next half (at least 1, at most DRAW_CAP)."""
    return min(DRAW_CAP, max(1.0, math.ceil(value * 2) / 2))


def unrolled_rows(portrait_frame: pd.DataFrame) -> pd.DataFrame:
    """One row per line of the unrolled chart: ring headings, dimension headings, indicators.

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()``.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (0 at the top), ``kind`` (``ring``, ``dimension``, ``indicator``),
        ``name``, ``id``, ``status``, ``x`` (signed drawn score: negative for shortfall,
        positive for overshoot, 0 otherwise), ``side`` (-1 social, +1 ecological),
        ``fill``, ``label`` (true value, "no data"), and tooltip texts.
    """
    frame = _complete(portrait_frame)
    lines: list[dict[str, object]] = []
    for ring, heading in RING_HEADINGS.items():
        side = -1 if ring == "social_foundation" else 1
        lines.append({"kind": "ring", "name": heading, "side": side})
        for _, group in frame[frame["ring"] == ring].groupby("_order", sort=True):
            dimension = {"kind": "dimension", "name": group["dimension_label"].iloc[0], "side": side}
            if group["id"].isna().all():
                # A dimension with no indicator yet: one line, its heading, saying "no data".
                lines.append(dimension | _indicator_line(group.iloc[0], side) | {"kind": "dimension"})
                continue
            lines.append(dimension)
            for _, entry in group.iterrows():
                lines.append(_indicator_line(entry, side))
    rows = pd.DataFrame(lines)
    rows.insert(0, "row", range(len(rows)))
    return rows


def _interval(entry: pd.Series, side: int) -> tuple[float | None, float | None]:
    """Signed, capped scores of the lower and upper 95% bounds (``None`` when not published)."""
    bounds = [_get(entry, "lci_95"), _get(entry, "uci_95")]
    threshold, kind, polarity = _get(entry, "threshold"), _get(entry, "threshold_kind"), _get(entry, "polarity")
    if entry["status"] == "missing" or None in bounds or threshold is None or kind is None or polarity is None:
        return None, None
    scores = sorted(min(score_value(float(b), float(threshold), kind, polarity).score or 0.0, DRAW_CAP) for b in bounds)
    if scores[1] - scores[0] <= 0:
        return None, None
    low, high = sorted((side * scores[0], side * scores[1]))
    return low, high


def _indicator_line(entry: pd.Series, side: int) -> dict[str, object]:
    status = entry["status"]
    score = float(_get(entry, "score", 0.0) or 0.0)
    drawn = min(score, DRAW_CAP)
    value = _get(entry, "value")
    if status == "missing":
        label = "no data"
    else:
        label = format_value(float(value), int(_get(entry, "decimals", 1)), str(_get(entry, "unit_short", "") or ""))
        if score > DRAW_CAP:
            label += " (off scale)"
    name = str(
        _get(entry, "dimension_label") if _get(entry, "id") is None else _get(entry, "short_title", entry["title"])
    )
    x = side * drawn if status in ("shortfall", "overshoot") else 0.0
    ci_lo, ci_hi = _interval(entry, side)
    reach = max(abs(x), abs(ci_lo or 0.0), abs(ci_hi or 0.0))
    return {
        "kind": "indicator",
        "name": name,
        "side": side,
        "id": _get(entry, "id"),
        "status": status,
        "x": x,
        "ci_lo": ci_lo,
        "ci_hi": ci_hi,
        "label_x": side * reach,
        "fill": style.STATUS_COLOURS[status],
        "label": label,
        "label_colour": style.MUTED_INK if status == "missing" else style.INK,
        "title": str(entry["title"]),
        **_describe(entry),
    }


def unrolled_bars(
    portrait_frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    width: int = 640,
    select_name: str = "wedge",
    credit: str = style.DEFAULT_CREDIT,
) -> alt.VConcatChart:
    """Draw a portrait's scores as bars: shortfall to the left, overshoot to the right.

    Parameters
    ----------
    portrait_frame : pandas.DataFrame
        ``Portrait.frame()``; dimensions it does not mention are shown as "no data".
    title, subtitle : str
        Drawn at the top.
    width : int
        Total width in pixels (names column plus bars).
    select_name : str
        Name of the click selection on the indicator ``id`` (as in the doughnut).
    credit : str
        Source line drawn at the bottom.

    Returns
    -------
    altair.VConcatChart
        A names column and the bars side by side (sharing rows), then the credit line.
    """
    rows = unrolled_rows(portrait_frame)
    indicators = rows[rows["status"].notna()]
    social = indicators[indicators["side"] < 0]["label_x"].abs().max() if (indicators["side"] < 0).any() else 0
    ecological = indicators[indicators["side"] > 0]["label_x"].max() if (indicators["side"] > 0).any() else 0
    left, right = _nice_limit(float(social or 0)), _nice_limit(float(ecological or 0))
    # Room for the value labels beyond the longest bars.
    domain = [-left * 1.3, right * 1.3]
    height = ROW_STEP * len(rows)
    y = alt.Y("row:O", axis=None, scale=alt.Scale(domain=list(range(len(rows))), paddingInner=0.25))
    selection = alt.selection_point(name=select_name, fields=["id"], on="click", clear="dblclick")
    x = alt.X(
        "x:Q",
        scale=alt.Scale(domain=domain, nice=False, clamp=True),
        axis=alt.Axis(
            # Two lines: on one, the title ran wider than the narrow plot and over the page beside it.
            title=["← shortfall: % short of the social foundation", "overshoot: % beyond the ecological ceiling →"],
            labelExpr="format(abs(datum.value), '.0%')",
            values=[v / 2 for v in range(int(-left * 2), int(right * 2) + 1)],
            grid=True,
            gridColor="#E6E6E6",
            orient="bottom",
            titleFontWeight="normal",
            titleColor=style.MUTED_INK,
        ),
    )
    bar_rows = indicators[indicators["status"].isin(["shortfall", "overshoot"])]
    within_rows = indicators[indicators["status"] == "within"]
    label_rows = indicators[["row", "label_x", "side", "label", "label_colour"]].rename(columns={"label_x": "x"})
    interval_rows = indicators[indicators["ci_lo"].notna()][["row", "ci_lo", "ci_hi"]]
    keep = ["row", "x", "id", "fill", *TOOLTIP_FIELDS]

    intervals = [
        alt.Chart(interval_rows)
        .mark_rule(color=style.INK, strokeWidth=1.3)
        .encode(x=alt.X("ci_lo:Q", scale=alt.Scale(domain=domain, nice=False, clamp=True)), x2="ci_hi:Q", y=y)
    ] if len(interval_rows) else []  # fmt: skip
    bars = alt.layer(
        alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color=style.INK, strokeWidth=1).encode(x=x),
        alt.Chart(bar_rows[keep].assign(x0=0.0))
        .mark_bar(cursor="pointer", height=ROW_STEP * 0.7)
        .encode(
            x=x,
            x2="x0:Q",
            y=y,
            fill=alt.Fill("fill:N", scale=None),
            opacity=alt.condition(selection, alt.value(1.0), alt.value(0.35)),
            tooltip=TOOLTIP,
        )
        .add_params(selection),
        alt.Chart(within_rows[keep])
        .mark_point(shape="diamond", filled=True, size=90, cursor="pointer", stroke=style.SAFE_SPACE, strokeWidth=1)
        .encode(x=x, y=y, fill=alt.Fill("fill:N", scale=None), tooltip=TOOLTIP),
        *intervals,
        alt.Chart(label_rows)
        .mark_text(
            font=style.FONT,
            fontSize=10.5,
            align=alt.ExprRef("datum.side < 0 ? 'right' : 'left'"),
            dx=alt.ExprRef("datum.side * 8"),
        )
        .encode(x=x, y=y, text="label:N", color=alt.Color("label_colour:N", scale=None)),
    ).properties(width=width - NAME_WIDTH, height=height)

    names = (
        alt.Chart(rows[["row", "kind", "name", "side"]])
        .mark_text(
            font=style.FONT,
            align="left",
            fontSize=alt.ExprRef("datum.kind == 'ring' ? 12.5 : 11"),
            fontWeight=alt.ExprRef("datum.kind == 'indicator' ? 'normal' : 'bold'"),
            dx=alt.ExprRef("datum.kind == 'indicator' ? 12 : 0"),
            color=style.INK,
        )
        .encode(x=alt.value(0), y=y, text="name:N")
        .properties(width=NAME_WIDTH - 20, height=height)
    )
    notes = ["Thin black lines: 95% confidence intervals, where published."] if len(interval_rows) else []
    notes.append(credit)
    foot = (
        alt.Chart(pd.DataFrame({"text": notes, "y": [6 + 15 * i for i in range(len(notes))]}))
        .mark_text(font=style.FONT, fontSize=10.5, align="left", color=style.MUTED_INK)
        .encode(x=alt.value(0), y=alt.Y("y:Q", scale=None), text="text:N")
        .properties(width=width, height=15 * len(notes) - 3)
    )
    return (
        alt.vconcat(alt.hconcat(names, bars, spacing=10).resolve_scale(y="shared"), foot, spacing=6)
        .properties(
            title=alt.TitleParams(
                text=title,
                subtitle=subtitle or alt.Undefined,
                anchor="start",
                font=style.FONT,
                fontSize=18,
                subtitleFont=style.FONT,
                subtitleFontSize=13,
                subtitleColor=style.MUTED_INK,
                color=style.INK,
            )
        )
        .configure(background="#FFFFFF")
        .configure_view(stroke=None)
        .configure_axis(labelFont=style.FONT, titleFont=style.FONT, labelColor=style.MUTED_INK)
    )
