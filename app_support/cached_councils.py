"""Cached data of the "How councils compare" page: the league, the district map, similar areas, views, charts.

Every wrapper is keyed on the data folder and the data version id (plain strings) and
bounded with ``max_entries``; a refresh writes a new version, so a new key. The league is
computed once per data version by the library and kept on disk
(``DATA/cache/league/<version>/``); these caches only keep it in memory between reruns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from cwb_metrics.store import DataStore

#: Seconds a cached object may live (a data version never changes, but memory is reclaimed).
TTL = 6 * 3600


@st.cache_resource(max_entries=2, ttl=TTL, show_spinner="Ranking every English council (once per data version) ...")
def league(root: str, version: str) -> Any:
    """The league of councils of a data version (built and cached on disk the first time)."""
    from cwb_metrics.compare.league import load_league

    return load_league(DataStore(Path(root)), version)


@st.cache_resource(max_entries=2, ttl=TTL, show_spinner="Drawing England's districts (once per data version) ...")
def lad_topology(root: str, version: str) -> dict[str, Any]:
    """England's 296 current districts as a small TopoJSON."""
    from cwb_metrics.compare.lad_map import load_lad_topology

    return load_lad_topology(DataStore(Path(root)), version)


@st.cache_resource(max_entries=6, ttl=TTL, show_spinner=False)
def similar_areas(root: str, version: str, kind: str = "global") -> Any:
    """The ONS similar-area lists the data version was built with."""
    from cwb_metrics.compare.league import version_source_paths
    from cwb_metrics.compare.neighbours import load_similar_areas

    return load_similar_areas(version_source_paths(DataStore(Path(root)), version, check=False), kind)


@st.cache_resource(max_entries=2, ttl=TTL, show_spinner=False)
def catalogue(root: str, version: str) -> Any:
    """The data version's indicator catalogue."""
    from cwb_metrics.build.local_meta import catalogue_for

    return catalogue_for(DataStore(Path(root)), version)


@st.cache_resource(max_entries=4, ttl=TTL, show_spinner=False)
def measures(root: str, version: str) -> Any:
    """Dimensions and indicators the councils can be ranked on, by key."""
    from cwb_metrics.views.councils import measures as all_measures

    return {m.key: m for m in all_measures(league(root, version), catalogue(root, version))}


@st.cache_resource(max_entries=64, ttl=TTL, show_spinner=False)
def view(root: str, version: str, measure_key: str, selected: str, kind: str = "global") -> Any:
    """The ranked councils, map values and sentences for one measure and council."""
    from cwb_metrics.views.councils import councils_view

    similar = similar_areas(root, version, kind)
    neighbours = [n.code for n in similar.neighbours(selected)]
    return councils_view(league(root, version), measures(root, version)[measure_key], selected, neighbours)


@st.cache_resource(max_entries=32, ttl=TTL, show_spinner=False)
def map_chart(root: str, version: str, measure_key: str, selected: str, kind: str = "global") -> Any:
    """The district map of one measure, with the council and its similar areas outlined."""
    from cwb_metrics.charts.councils_map import councils_map

    shown = view(root, version, measure_key, selected, kind)
    measure = shown.measure
    is_dimension = measure.kind == "dimension"
    return councils_map(
        lad_topology(root, version),
        shown.map_values,
        title=f"{measure.label}, by district",
        legend_title="Mean score (0 = within)" if is_dimension else (measure.unit or "value"),
        highlight=shown.highlight,
        dark_is_high=is_dimension or not measure.higher_is_better,
        value_format=".3f" if is_dimension else None,
        width=420,
    )
