"""Cached views of the Data page: the status tables and the history of versions."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_support.cached.base import HASH, VERSIONS, DataRef, version_catalogue
from cwb_metrics.views import data_page as view
from cwb_metrics.views.data_page import History, StatusTables

#: A day: "release due" is judged as of today.
DAY = 24 * 3600


@st.cache_data(max_entries=VERSIONS, ttl=DAY, show_spinner=False, hash_funcs=HASH)
def _status_tables(ref: DataRef, today: dt.date) -> StatusTables:
    return view.status_tables(ref.store, ref.version, version_catalogue(ref), today)


def data_status(ref: DataRef) -> StatusTables:
    """The status tables of the data version (sources, indicators), judged "due" as of today."""
    return _status_tables(ref, dt.date.today())


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def version_history(ref: DataRef) -> History:
    """Every data version and import, newest first; keyed on the current version (every write makes one)."""
    return view.history(ref.store)
