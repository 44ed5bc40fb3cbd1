"""Cached views of the deprivation map and the IMD 2019 -> 2025 page: maps, profiles and their tables."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app_support.cached.base import (
    AREAS,
    CHARTS,
    HASH,
    TABLES,
    VERSIONS,
    DataRef,
    area_config,
    areas,
    imd_table,
    resolve,
)
from cwb_metrics.deprivation.change import AreaChange
from cwb_metrics.deprivation.change import area_change as library_area_change
from cwb_metrics.deprivation.change import lsoa_change as library_lsoa_change
from cwb_metrics.deprivation.change import match_summary as library_match_summary
from cwb_metrics.deprivation.change import most_moved as library_most_moved
from cwb_metrics.deprivation.profile import DeprivationProfile, deprivation_profile
from cwb_metrics.deprivation.profile import profile_sentences as library_profile_sentences
from cwb_metrics.geo.tables import read_topology
from cwb_metrics.views import deprivation_change as change_view
from cwb_metrics.views import deprivation_map as view
from cwb_metrics.views.common import Choices
from cwb_metrics.views.deprivation_change import BoundaryChangeRow, MovedWardRow
from cwb_metrics.views.deprivation_map import ChangeMapRow, ImdMapRow, LsoaRow, MapPlaces, Topology
from cwb_metrics.views.drawing import Chart
from cwb_metrics.views.map_request import MapRequest
from cwb_metrics.views.tables import Table, WideTable


# ----- boundaries, the change table and profiles -------------------------------------------
@st.cache_resource(max_entries=4 * VERSIONS, show_spinner=False, hash_funcs=HASH)
def topology(ref: DataRef, name: str) -> Topology:
    """One TopoJSON file of the version (``lsoa11``, ``lsoa21``, ``wards25``, ``districts``)."""
    return read_topology(ref.store, name, ref.version)


@st.cache_resource(max_entries=16 * VERSIONS, show_spinner=False, hash_funcs=HASH)
def lsoa_change(ref: DataRef, domain: str) -> pd.DataFrame:
    """Every LSOA 2021's decile, rank and percentile in IMD 2019 and 2025 on one measure (shared)."""
    return library_lsoa_change(ref.store, index=domain)


@st.cache_resource(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def profile(ref: DataRef, area: str, edition: int) -> DeprivationProfile:
    """The ``DeprivationProfile`` of an area (county, district, ward, neighbourhood or LSOA)."""
    return deprivation_profile(resolve(ref, area), int(edition), ref.store)


# ----- the map ------------------------------------------------------------------------------
@st.cache_data(max_entries=2 * VERSIONS, show_spinner=False, hash_funcs=HASH)
def map_places(ref: DataRef, edition: int) -> MapPlaces:
    """Drill-down choices: district (or county) code -> its neighbourhoods and wards with LSOAs."""
    return view.map_places(area_config(), areas(ref), int(edition))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def lsoa_choices(ref: DataRef, edition: int, area: str) -> Choices:
    """The LSOAs of an area in an edition: code -> 'Oxford 016A (E01028530)'."""
    return view.lsoa_choices(imd_table(ref, edition), resolve(ref, area), int(edition))


@st.cache_resource(max_entries=CHARTS, show_spinner=False, hash_funcs=HASH)
def lsoa_map(ref: DataRef, request: MapRequest) -> Chart:
    """The LSOA map of a request: IMD deciles or their change, zoomed to a district, a place outlined."""
    layers = view.map_layers(request, lambda name: topology(ref, name))
    table = lsoa_change(ref, request.domain) if request.kind == "change" else imd_table(ref, request.edition)
    values = view.map_values(request, table)
    return view.lsoa_map(request, layers, values, view.highlighted(request, lambda code: resolve(ref, code)))


def _map_lsoas(ref: DataRef, edition: int, district: str | None) -> tuple[str, ...]:
    return resolve(ref, district or area_config().county_code).lsoas(edition)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def imd_map_table(ref: DataRef, edition: int, domain: str, district: str | None) -> Table[ImdMapRow]:
    """The LSOAs an IMD map draws (a district's, or the county's), most deprived first, with decile and rank."""
    return view.imd_map_table(imd_table(ref, edition), _map_lsoas(ref, int(edition), district), domain)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def change_map_table(ref: DataRef, domain: str, district: str | None) -> Table[ChangeMapRow]:
    """The LSOAs (2021) a change map draws, most moved towards more deprived first."""
    return view.change_map_table(lsoa_change(ref, domain), _map_lsoas(ref, 2025, district))


def map_area_name(ref: DataRef, district: str | None) -> str:
    """The county, or the district a map is zoomed to."""
    return view.map_area_name(area_config(), district, lambda code: resolve(ref, code))


def map_text(ref: DataRef, request: MapRequest) -> str:
    """The map's text alternative, from the LSOAs it draws (keyed without the place and LSOA: they do not change it)."""
    return _map_text(ref, replace(request, place=None, lsoa=None))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def _map_text(ref: DataRef, request: MapRequest) -> str:
    name = map_area_name(ref, request.district)
    if request.kind == "change":
        return view.change_map_text(change_map_table(ref, request.domain, request.district), request, name)
    return view.imd_map_text(imd_map_table(ref, request.edition, request.domain, request.district), request, name)


# ----- profiles and their tables ---------------------------------------------------------------
@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def profile_sentences(ref: DataRef, area: str, edition: int) -> list[str]:
    """Plain-English sentences about an area's deprivation profile."""
    return list(library_profile_sentences(profile(ref, area, int(edition))))


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def domain_table(ref: DataRef, area: str, edition: int) -> WideTable:
    """Per measure: the area's LSOAs in England's most deprived 10% and 20%, against the county's."""
    return view.domain_table(profile(ref, area, int(edition)), profile(ref, area_config().county_code, int(edition)))


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def lsoa_table(ref: DataRef, lsoa: str, edition: int) -> Table[LsoaRow]:
    """One LSOA's decile and rank on the IMD and each domain, with the county's median decile."""
    return view.lsoa_table(imd_table(ref, edition), lsoa)


# ----- IMD 2019 -> 2025 -------------------------------------------------------------------------
@st.cache_resource(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def area_change(ref: DataRef, area: str, domain: str) -> AreaChange:
    """How an area's deprivation changed from IMD 2019 to IMD 2025."""
    return library_area_change(ref.store, resolve(ref, area), index=domain)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def lsoa_change_table(ref: DataRef, lsoa: str, domain: str) -> WideTable:
    """One LSOA (2021): decile, rank and percentile in IMD 2019 and 2025, and the change."""
    return change_view.lsoa_change_table(lsoa_change(ref, domain), lsoa)


@st.cache_data(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def lsoa_change_note(ref: DataRef, lsoa: str, domain: str) -> str:
    """How an LSOA 2021 was matched to 2011 (unchanged, split, merged ...), in words."""
    return change_view.lsoa_change_note(lsoa_change(ref, domain), lsoa)


@st.cache_data(max_entries=8 * VERSIONS * 4, show_spinner=False, hash_funcs=HASH)
def most_moved(ref: DataRef, domain: str, min_lsoas: int = 1) -> pd.DataFrame:
    """Every May 2025 ward, those whose LSOAs moved most between IMD 2019 and 2025 first."""
    return library_most_moved(ref.store, n=0, index=domain, config=area_config(), min_lsoas=int(min_lsoas))


@st.cache_data(max_entries=8 * VERSIONS * 4, show_spinner=False, hash_funcs=HASH)
def moved_wards(ref: DataRef, domain: str, min_lsoas: int = 1) -> Table[MovedWardRow]:
    """The wards that moved most, each linked to the change map."""
    return change_view.moved_wards(most_moved(ref, domain, min_lsoas), domain)


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def match_summary(ref: DataRef) -> dict[str, int]:
    """How many of the county's LSOAs were unchanged, split, merged ... between 2011 and 2021."""
    return library_match_summary(ref.store)


@st.cache_data(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def boundary_changes(ref: DataRef) -> Table[BoundaryChangeRow]:
    """The county's LSOAs 2021 that are not the same as an LSOA 2011 (split, merged, complex), with how."""
    return change_view.boundary_changes(lsoa_change(ref, "imd"))
