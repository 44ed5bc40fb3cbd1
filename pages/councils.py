"""How councils compare: every English council ranked and mapped on a Doughnut dimension or indicator."""

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached
from app_support.layout import footer, guarded, header, page_setup, sentence_list
from app_support.state import set_url_value, url_value
from cwb_metrics.charts.councils_map import SIMILAR_AREAS_CREDIT
from cwb_metrics.charts.theme import OS_ONS_CREDIT
from cwb_metrics.compare.league import LeagueUnavailableError
from cwb_metrics.views.councils import (
    NO_SIMILAR_AREAS,
    footer_lines,
    map_alt,
    shown_columns,
    table_headings,
    unavailable,
)

page_setup("How councils compare")
header(
    "How councils compare",
    "Every English district and unitary authority (and each county among the upper-tier councils), ranked on "
    "one Doughnut dimension or indicator from the same national files. Your council and its ONS similar areas "
    "are outlined. A rank is an order, not a test of difference.",
)

with guarded():
    ref = cached.data_ref()
    try:
        league = cached.league(ref)
    except LeagueUnavailableError as error:
        why = unavailable(error)
        st.info(f"**{why.title}.**\n\n{why.text}\n\nRun this in the project folder, then reload the page:")
        st.code(why.commands, language="bash")
        footer([], data_version=ref.version)
        st.stop()
    choices = cached.measure_choices(ref)
    councils = cached.council_choices(ref)

    top = st.columns([2, 2], vertical_alignment="bottom")
    url_value("measure", choices.keys, choices.keys[0], what="dimensions and indicators")
    measure = top[0].selectbox("Rank on", choices.keys, key="measure", format_func=choices.label)
    url_value("council", councils.keys, cached.default_council(ref), what="councils")
    council = top[1].selectbox("Council", councils.keys, key="council", format_func=councils.label)
    set_url_value("measure", measure)
    set_url_value("council", council)

    shown = cached.councils_view(ref, measure, council)
    area = league.area(council)
    similar = cached.similar_areas(ref) is not None
    sentence_list(list(shown.sentences))
    figures = cached.council_tiles(ref, council)
    for column, tile in zip(st.columns(len(figures)), figures, strict=True):
        column.metric(tile.label, tile.value)

    map_col, table_col = st.columns([1, 1.15], gap="large")
    with map_col:
        try:
            st.altair_chart(cached.councils_map(ref, measure, council), width="content", alt=map_alt(shown, area.name))
        except LeagueUnavailableError as error:
            st.info(f"No district map: {error.reason}", icon=":material/map:")
        if shown.england_text:
            st.caption(shown.england_text)
        if not similar:
            st.caption(NO_SIMILAR_AREAS)
    with table_col:
        near_heading, all_heading = table_headings(shown, area.name, similar)
        st.markdown(near_heading)
        columns = shown_columns(shown)
        st.dataframe(
            cached.similar_table(ref, measure, council).frame(),
            hide_index=True,
            width="stretch",
            column_order=columns,
            key="near",
        )
        st.markdown(all_heading)
        st.dataframe(
            cached.ranking_table(ref, measure, council).frame(),
            hide_index=True,
            width="stretch",
            height=420,
            column_order=columns,
            key="all",
        )

    footer([OS_ONS_CREDIT, SIMILAR_AREAS_CREDIT, *footer_lines(league)], data_version=ref.version)
