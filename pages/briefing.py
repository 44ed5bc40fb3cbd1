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
from cwb_metrics.views.briefing import DOWNLOADS
from cwb_metrics.views.common import period_choice

page_setup("Councillor briefing")
header(
    "Councillor briefing",
    "One A4 page about an area for committee papers: the Doughnut, the largest shortfalls and overshoots, "
    "deprivation in IMD 2019 and 2025, and plain-English sentences. Download it as PDF, PNG, SVG or HTML.",
)

with guarded():
    ref = cached.data_ref()
    choices = cached.portrait_area_choices(ref)
    periods = ["latest", *cached.period_years(ref)]
    county = cached.area_config().county_code

    pick_area, pick_period = st.columns([2.2, 1], vertical_alignment="bottom")
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
    for param, value in (("area", area), ("period", period)):
        set_url_value(param, value)

    shown = cached.briefing(ref, area, period)

    st.caption("Download (each file is drawn when you click; the same data version always gives the same file):")
    buttons = st.columns(len(DOWNLOADS))
    for column, download in zip(buttons, DOWNLOADS, strict=True):
        column.download_button(
            download.label,
            data=partial(cached.briefing_file, ref, area, period, download.fmt),
            file_name=f"{shown.file_stem}.{download.fmt}",
            mime=download.mime,
            icon=download.icon,
            key=f"download_{download.fmt}",
            on_click="ignore",
            width="stretch",
        )

    with st.container(border=True, key="briefing_preview"):
        st.html(shown.preview)

    footer(
        [
            "Each figure's producer, licence and release are listed in the briefing's footer and in the "
            "indicator explorer.",
        ],
        data_version=ref.version,
    )
