"""The deprivation map's view: one builder for both maps, zoom, pickers and tables."""

from __future__ import annotations

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, list_areas, resolve_area
from cwb_metrics.deprivation.change import lsoa_change
from cwb_metrics.deprivation.profile import deprivation_profile
from cwb_metrics.geo.tables import read_topology
from cwb_metrics.views import deprivation_map as view
from cwb_metrics.views.map_request import ALL, MapRequest
from tests.fixtures.version.build import AREAS

#: The fixture's grid (tests/fixtures/version/build.py): x from -1.30 by 0.02 a square, y from 51.70 by 0.0125.
X0, DX, Y0, DY = -1.30, 0.02, 51.70, 0.0125


@pytest.fixture
def testshire(fixture_store, monkeypatch):
    monkeypatch.setenv("CWB_AREAS", str(AREAS))
    return load_area_config(path=AREAS)


def test_a_request_is_checked_and_named_by_the_pickers_value() -> None:
    assert MapRequest.of("change", "income") == MapRequest("change", 2025, "income")
    assert MapRequest.of("2019", "imd", "E07099901").object_name == "lsoa11"
    assert MapRequest.of("2025", "health").value_field == "health_decile"
    assert MapRequest.of("change", "imd").value_field == "decile_change"
    for bad in (lambda: MapRequest("imd", 2031, "imd"), lambda: MapRequest("imd", 2025, "nope")):
        with pytest.raises(ValueError):
            bad()
    with pytest.raises(ValueError):
        MapRequest("change", 2019, "imd")


def test_zooming_keeps_a_districts_areas_and_their_bounding_box(fixture_store) -> None:
    topology = read_topology(fixture_store, "lsoa21")
    southdale = view.zoomed(topology, "lsoa21", "E07099902")
    geometries = southdale["objects"]["lsoa21"]["geometries"]
    assert [g["properties"]["code"] for g in geometries] == ["E01099909"]
    # Southdale is the third column of squares, two high: x 2..3, y 0..2 (to the quantisation step).
    west, south, east, north = southdale["bbox"]
    assert west == pytest.approx(X0 + 2 * DX, abs=1e-4) and east == pytest.approx(X0 + 3 * DX, abs=1e-4)
    assert south == pytest.approx(Y0, abs=1e-4) and north == pytest.approx(Y0 + 2 * DY, abs=1e-4)
    whole = view.zoomed(topology, "lsoa21", None)
    assert len(whole["objects"]["lsoa21"]["geometries"]) == 6


def test_one_builder_draws_both_maps(fixture_store, testshire) -> None:
    def topo(name: str):
        return read_topology(fixture_store, name)

    def resolve(code: str) -> ResolvedArea:
        return resolve_area(code, fixture_store, testshire)

    imd = fixture_store.read_table("lsoa/imd2025.parquet")
    change = lsoa_change(fixture_store)
    for request, table, title, field in (
        (MapRequest("imd", 2025, "imd", "E07099901", "riverside"), imd, "Index of Multiple Deprivation, IMD 2025",
         "imd_decile"),
        (MapRequest("change", 2025, "income"), change, "Income domain: change in decile, IMD 2019 to IMD 2025",
         "decile_change"),
    ):  # fmt: skip
        layers = view.map_layers(request, topo)
        highlight = view.highlighted(request, resolve)
        spec = view.lsoa_map(request, layers, view.map_values(request, table), highlight).to_dict()
        text = str(spec)
        assert title in text and field in text and "'lsoa'" in text
        if request.place:
            assert highlight == ("E01099901", "E01099902")  # Riverside's LSOAs of 2021
            assert len(layers.lsoas["objects"]["lsoa21"]["geometries"]) == 5  # Northdale only
            assert layers.outline_object == "districts"
        else:
            assert highlight == () and layers.outline_object == "district_lines"


def test_map_values_join_the_measure_on_the_code(fixture_store) -> None:
    imd = fixture_store.read_table("lsoa/imd2025.parquet")
    values = view.map_values(MapRequest("imd", 2025, "imd"), imd)
    assert list(values.columns) == ["code", "ward", "district", "imd_decile", "imd_rank"]
    deciles = dict(zip(values["code"], values["imd_decile"], strict=True))
    assert deciles == {
        "E01099901": 1, "E01099902": 3, "E01099903": 2, "E01099907": 4, "E01099904": 7, "E01099909": 10,
    }  # fmt: skip


def test_places_and_lsoas_of_each_district(fixture_store, testshire) -> None:
    areas = list_areas(fixture_store, testshire)
    places = view.map_places(testshire, areas, 2025)
    northdale = places.of("E07099901")
    assert set(northdale.keys) >= {"riverside", "the-flats", "E05099901"}
    assert "riverside" in places.of("E10099999")  # named neighbourhoods are offered county-wide too
    assert places.of("E99999999").keys == []
    imd = fixture_store.read_table("lsoa/imd2025.parquet")
    riverside = resolve_area("riverside", fixture_store, testshire)
    assert view.lsoa_choices(imd, riverside, 2025).items == (
        ("E01099901", "Northdale 001A (E01099901)"),
        ("E01099902", "Northdale 001B (E01099902)"),
    )


def test_links_and_clicks_set_the_three_pickers(fixture_store, testshire) -> None:
    districts = view.district_choices(testshire)
    assert districts.keys == ["E10099999", "E07099901", "E07099902"]
    assert districts.label("E10099999") == "All Testshire"

    def resolve(code: str) -> ResolvedArea:
        return resolve_area(code, fixture_store, testshire)

    assert view.pick_for_link(resolve("riverside"), districts) == view.MapPick("E07099901", "riverside")
    assert view.pick_for_link(resolve("E01099909"), districts) == view.MapPick("E07099902", ALL, "E01099909")
    assert view.pick_for_link(resolve("E07099902"), districts) == view.MapPick("E07099902", ALL)
    assert view.pick_for_link(None, districts) is None
    shown = view.lsoa_choices(fixture_store.read_table("lsoa/imd2025.parquet"), resolve("riverside"), 2025)
    # a click inside the place keeps it; outside, the district of the clicked LSOA with all its places
    assert view.pick_for_click("E01099902", "E07099901", "riverside", "E10099999", shown, resolve).place == "riverside"
    assert view.pick_for_click("E01099909", "E07099901", "riverside", "E10099999", shown, resolve) == view.MapPick(
        "E07099902", ALL, "E01099909"
    )
    assert view.pick_for_click("E01099909", "E10099999", ALL, "E10099999", shown, resolve).district == "E10099999"
    event = {"selection": {"lsoa": [{"code": "E01099909"}]}}
    assert view.clicked_lsoa(event) == "E01099909"
    assert view.clicked_lsoa({"selection": {"lsoa": []}}) is None and view.clicked_lsoa(None) is None


def test_the_domain_table_counts_lsoas_in_the_most_deprived_tenth_and_fifth(fixture_store, testshire) -> None:
    northdale = deprivation_profile(resolve_area("E07099901", fixture_store, testshire), 2025, fixture_store)
    county = deprivation_profile(resolve_area("E10099999", fixture_store, testshire), 2025, fixture_store)
    table = view.domain_table(northdale, county)
    assert table.columns == ("Measure", "Most deprived 10%", "Most deprived 20%", "Testshire, 20%")
    # IMD 2025 deciles: Northdale 1, 3, 2, 4, 7 (5 LSOAs); the county adds Southdale's 10 (6 LSOAs).
    assert table.rows[0] == ("Overall (IMD)", "1 (20%)", "2 (40%)", "2 (33%)")
    whole = view.domain_table(county, county)  # the county against itself: no second column of the same figures
    assert whole.columns == ("Measure", "Most deprived 10%", "Most deprived 20%")
    assert whole.rows[0] == ("Overall (IMD)", "1 (17%)", "2 (33%)")


def test_lsoa_table_and_map_tables() -> None:
    imd = pd.DataFrame(
        {
            "lsoa_code": ["A", "B", "C"],
            "lsoa_name": ["a", "b", "c"],
            "ward_name": ["w", "w", "v"],
            "lad_name": ["d", "d", "d"],
            **{f"{i}_decile": [1, 4, 9] for i in view.INDICES},
            **{f"{i}_rank": [100, 12000, 30000] for i in view.INDICES},
        }
    )
    rows = view.lsoa_table(imd, "B").rows
    assert rows[0] == view.LsoaRow("Overall (IMD)", 4, "12,000", 4.0)
    assert view.lsoa_table(imd, "Z").rows == ()
    ordered = view.imd_map_table(imd, ["C", "A"], "imd")
    assert [r.lsoa for r in ordered.rows] == ["A", "C"] and ordered.rows[0].rank == 100
    change = pd.DataFrame(
        {
            "lsoa21_code": ["A", "B", "C"],
            "lsoa21_name": ["a", "b", "c"],
            "ward_name": ["w"] * 3,
            "lad_name": ["d"] * 3,
            "decile_2019": [3, 5, None],
            "decile_2025": [1, 6, 2],
            "decile_change": [-2, 1, None],
            "match": ["unchanged", "split", "unmatched"],
        }
    )
    moved = view.change_map_table(change, ["A", "B", "C"])
    assert [r.lsoa for r in moved.rows] == ["A", "B", "C"] and moved.rows[2].change is None
