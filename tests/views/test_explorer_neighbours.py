"""The explorer's comparison with similar areas: a hand-written comparison laid out as table, strip and names."""

from __future__ import annotations

import json
from pathlib import Path

from cwb_metrics.compare.versus import NeighbourComparison, NeighbourValue
from cwb_metrics.store import DataStore
from cwb_metrics.views import explorer_neighbours as view

#: Northdale 3.45 t; four similar areas, one without a figure: mean (2.85 + 3.10 + 4.50) / 3 = 3.4833.
COMPARISON = NeighbourComparison(
    indicator_id="ghg_emissions_per_capita",
    title="Territorial greenhouse gas emissions per person",
    unit="t CO2e",
    decimals=2,
    area_code="E07099901",
    area_name="Northdale",
    period="2023",
    value=3.45,
    england=4.78,
    mean=(2.85 + 3.10 + 4.50) / 3,
    low=2.85,
    high=4.50,
    with_data=3,
    listed=4,
    kind="global",
    neighbours=(
        NeighbourValue("E07099911", "Eastdale", 2.85),
        NeighbourValue("E07099912", "Westdale", 3.10),
        NeighbourValue("W06099913", "Cwm", None),
        NeighbourValue("E07099914", "Highdale", 4.50),
    ),
)


def test_the_summary_gives_the_area_the_mean_the_range_and_england() -> None:
    panel = view.neighbour_panel(COMPARISON)
    assert panel.shown and panel.period == "2023"
    assert [(r.what, r.value) for r in panel.summary.rows] == [
        ("Northdale", "3.45 t CO2e"),
        ("Similar areas: mean (3 of 4 with a figure)", "3.48 t CO2e"),
        ("Similar areas: lowest to highest", "2.85 t CO2e to 4.50 t CO2e"),
        ("England", "4.78 t CO2e"),
    ]


def test_the_names_are_listed_most_similar_first_with_no_figure_said_plainly() -> None:
    names = view.neighbour_panel(COMPARISON).names
    assert [(r.rank, r.area, r.value) for r in names.rows] == [
        (1, "Eastdale", "2.85 t CO2e"),
        (2, "Westdale", "3.10 t CO2e"),
        (3, "Cwm", "no figure"),
        (4, "Highdale", "4.50 t CO2e"),
    ]


def test_the_strip_draws_each_similar_area_and_claims_no_difference() -> None:
    spec = view.neighbour_panel(COMPARISON).spec
    assert spec is not None
    rows = [row for data in spec["datasets"].values() for row in data]
    similar = sorted(r["name"] for r in rows if r.get("kind") == "similar area")
    assert similar == ["Eastdale", "Highdale", "Westdale"]
    assert [r["value"] for r in rows if r.get("kind") == "area"] == [3.45]
    assert [r["value"] for r in rows if r.get("kind") == "England"] == [4.78]
    text = json.dumps(spec).lower()
    assert "better" not in text and "worse" not in text


def test_no_comparison_without_a_value_or_any_neighbour_with_one() -> None:
    from dataclasses import replace

    alone = view.neighbour_panel(replace(COMPARISON, mean=None, low=None, high=None, with_data=0))
    assert not alone.shown and alone.spec is None
    assert alone.sentence.startswith("None of Northdale's 4 ONS similar areas has a figure")
    assert not view.neighbour_panel(replace(COMPARISON, value=None)).shown
    assert "councils only" in view.no_list_reason("Blackbird Leys")


def test_the_league_counts_as_ready_only_when_its_files_are_on_disk(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    assert not view.league_cached(store, "v0001")
    folder = tmp_path / "cache" / "league" / "v0001"
    folder.mkdir(parents=True)
    (folder / "league.json").write_text("{}", encoding="utf-8")
    assert not view.league_cached(store, "v0001")  # its data file is still missing
    (folder / "data.parquet").write_bytes(b"")
    assert view.league_cached(store, "v0001")
