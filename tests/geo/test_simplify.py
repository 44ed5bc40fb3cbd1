"""Topology-preserving simplification into TopoJSON, on hand-written geometry."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from cwb_metrics.geo.simplify import add_boundary_lines, build_topology, subset_topology, topology_frame
from cwb_metrics.sources.boundaries import read_boundaries


@pytest.fixture
def squares(fixtures_dir: Path) -> gpd.GeoDataFrame:
    return read_boundaries(fixtures_dir / "boundaries" / "three_squares_lsoa21.geojson")


def _arc_users(topology: dict, object_name: str) -> dict[int, int]:
    users: dict[int, int] = {}

    def walk(node) -> list[int]:
        return [node] if isinstance(node, int) else [i for item in node for i in walk(item)]

    for member in topology["objects"][object_name]["geometries"]:
        for index in set(walk(member["arcs"])):
            key = index if index >= 0 else ~index
            users[key] = users.get(key, 0) + 1
    return users


def _exteriors_clockwise(frame: gpd.GeoDataFrame) -> bool:
    rings = [(p.exterior, list(p.interiors)) for g in frame.geometry for p in getattr(g, "geoms", [g])]
    return all(not shapely.is_ccw(ext) and all(shapely.is_ccw(h) for h in holes) for ext, holes in rings)


def test_topology_shape_and_properties(squares: gpd.GeoDataFrame) -> None:
    topology = build_topology(squares, "lsoa21")
    assert topology["type"] == "Topology"
    assert set(topology["transform"]) == {"scale", "translate"}
    assert list(topology["objects"]) == ["lsoa21"]
    members = topology["objects"]["lsoa21"]["geometries"]
    assert [m["properties"] for m in members] == [
        {"code": "E01099901", "name": "Northdale 001A", "lad_code": "E07099901"},
        {"code": "E01099902", "name": "Northdale 001B", "lad_code": "E07099901"},
        {"code": "E01099903", "name": "Southdale 001A", "lad_code": "E07099902"},
    ]
    # Quantised and delta-encoded: integers only.
    assert all(isinstance(v, int) for arc in topology["arcs"] for point in arc for v in point)
    west, south, east, north = topology["bbox"]
    assert (west, south, east, north) == pytest.approx((-1.30, 51.74, -1.26, 51.76), abs=1e-4)


def test_neighbours_share_arcs(squares: gpd.GeoDataFrame) -> None:
    topology = build_topology(squares, "lsoa21")
    shared = [i for i, n in _arc_users(topology, "lsoa21").items() if n == 2]
    # Square 1 | square 2, square 1 / L-shape, square 2 / L-shape.
    assert len(shared) >= 3


def test_decoded_areas_match_and_rings_are_clockwise(squares: gpd.GeoDataFrame) -> None:
    # The fixture's rings are counter-clockwise (RFC 7946); d3-geo needs clockwise exteriors.
    assert all(shapely.is_ccw(g.exterior) for g in squares.geometry)
    back = topology_frame(build_topology(squares, "lsoa21"), "lsoa21")
    assert _exteriors_clockwise(back)
    assert back["code"].tolist() == squares["code"].tolist()
    # Corners are only moved by quantisation (3 m grid): at most half a diagonal step.
    moved = shapely.hausdorff_distance(
        back.to_crs(27700).geometry.to_numpy(), squares.to_crs(27700).geometry.to_numpy()
    )
    assert moved.max() <= 3.0 * np.sqrt(2) / 2 + 0.01


def _wiggly_neighbours() -> gpd.GeoDataFrame:
    """Two areas sharing a zig-zag border (±6 m wiggles every ~20 m), in EPSG:4326."""
    x = np.linspace(0, 2000, 101)
    y = 1000 + 6 * np.where(np.arange(101) % 2 == 0, 1, -1) + 200 * np.sin(x / 2000 * np.pi)
    border = np.c_[x, y]
    south = np.vstack([[[0, 0], [2000, 0]], border[::-1], [[0, 0]]])
    north = np.vstack([border, [[2000, 2000], [0, 2000]], border[:1]])
    frame = gpd.GeoDataFrame(
        {"code": ["E01099991", "E01099992"], "name": ["South", "North"], "lad_code": ["E07099901"] * 2},
        geometry=[shapely.Polygon(south), shapely.Polygon(north)],
        crs=27700,
    )
    # Put them near Oxford.
    frame.geometry = frame.geometry.translate(450000, 206000)
    return frame.to_crs(4326)


def test_simplifying_shared_arcs_leaves_no_gaps_or_overlaps() -> None:
    frame = _wiggly_neighbours()
    topology = build_topology(frame, "x", tolerance_m=40)
    back = topology_frame(topology, "x").to_crs(27700)
    original = frame.to_crs(27700)
    # The wiggles are gone ...
    assert sum(len(a) for a in topology["arcs"]) < 0.5 * shapely.get_num_coordinates(original.geometry).sum()
    # ... but the two areas still meet exactly: no gaps, no overlaps.
    assert shapely.coverage_is_valid(back.geometry.to_numpy())
    assert back.geometry.iloc[0].intersection(back.geometry.iloc[1]).area == pytest.approx(0.0, abs=1.0)
    union = shapely.union_all(back.geometry.to_numpy())
    assert union.geom_type == "Polygon" and not list(union.interiors)
    assert union.area == pytest.approx(back.area.sum(), rel=1e-6)
    assert back.area.sum() == pytest.approx(original.area.sum(), rel=1e-3)
    # They share the whole simplified border (2 km and a bit), not just points along it.
    shared = back.geometry.iloc[0].boundary.intersection(back.geometry.iloc[1].boundary)
    assert shared.length > 2000


def test_island_in_a_hole_is_wound_for_d3() -> None:
    outer = shapely.Polygon(
        [(0, 0), (3000, 0), (3000, 3000), (0, 3000)], [[(1000, 1000), (1000, 2000), (2000, 2000), (2000, 1000)]]
    )
    island = shapely.Polygon([(1000, 1000), (2000, 1000), (2000, 2000), (1000, 2000)])
    frame = gpd.GeoDataFrame(
        {"code": ["E01099993", "E01099994"], "name": ["Ring", "Island"]},
        geometry=[outer, island],
        crs=27700,
    )
    frame.geometry = frame.geometry.translate(450000, 206000)
    back = topology_frame(build_topology(frame.to_crs(4326), "x"), "x")
    assert _exteriors_clockwise(back)
    assert len(back.geometry.iloc[0].interiors) == 1
    assert back.to_crs(27700).area.tolist() == pytest.approx([8e6, 1e6], rel=0.01)


def test_small_areas_keep_their_area() -> None:
    # A 120 m wide star-shaped area: 40 m simplification would cut it badly.
    angles = np.linspace(0, 2 * np.pi, 41)[:-1]
    radius = np.where(np.arange(40) % 2 == 0, 60, 35)
    star = shapely.Polygon(np.c_[radius * np.cos(angles), radius * np.sin(angles)])
    box = shapely.box(-500, -500, 500, 500).difference(star)
    frame = gpd.GeoDataFrame({"code": ["E01099995", "E01099996"]}, geometry=[star, box], crs=27700).translate(
        450000, 206000
    )
    frame = gpd.GeoDataFrame({"code": ["E01099995", "E01099996"]}, geometry=frame, crs=27700).to_crs(4326)
    back = topology_frame(build_topology(frame, "x", tolerance_m=40, max_area_change=0.02), "x")
    ratio = back.to_crs(27700).area.to_numpy() / frame.to_crs(27700).area.to_numpy()
    assert np.abs(ratio - 1).max() <= 0.02 + 0.005  # + quantisation
    assert back.is_valid.all()


def test_district_lines(squares: gpd.GeoDataFrame) -> None:
    topology = add_boundary_lines(build_topology(squares, "lsoa21"), "lsoa21", "lad_code", "district_lines")
    lines = topology_frame(topology, "district_lines").geometry.iloc[0]
    assert lines.geom_type == "MultiLineString"
    # The outer edge (0.04 x 0.02 degrees) and the Northdale/Southdale border, but not the
    # line between the two Northdale squares.
    assert lines.length == pytest.approx(2 * (0.04 + 0.02) + 0.04, rel=0.01)
    middle_of_inner_line = shapely.Point(-1.28, 51.755)
    assert lines.distance(middle_of_inner_line) == pytest.approx(0.005, abs=1e-4)
    # No new coordinates: the lines reuse the areas' arcs.
    assert len(topology["arcs"]) == len(build_topology(squares, "lsoa21")["arcs"])


def test_subset_topology(squares: gpd.GeoDataFrame) -> None:
    topology = add_boundary_lines(build_topology(squares, "lsoa21"), "lsoa21", "lad_code", "district_lines")
    subset = subset_topology(topology, "district_lines")
    assert list(subset["objects"]) == ["district_lines"]
    assert len(subset["arcs"]) < len(topology["arcs"])
    assert subset["transform"] == topology["transform"]
    full = topology_frame(topology, "district_lines").geometry.iloc[0]
    assert topology_frame(subset, "district_lines").geometry.iloc[0].equals(full)
    same = subset_topology(topology, "lsoa21")
    assert topology_frame(same, "lsoa21").geometry.geom_equals(topology_frame(topology, "lsoa21").geometry).all()
