"""Indicator explorer: every indicator, filterable; one indicator's trend, definition and source."""

import html
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached
from app_support.layout import (
    chart_description,
    chart_downloads,
    file_stem,
    footer,
    guarded,
    header,
    page_link,
    page_setup,
    status_chip,
)
from app_support.state import set_url_value, url_value, url_values
from cwb_metrics.errors import CwbError
from cwb_metrics.views import explorer as view
from cwb_metrics.views.export import TrendChart
from cwb_metrics.views.portrait import entry, map_link

page_setup("Indicator explorer")
header(
    "Indicator explorer",
    "Every indicator in the portrait, with its unit, latest figure and status. Filter the table, "
    "select a row (or pick below) to see the indicator over time, its threshold and where the data comes from.",
)

with guarded():
    ref = cached.data_ref()
    catalogue = cached.version_catalogue(ref)
    config = cached.area_config()
    choices = cached.portrait_area_choices(ref)

    filters = st.columns([1.4, 1, 1, 1.2, 1.1], vertical_alignment="bottom")
    url_value("area", choices.keys, config.county_code, what="areas")
    area = filters[0].selectbox(
        "Area",
        choices.keys,
        format_func=choices.label,
        key="area",
        help="Latest figures and statuses are for this area.",
    )
    set_url_value("area", area)
    full = cached.explorer_table(ref, area)
    offered = view.filter_options(full)
    chosen = view.ExplorerFilter(
        rings=tuple(filters[1].multiselect("Ring", offered.rings, placeholder="All rings")),
        dimensions=tuple(filters[2].multiselect("Dimension", offered.dimensions, placeholder="All dimensions")),
        themes=tuple(filters[3].multiselect("CWB theme", offered.themes, placeholder="All themes")),
        statuses=tuple(filters[4].multiselect("Status", offered.statuses, placeholder="Any status")),
    )
    table = cached.explorer_table(ref, area, chosen)

    ids = list(catalogue)
    if not ids:
        raise CwbError("The indicator catalogue (data/indicators/*.yaml) has no indicators yet.")
    url_value("indicator", ids, view.first_with_data(full, ids), what="indicators")
    st.caption(f"{len(table)} of {len(full)} indicators. Select a row to open it below; click a column to sort.")
    event = st.dataframe(
        table.frame(),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(table), 1), 420),
        column_order=[
            "Indicator",
            "Latest",
            "Period",
            "Threshold",
            "Status",
            "Trend",
            "England",
            "Dimension",
            "CWB theme",
            "Unit",
        ],
        column_config={"Indicator": st.column_config.TextColumn(width="large")},
        on_select="rerun",
        selection_mode="single-row",
        key="indicator_table",
    )
    rows = event.selection.rows if event else []
    picked = table.rows[rows[0]].id if rows and rows[0] < len(table) else None
    if picked and picked != st.session_state.get("_table_pick"):
        st.session_state["indicator"] = picked
    st.session_state["_table_pick"] = picked

    st.divider()
    indicator = st.selectbox(
        "Indicator",
        ids,
        key="indicator",
        format_func=lambda i: f"{catalogue[i].title} ({catalogue[i].dimension_label})",
    )
    set_url_value("indicator", indicator)
    meta = catalogue[indicator]

    area_choices = cached.trend_area_choices(ref, indicator)
    url_values("compare", area_choices.keys, view.default_compare(area, config, area_choices), what="areas")
    chart_col, meta_col = st.columns([1.3, 1], gap="large")
    with chart_col:
        compare = st.multiselect(
            "Areas to compare",
            area_choices.keys,
            format_func=area_choices.label,
            key="compare",
            placeholder="Choose areas",
            help="England and the county are drawn as dashed lines.",
        )
        set_url_value("compare", compare)
        if not area_choices:
            st.info(f"There is no data for {meta.title} in this data version.", icon=":material/info:")
        elif not compare:
            st.info("Choose at least one area to draw the trend.", icon=":material/info:")
        else:
            shown = TrendChart(indicator, tuple(compare), area)
            description = cached.chart_description(ref, shown)
            st.vega_lite_chart(
                cached.trend_spec(ref, indicator, shown.areas, area),
                width="content",
                theme=None,
                key="trend",
                alt=description,
            )
            chart_description(description)
            chart_downloads(
                "trend", *cached.chart_files(ref, shown), file_stem(indicator, "trend", ref.version), what="the chart"
            )
            if st.toggle("Show the data as a table", key="trend_table", help="The figures the chart draws."):
                st.dataframe(
                    cached.trend_table(ref, indicator, shown.areas, area).frame(), hide_index=True, width="stretch"
                )
            st.download_button(
                "Download the data behind this chart (CSV)",
                data=cached.indicator_csv(ref, indicator, shown.areas),
                file_name=f"{indicator}_{ref.version}.csv",
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
            )
    with meta_col:
        card = view.indicator_card(meta, entry(cached.portrait(ref, area, "latest"), indicator).status, ref.version)
        st.header(card.title, anchor=False)
        st.html(f"{status_chip(card.status)} <span>{html.escape(card.placement)}</span>")
        for paragraph in (card.definition, card.unit, card.why, card.threshold, card.source):
            st.markdown(paragraph)
        if link := map_link(meta, area):
            page_link(
                "deprivation_map", "See these neighbourhoods on the deprivation map", query_params=link.query_params()
            )
        if card.caveats:
            st.markdown(card.caveats)
        st.caption(card.citation)

    footer(
        ["Statistics from ONS, DESNZ, OHID, DfE, DWP and MHCLG, as credited beside each indicator."],
        data_version=ref.version,
    )
