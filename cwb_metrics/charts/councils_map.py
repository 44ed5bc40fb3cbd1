"""The map of England's districts coloured by a league measure, as a pure function returning an Altair chart."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import altair as alt
import pandas as pd

from cwb_metrics.charts import theme
from cwb_metrics.charts.maps import choropleth

#: Credit of the ONS similar areas the map outlines.
SIMILAR_AREAS_CREDIT = "Similar areas: ONS Explore Local Statistics (2026 clusters), Open Government Licence v3.0."


def councils_map(
    topology: dict[str, Any],
    values: pd.DataFrame,
    *,
    title: str,
    legend_title: str,
    highlight: Collection[str] = (),
    dark_is_high: bool = True,
    value_format: str | None = None,
    width: int = 460,
) -> alt.LayerChart:
    """Draw every district coloured by ``value`` (darker = the worse end), outlining ``highlight``.

    Parameters
    ----------
    topology : dict
        The district TopoJSON (object ``lad``), from :func:`cwb_metrics.compare.lad_map.load_lad_topology`.
    values : pandas.DataFrame
        ``code, value, rank`` per district (:attr:`cwb_metrics.views.councils.CouncilsView.map_values`).
    title, legend_title : str
        Chart title and legend title.
    highlight : collection of str
        Districts outlined (the chosen council and its similar areas).
    dark_is_high : bool
        Darker for higher values (True when higher is worse, e.g. a shortfall score).
    value_format : str, optional
        d3 format of values in the legend and tooltips.
    width : int
        Map width in pixels.

    Returns
    -------
    altair.LayerChart
    """
    return choropleth(
        topology,
        "lad",
        values,
        value_field="value",
        title=title,
        legend_title=legend_title,
        scale="sequential",
        reverse=not dark_is_high,
        highlight_codes=highlight,
        selection_name="council",
        tooltip=[("name", "Council"), ("value", legend_title), ("rank", "Rank")],
        credits=(theme.OS_ONS_CREDIT, SIMILAR_AREAS_CREDIT),
        width=width,
        value_format=value_format,
        legend_orient="bottom",
    )
