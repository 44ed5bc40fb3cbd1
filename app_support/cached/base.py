"""The cache's foundation: which data a page draws, and what every page reads from it.

Every wrapper is keyed on the data folder and the data **version id** (a :class:`DataRef`,
hashed by ``HASH``), plus plain strings and numbers, never on DataFrames. A refresh writes a
new version, so a new version id is a new key and nothing stale is shown. Every cache is
bounded: ``max_entries`` as below, and a ``ttl`` where what it holds can change under the
same key (the committed metadata files; "due" judged as of today).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.known import known_area_codes
from cwb_metrics.areas.resolve import ResolvedArea, list_areas, resolve_area
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.settings import area_config_id, data_dir
from cwb_metrics.store import DataStore

#: Versions kept per cache (the current one, and a few before a refresh, import or rollback).
VERSIONS = 4
#: Portraits, profiles and other per-area results (areas x periods in use).
AREAS = 128
#: Drawn charts (each holds its data; maps about 200 kB).
CHARTS = 48
#: Small tables and texts.
TABLES = 256
#: Seconds the committed metadata (catalogue, area configuration) is kept: a deploy can change it.
METADATA_TTL = 600


@dataclass(frozen=True)
class DataRef:
    """Which data the page is drawing: the data folder and its current version id."""

    root: str
    version: str

    @property
    def store(self) -> DataStore:
        """The data store (cheap to build; holds no data)."""
        return DataStore(Path(self.root))


def _ref_key(ref: DataRef) -> tuple[str, str]:
    return (ref.root, ref.version)


#: ``hash_funcs`` of every wrapper: a DataRef is keyed on its folder and version only.
HASH: dict[type | str, Callable[[DataRef], tuple[str, str]]] = {DataRef: _ref_key}


def data_ref() -> DataRef:
    """Return the current data version (reads the tiny ``CURRENT`` file on every run).

    The store checks each version once per process against its manifest's checksums.

    Raises
    ------
    NoDataError
        When nothing has been built yet, with the command that builds it.
    DamagedVersionError
        When ``CURRENT`` or a file of the current version is damaged (named in the message).
    """
    store = DataStore(data_dir())
    return DataRef(str(store.root), store.version_dir().name)


# ----- metadata ------------------------------------------------------------------------
@st.cache_resource(max_entries=1, ttl=METADATA_TTL, show_spinner=False)
def catalogue() -> dict[str, IndicatorMeta]:
    """The committed indicator catalogue (``IndicatorMeta`` by id, in drawing order)."""
    return load_catalogue()


@st.cache_resource(max_entries=4, ttl=METADATA_TTL, show_spinner=False)
def _area_config(config_id: str) -> AreaConfig:
    return load_area_config(config_id)


def area_config() -> AreaConfig:
    """The configured areas (``$CWB_AREAS``): county, districts, named neighbourhoods."""
    return _area_config(area_config_id())


@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def version_catalogue(ref: DataRef) -> dict[str, IndicatorMeta]:
    """The committed catalogue with the data version's own records (local indicators, saved thresholds)."""
    return catalogue_for(ref.store, ref.version)


@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def known_areas(ref: DataRef) -> frozenset[str]:
    """Every area code the data version knows (to check an imported file's area codes)."""
    return frozenset(known_area_codes(ref.store))


# ----- indicators and portraits --------------------------------------------------------
@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def all_indicator_rows(ref: DataRef) -> pd.DataFrame:
    """Every canonical indicator row of the version (shared; do not modify)."""
    return ref.store.read_all_indicators(ref.version)


@st.cache_resource(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def indicator_rows(ref: DataRef, indicator_id: str) -> pd.DataFrame:
    """The canonical rows of one indicator (shared; do not modify)."""
    rows = all_indicator_rows(ref)
    return rows[rows["indicator"] == indicator_id].reset_index(drop=True)


@st.cache_resource(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def portrait(ref: DataRef, area: str, period: str = "latest") -> Portrait:
    """The Doughnut portrait of ``area`` (a code or neighbourhood id) for ``period``.

    Scored with the version's catalogue: a council threshold saved into the data is used from then on.
    """
    return portrait_for(ref.store, area, period=period, catalogue=version_catalogue(ref), data=all_indicator_rows(ref))


# ----- areas --------------------------------------------------------------------------
@st.cache_resource(max_entries=VERSIONS, show_spinner=False, hash_funcs=HASH)
def areas(ref: DataRef) -> list[ResolvedArea]:
    """Every area the data knows (county, districts, wards, named neighbourhoods)."""
    return list(list_areas(ref.store, area_config()))


@st.cache_resource(max_entries=TABLES, show_spinner=False, hash_funcs=HASH)
def resolve(ref: DataRef, name_or_code: str) -> ResolvedArea:
    """Resolve a name, code or neighbourhood id to a ``ResolvedArea``."""
    return resolve_area(name_or_code, ref.store, area_config())


@st.cache_data(max_entries=AREAS, show_spinner=False, hash_funcs=HASH)
def area_key(ref: DataRef, name_or_code: str) -> str | None:
    """The pickers' key (GSS code or neighbourhood id) of an area named in a link; ``None`` if unknown."""
    try:
        return resolve(ref, name_or_code).code
    except CwbError:
        return None


# ----- deprivation tables ---------------------------------------------------------------
@st.cache_resource(max_entries=2 * VERSIONS, show_spinner=False, hash_funcs=HASH)
def imd_table(ref: DataRef, edition: int) -> pd.DataFrame:
    """The LSOA table of an IMD edition (shared; do not modify)."""
    return ref.store.read_table(f"lsoa/imd{int(edition)}.parquet", ref.version)
