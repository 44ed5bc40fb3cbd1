"""The geometry table producer: county TopoJSON files written at refresh."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import yaml

from cwb_metrics.errors import DataValidationError
from cwb_metrics.geo.simplify import topology_frame
from cwb_metrics.geo.tables import GEOMETRY_TABLES, TOPOLOGY_FILES, build_geometry, read_topology
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.boundaries import read_boundaries
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import from_mirror
from cwb_metrics.sources.registry import load_sources
from cwb_metrics.store import DataStore


def _context(mirror: Path, areas: AreaConfig) -> BuildContext:
    sources = load_sources()
    return BuildContext(files={t.source: from_mirror(sources[t.source], mirror) for t in GEOMETRY_TABLES}, areas=areas)


def _exteriors_clockwise(frame) -> bool:
    polygons = [p for g in frame.geometry for p in getattr(g, "geoms", [g])]
    return all(not shapely.is_ccw(p.exterior) and all(shapely.is_ccw(h) for h in p.interiors) for p in polygons)


# --- unit: a fictional two-district county --------------------------------------------
def _ward(code: str, name: str, district: str, lsoas: list[str]) -> dict:
    return {"code": code, "name": name, "district": district, "lsoas": lsoas}


@pytest.fixture
def testshire(fixtures_dir: Path) -> AreaConfig:
    """Testshire with a geography section listing the three hand-written squares (two wards)."""
    record = yaml.safe_load((fixtures_dir / "areas" / "testshire.yaml").read_text())
    record["neighbourhoods"], record["featured_neighbourhoods"] = [], []
    wards = [
        _ward("E05099901", "Riverside", "E07099901", ["E01099901", "E01099902"]),
        _ward("E05099903", "Southside", "E07099902", ["E01099903"]),
    ]
    record["geography"] = {
        vintage: {"lsoa_vintage": int(f"20{vintage[-2:]}"), "ward_vintage": "May 2019", "method": "official_lookup",
                  "source": "hand-written", "wards": wards}
        for vintage in ("lsoa11", "lsoa21")
    }  # fmt: skip
    return AreaConfig.model_validate(record)


@pytest.fixture
def tiny_mirror(fixtures_dir: Path, tmp_path: Path) -> Path:
    """A mirror folder whose boundary files are the hand-written squares, renamed per geography."""
    squares = json.loads((fixtures_dir / "boundaries" / "three_squares_lsoa21.geojson").read_text())
    # A fourth area in a district outside the county, as in an England-wide file.
    outside = json.loads(json.dumps(squares["features"][0]))
    outside["properties"].update({"LSOA21CD": "E01099909", "LSOA21NM": "Elsewhere 001A", "LADCD_ACTIVE": "E07099999"})
    outside["geometry"]["coordinates"] = [[[x + 0.1, y] for x, y in outside["geometry"]["coordinates"][0]]]
    squares["features"].append(outside)

    def renamed(mapping: dict[str, str]) -> dict:
        document = json.loads(json.dumps(squares))
        for feature in document["features"]:
            feature["properties"] = {mapping.get(k, k): v for k, v in feature["properties"].items()}
        return document

    sources = load_sources()
    documents = {
        "boundaries/lsoa21": squares,
        "boundaries/lsoa11": renamed({"LSOA21CD": "LSOA11CD", "LSOA21NM": "LSOA11NM"}),
        "boundaries/wards25": renamed({"LSOA21CD": "WD25CD", "LSOA21NM": "WD25NM", "LADCD_ACTIVE": "LAD25CD"}),
    }
    for source_id, document in documents.items():
        target = tmp_path / sources[source_id].mirror_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(document))
    return tmp_path


def test_build_geometry_writes_four_topologies(tiny_mirror: Path, testshire: AreaConfig) -> None:
    outputs = build_geometry(_context(tiny_mirror, testshire))
    assert [o.relative for o in outputs] == [
        "geo/lsoa11.topo.json",
        "geo/lsoa21.topo.json",
        "geo/wards25.topo.json",
        "geo/districts.topo.json",
    ]
    by_name = {o.relative: o for o in outputs}
    assert by_name["geo/lsoa21.topo.json"].built_from == ("boundaries/lsoa21",)
    assert by_name["geo/districts.topo.json"].built_from == ("boundaries/lsoa21",)
    for name in ("lsoa11", "lsoa21", "wards25"):
        topology = by_name[f"geo/{name}.topo.json"].payload
        assert list(topology["objects"]) == [name, "district_lines"]
        codes = [m["properties"]["code"] for m in topology["objects"][name]["geometries"]]
        # The area outside the county's districts is left out.
        assert codes == ["E01099901", "E01099902", "E01099903"]
        json.dumps(topology)  # JSON-ready (no numpy values)
    districts = by_name["geo/districts.topo.json"].payload
    assert [m["properties"] for m in districts["objects"]["districts"]["geometries"]] == [
        {"code": "E07099901", "name": "Northdale"},
        {"code": "E07099902", "name": "Southdale"},
    ]
    # Northdale is the union of its two squares: 0.04 x 0.01 degrees.
    northdale = topology_frame(districts, "districts").set_index("code").loc["E07099901", "geometry"]
    assert northdale.bounds == pytest.approx((-1.30, 51.75, -1.26, 51.76), abs=1e-4)


def test_lsoas_come_from_the_configuration_not_the_file_districts(tiny_mirror: Path, testshire: AreaConfig) -> None:
    # The outside square, listed as an LSOA of Southdale, is drawn in Southdale although
    # its file says E07099999: the configuration decides.
    record = testshire.model_dump()
    for vintage in ("lsoa11", "lsoa21"):
        record["geography"][vintage]["wards"][1]["lsoas"].append("E01099909")
    areas = AreaConfig.model_validate(record)
    outputs = {o.relative: o.payload for o in build_geometry(_context(tiny_mirror, areas))}
    members = outputs["geo/lsoa21.topo.json"]["objects"]["lsoa21"]["geometries"]
    assert {m["properties"]["code"]: m["properties"]["lad_code"] for m in members}["E01099909"] == "E07099902"


def test_an_lsoa_without_a_boundary_is_an_error(tiny_mirror: Path, testshire: AreaConfig) -> None:
    record = testshire.model_dump()
    record["geography"]["lsoa21"]["wards"][0]["lsoas"].append("E01099977")
    with pytest.raises(DataValidationError, match=r"has no boundary for 1 LSOAs of Testshire: E01099977"):
        build_geometry(_context(tiny_mirror, AreaConfig.model_validate(record)))


def test_without_ward_boundaries_wards_are_dissolved_from_lsoas(tiny_mirror: Path, testshire: AreaConfig) -> None:
    (tiny_mirror / load_sources()["boundaries/wards25"].mirror_path).unlink()
    sources = load_sources()
    files = {s: from_mirror(sources[s], tiny_mirror) for s in ("boundaries/lsoa11", "boundaries/lsoa21")}
    outputs = {o.relative: o for o in build_geometry(BuildContext(files=files, areas=testshire))}
    wards = outputs["geo/wards25.topo.json"]
    assert wards.built_from == ("boundaries/lsoa21",) and "derived" in wards.payload
    frame = topology_frame(wards.payload, "wards25").set_index("code")
    assert list(frame.index) == ["E05099901", "E05099903"]
    assert frame.loc["E05099901", "name"] == "Riverside" and frame.loc["E05099901", "lad_code"] == "E07099901"
    assert frame.loc["E05099901", "geometry"].bounds == pytest.approx((-1.30, 51.75, -1.26, 51.76), abs=1e-4)


def test_derived_wards_are_drawn_on_the_lsoas_own_arcs(tiny_mirror: Path, testshire: AreaConfig) -> None:
    from cwb_metrics.sources.boundaries import decode_arcs
    from cwb_metrics.views.deprivation_map import map_layers
    from cwb_metrics.views.map_request import MapRequest

    (tiny_mirror / load_sources()["boundaries/wards25"].mirror_path).unlink()
    record = testshire.model_dump()
    for vintage in ("lsoa11", "lsoa21"):  # Northdale's two squares in two wards
        wards = record["geography"][vintage]["wards"]
        wards[0]["lsoas"] = ["E01099901"]
        wards.append(_ward("E05099902", "Hilltop", "E07099901", ["E01099902"]))
    sources = load_sources()
    files = {s: from_mirror(sources[s], tiny_mirror) for s in ("boundaries/lsoa11", "boundaries/lsoa21")}
    outputs = {
        o.relative: o.payload
        for o in build_geometry(BuildContext(files=files, areas=AreaConfig.model_validate(record)))
    }
    for name in ("lsoa11", "lsoa21"):
        topology = outputs[f"geo/{name}.topo.json"]
        assert list(topology["objects"]) == [name, "district_lines", "ward_lines"]
        # Riverside | Hilltop is the one edge between wards of one district (x = -1.28); the edges with
        # Southdale's square are district lines, not ward lines.
        (line,) = topology["objects"]["ward_lines"]["geometries"]
        assert line["properties"] == {"lad_code": "E07099901"}
        arcs = decode_arcs(topology)
        points = np.concatenate([arcs[i[0] if i[0] >= 0 else ~i[0]] for i in line["arcs"]])
        assert points[:, 0] == pytest.approx(-1.28, abs=1e-4)
        assert sorted(points[:, 1]) == pytest.approx([51.75, 51.76], abs=1e-4)
        assert all("ward_code" not in m["properties"] for m in topology["objects"][name]["geometries"])
    # The map draws those lines from the LSOA topology itself, and sends only the LSOAs' code and name.
    layers = map_layers(MapRequest.of("2025", "imd"), lambda name: outputs[TOPOLOGY_FILES[name]])
    assert layers.wards_object == "ward_lines" and list(layers.wards["objects"]) == ["ward_lines"]
    assert layers.lsoas["objects"]["lsoa21"]["geometries"][0]["properties"] == {
        "code": "E01099901", "name": "Northdale 001A",
    }  # fmt: skip
    zoomed = map_layers(MapRequest.of("2025", "imd", "E07099902"), lambda name: outputs[TOPOLOGY_FILES[name]])
    assert zoomed.wards["objects"]["ward_lines"]["geometries"] == []  # Southdale has one ward


def test_map_detail_follows_the_largest_zoom(testshire: AreaConfig) -> None:
    import geopandas as gpd

    from cwb_metrics.geo.tables import map_scale

    # In British National Grid metres: district A 45 km wide (20 km tall), district B 9 km wide but
    # 60 km tall, side by side. Maps are drawn 450 px wide: east to west sets the scale.
    boxes = [shapely.box(0, 0, 45_000, 20_000), shapely.box(45_000, 0, 54_000, 60_000)]
    frame = gpd.GeoDataFrame({"lad_code": ["A", "B"]}, geometry=boxes, crs="EPSG:27700")
    # Two districts: the widest is 45 km on 450 px, 100 m a pixel: half a pixel (50 m), 3 m (a fortieth
    # of a pixel, 2.5 m, is finer than the default grid) and 5%.
    assert map_scale(frame, 2) == pytest.approx((50.0, 3.0, 0.05))
    # One council over both: 54 km, 120 m a pixel: 60 m, a fortieth (3 m), 5%.
    assert map_scale(frame, 1) == pytest.approx((60.0, 3.0, 0.05))
    # 250 m a pixel (Cornwall's 112 km): 125 m, 6.25 m.
    wide = gpd.GeoDataFrame({"lad_code": ["C"]}, geometry=[shapely.box(0, 0, 112_500, 50_000)], crs="EPSG:27700")
    assert map_scale(wide, 1) == pytest.approx((125.0, 6.25, 0.05))
    # A small district (9 km, 20 m a pixel), or one 36 km wide (80 m a pixel: half of it is the default 40 m),
    # is a fine map: the library's 40 m, 3 m and 2%.
    assert map_scale(frame[frame["lad_code"] == "B"], 1) == pytest.approx((40.0, 3.0, 0.02))
    fine = gpd.GeoDataFrame({"lad_code": ["D"]}, geometry=[shapely.box(0, 0, 36_000, 9_000)], crs="EPSG:27700")
    assert map_scale(fine, 1) == pytest.approx((40.0, 3.0, 0.02))


def test_written_and_read_back_through_the_store(tiny_mirror: Path, testshire: AreaConfig, tmp_path: Path) -> None:
    store = DataStore(tmp_path / "data")
    with store.new_version("refresh") as writer:
        for output in build_geometry(_context(tiny_mirror, testshire)):
            writer.write_json(output.relative, output.payload, list(output.built_from))
    for name, relative in TOPOLOGY_FILES.items():
        topology = read_topology(store, name)
        assert name in topology["objects"]
        assert store.manifest()["outputs"][relative]["built_from"]
    with pytest.raises(KeyError, match="no geometry 'msoa21'"):
        read_topology(store, "msoa21")


# --- integration: Oxfordshire from the mirror -----------------------------------------
@pytest.fixture(scope="module")
def oxfordshire() -> AreaConfig:
    from cwb_metrics.settings import AREAS_DIR

    return AreaConfig.model_validate(yaml.safe_load((AREAS_DIR / "oxfordshire.yaml").read_text()))


@pytest.fixture(scope="module")
def built(mirror: Path, oxfordshire: AreaConfig) -> dict[str, dict]:
    return {o.relative: o.payload for o in build_geometry(_context(mirror, oxfordshire))}


@pytest.fixture(scope="module")
def district_codes(oxfordshire: AreaConfig) -> set[str]:
    return {d.code for d in oxfordshire.districts}


@pytest.mark.integration
@pytest.mark.parametrize(("name", "count"), [("lsoa11", 407), ("lsoa21", 428), ("wards25", 112), ("districts", 5)])
def test_oxfordshire_counts_and_properties(built: dict, district_codes: set[str], name: str, count: int) -> None:
    topology = built[f"geo/{name}.topo.json"]
    members = topology["objects"][name]["geometries"]
    assert len(members) == count
    codes = [m["properties"]["code"] for m in members]
    assert len(set(codes)) == count
    assert all(m["properties"].get("name") for m in members)
    if name == "districts":
        assert set(codes) == district_codes
    else:
        assert {m["properties"]["lad_code"] for m in members} == district_codes
        assert set().union(*(m["properties"] for m in members)) == {"code", "name", "lad_code"}


@pytest.mark.integration
def test_every_imd2019_lsoa_of_oxfordshire_is_drawn(built: dict, mirror: Path, district_codes: set[str]) -> None:
    imd = pd.read_csv(mirror / load_sources()["imd/2019/file1"].mirror_path, encoding="utf-8-sig", usecols=[0, 2])
    imd.columns = ["code", "lad"]
    expected = set(imd.loc[imd["lad"].isin(district_codes), "code"])
    assert len(expected) == 407
    drawn = {m["properties"]["code"] for m in built["geo/lsoa11.topo.json"]["objects"]["lsoa11"]["geometries"]}
    assert drawn == expected


@pytest.mark.integration
def test_every_imd2025_lsoa_of_oxfordshire_is_drawn(built: dict, mirror: Path, district_codes: set[str]) -> None:
    sources = load_sources()
    imd25 = set(pd.read_csv(mirror / sources["imd/2025/file7"].mirror_path, usecols=["lsoa21_code"])["lsoa21_code"])
    # The 2021 LSOAs of the five districts, from two sources independent of the county
    # extract: the ONS best-fit lookup (406: it misses LSOAs made by splits) and the
    # England-wide boundary file.
    lookup = pd.read_csv(mirror / sources["lookup/lsoa11_lsoa21"].mirror_path, usecols=["LSOA21CD", "LAD22CD"])
    from_lookup = set(lookup.loc[lookup["LAD22CD"].isin(district_codes), "LSOA21CD"])
    england = read_boundaries(mirror / "boundaries/england/england_lsoa21_bgc.geojson.gz", districts=district_codes)
    expected = from_lookup | set(england["code"])
    assert len(expected) == 428
    assert expected <= imd25
    drawn = {m["properties"]["code"] for m in built["geo/lsoa21.topo.json"]["objects"]["lsoa21"]["geometries"]}
    assert drawn == expected


@pytest.mark.integration
@pytest.mark.parametrize("name", ["lsoa11", "lsoa21", "wards25", "districts"])
def test_oxfordshire_simplified_geometry_is_faithful(built: dict, mirror: Path, name: str) -> None:
    table = next(t for t in GEOMETRY_TABLES if t.object_name == name)
    topology = built[table.relative]
    simplified = topology_frame(topology, name).set_index("code").to_crs(27700)
    # The originals: the England-wide LSOA files cut to these codes; the mirror's own
    # Oxfordshire ward file; its separately dissolved district file (made independently).
    source = {
        "wards25": mirror / "boundaries/oxfordshire/oxfordshire_E10000025_wards_may2025_bgc.geojson",
        "districts": mirror / "derived/oxfordshire_lad_dissolved_from_lsoa21_bgc.geojson",
    }.get(name, mirror / load_sources()[table.source].mirror_path)
    original = read_boundaries(source, codes=list(simplified.index)).set_index("code").to_crs(27700)
    original = original.loc[simplified.index]
    # Far fewer points, far fewer bytes ...
    points = sum(len(a) for a in topology["arcs"])
    assert points < 0.6 * shapely.get_num_coordinates(original.geometry.to_numpy()).sum()
    assert len(json.dumps(topology, separators=(",", ":"))) < len(original.to_crs(4326).to_json()) / 5
    # ... but the same areas: valid, wound for d3, total area within 0.1%, each within a few %.
    assert simplified.is_valid.all()
    assert _exteriors_clockwise(simplified.to_crs(4326))
    assert simplified.area.sum() == pytest.approx(original.area.sum(), rel=0.001)
    ratio = simplified.area / original.area
    assert np.abs(ratio - 1).max() < 0.03
    # No edge moves more than ~tolerance (40 m) + quantisation.
    moved = shapely.hausdorff_distance(simplified.geometry.to_numpy(), original.geometry.to_numpy())
    assert moved.max() < 60
    # Neighbours still meet: no gaps or overlaps between areas.
    assert shapely.coverage_is_valid(simplified.geometry.to_numpy())
