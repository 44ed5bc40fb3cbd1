"""Neighbourhood portraits: a ward or named neighbourhood beside its district and the county."""

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
from app_support.state import set_url_value, url_value
from cwb_metrics.errors import CwbError
from cwb_metrics.portrait.small_area import METHOD_NOTE
from cwb_metrics.views.common import current_wards
from cwb_metrics.views.export import SmallDoughnutChart
from cwb_metrics.views.neighbourhoods import PERIODS, comparison_heading, lede, trio

page_setup("Neighbourhood portraits")
try:
    LEDE = lede(cached.area_config())
except CwbError:  # shown by the guarded body below
    LEDE = "A ward or named neighbourhood set beside its district and the whole area."
header("Neighbourhood portraits", LEDE)

LEGEND_ALT = (
    "Legend of the three doughnuts: shortfall wedges point inward from the social foundation, overshoot wedges "
    "outward from the ecological ceiling, a green tick means within, striped grey means no data."
)
PERIOD_HELP = (
    "'Latest available' uses IMD 2025 and the latest fuel poverty estimates; 'IMD 2019' shows the earlier "
    "edition of the Indices (on 2011 LSOAs), as in the December 2024 data portrait."
)

with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    choices = cached.neighbourhood_choices(ref)
    default = choices.keys[0] if choices else None

    pick, pick_period, _gap = st.columns([2, 1.4, 1.2], vertical_alignment="bottom")
    url_value(
        "area", choices.keys, default, what="neighbourhoods or wards", resolve=lambda name: cached.area_key(ref, name)
    )
    area = pick.selectbox(
        "Neighbourhood or ward",
        choices.keys,
        format_func=choices.label,
        key="area",
        help=f"The named neighbourhoods come first, then every ward ({current_wards(config)} wards) by district.",
    )
    url_value("period", list(PERIODS), "latest", what="periods")
    period = (
        pick_period.segmented_control(
            "Figures", list(PERIODS), format_func=PERIODS.get, key="period", required=True, help=PERIOD_HELP
        )
        or "latest"
    )
    set_url_value("area", area)
    set_url_value("period", period)

    portrait = cached.portrait(ref, area, period)
    doughnuts = trio(cached.resolve(ref, area), config)

    counts = cached.headline(ref, area, period)
    with st.container(key="headline"):
        st.html(
            f"<p><strong>{html.escape(portrait.area_name)}</strong>: "
            + " ".join(status_chip(s, n) for s, n in counts.chips)
            + f"</p><p>{html.escape(counts.with_data_text)} (context indicators are shown beside, not scored). "
            f"{html.escape(counts.dimensions_text)}: for a ward or neighbourhood, only indicators published for "
            "small areas can be shown.</p>"
        )

    # Two a row (a third of the page is too narrow for a legible doughnut): the area and its district, then
    # the county beside the legend the three share.
    cells = [cell for _row in range(2) for cell in st.columns(2, gap="medium")]
    for column, doughnut in zip(cells, doughnuts, strict=False):
        with column:
            shown = SmallDoughnutChart(doughnut.code, period, doughnut.role)
            description = cached.chart_description(ref, shown)
            st.altair_chart(
                cached.small_doughnut(ref, doughnut.code, period, doughnut.role),
                width="content",
                key=f"doughnut_{doughnut.key}",
                alt=description,
            )
            chart_description(description)
            chart_downloads(
                doughnut.key,
                *cached.chart_files(ref, shown),
                file_stem("doughnut", cached.portrait(ref, doughnut.code, period).area_name, period),
                what="the doughnut",
            )
    with cells[len(doughnuts)]:
        st.altair_chart(cached.shared_legend(), width="content", key="doughnut_legend", alt=LEGEND_ALT)
        st.caption(
            "Each doughnut scores the same indicators against the same thresholds, through the two local lenses "
            "(as the portrait's one doughnut). Grey striped wedges have no data for that area: for a ward or "
            "neighbourhood, only indicators published by LSOA can be shown. Context indicators are not drawn."
        )
    if st.toggle("Show the data as a table", key="doughnuts_table", help="Each indicator's value and status."):
        st.dataframe(
            cached.doughnuts_table(ref, tuple(d.code for d in doughnuts), period).frame(),
            hide_index=True,
            width="stretch",
            column_config={"Indicator": st.column_config.TextColumn(width="large")},
        )

    st.header(comparison_heading(portrait.area_name, config), anchor=False)
    if note := cached.census_note(ref, area, period):
        st.info(note, icon=":material/event:")
    st.dataframe(
        cached.neighbourhood_comparison(ref, area, period).frame(),
        hide_index=True,
        width="stretch",
        # Wide enough for most titles (the full one shows on hover), so the marks on the right are not cut off.
        column_config={"Indicator": st.column_config.TextColumn(width=320)},
    )

    left, right = st.columns([1, 1], gap="large")
    with left:
        st.header(f"{portrait.area_name} in brief", anchor=False)
        sentence_list(cached.portrait_sentences(ref, area, period))
        if area in cached.portrait_area_choices(ref):
            page_link("portrait", "Open its full portrait", query_params={"area": area, "period": period})
        page_link(
            "deprivation_map",
            "See its LSOAs on the deprivation map",
            query_params={"area": area, "edition": "2019" if period == "2019" else "2025"},
        )
    with right, st.container(border=True, key="method_note"):
        st.markdown("**How these figures are made, and what they cannot say**")
        st.write(METHOD_NOTE)

    footer(
        [
            "Sources: MHCLG English Indices of Deprivation 2019 and 2025 (LSOA level); ONS Census 2021 (LSOA "
            "tables, Nomis); DESNZ sub-regional fuel poverty statistics (LSOA estimates); Electoral Commission "
            "local election results 2022 (wards); district, county and England figures from each indicator's "
            "official release (see the indicator explorer).",
            f"Wards: ONS LSOA to ward lookups (May 2019 and {current_wards(config)} wards). "
            "Method: Doughnut Economics (Raworth 2017; Fanning & Raworth 2025).",
        ],
        data_version=ref.version,
    )
