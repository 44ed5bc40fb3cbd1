"""Cached views of the councillor briefing: built and previewed once per data version, area and period.

Under 20 concurrent viewers the briefing page was the slowest (12.8 s median): each run
built the briefing and drew its preview again. Now the first viewer of an area and period
builds it, and every other viewer (and every rerun) gets the kept copy; each file (PDF,
PNG, SVG, HTML) is drawn once, on the first click.
"""

from __future__ import annotations

import streamlit as st

from app_support.cached.base import AREAS, HASH, DataRef, all_indicator_rows, area_config, version_catalogue
from cwb_metrics.views import briefing as view
from cwb_metrics.views.briefing import BriefingFormat, BriefingView

#: Briefings kept (areas x periods); each is about 100 kB with its preview.
BRIEFINGS = 32


@st.cache_resource(max_entries=BRIEFINGS, show_spinner="Preparing the briefing ...", hash_funcs=HASH)
def briefing(ref: DataRef, area: str, period: str) -> BriefingView:
    """The briefing of ``area`` for ``period`` and its HTML preview (shared by every viewer)."""
    return view.briefing_view(ref.store, area, period, version_catalogue(ref), all_indicator_rows(ref), area_config())


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def briefing_file(ref: DataRef, area: str, period: str, fmt: BriefingFormat) -> bytes:
    """One of the briefing's files, drawn once."""
    return view.briefing_file(briefing(ref, area, period), fmt)
