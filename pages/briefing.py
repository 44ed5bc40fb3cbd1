"""Councillor briefing: one A4 page about an area, to preview and download for papers."""

import sys
from functools import partial
from pathlib import Path

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # the page also runs on its own
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from app_support import cached
from app_support.layout import footer, guarded, header, page_setup
from app_support.state import set_url_value, url_value
from cwb_metrics.briefing import MIME_TYPES, build_briefing, render, render_html

page_setup("Councillor briefing")
header(
    "Councillor briefing",
    "One A4 page about an area for committee papers: the Doughnut, the largest shortfalls and overshoots, "
    "deprivation in IMD 2019 and 2025, and plain-English sentences. Download it as PDF, PNG, SVG or HTML.",
)

DOWNLOADS = {
    "pdf": ("PDF (A4, selectable text)", ":material/picture_as_pdf:"),
    "png": ("PNG image (A4, 150 dpi)", ":material/image:"),
    "svg": ("SVG (A4, vector)", ":material/draw:"),
    "html": ("HTML (accessible web page)", ":material/html:"),
}

with guarded():
    ref = cached.data_ref()
    choices = cached.portrait_area_choices(ref)
    periods = ["latest", *cached.period_years(ref)]
    county = cached.area_config().county_code

    pick_area, pick_period = st.columns([2.2, 1], vertical_alignment="bottom")
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
    for param, value in (("area", area), ("period", period)):
        set_url_value(param, value)

    with st.spinner("Preparing the briefing ..."):
        briefing = build_briefing(
            ref.store, area, period=period, catalogue=cached.version_catalogue(ref), data=cached.all_indicator_rows(ref)
        )

    st.caption("Download (each file is drawn when you click; the same data version always gives the same file):")
    buttons = st.columns(len(DOWNLOADS))
    for column, (fmt, (label, icon)) in zip(buttons, DOWNLOADS.items(), strict=True):
        column.download_button(
            label,
            data=partial(render, briefing, fmt),
            file_name=f"{briefing.file_stem}.{fmt}",
            mime=MIME_TYPES[fmt],
            icon=icon,
            key=f"download_{fmt}",
            on_click="ignore",
            width="stretch",
        )

    with st.container(border=True, key="briefing_preview"):
        st.html(render_html(briefing, fragment=True))

    footer(
        [
            "Each figure's producer, licence and release are listed in the briefing's footer and in the "
            "indicator explorer.",
        ],
        data_version=ref.version,
    )
