"""IMD 2019 -> 2025: how each neighbourhood's deprivation decile changed, across the LSOA boundary change."""

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
    page_setup,
    sentence_list,
)
from app_support.state import set_url_value, url_value
from cwb_metrics.charts.theme import IMD_CREDIT, OS_ONS_CREDIT
from cwb_metrics.deprivation.change import CHANGE_CAVEAT
from cwb_metrics.sources.imd import INDICES
from cwb_metrics.views.common import current_wards, measure_label
from cwb_metrics.views.deprivation_change import MATCH_WORDS, MIN_LSOAS, boundary_sentences, wards_csv
from cwb_metrics.views.deprivation_map import district_choices
from cwb_metrics.views.export import MapChart
from cwb_metrics.views.map_request import MapRequest

page_setup("IMD 2019 → 2025")
header(
    "IMD 2019 → 2025",
    "How the county's small neighbourhoods (LSOAs) moved in England's deprivation ranking between the "
    "English Indices of Deprivation 2019 and 2025, and which wards moved most.",
)

with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    districts = district_choices(config)

    st.warning(f"**Read this first.** {CHANGE_CAVEAT}", icon=":material/info:")

    picks = st.columns([1.6, 1.4, 1.4, 1], vertical_alignment="bottom")
    url_value("domain", list(INDICES), "imd", what="measures")
    domain = picks[0].selectbox("Measure", list(INDICES), key="domain", format_func=measure_label)
    url_value("district", districts.keys, config.county_code, what="districts")
    district = picks[1].selectbox("Map of", districts.keys, key="district", format_func=districts.label)
    url_value("min_lsoas", list(MIN_LSOAS), "3", what="ward sizes")
    min_lsoas = picks[2].selectbox(
        "Wards listed",
        list(MIN_LSOAS),
        key="min_lsoas",
        format_func=MIN_LSOAS.get,
        help="A ward of one or two LSOAs moves in big steps: one LSOA changing decile moves its average a lot.",
    )
    for param, value in (("domain", domain), ("district", district), ("min_lsoas", min_lsoas)):
        set_url_value(param, value)

    map_col, side = st.columns([1.45, 1], gap="large")
    with map_col:
        zoom = None if district == config.county_code else district
        request = MapRequest("change", 2025, domain, zoom)
        shown = MapChart(request)
        description = cached.chart_description(ref, shown)
        st.altair_chart(
            cached.lsoa_map(ref, request),
            width="content",
            key="change_map",
            alt=description,
        )
        st.caption(
            f"{OS_ONS_CREDIT} {IMD_CREDIT}. Orange: moved towards the more deprived end of England's ranking; "
            "blue: towards the less deprived end; grey: no comparison. Hover over an LSOA for its deciles and "
            "how it was matched to the 2011 LSOAs."
        )
        chart_description(description)
        chart_downloads(
            "change_map",
            *cached.chart_files(ref, shown),
            file_stem("imd-change-2019-2025", domain, districts.label(district)),
            what="the map",
        )
        if st.toggle("Show the data as a table", key="map_table", help="Every LSOA on the map and its change."):
            st.dataframe(cached.change_map_table(ref, domain, zoom).frame(), hide_index=True, width="stretch")
    with side:
        moved = cached.area_change(ref, district, domain)
        st.header(f"{moved.area.name}: IMD 2019 to IMD 2025", anchor=False)
        tiles = st.columns(2)
        tiles[0].metric(
            "Most deprived 20%",
            moved.most_deprived_20pct_2025,
            delta=moved.most_deprived_20pct_2025 - moved.most_deprived_20pct_2019,
            delta_color="inverse",
            help="LSOAs in England's most deprived 20%: IMD 2025 (2021 LSOAs), and the change since IMD 2019 "
            "(2011 LSOAs).",
        )
        tiles[1].metric(
            "Most deprived 10%",
            moved.most_deprived_10pct_2025,
            delta=moved.most_deprived_10pct_2025 - moved.most_deprived_10pct_2019,
            delta_color="inverse",
        )
        sentence_list(moved.sentences())

    st.header("The wards that moved most", anchor=False)
    wards = cached.moved_wards(ref, domain, int(min_lsoas))
    st.caption(
        f"{current_wards(config)} wards, ordered by how far the mean decile of their LSOAs moved (2025 minus 2019: "
        "above 0 is relatively less deprived, below 0 relatively more deprived), then by the change in how many of "
        "their LSOAs are in England's most deprived 20% ('20%' columns). 'Approximate': a ward new since 2019 whose "
        "2019 LSOAs come from the ONS best-fit lookup."
    )
    st.dataframe(
        wards.frame(),
        hide_index=True,
        width="stretch",
        column_order=[
            "ward_name",
            "district_name",
            "lsoas_2019",
            "lsoas_2025",
            "mean_decile_2019",
            "mean_decile_2025",
            "mean_decile_change",
            "most_deprived_20pct_2019",
            "most_deprived_20pct_2025",
            "approximate",
            "map",
        ],
        column_config={
            "ward_name": st.column_config.TextColumn("Ward", pinned=True),
            "district_name": "District",
            "lsoas_2019": st.column_config.NumberColumn("LSOAs 2019", help="2011 LSOAs, IMD 2019"),
            "lsoas_2025": st.column_config.NumberColumn("LSOAs 2025", help="2021 LSOAs, IMD 2025"),
            "mean_decile_2019": st.column_config.NumberColumn("Mean decile 2019", format="%.1f"),
            "mean_decile_2025": st.column_config.NumberColumn("Mean decile 2025", format="%.1f"),
            "mean_decile_change": st.column_config.NumberColumn(
                "Change", format="%+.1f", help="Above 0: relatively less deprived; below 0: relatively more deprived."
            ),
            "most_deprived_20pct_2019": st.column_config.NumberColumn(
                "20% 2019", help="LSOAs in England's most deprived 20%, IMD 2019"
            ),
            "most_deprived_20pct_2025": st.column_config.NumberColumn(
                "20% 2025", help="LSOAs in England's most deprived 20%, IMD 2025"
            ),
            "approximate": st.column_config.CheckboxColumn("Approximate"),
            "map": st.column_config.LinkColumn("Map", display_text="Open on the map"),
        },
    )
    st.download_button(
        "Download every ward (CSV)",
        wards_csv(cached.most_moved(ref, domain, int(min_lsoas))),
        file_name=f"imd-2019-2025-wards-{domain}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="download_wards",
    )

    st.header("LSOAs that split or merged between 2011 and 2021", anchor=False)
    summary = cached.match_summary(ref)
    counts = st.columns(4)
    counts[0].metric("Unchanged", summary["unchanged"], help="Same LSOA code in 2011 and 2021: compared directly.")
    counts[1].metric("Split", summary["split"], help="2021 LSOAs made from part of one 2011 LSOA.")
    counts[2].metric("Merged", summary["merged"], help="2021 LSOAs made from several whole 2011 LSOAs.")
    counts[3].metric("Complex or unmatched", summary["complex"] + summary["unmatched"])
    sentence_list(boundary_sentences(summary))
    st.dataframe(
        cached.boundary_changes(ref).frame(),
        hide_index=True,
        width="stretch",
        column_config={
            "lsoa21_code": st.column_config.TextColumn("LSOA 2021", pinned=True),
            "lsoa21_name": "Name",
            "ward_name": "Ward (May 2025)",
            "lad_name": "District",
            "match": st.column_config.TextColumn("Change", help="; ".join(f"{k}: {v}" for k, v in MATCH_WORDS.items())),
            "lsoa11_codes": "From LSOA(s) 2011",
            "note": st.column_config.TextColumn("How it is compared", width="large"),
        },
    )

    footer(
        [
            OS_ONS_CREDIT,
            "Ministry of Housing, Communities and Local Government, English Indices of Deprivation 2019 (2011 "
            "LSOAs) and 2025 (2021 LSOAs). LSOAs matched with the ONS LSOA (2011) to LSOA (2021) best-fit lookup "
            f"and the ONS boundaries; wards are {current_wards(config)} wards.",
        ],
        data_version=ref.version,
    )
