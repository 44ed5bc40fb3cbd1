"""Doughnut portrait: one area's indicators against the social foundation and ecological ceiling."""

import html
import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached, layout
from app_support.layout import (
    chart_description,
    chart_downloads,
    file_stem,
    footer,
    guarded,
    header,
    page_link,
    page_setup,
    sentence_list,
    status_chip,
)
from app_support.state import set_url_value, url_update, url_value
from cwb_metrics.errors import DataLockedError, DataValidationError
from cwb_metrics.portrait.small_area import METHOD_NOTE
from cwb_metrics.portrait.what_if import save_council_threshold

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


def parse_what_if(text: str | None, options: dict[str, str]) -> tuple[str, float] | None:
    """``?whatif=id:value`` as ``(id, value)``; ``None`` when absent or not understood."""
    indicator, _, number = (text or "").partition(":")
    try:
        return (indicator, float(number)) if indicator in options else None
    except ValueError:
        return None


def save_threshold_form(ref, indicator: str, value: float, slider: dict) -> None:
    """Save the tried threshold (or another value) as the council's own, with its source and rationale."""
    with st.form(key="save_threshold", border=True):
        st.markdown("**Save as the council's threshold**")
        st.caption(
            "Writes the threshold, its source and the reason into a new data version (nothing else changes); "
            "the portrait uses it from then on. The previous threshold stays in the previous version."
        )
        new_value = st.number_input(
            f"Threshold ({slider['unit']})",
            value=float(value),
            step=float(slider["step"]),
            format=slider["format"],
            key=f"save_value_{indicator}_{value}",
        )
        source = st.text_input(
            "Source", key="save_source", placeholder="e.g. Oxfordshire County Council Cabinet, 18 March 2025"
        )
        rationale = st.text_input("Why this threshold", key="save_rationale")
        who = st.text_input("Your name", key="save_who", help="Recorded with the new data version.")
        submitted = st.form_submit_button("Save as the council's threshold", icon=":material/save:")
    if not submitted:
        return
    if not who.strip():
        st.warning("Type your name: it is recorded with the new data version.", icon=":material/person:")
        return
    try:
        version = save_council_threshold(ref.store, indicator, new_value, source.strip(), rationale.strip(), who)
    except DataValidationError as error:
        st.error("**The threshold was not saved; nothing has changed.**", icon=":material/error:")
        st.dataframe(
            [{"Field": p.column or "", "Problem": p.message} for p in error.problems], hide_index=True, width="stretch"
        )
        return
    except DataLockedError:
        st.warning(
            "Another import or refresh is writing; wait a moment and try again.", icon=":material/hourglass_top:"
        )
        return
    st.session_state["_portrait_flash"] = (
        f"Saved: the council's threshold for {slider['title'].lower()} is now "
        f"{slider['format'] % new_value}{'' if slider['unit'] == '%' else ' ' + slider['unit']}, in the new data "
        f"version **{version}**. "
        "The portrait now uses it."
    )
    st.session_state.pop(f"whatif_{indicator}", None)
    set_url_value("whatif", None)
    st.rerun()


def what_if_panel(ref, area: str, period: str, portrait) -> tuple[str, float] | None:
    """The "Try another threshold" panel; returns the what-if ``(indicator, threshold)``, or ``None``."""
    options = cached.what_if_options(ref, area, period)
    if not options:
        return None
    seed = parse_what_if(url_update("whatif", "whatif_indicator"), options)
    if seed:
        st.session_state["whatif_indicator"] = seed[0]
    if st.session_state.get("whatif_indicator") not in options:  # first the selected wedge, else a target or ceiling
        wedge = st.query_params.get("indicator")
        targets = [e.id for e in portrait.entries if e.id in options and e.threshold and e.value is not None]
        st.session_state["whatif_indicator"] = wedge if wedge in options else next(iter(targets or options))
    st.session_state.setdefault("_whatif_open", seed is not None)
    with st.expander("Try another threshold", expanded=st.session_state["_whatif_open"], icon=":material/tune:"):
        left, right = st.columns([1.25, 1], gap="large")
        with left:
            st.caption(
                "Move a threshold to see how the doughnut would look with it. Nothing is saved unless you save "
                "it as the council's threshold."
            )
            indicator = st.selectbox("Indicator", list(options), format_func=options.get, key="whatif_indicator")
            slider = cached.what_if_range(ref, area, period, indicator)
            key = f"whatif_{indicator}"
            if seed and seed[0] == indicator:
                st.session_state[key] = seed[1]
            current = st.session_state.get(key, slider["value"])
            st.session_state[key] = float(min(max(current, slider["min"]), slider["max"]))
            value = st.slider(
                f"Threshold ({slider['unit']})",
                min_value=slider["min"],
                max_value=slider["max"],
                step=slider["step"],
                format=slider["format"],
                key=key,
            )
            st.caption(
                f"{portrait.area_name}: {slider['value_text']}. Threshold now: {slider['threshold_text']}"
                + (" (illustrative)" if slider["illustrative"] else "")
                + (f". Source: {slider['source']}" if slider["source"] else "")
            )
            active = abs(value - slider["value"]) > slider["step"] / 2
            set_url_value("whatif", f"{indicator}:{slider['format'] % value}" if active else None)
            if not active:
                st.caption("Move the slider away from the threshold now to try another one.")
        with right:
            save_threshold_form(ref, indicator, value, slider)
        if active:
            st.dataframe(
                cached.what_if_changes(ref, area, period, indicator, value),
                hide_index=True,
                width="stretch",
                column_config={
                    "Score now": st.column_config.NumberColumn(format="%.3f"),
                    "What-if score": st.column_config.NumberColumn(format="%.3f"),
                    "Status changes": st.column_config.CheckboxColumn(),
                },
            )
    return (indicator, value) if active else None


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

    if flash := st.session_state.pop("_portrait_flash", None):
        st.success(flash, icon=":material/check_circle:")
    trial = what_if_panel(ref, area, period, portrait)

    # The unrolled bars are wider than the doughnut (a names column beside the bars).
    chart_col, text_col = st.columns([2.2, 1] if view == "bars" else [1.3, 1], gap="large")
    with chart_col:
        shown = ("what_if", area, period, view, *trial) if trial else ("portrait", area, period, view)
        description = cached.chart_description(ref, *shown)
        event = st.altair_chart(
            cached.what_if_chart(ref, area, period, view, *trial)
            if trial
            else cached.portrait_chart(ref, area, period, view),
            on_select="rerun",
            selection_mode="wedge",
            key=f"portrait_chart_{view}",
            width="content",
            alt=description,
        )
        chart_description(description)
        chart_downloads(
            "portrait",
            *cached.chart_files(ref, *shown),
            file_stem(
                "doughnut" if view == "doughnut" else "doughnut-bars",
                portrait.area_name,
                period,
                "what-if" if trial else "",
            ),
            what="the doughnut" if view == "doughnut" else "the bars",
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
        st.header(f"{portrait.area_name} in brief", anchor=False)
        st.html(" ".join(status_chip(s, n) for s, n in counts.items() if n))
        sentence_list(cached.portrait_sentences(ref, area, period))
        if not indicator:
            st.caption("Select a wedge (or a bar) to see its figures and open it in the indicator explorer.")

    if portrait.area_kind in ("neighbourhood", "ward"):
        st.header(f"{portrait.area_name} beside its district, the county and England", anchor=False)
        st.dataframe(cached.neighbourhood_comparison(ref, area, period), hide_index=True, width="stretch")
        st.caption(METHOD_NOTE)

    if st.toggle("Show the data as a table", key="show_table", help="The scores behind the chart, as a table."):
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
