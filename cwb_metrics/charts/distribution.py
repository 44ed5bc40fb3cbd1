"""Bar charts of who bears a shortfall across the deprivation deciles (pure chart builders).

Both take :func:`~cwb_metrics.deprivation.distribution.shortfall_by_decile`. Colours are
the Okabe-Ito blue and orange, which differ in lightness as well as hue (readable in
greyscale and with the common colour-vision deficiencies); every bar has a tooltip with
its numbers.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cwb_metrics.charts import theme

#: Okabe-Ito blue (darker) for the base, orange (lighter) for those in the shortfall.
BASE_COLOUR = "#0072B2"
COUNT_COLOUR = "#E69F00"
RULE_COLOUR = "#1F1F1F"


def _axis_title(table: pd.DataFrame) -> str:
    attrs = table.attrs
    domain = attrs.get("domain", "imd")
    index = "IMD" if domain == "imd" else f"{str(domain).replace('_', ' ').capitalize()} domain"
    return f"{index} {attrs.get('edition', '')} decile (1 = England's most deprived 10%)".replace("  ", " ")


def shortfall_by_decile_chart(
    table: pd.DataFrame, *, title: str | None = None, width: int = 560, height: int = 260
) -> alt.Chart:
    """Grouped bars: each decile's share of the county's base (households) and of the shortfall.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~cwb_metrics.deprivation.distribution.shortfall_by_decile` (its ``attrs``
        label the axes).
    title : str, optional
        Chart title (default: "Who bears the shortfall: <count label> by deprivation decile").
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.Chart
        Bars of ``share`` (%) by ``decile``, two per decile (``measure``), with tooltips
        giving the counts, the rate and the county rate.
    """
    attrs = table.attrs
    base_label = str(attrs.get("base_label", "households"))
    count_label = str(attrs.get("count_label", "households in the shortfall"))
    measures = [f"Share of {base_label}", f"Share of {count_label}"]
    long = pd.concat(
        [
            table.assign(measure=measures[0], share=table["share_of_base"]),
            table.assign(measure=measures[1], share=table["share_of_count"]),
        ],
        ignore_index=True,
    ).loc[:, ["decile", "measure", "share", "lsoas", "base", "count", "rate", "county_rate"]]
    year = attrs.get("year")
    heading = title or f"Who bears the shortfall: {count_label} by deprivation decile" + (f" ({year})" if year else "")
    return (
        alt.Chart(long, title=alt.Title(heading, anchor="start", font=theme.FONT, color=theme.INK))
        .mark_bar()
        .encode(
            x=alt.X("decile:O", title=_axis_title(table), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("measure:N", sort=measures),
            y=alt.Y("share:Q", title=f"% of the county's {base_label} / {count_label}"),
            color=alt.Color(
                "measure:N",
                sort=measures,
                scale=alt.Scale(domain=measures, range=[BASE_COLOUR, COUNT_COLOUR]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                alt.Tooltip("decile:O", title="Decile"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
                alt.Tooltip("lsoas:Q", title="LSOAs"),
                alt.Tooltip("base:Q", title=base_label.capitalize(), format=",.0f"),
                alt.Tooltip("count:Q", title=count_label.capitalize(), format=",.0f"),
                alt.Tooltip("rate:Q", title="Rate (%)", format=".1f"),
                alt.Tooltip("county_rate:Q", title="County rate (%)", format=".1f"),
            ],
        )
        .properties(width=width, height=height)
    )


def rate_by_decile_chart(
    table: pd.DataFrame, *, title: str | None = None, width: int = 560, height: int = 240
) -> alt.LayerChart:
    """Bars of the rate (e.g. % of households in fuel poverty) in each decile, with the county rate as a line.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`~cwb_metrics.deprivation.distribution.shortfall_by_decile`.
    title : str, optional
        Chart title.
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        Bars of ``rate`` by ``decile`` and a labelled rule at the county rate.
    """
    attrs = table.attrs
    base_label = str(attrs.get("base_label", "households"))
    county_rate = float(attrs.get("county_rate", table["county_rate"].iloc[0] if len(table) else 0.0))
    count_label = str(attrs.get("count_label", "in the shortfall"))
    year = attrs.get("year")
    heading = title or f"{count_label[:1].upper()}{count_label[1:]} as % of {base_label}, by deprivation decile" + (
        f" ({year})" if year else ""
    )
    data = table.loc[:, ["decile", "rate", "lsoas", "base", "count", "rate_ratio"]]
    bars = (
        alt.Chart(data)
        .mark_bar(color=BASE_COLOUR)
        .encode(
            x=alt.X("decile:O", title=_axis_title(table), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("rate:Q", title=f"% of {base_label}"),
            tooltip=[
                alt.Tooltip("decile:O", title="Decile"),
                alt.Tooltip("rate:Q", title="Rate (%)", format=".1f"),
                alt.Tooltip("rate_ratio:Q", title="Times the county rate", format=".2f"),
                alt.Tooltip("lsoas:Q", title="LSOAs"),
                alt.Tooltip("count:Q", title="Count", format=",.0f"),
                alt.Tooltip("base:Q", title=base_label.capitalize(), format=",.0f"),
            ],
        )
    )
    rule_data = pd.DataFrame({"county_rate": [county_rate], "label": [f"County {county_rate:.1f}%"]})
    rule = alt.Chart(rule_data).mark_rule(color=RULE_COLOUR, strokeDash=[4, 3]).encode(y="county_rate:Q")
    label = (
        alt.Chart(rule_data)
        .mark_text(align="right", dy=-6, x="width", color=RULE_COLOUR, font=theme.FONT)
        .encode(y="county_rate:Q", text="label:N")
    )
    return alt.LayerChart(layer=[bars, rule, label]).properties(
        width=width, height=height, title=alt.Title(heading, anchor="start", font=theme.FONT, color=theme.INK)
    )
