"""Charts of the CWB action plan: progress by theme, and the links from actions to indicators.

Pure builders over :mod:`cwb_metrics.actions.tracker` tables. Statuses are shades of one
blue, darkest for complete and palest for not yet started (ordered in lightness, so
readable in greyscale), with paused and withdrawn in greys; each bar is labelled with its
count.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cwb_metrics.actions.models import STATUSES
from cwb_metrics.charts import theme

#: Colour of each status (see the module docstring).
STATUS_COLOURS: dict[str, str] = {
    "Complete": "#08306B",
    "In progress": "#4292C6",
    "Not yet started": "#C6DBEF",
    "Paused": "#B0B0B0",  # L* 72: 14 apart from in progress (58) and not yet started (87) in greyscale
    "Withdrawn": "#525252",
}
#: Label colour on each status's bar: white on the dark fills, else the ink (each at least 4.5:1 on its bar).
LABEL_COLOURS: dict[str, str] = {"Complete": "#FFFFFF", "Withdrawn": "#FFFFFF"}


def progress_chart(
    progress: pd.DataFrame, *, title: str = "CWB action plan 24/25: progress by theme", width: int = 520
) -> alt.LayerChart:
    """Stacked horizontal bars: the actions of each theme by status.

    Parameters
    ----------
    progress : pandas.DataFrame
        :func:`~cwb_metrics.actions.tracker.progress_by_theme` (its ``All themes`` row is left out).
    title : str
        Chart title.
    width : int
        Width in pixels (the height follows the number of themes).

    Returns
    -------
    altair.LayerChart
        Bars (``theme`` by ``actions``, coloured by ``status``) and their count labels.
    """
    themes = progress.loc[progress["theme"] != "All themes"].drop(columns=["actions"])
    long = themes.melt(id_vars=["theme"], value_vars=list(STATUSES), var_name="status", value_name="actions")
    long = long[long["actions"] > 0].copy()
    order = {
        status: i for i, status in enumerate(("Complete", "In progress", "Not yet started", "Paused", "Withdrawn"))
    }
    long["order"] = long["status"].map(order)
    long["label_colour"] = long["status"].map(LABEL_COLOURS).fillna(theme.INK)
    present = [s for s in order if s in set(long["status"])]
    base = alt.Chart(long).encode(
        y=alt.Y("theme:N", sort=list(themes["theme"]), title=None),
        x=alt.X("actions:Q", stack="zero", title="Actions", axis=alt.Axis(tickMinStep=1)),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=present, range=[STATUS_COLOURS[s] for s in present]),
            legend=alt.Legend(title="Status", orient="top"),
        ),
        tooltip=[
            alt.Tooltip("theme:N", title="Theme"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("actions:Q", title="Actions"),
        ],
    )
    labels = base.mark_text(dx=-6, align="right", font=theme.FONT).encode(
        text="actions:Q", color=alt.Color("label_colour:N", scale=None)
    )
    return alt.LayerChart(layer=[bars, labels]).properties(
        width=width,
        height=max(80, 28 * len(themes)),
        title=alt.Title(title, anchor="start", font=theme.FONT, color=theme.INK),
    )


def links_chart(links: pd.DataFrame, *, title: str = "Which indicators each action should move") -> alt.Chart:
    """A grid: actions (rows) against the indicators they are meant to move (columns).

    Parameters
    ----------
    links : pandas.DataFrame
        :func:`~cwb_metrics.actions.tracker.action_links`.
    title : str
        Chart title.

    Returns
    -------
    altair.Chart
        One square per link, coloured by the action's status.
    """
    numbers = sorted(set(links["number"]), key=lambda n: tuple(int(p) for p in n.split(".")))
    present = [s for s in STATUS_COLOURS if s in set(links["status_category"])]
    return (
        alt.Chart(links.loc[:, ["number", "theme", "status_category", "indicator", "short_title"]])
        .mark_square(size=140)
        .encode(
            y=alt.Y("number:N", sort=numbers, title="Action"),
            x=alt.X("short_title:N", title=None, axis=alt.Axis(labelAngle=-45, labelLimit=200)),
            color=alt.Color(
                "status_category:N",
                scale=alt.Scale(domain=present, range=[STATUS_COLOURS[s] for s in present]),
                legend=alt.Legend(title="Action status", orient="top"),
            ),
            tooltip=[
                alt.Tooltip("number:N", title="Action"),
                alt.Tooltip("theme:N", title="Theme"),
                alt.Tooltip("short_title:N", title="Indicator"),
                alt.Tooltip("status_category:N", title="Status"),
            ],
        )
        .properties(title=alt.Title(title, anchor="start", font=theme.FONT, color=theme.INK))
    )
