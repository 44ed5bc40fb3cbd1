"""Doughnut portrait: one area's indicators against the social foundation and ecological ceiling."""

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
    sentence_list,
    status_chip,
)
from app_support.state import ignore, query_value, set_url_value, url_update, url_value
from cwb_metrics.errors import DataLockedError, DataValidationError
from cwb_metrics.models.lens import LENSES
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.small_area import METHOD_NOTE
from cwb_metrics.portrait.what_if import save_council_threshold
from cwb_metrics.views import portrait as view
from cwb_metrics.views.common import period_choice
from cwb_metrics.views.drawing import VIEWS, portrait_view
from cwb_metrics.views.export import PortraitChart, WhatIfChart
from cwb_metrics.views.neighbourhoods import comparison_heading
from cwb_metrics.views.query import Ignored

#: What the download buttons call each view, and the file name's first word.
WHAT = {"doughnut": "the doughnut", "lenses": "the four lenses", "bars": "the bars"}
STEMS = {"doughnut": "doughnut", "lenses": "doughnut-lenses", "bars": "doughnut-bars"}
#: The chart's click selections: one on the one doughnut and the bars, one per small doughnut of the lenses.
SELECTIONS: dict[str, str | list[str]] = {
    "doughnut": "wedge",
    "bars": "wedge",
    "lenses": [f"wedge_{lens}" for lens in LENSES],
}
BASIS_HELP = (
    "With the URL of the council decision that sets it (a Cabinet or Council minute, a strategy), the threshold "
    "is recorded as a government ambition and cited. Without a URL it is recorded as illustrative: the portrait "
    "then says plainly that no authority sets it."
)

page_setup("Doughnut portrait")
header(
    "Doughnut portrait",
    "How the county, each district and named neighbourhoods sit between the social foundation "
    "(no one falling short on life's essentials) and the ecological ceiling (not overshooting "
    "the planet's limits), through the local lenses or all four. Select a wedge to see that indicator.",
)


def save_threshold_form(ref: cached.DataRef, trial: view.WhatIf, slider: view.WhatIfRange) -> None:
    """Save the tried threshold (or another value) as the council's own, with its source, decision URL and reason."""
    with st.form(key="save_threshold", border=True):
        st.markdown("**Save as the council's threshold**")
        st.caption(
            "Writes the threshold, its source and the reason into a new data version (nothing else changes); "
            "the portrait uses it from then on. The previous threshold stays in the previous version."
        )
        new_value = st.number_input(
            f"Threshold ({slider.unit})",
            value=float(trial.value),
            step=float(slider.step),
            format=slider.format,
            key=f"save_value_{trial.indicator}_{trial.value}",
        )
        source = st.text_input(
            "Source",
            key="save_source",
            placeholder=f"e.g. {cached.area_config().county_name} council's Cabinet, 18 March 2025",
        )
        url = st.text_input(
            "URL of the decision that sets it",
            key="save_url",
            placeholder="https://…  (the published minute, report or strategy)",
        )
        st.caption(BASIS_HELP)
        rationale = st.text_input("Why this threshold", key="save_rationale")
        who = st.text_input("Your name", key="save_who", help="Recorded with the new data version.")
        submitted = st.form_submit_button("Save as the council's threshold", icon=":material/save:")
    if not submitted:
        return
    if not who.strip():
        st.warning("Type your name: it is recorded with the new data version.", icon=":material/person:")
        return
    try:
        version = save_council_threshold(
            ref.store,
            trial.indicator,
            new_value,
            source.strip(),
            rationale.strip(),
            who,
            source_url=url.strip() or None,
        )
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
    basis = "a government ambition (the council's decision)" if url.strip() else "illustrative (no decision URL given)"
    st.session_state["_portrait_flash"] = (
        f"Saved: the council's threshold for {slider.title.lower()} is now "
        f"{slider.text(new_value)}{'' if slider.unit == '%' else ' ' + slider.unit}, recorded as {basis}, in the "
        f"new data version **{version}**. The portrait now uses it."
    )
    st.session_state.pop(f"whatif_{trial.indicator}", None)
    set_url_value("whatif", None)
    st.rerun()


def what_if_panel(ref: cached.DataRef, area: str, period: str, portrait: Portrait) -> view.WhatIf | None:
    """The "Try another threshold" panel; returns the what-if threshold tried, or ``None``."""
    options = cached.what_if_options(ref, area, period)
    if not options:
        return None
    seed = None
    if (text := url_update("whatif", "whatif_indicator")) is not None:
        checked = view.what_if_seed(text, options, lambda i: cached.what_if_range(ref, area, period, i))
        if isinstance(checked, Ignored):
            ignore(checked)
        else:
            seed = checked
            st.session_state["whatif_indicator"] = seed.indicator
    if st.session_state.get("whatif_indicator") not in options:  # first the selected wedge, else a target or ceiling
        st.session_state["whatif_indicator"] = view.default_what_if(portrait, options, query_value("indicator"))
    st.session_state.setdefault("_whatif_open", seed is not None)
    with st.expander("Try another threshold", expanded=st.session_state["_whatif_open"], icon=":material/tune:"):
        left, right = st.columns([1.25, 1], gap="large")
        with left:
            st.caption(
                "Move a threshold to see how the doughnut would look with it. Nothing is saved unless you save "
                "it as the council's threshold. Context indicators are not scored, so they have no threshold here."
            )
            indicator = st.selectbox("Indicator", options.keys, format_func=options.label, key="whatif_indicator")
            slider = cached.what_if_range(ref, area, period, indicator)
            key = f"whatif_{indicator}"
            if seed and seed.indicator == indicator:
                st.session_state[key] = seed.value
            st.session_state[key] = slider.snap(float(st.session_state.get(key, slider.value)))
            value = st.slider(
                f"Threshold ({slider.unit})",
                min_value=slider.min,
                max_value=slider.max,
                step=slider.step,
                format=slider.format,
                key=key,
            )
            st.caption(f"{portrait.area_name}: {slider.value_text}. {slider.threshold_caption}")
            trial = slider.request(value)
            active = slider.active(trial.value)
            set_url_value("whatif", f"{indicator}:{slider.text(trial.value)}" if active else None)
            if not active:
                st.caption("Move the slider away from the threshold now to try another one.")
        with right:
            save_threshold_form(ref, trial, slider)
        if active:
            st.dataframe(
                cached.what_if_changes(ref, area, period, trial).frame(),
                hide_index=True,
                width="stretch",
                column_config={
                    "Score now": st.column_config.NumberColumn(format="%.3f"),
                    "What-if score": st.column_config.NumberColumn(format="%.3f"),
                    "Status changes": st.column_config.CheckboxColumn(),
                },
            )
    return trial if active else None


with guarded():
    ref = cached.data_ref()
    choices = cached.portrait_area_choices(ref)
    periods = ["latest", *cached.period_years(ref)]
    county = cached.area_config().county_code

    pick_area, pick_period, pick_view = st.columns([2.2, 1, 1.9], vertical_alignment="bottom")
    url_value("area", choices.keys, county, what="areas", resolve=lambda name: cached.area_key(ref, name))
    area = pick_area.selectbox("Area", choices.keys, format_func=choices.label, key="area")
    url_value("period", periods, "latest", what="periods")
    period = pick_period.selectbox(
        "Period",
        periods,
        key="period",
        format_func=period_choice,
        help="'Latest available' uses each indicator's most recent figure; a year uses the figures for that year.",
    )
    url_value("view", list(VIEWS), "doughnut", what="views")
    shown_view = portrait_view(
        pick_view.segmented_control("View", list(VIEWS), format_func=VIEWS.get, key="view", required=True) or ""
    )
    for param, value in (("area", area), ("period", period), ("view", shown_view)):
        set_url_value(param, value)

    portrait = cached.portrait(ref, area, period)
    known = {e.id for e in portrait.entries if e.id}

    if flash := st.session_state.pop("_portrait_flash", None):
        st.success(flash, icon=":material/check_circle:")
    trial = what_if_panel(ref, area, period, portrait)

    # The unrolled bars are wider than the one doughnut; the four lenses take the whole width, the text below.
    if shown_view == "lenses":
        chart_col, text_col = st.container(), st.container()
    else:
        chart_col, text_col = st.columns([2.2, 1] if shown_view == "bars" else [1.3, 1], gap="large")
    with chart_col:
        shown = WhatIfChart(area, period, shown_view, trial) if trial else PortraitChart(area, period, shown_view)
        description = cached.chart_description(ref, shown)
        event = st.altair_chart(
            cached.what_if_chart(ref, area, period, shown_view, trial)
            if trial
            else cached.portrait_chart(ref, area, period, shown_view),
            on_select="rerun",
            selection_mode=None if shown_view == "lenses" else "wedge",  # one selection per small doughnut
            key=f"portrait_chart_{shown_view}",
            width="content",
            alt=description,
        )
        st.caption(cached.view_note(ref, area, period, shown_view))
        chart_description(description)
        chart_downloads(
            "portrait",
            *cached.chart_files(ref, shown),
            file_stem(STEMS[shown_view], portrait.area_name, period, "what-if" if trial else ""),
            what=WHAT[shown_view],
        )
    clicked = view.selected_indicator(event, SELECTIONS[shown_view], known)
    if clicked:
        set_url_value("indicator", clicked)
    elif st.session_state.get("_portrait_clicked"):  # the wedge was deselected
        set_url_value("indicator", None)
    st.session_state["_portrait_clicked"] = clicked
    indicator = query_value("indicator")
    if indicator is not None and indicator not in known:
        ignore(Ignored("indicator", indicator, "it is not an indicator of the portrait"))
        indicator = None

    with text_col:
        if indicator:
            entry = view.entry(portrait, indicator)
            with st.container(border=True, key="selected_indicator"):
                st.html(
                    f"<p><strong>{html.escape(entry.title)}</strong> {status_chip(entry.status)}</p>"
                    f"<p>{html.escape(cached.indicator_sentence(ref, area, period, indicator))}</p>"
                )
                page_link(
                    "explorer", "Open in the indicator explorer", query_params={"indicator": indicator, "area": area}
                )
                if link := view.map_link(cached.version_catalogue(ref).get(indicator), area):
                    page_link("deprivation_map", "See it on the deprivation map", query_params=link.query_params())
        st.header(f"{portrait.area_name} in brief", anchor=False)
        counts = cached.headline(ref, area, period)
        with st.container(key="headline"):
            st.html(
                "<p>" + " ".join(status_chip(s, n) for s, n in counts.chips) + '</p><p class="cwb-headline">'
                f"<strong>{html.escape(counts.context_text.removesuffix(' shown beside, not scored'))}</strong> "
                'shown beside, not scored (<a href="#context-indicators">listed below</a>).<br>'
                f"{html.escape(counts.with_data_text)}; {counts.no_data} without data.<br>"
                f'{html.escape(counts.dimensions_text)} (<a href="#dimensions-without-data">why</a>).</p>'
            )
        sentence_list(cached.portrait_sentences(ref, area, period))
        if not indicator:
            st.caption("Select a wedge (or a bar) to see its figures and open it in the indicator explorer.")

    st.subheader("Largest shortfalls and overshoots", anchor=False)
    st.caption(
        "Shortfalls are ranked by how far each falls short of its foundation, from 0 (meets it) to 100% (as far "
        "short as it can be); overshoots by how many times they exceed the ceiling. The two are not compared with "
        "each other. Indicators through every lens are listed."
    )
    for status, title in (("shortfall", "Shortfalls"), ("overshoot", "Overshoots")):
        table = cached.largest(ref, area, period, status)
        st.markdown(f"**{title}**")
        if len(table):
            st.dataframe(
                table.frame().drop(columns=["id", "Score"]),
                hide_index=True,
                width="stretch",
                key=f"largest_{status}",
            )
        else:
            st.caption(f"No {status} for {portrait.area_name}.")

    context = cached.context_table(ref, area, period)
    st.subheader(
        f"Context indicators ({len(context)}): shown beside the doughnut, never scored", anchor="context-indicators"
    )
    st.caption(
        "Context indicators place the area without judging it: relative shares (England is 20% by construction), "
        "tenure, occupations, indices and green space have no foundation or ceiling anyone sets, so the doughnut "
        "draws no wedge for them and no count or sentence treats them as shortfalls."
    )
    if len(context):  # a static table: its reasons wrap (a data grid would cut them off)
        st.table(context.frame().drop(columns=["id"]), hide_index=True)

    gaps = cached.dimension_gaps(ref, area, period)
    st.subheader(f"Dimensions without data ({len(gaps)} of 21)", anchor="dimensions-without-data")
    st.caption("Drawn as striped grey “no data”, never as zero.")
    st.table(gaps.frame(), hide_index=True)

    if portrait.area_kind in ("neighbourhood", "ward"):
        st.header(comparison_heading(portrait.area_name, cached.area_config()), anchor=False)
        st.dataframe(
            cached.neighbourhood_comparison(ref, area, period).frame(),
            hide_index=True,
            width="stretch",
            column_config={"Indicator": st.column_config.TextColumn(width=320)},
        )
        st.caption(METHOD_NOTE)

    if st.toggle("Show the data as a table", key="show_table", help="The figures behind the chart, as a table."):
        if shown_view == "lenses":
            st.markdown("**What each lens draws**")
            st.dataframe(cached.lens_table(ref, area, period).frame(), hide_index=True, width="stretch")
        st.dataframe(
            cached.portrait_table(ref, area, period).frame().drop(columns=["id"]),
            hide_index=True,
            width="stretch",
            column_config={
                "Score": st.column_config.NumberColumn(
                    "Score",
                    format="%.2f",
                    help="Shortfall on the 0-1 social scale, or overshoot beyond the ceiling (0 = within).",
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
