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
from cwb_metrics.sources.imd import INDEX_LABELS, INDICES

page_setup("IMD 2019 → 2025")
header(
    "IMD 2019 → 2025",
    "How the county's small neighbourhoods (LSOAs) moved in England's deprivation ranking between the "
    "English Indices of Deprivation 2019 and 2025, and which wards moved most.",
)

#: Smallest ward (in LSOAs, in either edition) listed among the wards that moved most.
MIN_LSOAS = {"1": "Every ward", "2": "2 or more LSOAs", "3": "3 or more LSOAs", "4": "4 or more LSOAs"}
MATCH_WORDS = {
    "split": "one 2011 LSOA became several 2021 LSOAs",
    "merged": "several 2011 LSOAs became one 2021 LSOA",
    "complex": "boundaries were redrawn across several LSOAs",
    "unmatched": "no 2011 LSOA could be found",
}


def measure_label(domain: str) -> str:
    return "Overall deprivation (IMD)" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"


with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    districts = {config.county_code: f"All {config.county_name}", **{d.code: d.name for d in config.districts}}

    st.warning(f"**Read this first.** {CHANGE_CAVEAT}", icon=":material/info:")

    picks = st.columns([1.6, 1.4, 1.4, 1], vertical_alignment="bottom")
    url_value("domain", list(INDICES), "imd")
    domain = picks[0].selectbox("Measure", list(INDICES), key="domain", format_func=measure_label)
    url_value("district", list(districts), config.county_code)
    district = picks[1].selectbox("Map of", list(districts), key="district", format_func=districts.get)
    url_value("min_lsoas", list(MIN_LSOAS), "3")
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
        shown = ("change_map", domain, zoom, None, None)
        description = cached.chart_description(ref, *shown)
        st.altair_chart(
            cached.change_map(ref, domain, zoom, None, None),
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
            *cached.chart_files(ref, *shown),
            file_stem("imd-change-2019-2025", domain, districts[district]),
            what="the map",
        )
        if st.toggle("Show the data as a table", key="map_table", help="Every LSOA on the map and its change."):
            st.dataframe(cached.change_map_table(ref, domain, zoom), hide_index=True, width="stretch")
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
    wards = cached.most_moved(ref, domain, int(min_lsoas))
    st.caption(
        "May 2025 wards, ordered by how far the mean decile of their LSOAs moved (2025 minus 2019: above 0 "
        "is relatively less deprived, below 0 relatively more deprived), then by the change in how many of their "
        "LSOAs are in England's most deprived 20% ('20%' columns). 'Approximate': a ward new since 2019 whose "
        "2019 LSOAs come from the ONS best-fit lookup."
    )
    shown = wards.head(15).assign(
        map=lambda f: "/deprivation_map?edition=change&domain=" + domain + "&area=" + f["ward_code"]
    )
    st.dataframe(
        shown,
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
        wards.to_csv(index=False, lineterminator="\n").encode("utf-8"),
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
    total = sum(summary[k] for k in ("unchanged", "split", "merged", "complex", "unmatched"))
    lines = [
        f"Of the county's {total} LSOAs (2021), {summary['unchanged']} kept their 2011 code and are compared directly."
    ]
    if summary["split"]:
        lines.append(
            f"{summary['lsoa11_split']} LSOAs of 2011 were split into {summary['split']} LSOAs of 2021: each part "
            "is compared with the whole 2011 LSOA's rank (IMD 2019 has nothing finer)."
        )
    if summary["merged"]:
        lines.append(
            f"{summary['lsoa11_merged']} LSOAs of 2011 were merged into {summary['merged']} of 2021: compared with "
            "their population-weighted mean rank."
        )
    if summary["complex"] or summary["unmatched"]:
        lines.append(
            f"{summary['complex']} had boundaries redrawn across several LSOAs and {summary['unmatched']} could "
            "not be matched."
        )
    sentence_list(lines)
    changes = cached.boundary_changes(ref)
    st.dataframe(
        changes,
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
            "and the ONS boundaries; wards are May 2025 wards.",
        ],
        data_version=ref.version,
    )
