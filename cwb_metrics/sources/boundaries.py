"""Adapter for ONS boundary files: GeoJSON (plain or gzipped) and TopoJSON.

ONS Open Geography Portal files name their columns by geography and year
(``LSOA21CD``/``LSOA21NM``, ``WD25CD``/``WD25NM``, ``LAD13CD`` ...). :func:`read_boundaries`
detects which geography a file holds from its properties and returns a GeoDataFrame in
EPSG:4326 with standard columns:

``code``
    The GSS code of each area (unique).
``name``
    Its name.
``lad_code``, ``lad_name``, ``utla_code``, ``rgn_code``
    Parent codes, where the file has them (``LADCD_ACTIVE``/``LAD25CD``, ``LAD25NM``,
    ``UTLACD``, ``RGNCD``).

Every problem found is reported in one :class:`~cwb_metrics.errors.DataValidationError`
naming the file: unreadable or truncated JSON, no known code property, codes that are
not GSS codes, duplicate codes, missing or non-polygon geometry. Invalid geometries are
repaired with :func:`shapely.make_valid` (keeping their polygonal part).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from cwb_metrics.errors import DataValidationError, Problem, problem
from cwb_metrics.models.row import GSS_CODE_PATTERN

_GSS = re.compile(GSS_CODE_PATTERN)

#: Area-code properties by level, finest first: the first one a file has is its code.
_CODE_PROPERTY = re.compile(r"^(OA|LSOA|MSOA|WD|LAD|LTLA|CTY|UTLA|CMLAD|RGN|CTRY)([0-9]{2})?CD$")
_LEVEL_ORDER = ("OA", "LSOA", "MSOA", "WD", "LAD", "LTLA", "CMLAD", "CTY", "UTLA", "RGN", "CTRY")

#: Parent columns kept when present: standard name -> candidate properties (regex), in order.
_PARENTS: dict[str, tuple[str, ...]] = {
    "lad_code": (r"LADCD_ACTIVE", r"LAD\d{2}CD", r"LADCD", r"LTLA\d{2}CD"),
    "lad_name": (r"LAD\d{2}NM", r"LADNM", r"LTLA\d{2}NM"),
    "utla_code": (r"UTLACD", r"UTLA\d{2}CD", r"CTY\d{2}CD"),
    "rgn_code": (r"RGNCD", r"RGN\d{2}CD"),
}

_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class BoundarySchema:
    """Which properties of a boundary file hold the code, name and parent codes.

    Attributes
    ----------
    kind : str
        The geography and year, e.g. ``lsoa21``, ``lsoa11``, ``wd25``, ``lad``, ``lad13``.
    code : str
        The property holding each area's GSS code, e.g. ``LSOA21CD``.
    name : str or None
        The property holding its name, e.g. ``LSOA21NM``.
    parents : dict
        Standard column name (``lad_code`` ...) -> property, for those present.
    """

    kind: str
    code: str
    name: str | None
    parents: dict[str, str]


def detect_schema(properties: Iterable[str], features: list[dict[str, Any]] | None = None) -> BoundarySchema | None:
    """Work out a file's geography from the property names of its features.

    The code is the finest-level ``..CD`` property that has a matching ``..NM`` name
    property (``LSOA21CD``/``LSOA21NM``). Without such a pair, the finest code property
    whose values are unique across ``features`` is used, so a parent code such as
    ``UTLACD`` is never taken for the areas' own code.

    Parameters
    ----------
    properties : iterable of str
        Property names (the union over features, or those of the first feature).
    features : list of dict, optional
        The features (GeoJSON-like, with ``properties``), for the uniqueness check.

    Returns
    -------
    BoundarySchema or None
        ``None`` when no property looks like an ONS area code (``LSOA21CD`` ...).

    Examples
    --------
    >>> detect_schema(["FID", "WD25CD", "WD25NM", "LAD25CD", "LAD25NM"]).kind
    'wd25'
    """
    names = list(properties)
    candidates = [(m.group(1), m.group(2) or "", p) for p in names if (m := _CODE_PROPERTY.match(p))]
    candidates.sort(key=lambda c: (_LEVEL_ORDER.index(c[0]), c[1] == ""))
    paired = [c for c in candidates if c[2][:-2] + "NM" in names]
    if paired:
        return schema_for(paired[0][2], names)
    for _, _, code in candidates:
        values = [(f.get("properties") or {}).get(code) for f in features or []]
        if features is None or len(set(values)) == len(values):
            return schema_for(code, names)
    return None


def schema_for(code: str, properties: Iterable[str]) -> BoundarySchema:
    """Return the schema of a file whose areas are coded by property ``code``.

    Parameters
    ----------
    code : str
        The code property, e.g. ``"LSOA21CD"``.
    properties : iterable of str
        All property names of the file's features (to find the name and parents).
    """
    names = list(properties)
    match = _CODE_PROPERTY.match(code)
    kind = f"{match.group(1).lower()}{match.group(2) or ''}" if match else code.lower().removesuffix("cd")
    name = code[:-2] + "NM" if code.endswith("CD") else None
    parents: dict[str, str] = {}
    for column, patterns in _PARENTS.items():
        for pattern in patterns:
            found = next((p for p in names if re.fullmatch(pattern, p) and p not in (code, name)), None)
            if found:
                parents[column] = found
                break
    return BoundarySchema(kind=kind, code=code, name=name if name in names else None, parents=parents)


def load_json_document(path: Path) -> Any:
    """Read a JSON file, gunzipping it when it is gzip-compressed (by content, not name).

    Raises
    ------
    DataValidationError
        When the file is not valid JSON or not a complete gzip stream, e.g. because it
        was truncated or is still being written.
    """
    path = Path(path)
    raw = _decompressed(path)
    if not raw.strip():
        raise DataValidationError([problem(path, "is empty; expected a GeoJSON or TopoJSON document")])
    try:
        return json.loads(raw)
    except UnicodeDecodeError as error:
        raise DataValidationError([problem(path, f"is not UTF-8 JSON ({error})")]) from None
    except json.JSONDecodeError as error:
        raise DataValidationError(
            [
                problem(
                    path,
                    f"is not valid JSON: {error.msg} at line {error.lineno} column "
                    f"{error.colno}; it may be truncated or still being written",
                )
            ]
        ) from None


# --- TopoJSON ------------------------------------------------------------------------
def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Return a TopoJSON topology's arcs as absolute coordinate arrays.

    Quantised topologies (with a ``transform``) are delta-decoded and scaled.
    """
    transform = topology.get("transform")
    arcs = []
    for arc in topology.get("arcs", []):
        coords = np.asarray(arc, dtype=float).reshape(-1, 2) if len(arc) else np.empty((0, 2))
        if transform:
            coords = np.cumsum(coords, axis=0) * np.asarray(transform["scale"]) + np.asarray(transform["translate"])
        arcs.append(coords)
    return arcs


def _ring(arcs: list[np.ndarray], indexes: list[int]) -> np.ndarray:
    parts: list[np.ndarray] = []
    for i in indexes:
        coords = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(coords if not parts else coords[1:])
    return np.concatenate(parts) if parts else np.empty((0, 2))


def _polygon(arcs: list[np.ndarray], rings: list[list[int]]) -> shapely.Polygon:
    shell, *holes = (_ring(arcs, r) for r in rings)
    if len(shell) < 4:  # a ring collapsed by quantisation (a tiny island): nothing to draw
        return shapely.Polygon()
    return shapely.Polygon(shell, [h for h in holes if len(h) >= 4])


def topology_geometry(arcs: list[np.ndarray], geometry: dict[str, Any]) -> shapely.Geometry | None:
    """Build the shapely geometry of one TopoJSON geometry object (polygonal or lines).

    Parameters
    ----------
    arcs : list of numpy.ndarray
        The decoded arcs, from :func:`decode_arcs`.
    geometry : dict
        A TopoJSON geometry (``Polygon``, ``MultiPolygon``, ``LineString``,
        ``MultiLineString`` or a nested ``GeometryCollection``).

    Returns
    -------
    shapely.Geometry or None
        ``None`` for a null geometry.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        return _polygon(arcs, geometry["arcs"])
    if kind == "MultiPolygon":
        return shapely.MultiPolygon([p for p in (_polygon(arcs, r) for r in geometry["arcs"]) if not p.is_empty])
    if kind == "LineString":
        return shapely.LineString(_ring(arcs, geometry["arcs"]))
    if kind == "MultiLineString":
        return shapely.MultiLineString([_ring(arcs, line) for line in geometry["arcs"]])
    if kind == "GeometryCollection":
        parts = [topology_geometry(arcs, g) for g in geometry.get("geometries", [])]
        return shapely.GeometryCollection([p for p in parts if p is not None])
    return None


def topology_to_features(topology: dict[str, Any], object_name: str | None = None) -> list[dict[str, Any]]:
    """Decode one object of a TopoJSON topology into GeoJSON-like features.

    Parameters
    ----------
    topology : dict
        A parsed TopoJSON ``Topology``.
    object_name : str, optional
        Which object to decode; by default the only one (or the first).

    Returns
    -------
    list of dict
        ``{"properties": dict, "geometry": shapely.Geometry or None, "id": ...}`` per geometry.
    """
    objects = topology.get("objects") or {}
    if object_name is None:
        object_name = next(iter(objects), None)
    if object_name not in objects:
        raise KeyError(f"TopoJSON has no object {object_name!r}; it has {sorted(objects)}")
    arcs = decode_arcs(topology)
    obj = objects[object_name]
    members = obj.get("geometries", []) if obj.get("type") == "GeometryCollection" else [obj]
    return [
        {"properties": dict(g.get("properties") or {}), "id": g.get("id"), "geometry": topology_geometry(arcs, g)}
        for g in members
    ]


# --- reading -------------------------------------------------------------------------
def _crs_of(document: dict[str, Any]) -> str:
    """Return the CRS named by a (pre-RFC 7946) ``crs`` member, default WGS84."""
    name = ((document.get("crs") or {}).get("properties") or {}).get("name", "")
    match = re.search(r"EPSG:{1,2}(\d+)", str(name))
    if match and match.group(1) != "4326":
        return f"EPSG:{match.group(1)}"
    return "EPSG:4326"


def _raw_features(document: Any, path: Path, object_name: str | None) -> tuple[list[dict[str, Any]], bool, str]:
    """Return (features, geometries_are_shapely, crs) of a GeoJSON or TopoJSON document."""
    if not isinstance(document, dict):
        raise DataValidationError([problem(path, "is JSON but not a GeoJSON FeatureCollection or a TopoJSON Topology")])
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise DataValidationError([problem(path, "is a FeatureCollection without a 'features' list")])
        return features, False, _crs_of(document)
    if kind == "Topology":
        objects = document.get("objects") or {}
        if object_name is None:
            # Pick the object whose geometries carry a recognisable code property.
            for name, obj in objects.items():
                members = obj.get("geometries", [])
                if members and detect_schema((members[0].get("properties") or {}).keys()):
                    object_name = name
                    break
        if object_name is None and objects:
            object_name = next(iter(objects))
        if object_name not in objects:
            raise DataValidationError(
                [problem(path, f"TopoJSON has no object {object_name!r}; it has {sorted(objects) or 'none'}")]
            )
        try:
            features = topology_to_features(document, object_name)
        except (KeyError, IndexError, TypeError, ValueError) as error:
            raise DataValidationError(
                [problem(path, f"TopoJSON object {object_name!r} cannot be decoded: {error!r}")]
            ) from None
        first: dict[str, Any] = next(iter(objects.values()), {})
        return features, True, _crs_of(first if "crs" in first else document)
    raise DataValidationError(
        [problem(path, f"has type {kind!r}; expected a GeoJSON FeatureCollection or a TopoJSON Topology")]
    )


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Return the polygonal part of ``geom`` (after ``make_valid`` it may be a collection)."""
    if geom.geom_type in _POLYGONAL:
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in _POLYGONAL]
    polygons = [p for g in parts for p in getattr(g, "geoms", [g])]
    return shapely.MultiPolygon(polygons) if polygons else shapely.Polygon()


_FEATURES_KEY = re.compile(rb'"features"\s*:\s*\[')
_FEATURES_TEXT = re.compile(r'"features"\s*:\s*\[')
_PROPERTIES = re.compile(rb'"properties"\s*:\s*(\{[^{}]*\})')


def _decompressed(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataValidationError([problem(path, f"cannot be read: {error.strerror or error}")]) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as error:
            raise DataValidationError(
                [problem(path, f"is not a complete gzip file ({error}); it may be truncated or still being written")]
            ) from None
    return raw


def _stream_features(path: Path, keep: Callable[[dict[str, Any]], bool]) -> tuple[list[dict[str, Any]], str] | None:
    """Decode a GeoJSON FeatureCollection one feature at a time, keeping those ``keep`` accepts.

    Only the kept features stay in memory (an England-wide LSOA file is 50 MB of JSON).
    Returns ``None`` when the file is not laid out as a plain FeatureCollection (the caller
    then reads it whole).
    """
    try:
        text = _decompressed(path).decode("utf-8")
    except UnicodeDecodeError:
        return None
    match = _FEATURES_TEXT.search(text)
    if match is None:
        return None
    try:
        header = json.loads(text[: match.start()].rstrip().rstrip(",") + "}")
    except json.JSONDecodeError:
        return None
    if not isinstance(header, dict) or header.get("type") != "FeatureCollection":
        return None
    decoder = json.JSONDecoder()
    position = match.end()
    kept: list[dict[str, Any]] = []
    try:
        while True:
            while text[position] in " \t\r\n,":
                position += 1
            if text[position] == "]":
                break
            feature, position = decoder.raw_decode(text, position)
            if keep(feature):
                kept.append(feature)
    except (IndexError, json.JSONDecodeError) as error:
        raise DataValidationError(
            [problem(path, f"is not valid JSON near character {position} ({error}); it may be truncated")]
        ) from None
    return kept, _crs_of(header)


def read_boundary_properties(path: str | Path) -> pd.DataFrame:
    """Read only the area codes and parent codes of a boundary file, without its geometry.

    Fast on England-wide files (the properties are picked out of the text), for lookups
    such as which district each LSOA is in.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoJSON file (plain or gzipped); TopoJSON is read whole.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``name`` and any of ``lad_code``, ``lad_name``, ``utla_code``,
        ``rgn_code`` (see :func:`read_boundaries`), one row per feature, as strings.

    Raises
    ------
    DataValidationError
        When the file is unreadable or has no area-code property.
    """
    path = Path(path)
    raw = _decompressed(path)
    start = _FEATURES_KEY.search(raw)
    found = _PROPERTIES.findall(raw, start.end()) if start else []
    records: list[dict[str, Any]] | None = None
    if found:
        try:
            records = [json.loads(item) for item in found]
        except (json.JSONDecodeError, UnicodeDecodeError):
            records = None
    if records is None or len(records) < raw.count(b'"Feature"'):
        frame = read_boundaries(path)
        return pd.DataFrame(frame.drop(columns="geometry")).astype("string")
    keys: dict[str, None] = {}
    for record in records[:50]:
        keys.update(dict.fromkeys(record))
    schema = detect_schema(keys, [{"properties": r} for r in records])
    if schema is None:
        raise DataValidationError(
            [problem(path, f"has no area-code property (like LSOA21CD or LSOA11CD); its features have {sorted(keys)}")]
        )
    columns = {"code": schema.code, **({"name": schema.name} if schema.name else {}), **schema.parents}
    frame = pd.DataFrame({out: [r.get(prop) for r in records] for out, prop in columns.items()}, dtype="string")
    bad = ~frame["code"].fillna("").str.match(GSS_CODE_PATTERN)
    if bad.any():
        raise DataValidationError(
            [problem(path, f"{int(bad.sum())} features have no GSS code in {schema.code}", column=schema.code)]
        )
    frame.attrs.update({"kind": schema.kind, "code_property": schema.code, "file": path.name})
    return frame


def read_boundaries(
    path: str | Path,
    *,
    expected_code: str | None = None,
    districts: Collection[str] | None = None,
    object_name: str | None = None,
    codes: Collection[str] | None = None,
) -> gpd.GeoDataFrame:
    """Read and validate an ONS boundary file.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoJSON file (``.geojson``, or gzipped ``.geojson.gz``) or a TopoJSON file.
    expected_code : str, optional
        The code property the file must have, e.g. ``"LSOA21CD"``; by default it is
        detected from the properties (see :func:`detect_schema`).
    districts : collection of str, optional
        Keep only areas in these local authority districts (by the file's parent LAD
        property; for a district file, by its own code). Use it to cut a county out of
        an England-wide file; only kept areas' geometries are built and checked.
    object_name : str, optional
        For TopoJSON: the object to read (default: the one with area codes).
    codes : collection of str, optional
        Keep only areas with these codes (e.g. the LSOAs of the area configuration); the
        file need not have a district property then. An England-wide GeoJSON is decoded
        one feature at a time, so only the kept areas are held in memory.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``code``, ``name`` and any of ``lad_code``, ``lad_name``, ``utla_code``,
        ``rgn_code``, then ``geometry``; EPSG:4326; polygonal and valid geometries.
        ``attrs`` holds ``kind`` (e.g. ``"lsoa21"``), ``code_property`` and ``file``.

    Raises
    ------
    DataValidationError
        Listing every problem found, each naming the file (and the property).
    """
    path = Path(path)
    streamed = None
    if codes is not None:
        wanted_codes = set(codes)
        property_name = expected_code

        def kept_feature(feature: dict[str, Any]) -> bool:
            nonlocal property_name
            props = feature.get("properties") or {}
            if property_name is None:
                found = detect_schema(props.keys())
                property_name = found.code if found else ""
            return props.get(property_name) in wanted_codes

        streamed = _stream_features(path, kept_feature)
    if streamed is not None:
        features, crs = streamed
        shapely_geoms = False
        if not features:
            raise DataValidationError([problem(path, f"has none of the {len(wanted_codes)} areas asked for")])
    else:
        document = load_json_document(path)
        features, shapely_geoms, crs = _raw_features(document, path, object_name)
    if not features:
        raise DataValidationError([problem(path, "has no features; expected one polygon per area")])

    keys: dict[str, None] = {}
    for feature in features[:50]:
        keys.update(dict.fromkeys((feature.get("properties") or {}).keys()))
    if expected_code is not None and expected_code not in keys:
        raise DataValidationError(
            [
                problem(
                    path,
                    f"has no '{expected_code}' property; its features have {sorted(keys) or 'no properties'}",
                    column=expected_code,
                )
            ]
        )
    schema = schema_for(expected_code, keys) if expected_code else detect_schema(keys, features)
    if schema is None:
        raise DataValidationError(
            [
                problem(
                    path,
                    "has no area-code property (like LSOA21CD, LSOA11CD, WD25CD or "
                    f"LADCD); its features have {sorted(keys) or 'no properties'}",
                )
            ]
        )

    problems: list[Problem] = []
    codes_of_features: list[Any] = [(f.get("properties") or {}).get(schema.code) for f in features]
    for number, code in enumerate(codes_of_features, start=1):
        if not isinstance(code, str) or not _GSS.match(code):
            problems.append(
                problem(
                    path,
                    f"feature {number}: {code!r} is not a GSS code (a letter and 8 digits, e.g. E01028422)",
                    column=schema.code,
                )
            )
    counts = Counter(c for c in codes_of_features if isinstance(c, str))
    for code, count in sorted(counts.items()):
        if count > 1:
            numbers = [str(i) for i, c in enumerate(codes_of_features, start=1) if c == code]
            problems.append(
                problem(
                    path, f"code {code} appears {count} times (features {', '.join(numbers[:5])})", column=schema.code
                )
            )

    lad_property = schema.parents.get("lad_code")
    if codes is not None:
        wanted_codes = set(codes)
        keep = [c in wanted_codes for c in codes_of_features]
    elif districts is not None:
        wanted = set(districts)
        if schema.kind.startswith(("lad", "ltla")):
            keep = [c in wanted for c in codes_of_features]
        elif lad_property is None:
            raise DataValidationError(
                [
                    problem(
                        path,
                        "has no local authority property (LADCD_ACTIVE or LADyyCD) to select districts by",
                        column=schema.code,
                    )
                ]
            )
        else:
            keep = [(f.get("properties") or {}).get(lad_property) in wanted for f in features]
    else:
        keep = [True] * len(features)

    rows: list[dict[str, Any]] = []
    geometries: list[shapely.Geometry] = []
    for number, (feature, kept) in enumerate(zip(features, keep, strict=True), start=1):
        if not kept:
            continue
        props = feature.get("properties") or {}
        label = f"feature {number} ({props.get(schema.code)})"
        raw = feature.get("geometry")
        try:
            geom = raw if shapely_geoms else (shape(raw) if raw else None)
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as error:
            problems.append(problem(path, f"{label}: geometry cannot be read ({error})"))
            continue
        if geom is None or geom.is_empty:
            problems.append(problem(path, f"{label}: has no geometry"))
            continue
        if geom.geom_type not in (*_POLYGONAL, "GeometryCollection"):
            problems.append(
                problem(path, f"{label}: geometry is a {geom.geom_type}; expected a Polygon or MultiPolygon")
            )
            continue
        row = {"code": props.get(schema.code), "name": props.get(schema.name) if schema.name else None}
        row.update({column: props.get(prop) for column, prop in schema.parents.items()})
        rows.append(row)
        geometries.append(geom)
    if problems:
        raise DataValidationError(problems)
    if not rows:
        raise DataValidationError(
            [problem(path, f"has no areas in districts {sorted(districts or [])}", column=lad_property)]
        )

    geoms = np.asarray(geometries, dtype=object)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = [_polygonal(g) for g in shapely.make_valid(geoms[invalid])]
    geoms = np.asarray([_polygonal(g) if g.geom_type == "GeometryCollection" else g for g in geoms], dtype=object)
    empty = shapely.is_empty(geoms)
    for row, is_empty in zip(rows, empty, strict=True):
        if is_empty:
            problems.append(problem(path, f"area {row['code']}: geometry has no area once made valid"))
    if problems:
        raise DataValidationError(problems)

    frame = gpd.GeoDataFrame(rows, geometry=list(geoms), crs=crs)
    if crs != "EPSG:4326":
        frame = frame.to_crs("EPSG:4326")
    minx, miny, maxx, maxy = frame.total_bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise DataValidationError(
            [
                problem(
                    path,
                    f"coordinates ({minx:.0f}, {miny:.0f}) to ({maxx:.0f}, {maxy:.0f}) "
                    "are not longitude/latitude; expected WGS84 (EPSG:4326/CRS84) "
                    "or a 'crs' member naming the projection",
                )
            ]
        )
    frame.attrs.update(
        {"kind": schema.kind, "code_property": schema.code, "file": path.name, "repaired": int(invalid.sum())}
    )
    return frame
