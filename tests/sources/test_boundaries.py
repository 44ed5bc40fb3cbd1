"""The boundary adapter: GeoJSON (plain, gzipped) and TopoJSON, validated."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
import shapely

from cwb_metrics.errors import DataValidationError
from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.boundaries import detect_schema, read_boundaries

SQUARES = "boundaries/three_squares_lsoa21.geojson"
LAD_TOPO = "boundaries/two_districts_lad.topo.json"


@pytest.fixture
def squares(fixtures_dir: Path) -> Path:
    return fixtures_dir / SQUARES


def _document(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, document: dict) -> Path:
    target = tmp_path / name
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


# --- schema detection -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("properties", "kind", "code", "name", "lad"),
    [
        (
            ["FID", "LSOA21CD", "LSOA21NM", "LADCD_ACTIVE", "UTLACD", "RGNCD"],
            "lsoa21",
            "LSOA21CD",
            "LSOA21NM",
            "LADCD_ACTIVE",
        ),
        (
            ["LSOA11CD", "LSOA11NM", "LSOA11NMW", "LADCD_ACTIVE", "LONG", "LAT"],
            "lsoa11",
            "LSOA11CD",
            "LSOA11NM",
            "LADCD_ACTIVE",
        ),
        (
            ["WD25CD", "WD25NM", "WD25NMW", "LAD25CD", "LAD25NM", "LADCD_ACTIVE"],
            "wd25",
            "WD25CD",
            "WD25NM",
            "LADCD_ACTIVE",
        ),
        (["LADCD", "LADNM"], "lad", "LADCD", "LADNM", None),
        (["LAD13CD", "LAD13CDO", "LAD13NM"], "lad13", "LAD13CD", "LAD13NM", None),
    ],
)
def test_detect_schema_picks_the_finest_code(properties, kind, code, name, lad) -> None:
    schema = detect_schema(properties)
    assert schema is not None
    assert (schema.kind, schema.code, schema.name, schema.parents.get("lad_code")) == (kind, code, name, lad)


def test_detect_schema_without_codes_is_none() -> None:
    assert detect_schema(["FID", "name", "population"]) is None


# --- reading --------------------------------------------------------------------------
def test_reads_geojson_with_standard_columns(squares: Path) -> None:
    frame = read_boundaries(squares)
    assert list(frame.columns) == ["code", "name", "lad_code", "utla_code", "rgn_code", "geometry"]
    assert frame["code"].tolist() == ["E01099901", "E01099902", "E01099903"]
    assert frame["name"].tolist() == ["Northdale 001A", "Northdale 001B", "Southdale 001A"]
    assert frame["lad_code"].tolist() == ["E07099901", "E07099901", "E07099902"]
    assert frame.crs.to_epsg() == 4326
    assert frame.attrs["kind"] == "lsoa21"
    assert frame.attrs["code_property"] == "LSOA21CD"
    assert frame.is_valid.all()
    # The L-shaped third area is twice the size of each square (about 1.5 km² each).
    areas = frame.to_crs(27700).area
    assert areas.iloc[2] == pytest.approx(2 * areas.iloc[0], rel=0.01)
    assert 1.4e6 < areas.iloc[0] < 1.7e6


def test_reads_gzipped_geojson_by_content(squares: Path, tmp_path: Path) -> None:
    plain = read_boundaries(squares)
    target = tmp_path / "squares.geojson.gz"
    target.write_bytes(gzip.compress(squares.read_bytes()))
    zipped = read_boundaries(target)
    assert zipped["code"].tolist() == plain["code"].tolist()
    assert zipped.geometry.geom_equals(plain.geometry).all()


def test_reads_topojson(fixtures_dir: Path) -> None:
    frame = read_boundaries(fixtures_dir / LAD_TOPO)
    assert frame["code"].tolist() == ["E07099901", "E07099902"]
    assert frame["name"].tolist() == ["Northdale", "Southdale"]
    assert frame.attrs["kind"] == "lad13"
    # Quantised arcs are delta-decoded: each district is 0.04° x 0.01°.
    assert frame.geometry.iloc[0].bounds == pytest.approx((-1.30, 51.75, -1.26, 51.76))
    assert frame.geometry.iloc[1].bounds == pytest.approx((-1.30, 51.74, -1.26, 51.75))
    assert frame.geometry.iloc[0].intersection(frame.geometry.iloc[1]).area == pytest.approx(0.0)


def test_selects_districts(squares: Path, fixtures_dir: Path) -> None:
    assert read_boundaries(squares, districts={"E07099902"})["code"].tolist() == ["E01099903"]
    # A district file is selected by its own codes.
    assert read_boundaries(fixtures_dir / LAD_TOPO, districts=["E07099901"])["code"].tolist() == ["E07099901"]


def test_no_area_in_the_districts_is_an_error(squares: Path) -> None:
    with pytest.raises(DataValidationError, match="no areas in districts"):
        read_boundaries(squares, districts={"E07000178"})


def test_invalid_geometry_is_made_valid(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    # A bow-tie: self-intersecting, so invalid; make_valid turns it into two triangles.
    document["features"][0]["geometry"]["coordinates"] = [
        [[-1.30, 51.75], [-1.28, 51.76], [-1.28, 51.75], [-1.30, 51.76], [-1.30, 51.75]]
    ]
    frame = read_boundaries(_write(tmp_path, "bowtie.geojson", document))
    assert frame.is_valid.all()
    assert frame.geometry.iloc[0].geom_type == "MultiPolygon"
    assert frame.attrs["repaired"] == 1


def test_rings_in_either_winding_order_read_alike(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    for feature in document["features"]:
        feature["geometry"]["coordinates"] = [ring[::-1] for ring in feature["geometry"]["coordinates"]]
    reversed_frame = read_boundaries(_write(tmp_path, "reversed.geojson", document))
    assert reversed_frame.geometry.geom_equals(read_boundaries(squares).geometry).all()


def test_british_national_grid_is_reprojected(squares: Path, tmp_path: Path) -> None:
    frame = read_boundaries(squares).to_crs(27700)
    document = json.loads(frame.rename(columns={"code": "LSOA21CD", "name": "LSOA21NM"}).to_json())
    document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    back = read_boundaries(_write(tmp_path, "bng.geojson", document))
    assert back.crs.to_epsg() == 4326
    assert back.total_bounds == pytest.approx([-1.30, 51.74, -1.26, 51.76], abs=1e-6)


# --- validation -----------------------------------------------------------------------
def test_truncated_file_names_the_file(squares: Path, tmp_path: Path) -> None:
    raw = squares.read_bytes()
    target = tmp_path / "half_written.geojson"
    target.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataValidationError, match=r"half_written\.geojson: is not valid JSON.*truncated"):
        read_boundaries(target)


def test_truncated_gzip_names_the_file(squares: Path, tmp_path: Path) -> None:
    packed = gzip.compress(squares.read_bytes())
    target = tmp_path / "half_written.geojson.gz"
    target.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(DataValidationError, match=r"half_written\.geojson\.gz: is not a complete gzip file"):
        read_boundaries(target)


def test_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "empty.geojson"
    target.write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"empty\.geojson: is empty"):
        read_boundaries(target)


def test_not_geojson(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="expected a GeoJSON FeatureCollection"):
        read_boundaries(_write(tmp_path, "table.json", {"type": "Table", "rows": []}))


def test_no_features(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="has no features"):
        read_boundaries(_write(tmp_path, "none.geojson", {"type": "FeatureCollection", "features": []}))


def test_missing_code_property(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    for feature in document["features"]:
        feature["properties"]["CODE"] = feature["properties"].pop("LSOA21CD")
    path = _write(tmp_path, "nocode.geojson", document)
    with pytest.raises(DataValidationError, match=r"nocode\.geojson: has no area-code property"):
        read_boundaries(path)
    with pytest.raises(DataValidationError, match="column 'LSOA21CD': has no 'LSOA21CD' property") as caught:
        read_boundaries(path, expected_code="LSOA21CD")
    assert caught.value.problems[0].column == "LSOA21CD"


def test_expected_code_must_be_present(squares: Path) -> None:
    with pytest.raises(DataValidationError, match="has no 'LSOA11CD' property"):
        read_boundaries(squares, expected_code="LSOA11CD")


def test_duplicate_codes(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    document["features"][2]["properties"]["LSOA21CD"] = "E01099901"
    with pytest.raises(DataValidationError, match="code E01099901 appears 2 times \\(features 1, 3\\)") as caught:
        read_boundaries(_write(tmp_path, "dupes.geojson", document))
    assert caught.value.problems[0].file == "dupes.geojson"


def test_codes_must_be_gss_and_every_problem_is_listed(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    document["features"][0]["properties"]["LSOA21CD"] = "Oxford 001A"
    document["features"][1]["properties"]["LSOA21CD"] = None
    with pytest.raises(DataValidationError) as caught:
        read_boundaries(_write(tmp_path, "badcodes.geojson", document))
    messages = [p.message for p in caught.value.problems]
    assert len(messages) == 2
    assert "feature 1: 'Oxford 001A' is not a GSS code" in messages[0]
    assert "feature 2: None is not a GSS code" in messages[1]


def test_missing_and_wrong_geometry(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    document["features"][0]["geometry"] = None
    document["features"][1]["geometry"] = {"type": "Point", "coordinates": [-1.27, 51.755]}
    with pytest.raises(DataValidationError) as caught:
        read_boundaries(_write(tmp_path, "nogeom.geojson", document))
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "feature 1 (E01099901): has no geometry",
        "feature 2 (E01099902): geometry is a Point; expected a Polygon or MultiPolygon",
    ]


def test_projected_coordinates_without_crs(squares: Path, tmp_path: Path) -> None:
    document = json.loads(
        read_boundaries(squares).to_crs(27700).rename(columns={"code": "LSOA21CD", "name": "LSOA21NM"}).to_json()
    )
    document.pop("crs", None)
    with pytest.raises(DataValidationError, match="are not longitude/latitude"):
        read_boundaries(_write(tmp_path, "bng_no_crs.geojson", document))


# --- the real files (integration) -----------------------------------------------------
OXFORDSHIRE = {
    "boundaries/oxfordshire/oxfordshire_E10000025_lsoa11_bgc.geojson": ("LSOA11CD", 407),
    "boundaries/oxfordshire/oxfordshire_E10000025_lsoa21_bgc.geojson": ("LSOA21CD", 428),
    "boundaries/oxfordshire/oxfordshire_E10000025_wards_may2025_bgc.geojson": ("WD25CD", 112),
    "derived/oxfordshire_lad_dissolved_from_lsoa21_bgc.geojson": ("LADCD", 5),
}
DISTRICTS = {"E07000177", "E07000178", "E07000179", "E07000180", "E07000181"}


@pytest.mark.integration
@pytest.mark.parametrize("relative", sorted(OXFORDSHIRE))
def test_real_oxfordshire_boundaries(mirror: Path, relative: str) -> None:
    code_property, count = OXFORDSHIRE[relative]
    frame = read_boundaries(mirror / relative, expected_code=code_property)
    assert len(frame) == count
    assert frame["code"].is_unique
    assert frame["code"].str.fullmatch(GSS_CODE_PATTERN.strip("^$")).all()
    assert frame["name"].notna().all()
    assert frame.is_valid.all()
    assert not frame.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    west, south, east, north = frame.total_bounds
    assert -1.8 < west < east < -0.8 and 51.4 < south < north < 52.2  # Oxfordshire, in lon/lat
    if "lad_code" in frame.columns:
        assert set(frame["lad_code"]) == DISTRICTS
    else:
        assert set(frame["code"]) == DISTRICTS
    # Together the areas cover the county (about 2,605 km²).
    assert frame.to_crs(27700).area.sum() / 1e6 == pytest.approx(2605, rel=0.01)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("relative", "count"), [("england_lsoa11_bgc.geojson.gz", 407), ("england_lsoa21_bgc.geojson.gz", 428)]
)
def test_england_files_cut_to_oxfordshire(mirror: Path, relative: str, count: int) -> None:
    england = read_boundaries(mirror / "boundaries" / "england" / relative, districts=DISTRICTS)
    assert len(england) == count
    county = read_boundaries(
        mirror / "boundaries" / "oxfordshire" / f"oxfordshire_E10000025_{relative.split('_')[1]}_bgc.geojson"
    )
    assert set(england["code"]) == set(county["code"])


@pytest.mark.integration
def test_england_lad_topojson(mirror: Path) -> None:
    frame = read_boundaries(mirror / "boundaries/england/england_lad_dec2013_generalised_topo.json")
    assert len(frame) == 326
    assert frame.attrs["kind"] == "lad13"
    assert frame["code"].map(lambda c: bool(re.fullmatch(r"E0[6-9]\d{6}", c))).all()
    assert frame.is_valid.all()  # the heavy quantisation leaves self-intersections; they are repaired
    oxon = frame[frame["code"].isin(DISTRICTS)]
    assert len(oxon) == 5
    derived = read_boundaries(mirror / "derived/oxfordshire_lad_dissolved_from_lsoa21_bgc.geojson")
    # Same districts, drawn at ~60 m: areas agree within a few per cent.
    mine = oxon.set_index("code").to_crs(27700).area
    theirs = derived.set_index("code").to_crs(27700).area
    assert (abs(mine / theirs - 1) < 0.03).all()
    assert shapely.area(oxon.to_crs(27700).geometry.union_all()) / 1e6 == pytest.approx(2605, rel=0.03)


# --- England-wide files: properties only, and a cut by codes ----------------------------
def test_properties_without_geometry(squares: Path, tmp_path: Path) -> None:
    from cwb_metrics.sources.boundaries import read_boundary_properties

    zipped = tmp_path / "squares.geojson.gz"
    zipped.write_bytes(gzip.compress(squares.read_bytes()))
    frame = read_boundary_properties(zipped)
    assert frame["code"].tolist() == ["E01099901", "E01099902", "E01099903"]
    assert frame["lad_code"].tolist() == ["E07099901", "E07099901", "E07099902"]
    assert frame["utla_code"].tolist() == ["E10099999"] * 3 and frame.attrs["code_property"] == "LSOA21CD"


def test_cut_by_codes_without_a_district_property(squares: Path, tmp_path: Path) -> None:
    document = _document(squares)
    for feature in document["features"]:
        del feature["properties"]["LADCD_ACTIVE"]  # as the ONS portal serves LSOA boundaries
    zipped = tmp_path / "no_districts.geojson.gz"
    zipped.write_bytes(gzip.compress(json.dumps(document).encode()))
    frame = read_boundaries(zipped, expected_code="LSOA21CD", codes=["E01099903", "E01099901"])
    assert sorted(frame["code"]) == ["E01099901", "E01099903"]
    assert frame.geometry.is_valid.all()
    with pytest.raises(DataValidationError, match="none of the 1 areas asked for"):
        read_boundaries(zipped, expected_code="LSOA21CD", codes=["E01000000"])
