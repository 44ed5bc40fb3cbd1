"""Indicator explorer: every indicator, filterable; one indicator's tests, threshold, pace, trend and similar areas."""

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
from cwb_metrics.views.common import markdown_escape
from cwb_metrics.views.explorer_neighbours import NO_CLAIM
from cwb_metrics.views.export import NeighbourChart, TrendChart
from cwb_metrics.views.portrait import entry, map_link

page_setup("Indicator explorer")
header(
    "Indicator explorer",
    "Every indicator in the portrait: its latest figure, status and threshold basis, and whether it differs "
    "from England or has changed over time, tested at 95%. Filter the table, then select a row (or pick below) "
    "for the indicator's trend, threshold, pace and similar areas.",
)

with guarded():
    ref = cached.data_ref()
    catalogue = cached.version_catalogue(ref)
    config = cached.area_config()
    choices = cached.portrait_area_choices(ref)

    first = st.columns([1.4, 1, 1, 1.2, 1.1], vertical_alignment="bottom")
    url_value("area", choices.keys, config.county_code, what="areas", resolve=lambda name: cached.area_key(ref, name))
    area = first[0].selectbox(
        "Area",
        choices.keys,
        format_func=choices.label,
        key="area",
        help="Latest figures, statuses and tests are for this area.",
    )
    set_url_value("area", area)
    full = cached.explorer_table(ref, area)
    offered = view.filter_options(full)
    second = st.columns(5, vertical_alignment="bottom")
    chosen = view.ExplorerFilter(
        rings=tuple(first[1].multiselect("Ring", offered.rings, placeholder="All rings")),
        dimensions=tuple(first[2].multiselect("Dimension", offered.dimensions, placeholder="All dimensions")),
        themes=tuple(first[3].multiselect("CWB theme", offered.themes, placeholder="All themes")),
        statuses=tuple(first[4].multiselect("Status", offered.statuses, placeholder="Any status")),
        bases=tuple(
            second[0].multiselect(
                "Threshold basis",
                offered.bases,
                placeholder="Any basis",
                help="What the threshold rests on: a statutory target, a government ambition, science, an official "
                "definition, England's figure (comparator) or an illustrative level no authority sets.",
            )
        ),
        comparisons=tuple(
            second[1].multiselect(
                "Compared with England",
                offered.comparisons,
                placeholder="Any result",
                help="Significantly higher or lower than England at 95% (confidence intervals), and whether that "
                "is better or worse; similar where the difference is not significant; not compared where no "
                "interval is published.",
            )
        ),
        trends=tuple(
            second[2].multiselect(
                "Trend",
                offered.trends,
                placeholder="Any trend",
                help="Improving or worsening only when significant at 95% between periods that do not overlap.",
            )
        ),
        lenses=tuple(second[3].multiselect("Lens", offered.lenses, placeholder="All lenses")),
        roles=tuple(
            second[4].multiselect(
                "Role",
                offered.roles,
                placeholder="Scored and context",
                help="Context indicators are shown for reference and never scored.",
            )
        ),
    )
    table = cached.explorer_table(ref, area, chosen)

    ids = list(catalogue)
    if not ids:
        raise CwbError("The indicator catalogue (data/indicators/*.yaml) has no indicators yet.")
    url_value("indicator", ids, view.first_with_data(full, ids), what="indicators")
    st.caption(
        f"{len(table)} of {len(full)} indicators. Select a row to open it below; click a column to sort. "
        "*Compared with England* and *Trend* are tested at 95%; *Red-red* marks an indicator significantly worse "
        "than England and significantly worsening."
    )
    event = st.dataframe(
        table.frame(),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(table), 1), 420),
        column_order=[
            "Indicator",
            "Latest",
            "Period",
            "Status",
            "Compared with England",
            "Trend",
            "Red-red",
            "Threshold",
            "Threshold basis",
            "England",
            "Dimension",
            "Lens",
            "Role",
            "CWB theme",
            "Unit",
        ],
        column_config={
            "Indicator": st.column_config.TextColumn(width=300),
            "Latest": st.column_config.TextColumn(width=95),
            "Period": st.column_config.TextColumn(width=95),
            "Red-red": st.column_config.CheckboxColumn(
                help="Worse than England and getting worse, both significant at 95%."
            ),
            "England": st.column_config.TextColumn("England's figure"),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="indicator_table",
    )
    st.download_button(
        "Download this table (CSV)",
        data=cached.table_csv(ref, area, chosen),
        file_name=f"indicators_{file_stem(area)}_{ref.version}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="download_table",
        help="The rows shown, with every column (tests, basis, lens, role), the area and the data version.",
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
    panel = cached.indicator_panel(ref, area, indicator)

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
        if area_choices and area not in area_choices and panel.has_value:
            st.caption(
                f"The chart has no series for {panel.area_name}: its figure (beside) is computed from the "
                "small areas (LSOAs) it is made of."
            )
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
        st.subheader(panel.headline, anchor=False)
        if panel.context_note:
            st.info(panel.context_note, icon=":material/info:")
        st.markdown(f"**Compared with England.** {markdown_escape(panel.england.sentence)}")
        st.markdown(f"**Trend.** {markdown_escape(panel.trend.sentence)}")
        if panel.red_red:
            st.warning(panel.red_red, icon=":material/warning:")
        if panel.comparability:
            st.markdown(f"**Comparability.** {markdown_escape(panel.comparability)}")
        if link := map_link(meta, area):
            page_link(
                "deprivation_map", "See these neighbourhoods on the deprivation map", query_params=link.query_params()
            )

    threshold_col, neighbours_col = st.columns([1.6, 1], gap="large")
    with threshold_col:
        st.subheader("Threshold and pace", anchor=False)
        for info in panel.thresholds:
            source = markdown_escape(info.source)
            who = f"Set by [{source}]({info.url})." if info.url else f"{source}."
            st.markdown(
                f"**{'Threshold' if info is panel.thresholds[0] else 'Further target'}.** "
                f"{markdown_escape(info.heading)}. *{info.basis}*: {info.basis_note}. {who}"
                + (f" {markdown_escape(info.rationale)}" if info.rationale else "")
            )
        if len(panel.pace):
            st.table(panel.pace.frame(), border="horizontal", hide_index=True)
            for sentence in panel.pace_sentences:
                st.markdown(markdown_escape(sentence))
            st.caption(
                "Pace: the change a year needed to reach each dated target, beside the least-squares change a year "
                "over the last five comparable periods. Arithmetic on published figures, not a significance test."
            )
        else:
            st.caption("No dated target: this threshold has no date, so there is no pace to reach it.")
    with neighbours_col:
        st.subheader("Beside similar councils", anchor=False)
        reason = cached.similar_areas_reason(ref, area)
        if reason:
            st.caption(reason)
        elif not cached.league_ready(ref):
            st.caption(
                "The comparison with ONS similar areas reads every English council's figures, computed once per "
                "data version (about a minute)."
            )
            if st.button("Compare with similar councils", key="build_league", icon=":material/leaderboard:"):
                cached.build_league(ref)
                st.rerun()
        else:
            near = cached.similar_areas_panel(ref, area, indicator)
            if near.shown and near.spec is not None:
                beside = NeighbourChart(area, indicator)
                description = cached.chart_description(ref, beside)
                st.vega_lite_chart(near.spec, width="content", theme=None, key="neighbours", alt=description)
                chart_description(description)
                chart_downloads(
                    "neighbours",
                    *cached.chart_files(ref, beside),
                    file_stem(indicator, "similar-areas", area, ref.version),
                    what="the comparison",
                )
                st.table(near.summary.frame(), border="horizontal", hide_index=True)
                if st.toggle("List the similar areas", key="neighbour_names", help="ONS's list, most similar first."):
                    st.dataframe(near.names.frame(), hide_index=True, width="stretch")
                st.caption(NO_CLAIM)
            else:
                st.caption(near.sentence)

    st.subheader("About this indicator", anchor=False)
    for paragraph in (card.definition, card.unit, card.why, card.source):
        st.markdown(paragraph)
    if card.caveats:
        st.markdown(card.caveats)
    st.caption(card.citation)

    footer(
        [
            "Statistics from ONS, DESNZ, OHID, DfE, DWP and MHCLG, as credited beside each indicator. "
            "Similar areas: ONS Explore Local Statistics."
        ],
        data_version=ref.version,
    )
