"""Choropleth maps: their Vega-Lite spec, their payload, and what a real renderer draws."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import vl_convert
import yaml

from cwb_metrics.charts import theme
from cwb_metrics.charts.maps import CLASS_FIELD, choropleth, map_height, payload_bytes, topology_codes
from cwb_metrics.geo.simplify import add_boundary_lines, build_topology
from cwb_metrics.sources.boundaries import read_boundaries

SVG = "{http://www.w3.org/2000/svg}"
MAX_PAYLOAD = 400 * 1024


@pytest.fixture(scope="module")
def squares_topology() -> dict:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    frame = read_boundaries(fixtures / "boundaries" / "three_squares_lsoa21.geojson")
    return add_boundary_lines(build_topology(frame, "lsoa21"), "lsoa21", "lad_code", "district_lines")


@pytest.fixture
def deciles() -> pd.DataFrame:
    # E01099903 has no value; E01000001 is not on the map (values may cover England).
    return pd.DataFrame(
        {
            "code": ["E01099901", "E01099902", "E01099903", "E01000001"],
            "imd_decile": [1, 10, None, 5],
            "imd_rank": [120, 32_000, None, 15_000],
        }
    )


def _layer_with_mark(spec: dict, mark: str) -> list[dict]:
    return [
        layer
        for layer in spec["layer"]
        if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == mark
    ]


def _data(spec: dict, layer: dict) -> dict:
    """A layer's data (Altair moves data shared by every layer up to the layer chart)."""
    return layer.get("data") or spec["data"]


def _rendered_areas(chart) -> list[dict]:
    """Render to SVG with vl-convert and return each area drawn by the first layer."""
    root = ET.fromstring(vl_convert.vegalite_to_svg(chart.to_json()))
    # The areas are the first shape-mark group (named layer_0 or view_..._0 with a selection).
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("mark-shape role-mark")]
    assert groups and re.search(r"(layer|view_\w+)_0_marks$", groups[0].get("class", ""))
    areas = []
    for path in groups[0].iter(f"{SVG}path"):
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        xs, ys = numbers[0::2], numbers[1::2]
        code = re.search(r"Code: (\w+)", path.get("aria-label", ""))
        areas.append(
            {
                "code": code.group(1) if code else None,
                "fill": path.get("fill"),
                "extent": (max(xs) - min(xs), max(ys) - min(ys)),
                "bounds": (min(xs), min(ys), max(xs), max(ys)),
            }
        )
    return areas


def _rgb(colour: str) -> tuple[int, int, int]:
    if colour.startswith("#"):
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return tuple(int(v) for v in re.findall(r"\d+", colour)[:3])


# --- the spec -------------------------------------------------------------------------
def test_topology_is_sent_once_and_values_joined_by_lookup(squares_topology: dict, deciles: pd.DataFrame) -> None:
    spec = choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile").to_dict()
    areas = spec["layer"][0]
    name = _data(spec, areas)["name"]
    assert _data(spec, areas)["format"] == {"type": "topojson", "feature": "lsoa21"}
    assert spec["datasets"][name] == squares_topology
    topologies = [v for v in spec["datasets"].values() if isinstance(v, dict) and v.get("type") == "Topology"]
    assert sum(1 for t in topologies if "lsoa21" in t["objects"]) == 1
    calculate = {t["as"]: t["calculate"] for t in areas["transform"] if "calculate" in t}
    assert calculate["code"] == "datum.properties.code"
    lookup = next(t for t in areas["transform"] if "lookup" in t)
    assert lookup["lookup"] == "code"
    assert lookup["from"]["key"] == "code"
    assert set(lookup["from"]["fields"]) == {"imd_decile", "imd_rank"}
    rows = lookup["from"]["data"].get("values") or spec["datasets"][lookup["from"]["data"]["name"]]
    # Only the drawn areas' values travel; nulls stay null.
    assert [r["code"] for r in rows] == ["E01099901", "E01099902", "E01099903"]
    assert rows[2]["imd_decile"] is None


def test_imd_decile_scale_legend_and_missing(squares_topology: dict, deciles: pd.DataFrame) -> None:
    spec = choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile").to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["field"] == CLASS_FIELD
    assert colour["scale"]["domain"] == [*range(1, 11), "No data"]
    assert colour["scale"]["range"] == [*theme.IMD_DECILE_COLOURS, theme.MISSING_FILL]
    assert colour["legend"]["title"] == "IMD decile (1 = most deprived 10%)"
    # Decile 1 is the darkest colour, 10 the lightest.
    lightness = [sum(_rgb(c)) for c in theme.IMD_DECILE_COLOURS]
    assert lightness[0] == min(lightness) and lightness[-1] == max(lightness)
    # With every area valued there is no "No data" entry.
    full = deciles.assign(imd_decile=[1, 10, 4, 5])
    colour = choropleth(squares_topology, "lsoa21", full, value_field="imd_decile").to_dict()["layer"][0]
    assert colour["encoding"]["color"]["scale"]["domain"] == list(range(1, 11))


def test_sequential_scale_greys_missing(squares_topology: dict, deciles: pd.DataFrame) -> None:
    chart = choropleth(
        squares_topology,
        "lsoa21",
        deciles,
        value_field="imd_rank",
        scale="sequential",
        legend_title="Rank",
        value_format=",.0f",
    )
    spec = chart.to_dict()
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["condition"]["test"] == 'isValid(datum["imd_rank"])'
    assert colour["condition"]["scale"]["scheme"] == theme.SEQUENTIAL_SCHEME
    assert colour["value"] == theme.MISSING_FILL
    # No title: the key and the credits go below the map, as a bottom title.
    assert spec["title"]["orient"] == "bottom"
    assert spec["title"]["text"][0] == "Grey: no data."
    assert "Contains OS data" in " ".join(spec["title"]["text"])
    tooltip = {t["field"]: t for t in spec["layer"][0]["encoding"]["tooltip"]}
    assert tooltip["imd_rank"]["format"] == ",.0f"
    assert tooltip["imd_rank"]["type"] == "quantitative"
    diverging = choropleth(
        squares_topology, "lsoa21", deciles, value_field="imd_rank", scale="diverging", domain_mid=16_000
    ).to_dict()
    assert diverging["layer"][0]["encoding"]["color"]["condition"]["scale"]["domainMid"] == 16_000


def test_click_selection_on_code(squares_topology: dict, deciles: pd.DataFrame) -> None:
    spec = choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile", selection_name="lsoa").to_dict()
    params = spec.get("params", []) + spec["layer"][0].get("params", [])
    selection = next(p for p in params if p["name"] == "lsoa")
    assert selection["select"]["type"] == "point"
    assert selection["select"]["fields"] == ["code"]
    assert selection["select"]["on"] == "click"
    condition = spec["layer"][0]["encoding"]["opacity"]["condition"]
    assert [c["param"] for c in (condition if isinstance(condition, list) else [condition])] == ["lsoa"]
    none = choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile", selection_name=None).to_dict()
    assert "params" not in none and "params" not in none["layer"][0]


def test_outlines_highlight_and_credits(squares_topology: dict, deciles: pd.DataFrame) -> None:
    chart = choropleth(
        squares_topology,
        "lsoa21",
        deciles,
        value_field="imd_decile",
        outlines=[(squares_topology, "district_lines")],
        highlight_codes={"E01099902"},
        title="IMD 2019",
        credits=[theme.OS_ONS_CREDIT, theme.imd_credit(2019)],
    )
    spec = chart.to_dict()
    shapes = _layer_with_mark(spec, "geoshape")
    outline = shapes[1]
    assert outline["data"]["format"]["feature"] == "district_lines"
    assert outline["mark"]["filled"] is False
    # The outline comes from its own small topology (Vega-Lite cannot read two objects of one).
    assert outline["data"]["name"] != _data(spec, shapes[0])["name"]
    assert list(spec["datasets"][outline["data"]["name"]]["objects"]) == ["district_lines"]
    highlighted = [s for s in shapes if any("filter" in t for t in s.get("transform", []))]
    assert len(highlighted) == 2  # white halo and dark line
    assert highlighted[0]["transform"][0]["filter"] == {"field": "properties.code", "oneOf": ["E01099902"]}
    # A titled map carries its credits as the title's subtitle: Vega lays titles out, so
    # they stay visible however Streamlit sizes the chart.
    assert spec["title"]["text"] == "IMD 2019"
    assert spec["title"].get("orient", "top") == "top"
    credit = " ".join(spec["title"]["subtitle"])
    assert theme.OS_ONS_CREDIT in credit
    assert "MHCLG English Indices of Deprivation 2019, OGL v3.0" in credit
    assert "Contains OS data © Crown copyright and database right 2025." in theme.OS_ONS_CREDIT
    assert "Open Government Licence v3.0" in theme.OS_ONS_CREDIT
    assert theme.IMD_CREDIT == "MHCLG English Indices of Deprivation 2019/2025, OGL v3.0"


def test_lines_are_hidden_from_screen_readers_and_areas_are_not(squares_topology: dict, deciles: pd.DataFrame) -> None:
    chart = choropleth(
        squares_topology,
        "lsoa21",
        deciles,
        value_field="imd_decile",
        outlines=[(squares_topology, "district_lines")],
        highlight_codes={"E01099902"},
    )
    shapes = _layer_with_mark(chart.to_dict(), "geoshape")
    # Outlines and highlight are decorative (axe: an SVG group with a role needs a name); areas keep their labels.
    assert shapes[0]["mark"].get("aria", True) is not False
    assert [s["mark"].get("aria") for s in shapes[1:]] == [False, False, False]
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    labelled = re.findall(r'<path[^>]*aria-label="([^"]*)"', svg)
    assert len(labelled) == 3 and all("E0109990" in label for label in labelled)


def test_payload_bytes_is_the_json_streamlit_sends(squares_topology: dict, deciles: pd.DataFrame) -> None:
    chart = choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile")
    assert payload_bytes(chart) == len(json.dumps(chart.to_dict()).encode("utf-8"))
    assert payload_bytes(chart) == len(json.dumps(json.loads(chart.to_json())).encode("utf-8"))


def test_bad_input(squares_topology: dict, deciles: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="values has no 'decile' column"):
        choropleth(squares_topology, "lsoa21", deciles, value_field="decile")
    with pytest.raises(KeyError, match="values has no 'code' column"):
        choropleth(squares_topology, "lsoa21", deciles.drop(columns="code"), value_field="imd_decile")
    with pytest.raises(KeyError, match="no object 'wards25'"):
        choropleth(squares_topology, "wards25", deciles, value_field="imd_decile")
    with pytest.raises(ValueError, match="scale must be"):
        choropleth(squares_topology, "lsoa21", deciles, value_field="imd_decile", scale="rainbow")


def test_codes_as_index_are_accepted(squares_topology: dict, deciles: pd.DataFrame) -> None:
    spec = choropleth(squares_topology, "lsoa21", deciles.set_index("code"), value_field="imd_decile").to_dict()
    assert spec["layer"][0]["encoding"]["color"]["field"] == CLASS_FIELD


def test_height_follows_the_topology(squares_topology: dict) -> None:
    # 0.04° wide, 0.02° tall at 51.75°N: in Mercator ~0.02/0.04/cos(51.75°) = 0.81 as tall as wide.
    assert map_height(squares_topology, 700) == pytest.approx(700 * 0.5 / 0.619, rel=0.02)
    assert topology_codes(squares_topology, "lsoa21") == ["E01099901", "E01099902", "E01099903"]


# --- a real renderer ------------------------------------------------------------------
def test_renderer_draws_each_area_in_its_colour(squares_topology: dict, deciles: pd.DataFrame) -> None:
    chart = choropleth(
        squares_topology,
        "lsoa21",
        deciles,
        value_field="imd_decile",
        outlines=[(squares_topology, "district_lines")],
        width=400,
    )
    areas = {a["code"]: a for a in _rendered_areas(chart)}
    assert set(areas) == {"E01099901", "E01099902", "E01099903"}
    assert _rgb(areas["E01099901"]["fill"]) == _rgb(theme.IMD_DECILE_COLOURS[0])
    assert _rgb(areas["E01099902"]["fill"]) == _rgb(theme.IMD_DECILE_COLOURS[9])
    assert _rgb(areas["E01099903"]["fill"]) == _rgb(theme.MISSING_FILL)
    # Fitted to the view: the map spans the 400 px width; nothing is drawn as the whole globe.
    left = min(a["bounds"][0] for a in areas.values())
    right = max(a["bounds"][2] for a in areas.values())
    assert right - left == pytest.approx(400, abs=2)
    assert areas["E01099901"]["extent"][0] == pytest.approx(200, abs=2)


# --- real Oxfordshire data (integration) ----------------------------------------------
@pytest.fixture(scope="module")
def county(mirror: Path) -> dict:
    from cwb_metrics.geo.tables import GEOMETRY_TABLES, build_geometry
    from cwb_metrics.models.area import AreaConfig
    from cwb_metrics.settings import AREAS_DIR
    from cwb_metrics.sources.context import BuildContext
    from cwb_metrics.sources.fetch import from_mirror
    from cwb_metrics.sources.registry import load_sources

    sources = load_sources()
    areas = AreaConfig.model_validate(yaml.safe_load((AREAS_DIR / "oxfordshire.yaml").read_text()))
    files = {t.source: from_mirror(sources[t.source], mirror) for t in GEOMETRY_TABLES}
    topologies = {o.relative: o.payload for o in build_geometry(BuildContext(files=files, areas=areas))}
    imd19 = pd.read_csv(mirror / sources["imd/2019/file1"].mirror_path, encoding="utf-8-sig")
    imd25 = pd.read_csv(mirror / sources["imd/2025/file7"].mirror_path)
    return {
        "topologies": topologies,
        "lsoa11": imd19.iloc[:, [0, 4, 5]].set_axis(["code", "imd_rank", "imd_decile"], axis=1),
        "lsoa21": imd25[["lsoa21_code", "IMD_rank", "IMD_decile"]].set_axis(["code", "imd_rank", "imd_decile"], axis=1),
    }


def _imd_map(county: dict, name: str):
    topology = county["topologies"][f"geo/{name}.topo.json"]
    return choropleth(
        topology,
        name,
        county[name],
        value_field="imd_decile",
        title="IMD",
        outlines=[(topology, "district_lines")],
        highlight_codes={"E01028524"},
        credits=[theme.OS_ONS_CREDIT, theme.IMD_CREDIT],
    )


@pytest.mark.integration
@pytest.mark.parametrize(("name", "count"), [("lsoa11", 407), ("lsoa21", 428)])
def test_oxfordshire_lsoa_map_payload(county: dict, name: str, count: int) -> None:
    chart = _imd_map(county, name)
    assert payload_bytes(chart) <= MAX_PAYLOAD
    spec = chart.to_dict()
    lookup = next(t for t in spec["layer"][0]["transform"] if "lookup" in t)
    rows = lookup["from"]["data"].get("values") or spec["datasets"][lookup["from"]["data"]["name"]]
    assert len(rows) == count  # the county's rows only, out of all England's


@pytest.mark.integration
def test_oxfordshire_ward_map_payload(county: dict) -> None:
    wards = county["topologies"]["geo/wards25.topo.json"]
    values = pd.DataFrame({"code": topology_codes(wards, "wards25"), "value": range(112)})
    chart = choropleth(
        wards, "wards25", values, value_field="value", scale="sequential", outlines=[(wards, "district_lines")]
    )
    assert payload_bytes(chart) <= MAX_PAYLOAD / 2


@pytest.mark.integration
@pytest.mark.parametrize(("name", "count"), [("lsoa11", 407), ("lsoa21", 428)])
def test_oxfordshire_map_draws_every_lsoa_in_decile_colours(county: dict, name: str, count: int) -> None:
    chart = _imd_map(county, name)
    areas = _rendered_areas(chart)
    codes = {a["code"] for a in areas}
    assert len(areas) >= count
    assert codes == set(topology_codes(county["topologies"][f"geo/{name}.topo.json"], name))
    fills = {_rgb(a["fill"]) for a in areas}
    palette = {_rgb(c) for c in theme.IMD_DECILE_COLOURS}
    assert fills <= palette  # every LSOA has a decile: no grey
    assert len(fills) == 10  # Oxfordshire has LSOAs in every decile
    # Fitted to the 700 px view, not the globe.
    width = max(a["bounds"][2] for a in areas) - min(a["bounds"][0] for a in areas)
    assert width == pytest.approx(700, abs=3)
    assert max(a["extent"][0] for a in areas) < 350
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    assert svg.count("<path") >= count + 10
