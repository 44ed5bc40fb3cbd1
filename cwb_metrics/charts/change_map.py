"""Map of the change in IMD decile from 2019 to 2025, by LSOA 2021 (a pure chart builder).

The colours are Vega's blue-orange diverging scheme (safe for the common colour-vision
deficiencies), centred on no change: orange where an LSOA moved towards the more deprived
end of England's ranking, blue where it moved towards the less deprived end, white where
it stayed in its decile; LSOAs without a comparison are grey and labelled. The tooltip says
how each LSOA was matched across the 2011 to 2021 boundary change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import altair as alt
import pandas as pd

from cwb_metrics.charts import theme
from cwb_metrics.charts.maps import choropleth

#: Legend title of the change map.
CHANGE_LEGEND_TITLE = "Change in IMD decile, 2019 to 2025 (below 0: relatively more deprived)"
#: The topology object the map draws.
OBJECT_NAME = "lsoa21"


def change_map_values(change: pd.DataFrame, value_field: str = "decile_change") -> pd.DataFrame:
    """The values table the map joins on ``code``, from :func:`~cwb_metrics.deprivation.change.lsoa_change`.

    Returns
    -------
    pandas.DataFrame
        ``code, <value_field>, decile_2019, decile_2025, match, lsoa11_codes`` (only the
        columns drawn or shown in the tooltip, to keep the payload small).
    """
    columns = [value_field, "decile_2019", "decile_2025", "match", "lsoa11_codes"]
    missing = [c for c in ["lsoa21_code", *columns] if c not in change.columns]
    if missing:
        raise KeyError(f"change has no column(s) {missing}; pass lsoa_change(store)")
    values = change.loc[:, ["lsoa21_code", *dict.fromkeys(columns)]].rename(columns={"lsoa21_code": "code"})
    return values.reset_index(drop=True)


def decile_change_map(
    topology: dict[str, Any],
    change: pd.DataFrame,
    *,
    value_field: str = "decile_change",
    title: str = "Change in deprivation decile, IMD 2019 to IMD 2025",
    highlight_codes: Collection[str] = (),
    selection_name: str | None = "area",
    width: int = 700,
    height: int | None = None,
) -> alt.LayerChart:
    """Choropleth of each LSOA's change in IMD decile (or rank percentile) from 2019 to 2025.

    Parameters
    ----------
    topology : dict
        ``geo/lsoa21.topo.json`` of the data version
        (:func:`cwb_metrics.geo.tables.read_topology` with ``"lsoa21"``); its
        ``district_lines`` object, if present, is drawn on top.
    change : pandas.DataFrame
        :func:`~cwb_metrics.deprivation.change.lsoa_change` (any index: IMD or a domain).
    value_field : str
        ``decile_change`` (default) or ``percentile_change``.
    title : str
        Chart title.
    highlight_codes : collection of str
        LSOAs to outline (e.g. a neighbourhood's).
    selection_name : str or None
        Click-to-select name (see :func:`~cwb_metrics.charts.maps.choropleth`).
    width, height : int
        Size in pixels.

    Returns
    -------
    altair.LayerChart
        A top-level chart (it carries a scale ``config``, so it cannot be layered or
        concatenated further): a diverging (blue-orange, reversed so that more deprived is orange) choropleth
        centred on 0, with district lines, the ONS and IMD credits, and tooltips giving
        the deciles, the match (unchanged, split, merged, complex) and the 2011 LSOAs.
    """
    values = change_map_values(change, value_field)
    legend = CHANGE_LEGEND_TITLE if value_field == "decile_change" else f"{value_field} (below 0: more deprived)"
    tooltip = [
        ("name", "LSOA"),
        ("code", "Code"),
        (value_field, "Change"),
        ("decile_2019", "Decile 2019"),
        ("decile_2025", "Decile 2025"),
        ("match", "2011 to 2021 match"),
        ("lsoa11_codes", "LSOA 2011"),
    ]
    outlines = [(topology, "district_lines")] if "district_lines" in topology.get("objects", {}) else []
    chart = choropleth(
        topology,
        OBJECT_NAME,
        values,
        value_field=value_field,
        title=title,
        legend_title=legend,
        scale="diverging",
        domain_mid=0,
        reverse=True,
        outlines=outlines,
        highlight_codes=highlight_codes,
        selection_name=selection_name,
        tooltip=tooltip,
        credits=(theme.OS_ONS_CREDIT, theme.IMD_CREDIT),
        width=width,
        height=height,
        value_format="+d" if value_field == "decile_change" else "+.1f",
    )
    # Vega-Lite 6 filters marks whose continuous colour value is null (invalid: "filter"), so an LSOA
    # without a comparison would vanish instead of showing grey; its scale config draws it grey.
    return chart.configure_scale(invalid={"color": {"value": theme.MISSING_FILL}})
