"""Table producer: the county's boundaries as simplified, quantised TopoJSON.

At refresh, :func:`build_geometry` writes into the new data version:

==========================  ===============================  ==========================
file                        objects                          properties
==========================  ===============================  ==========================
``geo/lsoa11.topo.json``    ``lsoa11``, ``district_lines``   ``code, name, lad_code``
``geo/lsoa21.topo.json``    ``lsoa21``, ``district_lines``   ``code, name, lad_code``
``geo/wards25.topo.json``   ``wards25``, ``district_lines``  ``code, name, lad_code``
``geo/districts.topo.json`` ``districts``                    ``code, name``
==========================  ===============================  ==========================

``district_lines`` is one ``MultiLineString`` of the district boundaries and the
county edge, built from the same arcs as the areas (so it adds almost nothing to the
payload and lies exactly on the areas' edges). LSOAs are cut out of the England-wide
boundary files by the area's LSOA codes; districts are its LSOAs 2021 dissolved by
district; wards are the ward boundaries where they cover every district (the mirror has
Oxfordshire's only), else the LSOAs 2021 dissolved into the wards of the area
configuration (the topology then says ``"derived"``). When the wards are derived, each
LSOA topology also gets ``ward_lines``: the edges between LSOAs of different wards (the
wards of that LSOA vintage, as its IMD tables use them), drawn from its own arcs, so the
map sends no second copy of the geometry for its ward outlines.

How much the boundaries are simplified follows the scale the app draws them at
(:func:`map_scale`): a map :data:`MAP_PIXELS` wide of the area's largest zoom (its largest
district; a single-tier council's whole area). Oxfordshire's districts and Leeds keep the
default 40 m tolerance and 3 m grid; Cornwall's 110 km are drawn at about 250 m a pixel,
so its arcs are simplified to half a pixel and snapped to a fortieth of one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from cwb_metrics.errors import DataValidationError, problem
from cwb_metrics.geo.simplify import (
    DEFAULT_MAX_AREA_CHANGE,
    DEFAULT_QUANTUM_M,
    DEFAULT_TOLERANCE_M,
    add_boundary_lines,
    build_topology,
)
from cwb_metrics.geo.union import coverage_union
from cwb_metrics.sources.boundaries import read_boundaries
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.store import DataStore

#: Object of district boundary lines added to the LSOA and ward topologies.
DISTRICT_LINES = "district_lines"
#: Object of ward boundary lines added to the LSOA topologies when the wards are derived from them.
WARD_LINES = "ward_lines"
#: Width in pixels the app draws a map of the whole area or one district at (``views.drawing.MAP_WIDTH``).
MAP_PIXELS = 450
#: Simplification tolerance and quantisation step on a coarse map (one whose half pixel is more than
#: the default 40 m tolerance), in pixels of that map. A coarser grid sends fewer digits but folds more
#: of the narrow inlets of a coastline onto themselves: a fortieth of a pixel (Cornwall: 6 m) keeps
#: that to a few areas, as at the default 3 m.
TOLERANCE_PX, QUANTUM_PX = 0.5, 0.025
#: Largest relative change of an area's area through simplification on a coarse map (one whose half
#: pixel is more than the default 40 m tolerance). A small urban LSOA a few pixels wide changes by 5%
#: when its outline moves by a twentieth of a pixel; a large one is held by the tolerance (half a
#: pixel), so 5% stays invisible where the library's 2% kept every point of small LSOAs' arcs. Finer
#: maps (Oxfordshire's districts, Leeds) keep the library's 2%.
COARSE_MAX_AREA_CHANGE = 0.05


@dataclass(frozen=True)
class GeometryTable:
    """One TopoJSON file written at refresh.

    Attributes
    ----------
    relative : str
        Path inside the data version, e.g. ``geo/lsoa21.topo.json``.
    source : str
        Source id of the boundary file (``data/sources.yaml``).
    object_name : str
        Name of the topology object holding the areas.
    code_property : str or None
        Code property the boundary file must have; ``None`` to detect it.
    district_lines : bool
        Add the ``district_lines`` object (areas nested in districts).
    """

    relative: str
    source: str
    object_name: str
    code_property: str | None
    district_lines: bool = True


GEOMETRY_TABLES: tuple[GeometryTable, ...] = (
    GeometryTable("geo/lsoa11.topo.json", "boundaries/lsoa11", "lsoa11", "LSOA11CD"),
    GeometryTable("geo/lsoa21.topo.json", "boundaries/lsoa21", "lsoa21", "LSOA21CD"),
    GeometryTable("geo/wards25.topo.json", "boundaries/wards25", "wards25", "WD25CD"),
    GeometryTable("geo/districts.topo.json", "boundaries/lsoa21", "districts", None, district_lines=False),
)

#: Each table's file and object, by object name (``lsoa11`` -> ``geo/lsoa11.topo.json``).
TOPOLOGY_FILES: dict[str, str] = {t.object_name: t.relative for t in GEOMETRY_TABLES}


def _lsoa_places(context: BuildContext, object_name: str) -> pd.DataFrame:
    from cwb_metrics.areas.members import county_lsoa11, county_lsoa21

    return county_lsoa11(context) if object_name == "lsoa11" else county_lsoa21(context)


def _lsoa_boundaries(context: BuildContext, table: GeometryTable) -> gpd.GeoDataFrame:
    """The area's LSOAs (of the configuration or the lookups) cut out of a boundary file, with their districts."""
    places = _lsoa_places(context, table.object_name)
    path = context.path(table.source)
    codes = places["lsoa_code"].astype(str).tolist()

    def load() -> gpd.GeoDataFrame:
        return read_boundaries(path, expected_code=table.code_property, codes=codes)

    key = f"boundaries:{table.source}:{hash(tuple(codes))}"
    frame = context.cached(key, load).copy()
    missing = sorted(set(codes) - set(frame["code"]))
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise DataValidationError(
            [problem(path, f"has no boundary for {len(missing)} LSOAs of {context.areas.county_name}: {shown}")]
        )
    by_code = places.set_index("lsoa_code")
    frame["lad_code"] = frame["code"].map(by_code["lad_code"]).astype(str)
    frame["lad_name"] = frame["code"].map(by_code["lad_name"])
    frame["name"] = frame["name"].fillna(frame["code"].map(by_code["lsoa_name"]))
    frame["ward_code"] = frame["code"].map(by_code["ward_code"]) if "ward_code" in by_code else None
    return frame.loc[:, ["code", "name", "lad_code", "lad_name", "ward_code", "geometry"]]


def map_scale(frame: gpd.GeoDataFrame, districts: int) -> tuple[float, float, float]:
    """Simplification tolerance, quantisation step (m) and area rule for maps of these areas at the app's zooms.

    The finest zoom the app draws is one district (or, for a single-tier council, the whole
    area) :data:`MAP_PIXELS` wide: the metres per pixel of the widest (east to west) set the
    detail worth sending.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The area's LSOAs with ``lad_code`` (any CRS).
    districts : int
        How many districts the area has.

    Returns
    -------
    (float, float, float)
        ``(tolerance_m, quantum_m, max_area_change)``: the library's defaults (40 m, 3 m, 2%),
        or on a coarse map half a pixel, a fortieth of one (at least 3 m) and
        :data:`COARSE_MAX_AREA_CHANGE`.
    """
    metric = frame.to_crs("EPSG:27700")
    groups = [metric] if districts <= 1 else [g for _, g in metric.groupby("lad_code")]
    # A map is drawn MAP_PIXELS wide, its height following the area's shape: east-west sets the scale.
    widest = max(float(group.total_bounds[2] - group.total_bounds[0]) for group in groups)
    per_pixel = widest / MAP_PIXELS
    if TOLERANCE_PX * per_pixel <= DEFAULT_TOLERANCE_M:  # a fine map (Oxfordshire's districts, Leeds)
        return DEFAULT_TOLERANCE_M, DEFAULT_QUANTUM_M, DEFAULT_MAX_AREA_CHANGE
    return TOLERANCE_PX * per_pixel, max(DEFAULT_QUANTUM_M, QUANTUM_PX * per_pixel), COARSE_MAX_AREA_CHANGE


def _dissolved(frame: gpd.GeoDataFrame, by: str, name: str) -> gpd.GeoDataFrame:
    """Union the areas of ``frame`` by column ``by`` (LSOAs into wards or districts)."""
    groups = []
    for key, group in frame.groupby(by, sort=True):
        geometry = coverage_union(group.geometry.to_numpy())
        row = {"code": str(key), "name": str(group[name].iloc[0])}
        if by != "lad_code":
            row["lad_code"] = str(group["lad_code"].iloc[0])
        groups.append({**row, "geometry": geometry})
    return gpd.GeoDataFrame(groups, geometry="geometry", crs=frame.crs)


def _ward_boundaries(context: BuildContext, table: GeometryTable) -> gpd.GeoDataFrame:
    """Ward boundaries covering every district, else the area's LSOAs 2021 dissolved into their wards."""
    districts = {d.code: d.name for d in context.areas.districts}
    if table.source in context.files:
        path = context.path(table.source)
        try:
            frame = context.cached(
                f"boundaries:{table.source}:{','.join(sorted(districts))}",
                lambda: read_boundaries(path, expected_code=table.code_property, districts=districts),
            )
        except DataValidationError:
            frame = None
        if frame is not None and set(districts) <= set(frame["lad_code"]):
            frame.attrs["derived"] = False
            return frame
    lsoas = _lsoa_boundaries(context, GEOMETRY_TABLES[1])
    places = _lsoa_places(context, "lsoa21").set_index("lsoa_code")
    lsoas["ward_code"] = lsoas["code"].map(places["ward_code"])
    lsoas["ward_name"] = lsoas["code"].map(places["ward_name"])
    lsoas = lsoas.dropna(subset=["ward_code"])
    if lsoas.empty:
        raise DataValidationError(
            [problem(table.source, f"no ward boundaries and no wards for the LSOAs of {context.areas.county_name}")]
        )
    frame = _dissolved(lsoas, "ward_code", "ward_name")
    frame.attrs["derived"] = True
    return frame


def county_boundaries(context: BuildContext, table: GeometryTable) -> gpd.GeoDataFrame:
    """Return one geometry table's areas for the configured area (cached).

    LSOAs are cut out of the England-wide boundary file by the area's LSOA codes (from the
    area configuration, or the lookups), so a file without district properties (as the
    ONS portal serves it) works too. Wards come from ward boundaries when they cover every
    district, else from the area's LSOAs 2021 dissolved into their wards. Districts are the
    area's LSOAs 2021 dissolved by district (LSOAs nest exactly in districts).

    Raises
    ------
    DataValidationError
        When the file is invalid or lacks some of the area's LSOAs.
    """
    if table.object_name in ("lsoa11", "lsoa21"):
        return _lsoa_boundaries(context, table)
    if table.object_name == "wards25":
        return _ward_boundaries(context, table)
    lsoas = _lsoa_boundaries(context, GEOMETRY_TABLES[1])
    names = {d.code: d.name for d in context.areas.districts}
    lsoas["lad_name"] = lsoas["lad_code"].map(names)
    return _dissolved(lsoas, "lad_code", "lad_name")


def build_geometry(
    context: BuildContext,
    *,
    tolerance_m: float | None = None,
    quantum_m: float | None = None,
) -> list[Output]:
    """Build the county's TopoJSON files (a table producer).

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files and area configuration.
    tolerance_m : float, optional
        Simplification tolerance in metres (see :func:`~cwb_metrics.geo.simplify.build_topology`);
        default from :func:`map_scale`.
    quantum_m : float, optional
        Quantisation step in metres; default from :func:`map_scale`.

    Returns
    -------
    list of Output
        One JSON output per entry of :data:`GEOMETRY_TABLES`.
    """
    several = len(context.areas.districts) > 1
    scale = map_scale(county_boundaries(context, GEOMETRY_TABLES[1]), len(context.areas.districts))
    tolerance_m = scale[0] if tolerance_m is None else tolerance_m
    quantum_m = scale[1] if quantum_m is None else quantum_m
    max_area_change = scale[2]
    wards = county_boundaries(context, GEOMETRY_TABLES[2])
    derived_wards = bool(wards.attrs.get("derived"))
    outputs = []
    for table in GEOMETRY_TABLES:
        frame = wards if table.object_name == "wards25" else county_boundaries(context, table)
        topology = build_topology(
            frame, table.object_name, properties=("code", "name", "lad_code", "ward_code"),
            tolerance_m=tolerance_m, quantum_m=quantum_m, max_area_change=max_area_change,
        )  # fmt: skip
        if table.district_lines and "lad_code" in frame.columns:
            # One district (a unitary council): no lines between districts, and its edge is
            # already drawn by the areas, so the coastline is not sent twice.
            add_boundary_lines(topology, table.object_name, "lad_code", DISTRICT_LINES, outer_edge=several)
        if table.object_name in ("lsoa11", "lsoa21"):
            if derived_wards and frame["ward_code"].notna().all():
                # The edges between wards, on the LSOAs' own arcs (the outer edge is the district lines').
                add_boundary_lines(
                    topology, table.object_name, "ward_code", WARD_LINES, outer_edge=False, per="lad_code"
                )
            for member in topology["objects"][table.object_name]["geometries"]:
                member["properties"].pop("ward_code", None)  # in the LSOA tables; not drawn
        built_from = [table.source]
        if table.object_name == "wards25" and derived_wards:
            built_from = ["boundaries/lsoa21"]
            topology["derived"] = "LSOAs 2021 dissolved into their wards (no ward boundaries for the area)"
        outputs.append(Output(table.relative, topology, built_from=tuple(built_from)))
    return outputs


def read_topology(store: DataStore, object_name: str, version: str | None = None) -> dict[str, Any]:
    """Read one TopoJSON file written by :func:`build_geometry`.

    Parameters
    ----------
    store : DataStore
        The data folder.
    object_name : str
        ``lsoa11``, ``lsoa21``, ``wards25`` or ``districts``.
    version : str, optional
        Data version (default: current).

    Returns
    -------
    dict
        The topology, ready for :func:`cwb_metrics.charts.maps.choropleth`.
    """
    if object_name not in TOPOLOGY_FILES:
        raise KeyError(f"no geometry {object_name!r}; expected one of {sorted(TOPOLOGY_FILES)}")
    return json.loads(store.table_path(TOPOLOGY_FILES[object_name], version).read_text(encoding="utf-8"))
