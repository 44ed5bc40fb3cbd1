"""Topology-preserving simplification and quantisation of boundaries into TopoJSON.

The boundaries are first turned into a topology (the ``topojson`` package finds the
arcs shared by neighbouring areas), then each *arc* is simplified (Douglas-Peucker, in
metres) and quantised. Because a shared edge is a single arc, neighbours still share
exactly the same simplified edge: no slivers and no gaps. An area whose polygon comes
out invalid, or newly overlaps a neighbour, has its arcs simplified less (half the
tolerance, then a quarter, then not at all) until it is valid.

The result is a standard, delta-encoded TopoJSON ``Topology`` that Vega-Lite draws
directly (``format: {type: "topojson", feature: <object>}``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from cwb_metrics.sources.boundaries import decode_arcs, topology_geometry

#: Metres per degree of latitude, and of longitude at the equator (local approximation).
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0

#: Default simplification tolerance (m): invisible on a county map ~700 px wide
#: (~115 m a pixel for Oxfordshire) and close to the 20 m of the ONS BGC source.
DEFAULT_TOLERANCE_M = 40.0
#: Default quantisation step (m): coordinates are snapped to this grid.
DEFAULT_QUANTUM_M = 3.0
#: Default largest relative change of any one area's area through simplification.
DEFAULT_MAX_AREA_CHANGE = 0.02


def _local_metres(lat0: float) -> np.ndarray:
    return np.array([_M_PER_DEG_LON * np.cos(np.radians(lat0)), _M_PER_DEG_LAT])


def _simplify_arc(coords: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker simplify one arc (in metres), keeping its end points."""
    if tolerance <= 0 or len(coords) <= 2:
        return coords
    closed = bool(np.array_equal(coords[0], coords[-1]))
    line = shapely.LineString(coords)
    # A closed arc is a whole ring: keep it a ring (at least 4 points) and non-crossing.
    out = shapely.get_coordinates(shapely.simplify(line, tolerance, preserve_topology=closed))
    if closed and len(out) < 4:
        return coords
    out[0], out[-1] = coords[0], coords[-1]
    return out


def _quantise(arcs: list[np.ndarray], translate: np.ndarray, scale: np.ndarray) -> list[np.ndarray]:
    """Snap arcs to the grid and drop repeated points, keeping every arc's end points."""
    lengths = np.array([len(a) for a in arcs])
    q = np.rint((np.concatenate(arcs) - translate) / scale).astype(np.int64)
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    ends = starts + lengths - 1
    is_end = np.zeros(len(q), dtype=bool)
    is_end[starts] = is_end[ends] = True
    same_as_previous = np.r_[False, np.all(q[1:] == q[:-1], axis=1)]
    same_as_next = np.r_[np.all(q[:-1] == q[1:], axis=1), False]
    next_is_end = np.r_[is_end[1:], False]
    keep = is_end | ~(same_as_previous | (same_as_next & next_is_end))
    counts = np.add.reduceat(keep.astype(int), starts)
    return np.split(q[keep], np.cumsum(counts)[:-1])


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area: positive for a counter-clockwise ring (x east, y north)."""
    x, y = ring[:, 0], ring[:, 1]
    return float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2


def _orient_rings(members: list[dict[str, Any]], arcs: list[np.ndarray]) -> None:
    """Make exterior rings clockwise and holes counter-clockwise, as d3-geo needs.

    A wrongly wound exterior is drawn by d3 as the whole globe minus the area, which
    floods the map. Rings are reversed by reversing their arc list and negating indexes;
    the ``topojson`` package can wind an island that fills a hole the wrong way.
    """

    def ring_coords(ring: list[int]) -> np.ndarray:
        parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in ring]
        return np.concatenate(parts) if parts else np.empty((0, 2))

    def fix(polygon: list[list[int]]) -> None:
        for k, ring in enumerate(polygon):
            area = _signed_area(ring_coords(ring))
            if (k == 0 and area > 0) or (k > 0 and area < 0):
                polygon[k] = [~i for i in reversed(ring)]

    for member in members:
        if member.get("type") == "Polygon":
            fix(member["arcs"])
        elif member.get("type") == "MultiPolygon":
            for polygon in member["arcs"]:
                fix(polygon)


def _arc_indexes(geometry: dict[str, Any]) -> set[int]:
    """Every arc index (non-negative) a TopoJSON geometry uses."""
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, int):
            found.add(node if node >= 0 else ~node)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(geometry.get("arcs", []))
    for member in geometry.get("geometries", []):
        found |= _arc_indexes(member)
    return found


def _geometries(arcs: list[np.ndarray], members: list[dict[str, Any]]) -> np.ndarray:
    return np.asarray([topology_geometry(arcs, m) or shapely.Polygon() for m in members], dtype=object)


def _flagged(geoms: np.ndarray) -> np.ndarray:
    """Areas that are invalid, or whose edges overlap or cross a neighbour's."""
    bad = ~shapely.is_valid(geoms)
    try:
        edges = shapely.coverage_invalid_edges(geoms[~bad]) if (~bad).any() else np.array([])
        bad[np.flatnonzero(~bad)[~shapely.is_empty(edges)]] = True
    except (shapely.errors.GEOSException, AttributeError):  # no coverage check in this GEOS
        pass
    return bad


def build_topology(
    frame: gpd.GeoDataFrame,
    object_name: str,
    *,
    properties: Sequence[str] = ("code", "name", "lad_code"),
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    quantum_m: float = DEFAULT_QUANTUM_M,
    max_area_change: float = DEFAULT_MAX_AREA_CHANGE,
) -> dict[str, Any]:
    """Build a simplified, quantised TopoJSON topology of a set of areas.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Polygonal areas in EPSG:4326 (as returned by
        :func:`cwb_metrics.sources.boundaries.read_boundaries`).
    object_name : str
        Name of the topology object holding the areas, e.g. ``"lsoa21"``.
    properties : sequence of str
        Columns kept as each geometry's ``properties`` (those absent are skipped;
        missing values are left out).
    tolerance_m : float
        Douglas-Peucker tolerance in metres, applied to each shared arc.
    quantum_m : float
        Quantisation step in metres (the grid coordinates are snapped to).
    max_area_change : float
        Largest relative change of an area's area; areas changed more are simplified
        less (down to not at all), so small urban areas keep their shape.

    Returns
    -------
    dict
        A JSON-ready TopoJSON ``Topology`` with ``bbox``, ``transform``, delta-encoded
        integer ``arcs`` and one ``GeometryCollection`` object named ``object_name``.
        Geometries keep the order of ``frame``; exterior rings are clockwise, as
        d3-geo (and so Vega-Lite) expects.
    """
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs("EPSG:4326")
    columns = [c for c in properties if c in frame.columns]
    geoms = shapely.orient_polygons(np.asarray(frame.geometry.values, dtype=object), exterior_cw=True)
    data = gpd.GeoDataFrame(frame[columns].reset_index(drop=True), geometry=list(geoms), crs="EPSG:4326")
    import topojson  # deferred: only the refresh builds topologies

    base = topojson.Topology(
        data, topology=True, prequantize=False, winding_order="CW_CCW", object_name=object_name
    ).to_dict()
    members = base["objects"][object_name]["geometries"]
    for member in members:
        member.pop("id", None)
        member["properties"] = {k: _plain(v) for k, v in (member.get("properties") or {}).items() if _present(v)}

    raw = [np.asarray(a, dtype=float).reshape(-1, 2) for a in base["arcs"]]
    lo = np.min([a.min(axis=0) for a in raw], axis=0)
    hi = np.max([a.max(axis=0) for a in raw], axis=0)
    metres = _local_metres(float((lo[1] + hi[1]) / 2))
    translate = np.floor(lo * 1e6) / 1e6
    scale = np.asarray([float(f"{s:.6g}") for s in quantum_m / metres])

    # Each arc gets a level: 0 = full tolerance ... len(levels) - 1 = unsimplified.
    levels = [tolerance_m, tolerance_m / 2, tolerance_m / 4, 0.0]
    arc_level = np.zeros(len(raw), dtype=int)
    arcs_of = [_arc_indexes(m) for m in members]
    # Areas already invalid unsimplified (at this grid) cannot be helped by simplifying less.
    floor = [q * scale + translate for q in _quantise(raw, translate, scale)]
    original_bad = _flagged(_geometries(floor, members))
    original_area = shapely.area(geoms)
    cache: dict[tuple[int, int], np.ndarray] = {}
    while True:
        simplified = []
        for i, coords in enumerate(raw):
            key = (i, int(arc_level[i]))
            if key not in cache:
                tol = levels[arc_level[i]]
                cache[key] = _simplify_arc((coords - lo) * metres, tol) / metres + lo if tol else coords
            simplified.append(cache[key])
        quantised = _quantise(simplified, translate, scale)
        decoded = [q * scale + translate for q in quantised]
        shapes = _geometries(decoded, members)
        changed = np.abs(shapely.area(shapes) / np.where(original_area > 0, original_area, 1) - 1) > max_area_change
        bad = (_flagged(shapes) & ~original_bad) | changed
        demote = {i for m in np.flatnonzero(bad) for i in arcs_of[m] if arc_level[i] < len(levels) - 1}
        if not demote:
            break
        arc_level[list(demote)] += 1

    _orient_rings(members, [q.astype(float) for q in quantised])
    bbox = [
        *(translate + scale * np.min([q.min(axis=0) for q in quantised], axis=0)),
        *(translate + scale * np.max([q.max(axis=0) for q in quantised], axis=0)),
    ]
    return {
        "type": "Topology",
        "bbox": [round(float(v), 6) for v in bbox],
        "transform": {"scale": [float(s) for s in scale], "translate": [float(t) for t in translate]},
        "objects": {object_name: {"type": "GeometryCollection", "geometries": members}},
        "arcs": [np.vstack([q[:1], np.diff(q, axis=0)]).tolist() for q in quantised],
    }


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(np.isnan(value))
    except (TypeError, ValueError):
        return True


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def add_boundary_lines(
    topology: dict[str, Any],
    object_name: str,
    group: str,
    line_object: str,
    *,
    outer_edge: bool = True,
    per: str | None = None,
) -> dict[str, Any]:
    """Add an object of the lines between groups of areas (and the outer edge).

    For example, the district boundaries within an LSOA topology: the arcs whose two
    sides are LSOAs of different districts, plus the arcs on the county's edge. They
    reuse the topology's arcs, so they cost a few hundred bytes and lie exactly on the
    areas' edges.

    Parameters
    ----------
    topology : dict
        A topology from :func:`build_topology`; changed in place and returned.
    object_name : str
        The object holding the areas.
    group : str
        The property grouping areas, e.g. ``"lad_code"``.
    line_object : str
        Name of the new object (one ``MultiLineString``), e.g. ``"district_lines"``.
    outer_edge : bool
        Include the arcs on the outer edge. Without it, a single-district area (a unitary
        council) gets an empty object, so its coastline is not sent a second time.
    per : str, optional
        Split the lines by this property (e.g. ``"lad_code"``): one ``MultiLineString`` per
        value, with that property, holding the arcs whose areas all have it (so a map zoomed
        to one district can take its own ward lines). Arcs between values are left out.

    Returns
    -------
    dict
        ``topology``, with ``objects[line_object]`` added.
    """
    users: dict[int, list[tuple[Any, Any]]] = {}
    for member in topology["objects"][object_name]["geometries"]:
        properties = member.get("properties") or {}
        value, part = properties.get(group), properties.get(per) if per else None
        for index in _arc_indexes(member):
            users.setdefault(index, []).append((value, part))
    chosen = sorted(
        index
        for index, used in users.items()
        if (outer_edge and len(used) == 1) or len({value for value, _ in used}) > 1
    )
    geometries: list[dict[str, Any]]
    if per is None:
        geometries = [{"type": "MultiLineString", "arcs": [[i] for i in chosen]}]
    else:
        parts: dict[Any, list[int]] = {}
        for index in chosen:
            owners = {part for _, part in users[index]}
            if len(owners) == 1:
                parts.setdefault(owners.pop(), []).append(index)
        geometries = [
            {"type": "MultiLineString", "arcs": [[i] for i in arcs], "properties": {per: part}}
            for part, arcs in sorted(parts.items(), key=lambda item: str(item[0]))
        ]
    topology["objects"][line_object] = {"type": "GeometryCollection", "geometries": geometries}
    return topology


def topology_frame(topology: dict[str, Any], object_name: str) -> gpd.GeoDataFrame:
    """Decode one object of a topology into a GeoDataFrame (EPSG:4326), for checks.

    Parameters
    ----------
    topology : dict
        A TopoJSON topology.
    object_name : str
        The object to decode.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per geometry, its properties as columns.
    """
    arcs = decode_arcs(topology)
    members = topology["objects"][object_name]["geometries"]
    rows = [dict(m.get("properties") or {}) for m in members]
    return gpd.GeoDataFrame(rows, geometry=list(_geometries(arcs, members)), crs="EPSG:4326")


def subset_topology(topology: dict[str, Any], object_name: str) -> dict[str, Any]:
    """Return a topology holding only ``object_name`` and the arcs it uses.

    Vega-Lite cannot read two objects of one inline topology (it would define the same
    data set twice), so a line layer over a choropleth gets its own small topology.

    Parameters
    ----------
    topology : dict
        A TopoJSON topology.
    object_name : str
        The object to keep.

    Returns
    -------
    dict
        A new topology (same ``transform`` and ``bbox``) with arcs renumbered.
    """
    obj = topology["objects"][object_name]
    used = sorted(_arc_indexes(obj))
    new_index = {old: new for new, old in enumerate(used)}

    def renumber(node: Any) -> Any:
        if isinstance(node, int):
            return new_index[node] if node >= 0 else ~new_index[~node]
        return [renumber(item) for item in node]

    def copy_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in geometry.items() if k not in ("arcs", "geometries")}
        if "arcs" in geometry:
            out["arcs"] = renumber(geometry["arcs"])
        if "geometries" in geometry:
            out["geometries"] = [copy_geometry(g) for g in geometry["geometries"]]
        return out

    subset = {k: v for k, v in topology.items() if k not in ("objects", "arcs")}
    subset["objects"] = {object_name: copy_geometry(obj)}
    subset["arcs"] = [topology["arcs"][i] for i in used]
    return subset
