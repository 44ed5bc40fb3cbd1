"""Trend of one indicator over time, against comparators and its threshold.

Areas are solid lines with 95% confidence bands, England and the county dashed lines, the
foundation or ceiling a labelled horizontal rule.

Each period is placed at its midpoint on a time axis (a pooled 2021-2023 sits in 2022, a
financial year 2022/23 in autumn 2022), so periods of different lengths line up honestly;
tooltips give the period's own label.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.periods import PeriodError, parse_period, period_label
from cwb_metrics.portrait.sentences import format_value

ENGLAND_CODE = "E92000001"


def trend_rows(
    rows: pd.DataFrame,
    areas: Sequence[str],
    comparators: Sequence[str] = (),
    *,
    decimals: int = 1,
    unit: str = "",
) -> pd.DataFrame:
    """The rows a trend chart draws, with period dates, labels and roles.

    Parameters
    ----------
    rows : pandas.DataFrame
        Canonical rows of one indicator (``areacd, areanm, period, value, lci_95, uci_95``).
    areas : sequence of str
        Area codes drawn as solid lines, in legend order.
    comparators : sequence of str
        Area codes drawn as dashed comparators (England, the county).
    decimals : int
        Decimal places of the formatted value.
    unit : str
        Short unit of the formatted value.

    Returns
    -------
    pandas.DataFrame
        ``areacd, area, role (area|comparator), date, start, end, period_label, value,
        lci_95, uci_95, value_text, ci_text``, sorted by area then date; rows with no
        value or an unreadable period are dropped.
    """
    wanted = list(dict.fromkeys([*areas, *comparators]))
    keep = rows[rows["areacd"].isin(wanted) & rows["value"].notna()].copy()
    if keep.empty:
        columns = ["areacd", "area", "role", "date", "start", "end", "period_label", "value", "lci_95", "uci_95"]
        return pd.DataFrame(columns=[*columns, "value_text", "ci_text"])

    def dates(text: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        try:
            period = parse_period(str(text))
        except PeriodError:
            return None, None
        return pd.Timestamp(period.start), pd.Timestamp(period.end)

    spans = keep["period"].map(dates)
    keep["start"] = [s for s, _ in spans]
    keep["end"] = [e for _, e in spans]
    keep = keep[keep["start"].notna()]
    keep["date"] = (keep["start"] + (keep["end"] - keep["start"]) / 2).dt.floor("D")
    keep["period_label"] = keep["period"].map(period_label)
    for column in ("lci_95", "uci_95"):
        keep[column] = pd.to_numeric(keep[column], errors="coerce") if column in keep else float("nan")
    keep["role"] = ["area" if code in areas else "comparator" for code in keep["areacd"]]
    keep["area"] = keep["areanm"].astype(str)
    keep["value_text"] = [format_value(v, decimals, unit) for v in keep["value"]]
    keep["ci_text"] = [
        f"{format_value(lo, decimals, unit)} to {format_value(hi, decimals, unit)}"
        if pd.notna(lo) and pd.notna(hi)
        else "—"
        for lo, hi in zip(keep["lci_95"], keep["uci_95"], strict=True)
    ]
    order = {code: i for i, code in enumerate(wanted)}
    keep = keep.assign(_o=keep["areacd"].map(order)).sort_values(["_o", "date"]).drop(columns="_o")
    columns = ["areacd", "area", "role", "date", "start", "end", "period_label", "value", "lci_95", "uci_95"]
    return keep[[*columns, "value_text", "ci_text"]].reset_index(drop=True)


def _break_dates(breaks: Sequence[str]) -> list[pd.Timestamp]:
    """The start date of each readable break period, in order."""
    starts = []
    for text in breaks:
        try:
            starts.append(pd.Timestamp(parse_period(str(text)).start))
        except PeriodError:
            continue
    return sorted(starts)


def _time_axis(data: pd.DataFrame, most: int = 12) -> alt.X:
    """A UTC time axis ticked at each period's midpoint and labelled with the period's own label."""
    ticks = data.drop_duplicates("date").sort_values("date")
    if len(ticks) > most:
        ticks = ticks.iloc[:: -(-len(ticks) // most)]
    labels = ", ".join(
        f"'{d:%Y-%m-%d}': '{label}'" for d, label in zip(ticks["date"], ticks["period_label"], strict=True)
    )
    values = [int(pd.Timestamp(d).tz_localize("UTC").timestamp() * 1000) for d in ticks["date"]]
    domain = None
    if not data.empty:
        domain = [f"{data['start'].min():%Y-%m-%d}", f"{data['end'].max():%Y-%m-%d}"]
    return alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(type="utc", domain=domain or alt.Undefined),
        axis=alt.Axis(
            values=values,
            labelExpr=f"({{{labels}}})[utcFormat(datum.value, '%Y-%m-%d')]",
            labelFont=style.FONT,
            grid=False,
            labelAngle=0,
            labelOverlap="greedy",
        ),
    )


def trend_chart(
    rows: pd.DataFrame,
    *,
    areas: Sequence[str],
    threshold: float | None,
    threshold_label: str,
    unit: str,
    title: str,
    subtitle: str = "",
    comparators: Sequence[str] = (ENGLAND_CODE,),
    decimals: int = 1,
    width: int = 640,
    height: int = 300,
    credit: str = style.DEFAULT_CREDIT,
    breaks: Sequence[str] = (),
    joined: bool = True,
) -> alt.LayerChart:
    """Draw one indicator over time for some areas, against England, the county and its threshold.

    Parameters
    ----------
    rows : pandas.DataFrame
        Canonical rows of one indicator: ``areacd, areanm, period, value, lci_95, uci_95``.
    areas : sequence of str
        Codes of the areas drawn as solid coloured lines (with 95% confidence bands where
        the rows have them).
    threshold : float or None
        The foundation or ceiling, drawn as a horizontal rule; ``None`` for none.
    threshold_label : str
        Its label, e.g. ``"Ceiling 2.3 t (Tyndall carbon budget)"``.
    unit : str
        Axis title and value suffix (the indicator's short unit, e.g. ``"%"``).
    title, subtitle : str
        Drawn at the top.
    comparators : sequence of str
        Codes drawn as dashed grey lines when present in ``rows`` (default England; callers add
        the configured county or council);
        a code also listed in ``areas`` is drawn as an area.
    decimals : int
        Decimal places in tooltips.
    width, height : int
        Plot size in pixels.
    credit : str
        Source line drawn below the chart.
    breaks : sequence of str
        Periods that start a new series (``IndicatorMeta.series_breaks``): each is drawn as a
        dotted vertical line labelled "Method changed", and no line or band joins the points on
        either side of it.
    joined : bool
        False where periods should not be compared (the publisher advises against it): each
        period is drawn as a point with its 95% interval as a vertical bar, and no line joins them.

    Returns
    -------
    altair.LayerChart
        Layers: confidence bands (area), comparator lines (dashed), area lines with points,
        the threshold rule and its label, the series breaks.
    """
    comparators = [c for c in comparators if c not in areas]
    data = trend_rows(rows, areas, comparators, decimals=decimals, unit=unit)
    names = list(dict.fromkeys(data.loc[data["role"] == "area", "area"]))
    comparator_names = list(dict.fromkeys(data.loc[data["role"] == "comparator", "area"]))
    palette = list(style.AREA_COLOURS[: len(names)])
    comparator_colours = [style.ENGLAND_COLOUR if n == "England" else style.COUNTY_COLOUR for n in comparator_names]
    colour = alt.Color(
        "area:N",
        scale=alt.Scale(domain=names + comparator_names, range=palette + comparator_colours),
        legend=alt.Legend(
            title=None,
            orient="top",
            direction="horizontal",
            labelFont=style.FONT,
            symbolType="stroke",
            symbolStrokeWidth=3,
            labelFontSize=11.5,
        ),
    )
    values = pd.concat([data["value"], data["lci_95"], data["uci_95"]]).dropna().tolist()
    if threshold is not None:
        values.append(threshold)
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    zero = low >= 0 and low <= 0.5 * high
    y_scale = alt.Scale(zero=zero, nice=True)
    x = _time_axis(data)
    y = alt.Y("value:Q", title=unit or None, scale=y_scale, axis=alt.Axis(labelFont=style.FONT, titleFont=style.FONT))
    tooltip = [
        alt.Tooltip("area:N", title="Area"),
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip("value_text:N", title="Value"),
        alt.Tooltip("ci_text:N", title="95% confidence interval"),
    ]
    drawn = data[["area", "role", "date", "period_label", "value", "lci_95", "uci_95", "value_text", "ci_text"]]
    # ISO dates without a time are read as UTC by Vega, matching the UTC scale.
    drawn = drawn.assign(date=pd.to_datetime(drawn["date"]).dt.strftime("%Y-%m-%d"))
    starts = _break_dates(breaks)
    # Each comparable series is its own segment (each period, when not joined): no line or band crosses a break.
    segments = (
        [sum(d >= s for s in starts) for d in pd.to_datetime(data["date"])] if joined else list(range(len(drawn)))
    )
    drawn = drawn.assign(segment=segments)
    base = alt.Chart(drawn).encode(x=x, detail="segment:N")
    bands = base.transform_filter("isValid(datum.lci_95) && isValid(datum.uci_95) && datum.role == 'area'")
    interval = alt.Scale(domain=names, range=palette)
    layers = [
        bands.mark_area(opacity=0.16).encode(
            y=alt.Y("lci_95:Q", scale=y_scale),
            y2="uci_95:Q",
            fill=alt.Fill("area:N", scale=interval, legend=None),
        )
        if joined
        else bands.mark_rule(strokeWidth=2, opacity=0.5).encode(
            y=alt.Y("lci_95:Q", scale=y_scale),
            y2="uci_95:Q",
            stroke=alt.Stroke("area:N", scale=interval, legend=None),
        ),
        base.transform_filter("datum.role == 'comparator'")
        .mark_line(strokeDash=[6, 4], strokeWidth=2, point=alt.OverlayMarkDef(size=30, filled=True))
        .encode(y=y, color=colour, tooltip=tooltip),
        base.transform_filter("datum.role == 'area'")
        .mark_line(strokeWidth=2.5, point=alt.OverlayMarkDef(size=45, filled=True))
        .encode(y=y, color=colour, tooltip=tooltip),
    ]
    if threshold is not None:
        rule = pd.DataFrame({"value": [threshold], "label": [threshold_label]})
        label: dict[str, Any] = {"align": "right", "baseline": "bottom", "dy": -3, "dx": -2, "font": style.FONT,
                                 "fontSize": 11}  # fmt: skip
        layers += [
            alt.Chart(rule).mark_rule(color=style.SAFE_SPACE, strokeWidth=1.5, strokeDash=[2, 2]).encode(y="value:Q"),
            # A white halo under the label keeps it readable where lines cross it.
            alt.Chart(rule)
            .mark_text(**label, color="#FFFFFF", stroke="#FFFFFF", strokeWidth=4, strokeJoin="round")
            .encode(y="value:Q", x=alt.value(width), text="label:N"),
            alt.Chart(rule)
            .mark_text(**label, color=style.SAFE_SPACE, fontWeight="bold")
            .encode(y="value:Q", x=alt.value(width), text="label:N"),
        ]
    shown = [s for s in starts if not data.empty and data["start"].min() < s <= data["end"].max()]
    if shown:
        marks = pd.DataFrame({"date": [f"{s:%Y-%m-%d}" for s in shown], "label": "Method changed"})
        note: dict[str, Any] = {"align": "right", "baseline": "top", "dx": -4, "dy": 2, "font": style.FONT,
                                "fontSize": 11}  # fmt: skip
        layers += [
            alt.Chart(marks).mark_rule(color=style.MUTED_INK, strokeWidth=1.5, strokeDash=[1, 3]).encode(x="date:T"),
            # Left of the line, at the top, on a white halo so that lines crossing it do not hide it.
            alt.Chart(marks)
            .mark_text(**note, color="#FFFFFF", stroke="#FFFFFF", strokeWidth=4, strokeJoin="round")
            .encode(x="date:T", y=alt.value(0), text="label:N"),
            alt.Chart(marks)
            .mark_text(**note, color=style.MUTED_INK)
            .encode(x="date:T", y=alt.value(0), text="label:N"),
        ]
    if credit:
        layers.append(
            alt.Chart(pd.DataFrame({"text": [credit]}))
            .mark_text(align="left", baseline="top", font=style.FONT, fontSize=10.5, color=style.MUTED_INK)
            .encode(x=alt.value(0), y=alt.value(height + 26), text="text:N")
        )
    return (
        alt.layer(*layers)
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(
                text=title,
                subtitle=subtitle or alt.Undefined,
                anchor="start",
                font=style.FONT,
                fontSize=16,
                subtitleFont=style.FONT,
                subtitleFontSize=11,
                subtitleColor=style.MUTED_INK,
                color=style.INK,
            ),
        )
        .configure(background="#FFFFFF")
        .configure_view(stroke=None)
    )
