"""Cached views of "How councils compare": the league, the district map, similar areas, rankings and tables.

The league is computed once per data version by the library and kept on disk
(``DATA/cache/league/<version>/``); these caches keep it, the map and the views in memory
between reruns, keyed on the data version (:class:`DataRef`) and plain strings.
"""

from __future__ import annotations

import streamlit as st

from app_support.cached.base import AREAS, CHARTS, HASH, TABLES, VERSIONS, DataRef, area_config, version_catalogue
from cwb_metrics.compare.lad_map import load_lad_topology
from cwb_metrics.compare.league import League, load_league, version_source_paths
from cwb_metrics.compare.neighbours import SimilarAreas, load_similar_areas
from cwb_metrics.errors import CwbError
from cwb_metrics.views import councils as view
from cwb_metrics.views.common import Choices
from cwb_metrics.views.councils import CouncilsView, Measure, RankRow, Tile, Topology
from cwb_metrics.views.drawing import Chart
from cwb_metrics.views.tables import Table


@st.cache_resource(
    max_entries=2, show_spinner="Ranking every English council (once per data version) ...", hash_funcs=HASH
)
def league(ref: DataRef) -> League:
    """The league of councils of the data version (built and kept on disk the first time).

    Raises
    ------
    LeagueUnavailableError
        When the version lacks England's national files (the page explains).
    """
    built = load_league(ref.store, ref.version)
    assert built is not None  # load_league builds when nothing is cached
    return built


@st.cache_resource(
    max_entries=2, show_spinner="Drawing England's districts (once per data version) ...", hash_funcs=HASH
)
def lad_topology(ref: DataRef) -> Topology:
    """England's current districts as a small TopoJSON (built and kept on disk the first time)."""
    return load_lad_topology(ref.store, ref.version)


@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def similar_areas(ref: DataRef) -> SimilarAreas | None:
    """The ONS similar areas ("All indicators") the data version was built with; ``None`` when it has none."""
    try:
        return load_similar_areas(version_source_paths(ref.store, ref.version, check=False))
    except CwbError:
        return None


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def _measures(ref: DataRef) -> dict[str, Measure]:
    return {m.key: m for m in view.measures(league(ref), version_catalogue(ref))}


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def measure_choices(ref: DataRef) -> Choices:
    """The "Rank on" picker: every dimension of the league, then every indicator with data."""
    return view.measure_choices(list(_measures(ref).values()))


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def council_choices(ref: DataRef) -> Choices:
    """The "Council" picker: every council of the league, by name."""
    return view.council_choices(league(ref))


def default_council(ref: DataRef) -> str:
    """The configured council, when the league has it."""
    return view.default_council(area_config(), council_choices(ref))


@st.cache_resource(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def councils_view(ref: DataRef, measure_key: str, council: str) -> CouncilsView:
    """Every council ranked on one measure, the chosen council and its similar areas marked."""
    neighbours = view.neighbour_codes(similar_areas(ref), council)
    return view.councils_view(league(ref), _measures(ref)[measure_key], council, neighbours)


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def council_tiles(ref: DataRef, council: str) -> tuple[Tile, ...]:
    """The council's counts of indicators by status, and its share with data."""
    return view.tiles(league(ref).area(council))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def ranking_table(ref: DataRef, measure_key: str, council: str) -> Table[RankRow]:
    """Every council of the tier, ranked."""
    return view.ranking_table(councils_view(ref, measure_key, council))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def similar_table(ref: DataRef, measure_key: str, council: str) -> Table[RankRow]:
    """The chosen council and its similar areas, in rank order."""
    return view.similar_table(councils_view(ref, measure_key, council))


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def councils_map(ref: DataRef, measure_key: str, council: str) -> Chart:
    """The district map of one measure, with the council and its similar areas outlined."""
    return view.map_chart(lad_topology(ref), councils_view(ref, measure_key, council))
