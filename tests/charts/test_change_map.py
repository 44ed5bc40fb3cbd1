"""The IMD decile change map: its spec, what a real renderer draws, and its payload on real data."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
import vl_convert

from cwb_metrics.charts import theme
from cwb_metrics.charts.change_map import CHANGE_LEGEND_TITLE, change_map_values, decile_change_map
from cwb_metrics.charts.maps import payload_bytes
from cwb_metrics.geo.simplify import add_boundary_lines, build_topology
from cwb_metrics.sources.boundaries import read_boundaries

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def topology() -> dict:
    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    frame = read_boundaries(fixtures / "boundaries" / "three_squares_lsoa21.geojson")
    return add_boundary_lines(build_topology(frame, "lsoa21"), "lsoa21", "lad_code", "district_lines")


@pytest.fixture
def change() -> pd.DataFrame:
    # E01099901 fell two deciles, E01099902 rose three, E01099903 has no comparison; E01000001 is off the map.
    return pd.DataFrame(
        {
            "lsoa21_code": ["E01099901", "E01099902", "E01099903", "E01000001"],
            "lsoa21_name": ["a", "b", "c", "d"],
            "decile_2019": [5.0, 2.0, None, 3.0],
            "decile_2025": [3.0, 5.0, 4.0, 3.0],
            "decile_change": [-2.0, 3.0, None, 0.0],
            "match": ["unchanged", "split", "unmatched", "unchanged"],
            "lsoa11_codes": ["E01099901", "E01099905", "", "E01000001"],
            "note": ["x", "y", "z", "w"],
        }
    )


def test_spec_is_a_diverging_map_centred_on_no_change(topology, change) -> None:
    spec = decile_change_map(topology, change).to_dict()
    areas = spec["layer"][0]
    scale = areas["encoding"]["color"]["condition"]["scale"]
    assert scale == {"scheme": theme.DIVERGING_SCHEME, "reverse": True, "domainMid": 0}
    assert areas["encoding"]["color"]["condition"]["legend"]["title"] == CHANGE_LEGEND_TITLE
    tooltip = [t["field"] for t in areas["encoding"]["tooltip"]]
    assert {"decile_2019", "decile_2025", "match", "lsoa11_codes"} <= set(tooltip)
    lookup = next(t for t in areas["transform"] if "lookup" in t)
    rows = lookup["from"]["data"].get("values") or spec["datasets"][lookup["from"]["data"]["name"]]
    assert [r["code"] for r in rows] == ["E01099901", "E01099902", "E01099903"]  # only drawn areas
    assert "note" not in rows[0]  # long notes stay out of the payload
    assert any(layer["data"]["format"]["feature"] == "district_lines" for layer in spec["layer"][1:])
    assert "MHCLG English Indices of Deprivation" in " ".join(spec["title"]["subtitle"])


def _fills(chart) -> dict[str, tuple[int, int, int]]:
    root = ET.fromstring(vl_convert.vegalite_to_svg(chart.to_json()))
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class", "").startswith("mark-shape role-mark"))
    fills = {}
    for path in group.iter(f"{SVG}path"):
        code = re.search(r"Code: (\w+)", path.get("aria-label", ""))
        colour = path.get("fill")
        if colour.startswith("#"):
            rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        else:
            rgb = tuple(int(v) for v in re.findall(r"\d+", colour)[:3])
        fills[code.group(1)] = rgb
    return fills


def test_more_deprived_is_orange_less_deprived_blue_and_missing_grey(topology, change) -> None:
    fills = _fills(decile_change_map(topology, change, width=300))
    red, _green, blue = fills["E01099901"]
    assert red > blue  # fell in the ranking: orange
    red, _green, blue = fills["E01099902"]
    assert blue > red  # rose: blue
    assert fills["E01099903"] == tuple(int(theme.MISSING_FILL[i : i + 2], 16) for i in (1, 3, 5))


def test_values_need_the_change_columns(change) -> None:
    assert list(change_map_values(change).columns) == [
        "code",
        "decile_change",
        "decile_2019",
        "decile_2025",
        "match",
        "lsoa11_codes",
    ]
    with pytest.raises(KeyError, match="lsoa_change"):
        change_map_values(change.drop(columns="match"))


@pytest.mark.integration
def test_oxfordshire_change_map_payload_is_small(built_store) -> None:
    from cwb_metrics.deprivation.change import lsoa_change
    from cwb_metrics.geo.tables import read_topology

    change = lsoa_change(built_store)
    chart = decile_change_map(read_topology(built_store, "lsoa21"), change)
    assert payload_bytes(chart) < 400 * 1024
    spec = chart.to_dict()
    data = next(t for t in spec["layer"][0]["transform"] if "lookup" in t)["from"]["data"]
    rows = data.get("values") or spec["datasets"][data["name"]]
    assert len(rows) == len(change) == 428
