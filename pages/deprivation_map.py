"""Deprivation map: every LSOA of the county by IMD decile, with a drill-down profile."""

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
from app_support.state import ignore, set_url_value, url_update, url_value
from cwb_metrics.charts.theme import OS_ONS_CREDIT, imd_credit
from cwb_metrics.deprivation.change import CHANGE_CAVEAT
from cwb_metrics.errors import CwbError
from cwb_metrics.sources.imd import INDICES
from cwb_metrics.views import deprivation_map as view
from cwb_metrics.views.common import measure_label, wards_note
from cwb_metrics.views.export import MapChart
from cwb_metrics.views.map_request import ALL, EDITIONS, NONE, MapRequest
from cwb_metrics.views.query import Ignored

page_setup("Deprivation map")
header(
    "Deprivation map",
    "The English Indices of Deprivation for each small neighbourhood (LSOA, about 1,500 residents). "
    "Decile 1 is England's most deprived 10%. Pick an area or click the map to see its profile.",
)

with guarded():
    ref = cached.data_ref()
    config = cached.area_config()
    county = config.county_code
    districts = view.district_choices(config)

    top = st.columns([2.2, 2, 1.8], vertical_alignment="bottom")
    url_value("edition", list(EDITIONS), "2025", what="editions")
    mode = (
        top[0].segmented_control("IMD edition", list(EDITIONS), key="edition", required=True, format_func=EDITIONS.get)
        or "2025"
    )
    change = mode == "change"  # IMD 2019 to 2025, drawn on the 2021 LSOAs
    edition = 2025 if change else int(mode)
    url_value("domain", list(INDICES), "imd", what="measures")
    domain = top[1].selectbox("Measure", list(INDICES), key="domain", format_func=measure_label)
    places = cached.map_places(ref, edition)

    # A link (?area=...) sets both the district and the place pickers.
    if (wanted := url_update("area", "district")) is not None:
        try:
            target = cached.resolve(ref, wanted)
        except CwbError:
            target = None
        pick = view.pick_for_link(target, districts)
        if pick is None:
            ignore(Ignored("area", wanted, "it is not a district, ward, neighbourhood or LSOA of the map"))
        else:
            st.session_state["district"], st.session_state["place"] = pick.district, pick.place
            if pick.lsoa:
                st.session_state["lsoa"] = pick.lsoa
    if st.session_state.get("district") not in districts:
        st.session_state["district"] = county

    # A click on the map picks that LSOA (and its ward when it lies outside the current place).
    click = view.clicked_lsoa(st.session_state.get("imd_map"))
    if click and click != st.session_state.get("_map_click"):
        district_now, place_now = st.session_state["district"], st.session_state.get("place", ALL)
        area_now = district_now if place_now in (ALL, None) else place_now
        pick = view.pick_for_click(
            click,
            district_now,
            place_now or ALL,
            county,
            cached.lsoa_choices(ref, edition, area_now),
            lambda code: cached.resolve(ref, code),
        )
        st.session_state["district"], st.session_state["place"], st.session_state["lsoa"] = (
            pick.district,
            pick.place,
            pick.lsoa,
        )
    st.session_state["_map_click"] = click

    picks = st.columns(3, vertical_alignment="bottom")
    district = picks[0].selectbox("District", districts.keys, format_func=districts.label, key="district")
    in_district = places.of(district)
    place_options = [ALL, *in_district]
    if st.session_state.get("place") not in place_options:
        st.session_state["place"] = ALL
    whole = f"All of {config.county_name}" if district == county else f"All of {districts.label(district)}"
    place = picks[1].selectbox(
        "Ward or neighbourhood",
        place_options,
        key="place",
        format_func=lambda p: whole if p == ALL else in_district.label(p),
    )
    area = district if place == ALL else place
    lsoas = cached.lsoa_choices(ref, edition, area)
    url_value("lsoa", [NONE, *lsoas], NONE, what="LSOAs of the chosen area")
    lsoa = picks[2].selectbox(
        "Neighbourhood (LSOA)",
        [NONE, *lsoas],
        key="lsoa",
        format_func=lambda c: "None selected: click the map or pick one" if c == NONE else lsoas.label(c),
    )
    for param, value in (("edition", mode), ("domain", domain), ("area", area), ("lsoa", lsoa or None)):
        set_url_value(param, value)

    profile = cached.profile(ref, area, edition)
    name = profile.area.name
    request = MapRequest.of(
        mode, domain, None if district == county else district, None if place == ALL else place, lsoa or None
    )
    map_col, panel = st.columns([1.45, 1], gap="large")
    with map_col:
        shown = MapChart(request)
        description = cached.chart_description(ref, shown)
        st.altair_chart(
            cached.lsoa_map(ref, request),
            on_select="rerun",
            selection_mode="lsoa",
            key="imd_map",
            width="content",
            alt=description,
        )
        chart_description(description)
        chart_downloads(
            "map",
            *cached.chart_files(ref, shown),
            file_stem("imd-change-2019-2025" if change else f"imd-{edition}", domain, districts.label(district)),
            what="the map",
        )
        if st.toggle("Show the data as a table", key="map_table", help="Every LSOA on the map, most deprived first."):
            drawn = (
                cached.change_map_table(ref, domain, request.district)
                if change
                else cached.imd_map_table(ref, edition, domain, request.district)
            )
            st.dataframe(drawn.frame(), hide_index=True, width="stretch")
        against = "" if area == county else f", against {config.county_name}"
        st.markdown(f"**By domain, IMD {edition}**: LSOAs of {name} in England's most deprived 10% and 20%{against}")
        st.dataframe(
            cached.domain_table(ref, area, edition).frame(),
            hide_index=True,
            width="stretch",
            column_config={"Measure": st.column_config.TextColumn(width="medium")},
        )

    with panel:
        if change:
            moved = cached.area_change(ref, area, domain)
            st.header(f"{name}: IMD 2019 to IMD 2025", anchor=False)
            tiles = st.columns(3)
            tiles[0].metric("LSOAs", moved.lsoas_2025, delta=moved.lsoas_2025 - moved.lsoas_2019, delta_color="off")
            tiles[1].metric(
                "Most deprived 10%",
                moved.most_deprived_10pct_2025,
                delta_color="inverse",
                delta=moved.most_deprived_10pct_2025 - moved.most_deprived_10pct_2019,
            )
            tiles[2].metric(
                "Most deprived 20%",
                moved.most_deprived_20pct_2025,
                delta_color="inverse",
                delta=moved.most_deprived_20pct_2025 - moved.most_deprived_20pct_2019,
            )
            st.caption("IMD 2025, and the change since IMD 2019 (2011 LSOAs then, 2021 LSOAs now).")
            sentence_list(moved.sentences())
            with st.expander("Reading a change in rank"):
                st.write(CHANGE_CAVEAT)
        else:
            st.header(f"{name}, IMD {edition}", anchor=False)
            summary = profile.summary
            tiles = st.columns(3)
            tiles[0].metric("LSOAs", summary.lsoa_count)
            tiles[1].metric("Most deprived 10%", summary.most_deprived_10pct)
            tiles[2].metric("Most deprived 20%", summary.most_deprived_20pct)
            st.caption("LSOAs (small neighbourhoods of about 1,500 residents) in England's most deprived 10% and 20%.")
            sentence_list(cached.profile_sentences(ref, area, edition))
        if lsoa:
            with st.container(border=True, key="lsoa_panel"):
                st.markdown(f"**{lsoas.label(lsoa)}**")
                if change:
                    st.dataframe(cached.lsoa_change_table(ref, lsoa, domain).frame(), hide_index=True, width="stretch")
                    st.caption(cached.lsoa_change_note(ref, lsoa, domain))
                else:
                    st.dataframe(
                        cached.lsoa_table(ref, lsoa, edition).frame(),
                        hide_index=True,
                        width="stretch",
                        column_config={
                            "Measure": st.column_config.TextColumn(width="medium"),
                            "Decile": st.column_config.NumberColumn(
                                help="1 = England's most deprived 10%", width="small"
                            ),
                            "Rank": st.column_config.TextColumn(help="Rank in England; 1 = most deprived"),
                            "County median": st.column_config.NumberColumn(
                                format="%.1f", help="The median decile of the county's LSOAs", width="small"
                            ),
                        },
                    )

    footer(
        [
            OS_ONS_CREDIT,
            f"{imd_credit(None if change else edition)}: Ministry of Housing, Communities and Local Government, "
            f"English Indices of Deprivation. {wards_note(config)}",
        ],
        data_version=ref.version,
    )
