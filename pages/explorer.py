"""Indicator explorer: every indicator, filterable; one indicator's trend, definition and source."""

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
    url_value("area", list(choices), config.county_code)
    area = filters[0].selectbox(
        "Area",
        list(choices),
        format_func=choices.get,
        key="area",
        help="Latest figures and statuses are for this area.",
    )
    set_url_value("area", area)
    full = cached.explorer_table(ref, area, rings=[], dims=[], themes=[], statuses=[])
    rings = filters[1].multiselect("Ring", sorted(full["Ring"].unique()), placeholder="All rings")
    dims = filters[2].multiselect("Dimension", list(dict.fromkeys(full["Dimension"])), placeholder="All dimensions")
    themes = filters[3].multiselect(
        "CWB theme", sorted(t for t in full["CWB theme"].unique() if t), placeholder="All themes"
    )
    statuses = filters[4].multiselect("Status", list(cached.STATUS_LABELS.values()), placeholder="Any status")
    table = cached.explorer_table(ref, area, rings=rings, dims=dims, themes=themes, statuses=statuses)

    ids = list(catalogue)
    if not ids:
        raise CwbError("The indicator catalogue (data/indicators/*.yaml) has no indicators yet.")
    url_value("indicator", ids, ids[0])
    st.caption(f"{len(table)} of {len(full)} indicators. Select a row to open it below; click a column to sort.")
    event = st.dataframe(
        table,
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
    picked = table.iloc[rows[0]]["id"] if rows and rows[0] < len(table) else None
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
    default = [c for c in dict.fromkeys((area, config.county_code, config.country_code)) if c in area_choices]
    url_values("compare", list(area_choices), default)
    chart_col, meta_col = st.columns([1.3, 1], gap="large")
    with chart_col:
        compare = st.multiselect(
            "Areas to compare",
            list(area_choices),
            format_func=area_choices.get,
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
            shown = ("trend", indicator, compare, area)
            description = cached.chart_description(ref, *shown)
            st.vega_lite_chart(
                cached.trend_spec(ref, indicator, compare, main=area),
                width="content",
                theme=None,
                key="trend",
                alt=description,
            )
            chart_description(description)
            chart_downloads(
                "trend", *cached.chart_files(ref, *shown), file_stem(indicator, "trend", ref.version), what="the chart"
            )
            if st.toggle("Show the data as a table", key="trend_table", help="The figures the chart draws."):
                st.dataframe(cached.trend_table(ref, indicator, compare, area), hide_index=True, width="stretch")
            st.download_button(
                "Download the data behind this chart (CSV)",
                data=cached.indicator_csv(ref, indicator, compare),
                file_name=f"{indicator}_{ref.version}.csv",
                mime="text/csv",
                icon=":material/download:",
                on_click="ignore",
            )
    with meta_col:
        entry = cached.portrait(ref, area, "latest")
        entry = next(e for e in entry.entries if e.id == indicator)
        st.header(meta.title, anchor=False)
        st.html(
            f"{status_chip(entry.status)} <span>{meta.dimension_label} · {cached.RING_LABELS[meta.ring]}"
            f"{' · ' + meta.cwb_theme if meta.cwb_theme else ''}</span>"
        )
        st.markdown(f"**Definition.** {meta.definition}")
        st.markdown(f"**Unit.** {meta.unit}. {'Higher' if meta.polarity == 'higher_is_better' else 'Lower'} is better.")
        st.markdown(f"**Why this indicator.** {meta.why_this_proxy}")
        threshold = meta.threshold
        kind = {
            "ceiling": "Ecological ceiling",
            "target": "Social foundation (target)",
            "zero_deprivation": "Social foundation (nobody deprived)",
        }[threshold.kind]
        source = f"[{threshold.source}]({threshold.source_url})" if threshold.source_url else threshold.source
        st.markdown(
            f"**Threshold.** {kind}: {threshold.value:g} {meta.unit_short}. Set by {source}"
            f"{' (illustrative: no authority sets one)' if threshold.illustrative else ''}. {threshold.rationale}"
        )
        origin = meta.origin
        st.markdown(
            f"**Source.** {origin.producer}, [{origin.title}]({origin.url_main}), published "
            f"{origin.date_published:%d %B %Y}. Licence: [{origin.licence}]({origin.licence_url})."
        )
        if map_view := cached.map_view_for(indicator, area):
            page_link("deprivation_map", "See these neighbourhoods on the deprivation map", query_params=map_view)
        if meta.caveats:
            st.markdown(f"**Caveats.** {meta.caveats}")
        st.caption(f"Citation: {origin.citation}  \nData version {ref.version}.")

    footer(
        ["Statistics from ONS, DESNZ, OHID, DfE, DWP and MHCLG, as credited beside each indicator."],
        data_version=ref.version,
    )
