"""Cached views of who bears the shortfall: the (edition, year) choices, the table by decile and its charts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_support.cached.base import HASH, TABLES, VERSIONS, DataRef
from cwb_metrics.deprivation.distribution import available_years
from cwb_metrics.deprivation.distribution import shortfall_by_decile as library_by_decile
from cwb_metrics.views import who_bears as view
from cwb_metrics.views.common import Choices
from cwb_metrics.views.who_bears import DecileCharts, DecileData


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def decile_choices(ref: DataRef, indicator: str = view.INDICATOR) -> Choices:
    """The (IMD edition, data year) pairs an LSOA indicator can be spread over, newest first."""
    years = [(e, y) for e in (2025, 2019) for y in reversed(available_years(ref.store, indicator, e))]
    return view.decile_choices(years)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def shortfall_by_decile(ref: DataRef, indicator: str, data: DecileData, domain: str = "imd") -> pd.DataFrame:
    """An LSOA indicator spread over the county's deprivation deciles (its ``attrs`` say what it is)."""
    return library_by_decile(ref.store, indicator, data.edition, year=data.year, domain=domain)


@st.cache_resource(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def decile_charts(ref: DataRef, indicator: str, data: DecileData, domain: str = "imd") -> DecileCharts:
    """The two charts of who bears a shortfall (shares by decile, the rate by decile) and their texts."""
    return view.decile_charts(shortfall_by_decile(ref, indicator, data, domain))
