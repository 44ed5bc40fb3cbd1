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
payload and lies exactly on the areas' edges). Areas are selected by the configured
districts, so England-wide boundary files work as well as county extracts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd

from cwb_metrics.errors import DataValidationError, problem
from cwb_metrics.geo.simplify import DEFAULT_QUANTUM_M, DEFAULT_TOLERANCE_M, add_boundary_lines, build_topology
from cwb_metrics.sources.boundaries import read_boundaries
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.store import DataStore

#: Object of district boundary lines added to the LSOA and ward topologies.
DISTRICT_LINES = "district_lines"


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
        Code property the boundary file must have; ``None`` to detect it (districts
        may come from a ``LADCD``, ``LAD25CD`` or ``LAD13CD`` file).
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
    GeometryTable("geo/districts.topo.json", "boundaries/districts", "districts", None, district_lines=False),
)

#: Each table's file and object, by object name (``lsoa11`` -> ``geo/lsoa11.topo.json``).
TOPOLOGY_FILES: dict[str, str] = {t.object_name: t.relative for t in GEOMETRY_TABLES}


def county_boundaries(context: BuildContext, table: GeometryTable) -> gpd.GeoDataFrame:
    """Read one boundary source, keeping the configured districts' areas (cached).

    Raises
    ------
    DataValidationError
        When the file is invalid, or a configured district has no areas in it.
    """
    districts = {d.code: d.name for d in context.areas.districts}
    path = context.path(table.source)

    def load() -> gpd.GeoDataFrame:
        return read_boundaries(path, expected_code=table.code_property, districts=districts)

    frame = context.cached(f"boundaries:{table.source}:{','.join(sorted(districts))}", load)
    present = set(frame["code"] if frame.attrs.get("kind", "").startswith(("lad", "ltla")) else frame["lad_code"])
    missing = [f"{code} ({name})" for code, name in districts.items() if code not in present]
    if missing:
        raise DataValidationError(
            [
                problem(path, f"has no areas in district {m}; expected every district of {context.areas.county_name}")
                for m in missing
            ]
        )
    return frame


def build_geometry(
    context: BuildContext,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    quantum_m: float = DEFAULT_QUANTUM_M,
) -> list[Output]:
    """Build the county's TopoJSON files (a table producer).

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files and area configuration.
    tolerance_m : float
        Simplification tolerance in metres (see :func:`~cwb_metrics.geo.simplify.build_topology`).
    quantum_m : float
        Quantisation step in metres.

    Returns
    -------
    list of Output
        One JSON output per entry of :data:`GEOMETRY_TABLES`.
    """
    outputs = []
    for table in GEOMETRY_TABLES:
        frame = county_boundaries(context, table)
        topology = build_topology(frame, table.object_name, tolerance_m=tolerance_m, quantum_m=quantum_m)
        if table.district_lines and "lad_code" in frame.columns:
            add_boundary_lines(topology, table.object_name, "lad_code", DISTRICT_LINES)
        outputs.append(Output(table.relative, topology, built_from=(table.source,)))
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
