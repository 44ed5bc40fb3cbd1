"""The league of councils and the neighbours command, on the real national files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.cli import main
from cwb_metrics.compare.league import load_league
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.store import DataStore
from tests import rawiod

pytestmark = pytest.mark.integration

CORNWALL, LEEDS, PRESTON = "E06000052", "E08000035", "E07000123"


def test_every_english_district_unitary_and_county_is_in_the_league(cornwall_league, mirror: Path) -> None:
    raw = rawiod.raw(mirror).lsoa21
    districts = set(raw["lad"])
    counties = set(raw.loc[raw["county"].str.startswith("E10"), "county"])
    assert len(districts) == 296 and len(counties) == 21
    assert {a.code for a in cornwall_league.areas} == districts | counties
    kinds = {a.code: a.kind for a in cornwall_league.areas}
    assert kinds[CORNWALL] == "district" and kinds["E10000017"] == "county"


@pytest.mark.parametrize("code", [CORNWALL, LEEDS, PRESTON, "E10000017"])
def test_league_imd_share_is_the_raw_share(cornwall_league, mirror: Path, code: str) -> None:
    entries = cornwall_league.entries
    row = entries[(entries["area_code"] == code) & (entries["indicator"] == "imd_most_deprived_20pct")].iloc[0]
    count, _tenth, fifth = rawiod.deprived_counts(mirror, code, 2025)
    assert row["period"] == "2025" and row["value"] == pytest.approx(100 * fifth / count)


def test_league_scores_cornwall_as_its_own_portrait_does(
    cornwall_league, cornwall_store: DataStore, council_configs, monkeypatch
) -> None:
    # The league scores all councils in one pass; Cornwall's own portrait must agree with it.
    monkeypatch.setenv("CWB_AREAS", str(council_configs[CORNWALL]))
    portrait = portrait_for(cornwall_store, CORNWALL)
    league = cornwall_league.entries[cornwall_league.entries["area_code"] == CORNWALL].set_index("indicator")
    compared = 0
    for entry in portrait.entries:
        if entry.id is None or entry.id not in league.index:
            continue
        row = league.loc[entry.id]
        assert row["status"] == entry.status, entry.id
        if entry.value is not None:
            assert (row["value"], row["period"]) == (pytest.approx(entry.value), entry.period), entry.id
            if entry.score is None:  # a context indicator (issue 10): never scored
                assert entry.status == "context" and pd.isna(row["score"]), entry.id
            else:
                assert row["score"] == pytest.approx(entry.score), entry.id
            compared += 1
    assert compared >= 30


def test_ranks_follow_the_dimension_scores(cornwall_league) -> None:
    for dimension in cornwall_league.dimension_labels:
        ranked = [
            (a.dimensions[dimension].rank, a.dimensions[dimension].score)
            for a in cornwall_league.areas
            if a.kind != "county" and a.dimensions[dimension].rank is not None
        ]
        ranked.sort()
        if not ranked:  # only context indicators (issue 10) or no data for this dimension: nobody is ranked
            continue
        scores = [s for _r, s in ranked]
        assert scores == sorted(scores)
        assert ranked[0][0] == 1 and all(r <= 296 for r, _s in ranked)
        assert {cornwall_league.area(CORNWALL).dimensions[dimension].of} <= {len(ranked)}


def test_counts_add_up_and_the_share_is_with_data(cornwall_league) -> None:
    for area in cornwall_league.areas:
        assert sum(area.counts.values()) == area.indicators_total
        assert area.indicators_total - area.counts["missing"] == area.indicators_with_data
        assert area.share_with_data == pytest.approx(area.indicators_with_data / area.indicators_total)


def test_league_is_cached_per_data_version_and_printed_as_json(cornwall_league, cornwall_store, capsys) -> None:
    cached = load_league(cornwall_store, build=False)
    assert cached is not None and cached.version == cornwall_store.current_version()
    assert [a.as_dict() for a in cached.areas] == [a.as_dict() for a in cornwall_league.areas]
    assert main(["league", "--json", "--data-dir", str(cornwall_store.root)]) == 0
    payload = json.loads(capsys.readouterr().out)
    first = next(a for a in payload["areas"] if a["code"] == CORNWALL)
    assert {"code", "name", "counts", "dimensions", "share_with_data"} <= set(first)
    assert {"rank", "of", "score", "indicators"} == set(next(iter(first["dimensions"].values())))


def test_neighbours_json_is_the_ons_global_list_with_names(mirror: Path, capsys) -> None:
    folder = mirror / "indicators_raw" / "ons_els_similar_areas"
    with open(folder / "global-neighbours.csv", encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["AREACD"] == CORNWALL)
    with open(folder / "cluster-allocation.csv", encoding="utf-8-sig", newline="") as handle:
        names = {r["AREACD"]: r["AREANM"] for r in csv.DictReader(handle)}
    expected = [{"code": row[str(i)], "name": names[row[str(i)]]} for i in range(1, 21)]
    assert main(["neighbours", "--area", "cornwall", "--json", "--mirror", str(mirror)]) == 0
    assert json.loads(capsys.readouterr().out) == expected
    assert main(["neighbours", "--area", "Blackbird Leys", "--mirror", str(mirror)]) == 2
