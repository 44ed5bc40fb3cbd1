"""A map of England's 296 current districts, for the league of councils.

The mirror has no current district boundary file (only a 2013 TopoJSON with old codes), so
the districts are the England-wide LSOA 2021 boundaries (``boundaries/lsoa21``) dissolved
by current district (LSOAs nest exactly in districts; the district of each LSOA comes from
:mod:`cwb_metrics.areas.national`). In production the ONS *Local Authority Districts (May
2025) Boundaries UK BUC* file would do the same job. For an England-wide overview the
districts are simplified to 500 m and quantised to 100 m, and islands under 2 km² are left
out: about 120 KB of TopoJSON, cached per data version beside the league
(``DATA/cache/league/<version>/lad.topo.json``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cwb_metrics.store import DataStore, write_text_atomic

LAD_MAP_FILE = "lad.topo.json"
OBJECT_NAME = "lad"
#: Simplification and quantisation of the England overview (metres).
TOLERANCE_M, QUANTUM_M = 500.0, 100.0
#: Polygon parts smaller than this (m²) are left out of the overview (small islands).
MIN_PART_M2 = 2_000_000.0


def _drop_small_parts(geometry: Any, min_area: float) -> Any:
    import shapely

    parts = list(getattr(geometry, "geoms", [geometry]))
    kept = [p for p in parts if p.area >= min_area] or [max(parts, key=lambda p: p.area)]
    return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]


def build_lad_topology(paths: Mapping[str, Path], geo: Any = None) -> dict[str, Any]:
    """Dissolve England's LSOAs 2021 into current districts and return a small TopoJSON.

    Parameters
    ----------
    paths : mapping of source id to pathlib.Path
        The national files (:data:`~cwb_metrics.areas.national.NATIONAL_SOURCES`),
        including ``boundaries/lsoa21``.
    geo : NationalGeography, optional
        Already read from ``paths`` (read here when not given).

    Returns
    -------
    dict
        A TopoJSON topology with one object ``lad`` (properties ``code``, ``name``).
    """
    import geopandas as gpd

    from cwb_metrics.areas.national import LSOA21_BOUNDARIES, national_geography
    from cwb_metrics.geo.simplify import build_topology
    from cwb_metrics.geo.union import coverage_union
    from cwb_metrics.sources.boundaries import read_boundary_properties

    geo = geo if geo is not None else national_geography(paths)
    path = Path(paths[LSOA21_BOUNDARIES])
    code_property = read_boundary_properties(path).attrs["code_property"]
    frame = gpd.read_file(f"/vsigzip/{path}" if path.suffix == ".gz" else path, columns=[code_property])
    frame = frame.rename(columns={code_property: "code"})
    frame["lad_code"] = frame["code"].map(geo.lsoa21.set_index("lsoa_code")["lad_code"])
    frame = frame.dropna(subset=["lad_code"])
    rows = []
    for lad, group in frame.groupby("lad_code", sort=True):
        union = coverage_union(group.geometry.to_numpy())
        rows.append({"code": str(lad), "name": geo.name(str(lad)), "geometry": union})
    lads = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs or "EPSG:4326").to_crs("EPSG:27700")
    lads["geometry"] = [_drop_small_parts(g, MIN_PART_M2) for g in lads.geometry]
    topology = build_topology(
        lads.to_crs("EPSG:4326"), OBJECT_NAME, properties=("code", "name"), tolerance_m=TOLERANCE_M, quantum_m=QUANTUM_M
    )
    topology["derived"] = (
        "ONS LSOA (Dec 2021) BGC boundaries dissolved by current district; islands under 2 km² omitted"
    )
    return topology


def load_lad_topology(store: DataStore, version: str | None = None) -> dict[str, Any]:
    """Return the district map of a data version, building and caching it the first time.

    Raises
    ------
    LeagueUnavailableError
        When the version lacks the LSOA 2021 boundaries or the national lookups, or they changed.
    """
    from cwb_metrics.areas.national import LSOA21_BOUNDARIES
    from cwb_metrics.compare.league import LeagueUnavailableError, cache_dir, league_geography, version_source_paths

    version = version or store.current_version()
    if version is None:
        store.version_dir()  # raises NoDataError naming the refresh command
    assert version is not None
    target = cache_dir(store, version) / LAD_MAP_FILE
    if target.is_file():
        return json.loads(target.read_text(encoding="utf-8"))
    paths = version_source_paths(store, version)
    if LSOA21_BOUNDARIES not in paths:
        reason = f"it holds no copy of {LSOA21_BOUNDARIES} (England's LSOA 2021 boundaries), so no district map."
        raise LeagueUnavailableError(version, reason, (LSOA21_BOUNDARIES,))
    topology = build_lad_topology(paths, league_geography(paths, version))
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, json.dumps(topology, separators=(",", ":")))
    return topology
