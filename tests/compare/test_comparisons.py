"""Neighbours and the comparison with them, on hand-made leagues (no mirror); the page's view: tests/views."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.compare.league import DimensionRank, League, LeagueArea
from cwb_metrics.compare.neighbours import SimilarAreas, load_similar_areas
from cwb_metrics.compare.versus import neighbour_comparison
from cwb_metrics.errors import AreaNotFoundError


def _area(code: str, name: str, kind: str, score: float | None, county: str | None = None) -> LeagueArea:
    rank = DimensionRank(score=score, rank=None, of=0, indicators=1 if score is not None else 0)
    return LeagueArea(code, name, kind, county, {"shortfall": 1, "missing": 0}, 1, 1, 1.0, {"health": rank})


@pytest.fixture
def league() -> League:
    areas = [
        _area("E07000001", "Alpha", "district", 0.30, "E10000001"),
        _area("E07000002", "Beta", "district", 0.10, "E10000001"),
        _area("E06000001", "Gamma", "district", 0.20),
        _area("E08000001", "Delta", "district", None),
        _area("E10000001", "Shire", "county", 0.25),
    ]
    entries = pd.DataFrame(
        [
            # area, indicator, value, period, polarity-neutral
            ("E07000001", "pay", 500.0, "2024"),
            ("E07000002", "pay", 700.0, "2024"),
            ("E06000001", "pay", 600.0, "2023"),
            ("E08000001", "pay", None, None),
            ("E10000001", "pay", 550.0, "2024"),
        ],
        columns=["area_code", "indicator", "value", "period"],
    ).assign(dimension="income_work", status="within", score=0.0, england=650.0)
    data = pd.DataFrame(
        [
            ("E07000001", "Alpha", "pay", "2023", 480.0),
            ("E07000001", "Alpha", "pay", "2024", 500.0),
            ("E07000002", "Beta", "pay", "2024", 700.0),
            ("E06000001", "Gamma", "pay", "2023", 600.0),
            ("E10000001", "Shire", "pay", "2024", 550.0),
            ("E92000001", "England", "pay", "2024", 650.0),
        ],
        columns=["areacd", "areanm", "indicator", "period", "value"],
    ).assign(lci_95=float("nan"), uci_95=float("nan"))
    return League("v1", areas, entries, {"health": "Health"}, "2026-01-01T00:00:00+00:00", 1.0, {}, data)


class _Meta:
    title, unit, unit_short, decimals, polarity = "Median pay", "£ a week", "£", 0, "higher_is_better"


SIMILAR = SimilarAreas(
    kind="global",
    lists={"E07000001": ("E07000002", "E06000001", "W06000001"), "E10000001": ("E06000001",)},
    names={"E07000002": "Beta", "E06000001": "Gamma", "W06000001": "Cwm"},
)


def test_similar_areas_read_from_the_ons_files(fixtures_dir: Path) -> None:
    folder = fixtures_dir / "similar_areas"
    similar = load_similar_areas(
        {"ons/similar_areas/global": folder / "global-neighbours.csv",
         "ons/similar_areas/cluster_allocation": folder / "cluster-allocation.csv"}
    )  # fmt: skip
    assert [n.as_dict() for n in similar.neighbours("E07099902")] == [
        {"code": "E07099901", "name": "Northdale"},
        {"code": "E07099903", "name": "E07099903"},  # no file names it: its code stands in
    ]
    assert [n.rank for n in similar.neighbours("E07099901")] == [1, 2, 3]
    assert similar.find("northdale") == similar.find("e07099901") == "E07099901"
    with pytest.raises(AreaNotFoundError, match="Did you mean Northdale"):
        similar.find("Northdal")


def test_neighbour_comparison_uses_the_councils_period_only(league: League) -> None:
    result = neighbour_comparison(league, SIMILAR, "pay", "E07000001", catalogue={"pay": _Meta()})
    # Alpha's latest is 2024: Beta has 700 for 2024; Gamma only 2023; Cwm nothing.
    assert (result.period, result.value, result.england) == ("2024", 500.0, 650.0)
    assert (result.mean, result.low, result.high, result.with_data, result.listed) == (700.0, 700.0, 700.0, 1, 3)
    assert result.sentence() == (
        "Median pay (2024): Alpha £500; its ONS similar areas £700 to £700 (mean £700, 1 of 3 with a figure); "
        "England £650."
    )
    earlier = neighbour_comparison(league, SIMILAR, "pay", "E07000001", catalogue={"pay": _Meta()}, period="2023")
    assert (earlier.value, earlier.mean, earlier.with_data) == (480.0, 600.0, 1)
    for word in ("better", "worse"):
        assert word not in result.sentence()
