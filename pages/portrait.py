"""Doughnut portrait: one area's indicators against the social foundation and ecological ceiling."""

import html
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached, layout
from app_support.layout import footer, guarded, header, page_link, page_setup, sentence_list, status_chip
from app_support.state import set_url_value, url_value
from cwb_metrics.deprivation.small_area import METHOD_NOTE

page_setup("Doughnut portrait")
header(
    "Doughnut portrait",
    "How the county, each district and named neighbourhoods sit between the social foundation "
    "(no one falling short on life's essentials) and the ecological ceiling (not overshooting "
    "the planet's limits). Select a wedge to see that indicator.",
)

VIEWS = {"doughnut": "Doughnut", "bars": "Unrolled bars"}


def selected_indicator(event, known: set[str]) -> str | None:
    """The indicator id of the clicked wedge or bar, if any."""
    chosen = (event or {}).get("selection", {}).get("wedge") or []
    for item in chosen if isinstance(chosen, list) else [chosen]:
        for field in ("id", "indicator", "indicator_id"):
            value = item.get(field) if isinstance(item, dict) else None
            if value in known:
                return value
    return None


with guarded():
    ref = cached.data_ref()
    choices = cached.portrait_area_choices(ref)
    periods = ["latest", *cached.period_years(ref)]
    county = cached.area_config().county_code

    pick_area, pick_period, pick_view = st.columns([2.2, 1, 1.4], vertical_alignment="bottom")
    url_value("area", list(choices), county)
    area = pick_area.selectbox("Area", list(choices), format_func=choices.get, key="area")
    url_value("period", periods, "latest")
    period = pick_period.selectbox(
        "Period",
        periods,
        key="period",
        format_func=lambda p: "Latest available" if p == "latest" else p,
        help="'Latest available' uses each indicator's most recent figure; a year uses the figures for that year.",
    )
    url_value("view", list(VIEWS), "doughnut")
    view = pick_view.segmented_control("View", list(VIEWS), format_func=VIEWS.get, key="view", required=True)
    view = view or "doughnut"
    for param, value in (("area", area), ("period", period), ("view", view)):
        set_url_value(param, value)

    portrait = cached.portrait(ref, area, period)
    known = {e.id for e in portrait.entries if e.id}
    counts = {s: sum(e.status == s for e in portrait.entries if e.id) for s in layout.STATUS_WORDS}

    # The unrolled bars are wider than the doughnut (a names column beside the bars).
    chart_col, text_col = st.columns([2.2, 1] if view == "bars" else [1.3, 1], gap="large")
    with chart_col:
        event = st.altair_chart(
            cached.portrait_chart(ref, area, period, view),
            on_select="rerun",
            selection_mode="wedge",
            key=f"portrait_chart_{view}",
            width="content",
            alt=f"Doughnut portrait of {portrait.area_name}: " + " ".join(cached.portrait_sentences(ref, area, period)),
        )
    clicked = selected_indicator(event, known)
    if clicked:
        set_url_value("indicator", clicked)
    elif st.session_state.get("_portrait_clicked"):  # the wedge was deselected
        set_url_value("indicator", None)
    st.session_state["_portrait_clicked"] = clicked
    indicator = st.query_params.get("indicator") if st.query_params.get("indicator") in known else None

    with text_col:
        if indicator:
            entry = next(e for e in portrait.entries if e.id == indicator)
            with st.container(border=True, key="selected_indicator"):
                st.html(
                    f"<p><strong>{html.escape(entry.title)}</strong> {status_chip(entry.status)}</p>"
                    f"<p>{html.escape(cached.indicator_sentence(ref, area, period, indicator))}</p>"
                )
                page_link(
                    "explorer", "Open in the indicator explorer", query_params={"indicator": indicator, "area": area}
                )
                if map_view := cached.map_view_for(indicator, area):
                    page_link("deprivation_map", "See it on the deprivation map", query_params=map_view)
        st.subheader(f"{portrait.area_name} in brief", anchor=False)
        st.html(" ".join(status_chip(s, n) for s, n in counts.items() if n))
        sentence_list(cached.portrait_sentences(ref, area, period))
        if not indicator:
            st.caption("Select a wedge (or a bar) to see its figures and open it in the indicator explorer.")

    if portrait.area_kind in ("neighbourhood", "ward"):
        st.subheader(f"{portrait.area_name} beside its district, the county and England", anchor=False)
        st.dataframe(cached.neighbourhood_comparison(ref, area, period), hide_index=True, width="stretch")
        st.caption(METHOD_NOTE)

    if st.toggle("Show the scores as a table", key="show_table", help="A text alternative to the chart."):
        st.dataframe(
            cached.portrait_table(ref, area, period).drop(columns=["id"]),
            hide_index=True,
            width="stretch",
            column_config={
                "Score": st.column_config.NumberColumn(
                    "Score", format="%.2f", help="Shortfall or overshoot, relative to the threshold (0 = within)."
                )
            },
        )

    footer(
        [
            "Sources: ONS, DESNZ, OHID, DfE, DWP and MHCLG official statistics; each indicator's producer, "
            "licence and release date are listed in the indicator explorer.",
            "Method: Doughnut Economics (Raworth 2017; Fanning & Raworth 2025); shortfall and overshoot "
            "after O'Neill et al. (2018).",
        ],
        data_version=ref.version,
    )
