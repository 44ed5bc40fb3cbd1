"""IMD 2019 to 2025 change across the LSOA 2011 to 2021 boundary change.

Unit tests use hand-made lookups and overlaps (and the Testshire fixtures); integration
tests check the real matching against counts computed from the raw ONS lookup and IoD files.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import box

from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.deprivation.change import (
    CHANGE_CAVEAT,
    area_change,
    boundary_overlaps,
    decile_of_rank,
    lsoa_change,
    match_lsoas,
    match_summary,
    most_moved,
)
from cwb_metrics.errors import CwbError
from tests.deprivation.smallhelpers import make_small_store, raw_bestfit, raw_imd2019, raw_imd2025, raw_ward19


@pytest.fixture(scope="module")
def small_store(testshire_store, tmp_path_factory):
    return make_small_store(testshire_store, tmp_path_factory.mktemp("change"))


def _kinds(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["lsoa21_code"], frame["match"], strict=True))


# ----- matching --------------------------------------------------------------------------------
BEST = pd.DataFrame(
    {
        "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000004", "E01000005", "E01000006"],
        "lsoa21_code": ["E01000001", "E01000010", "E01000020", "E01000020", "E01000030", "E01000006"],
    }
)
OVERLAPS = pd.DataFrame(
    [
        ("E01000001", "E01000001", 0.99, 1.0),
        ("E01000002", "E01000010", 0.5, 1.0),  # 02 split into 10 and 11
        ("E01000002", "E01000011", 0.5, 0.97),
        ("E01000001", "E01000011", 0.01, 0.03),  # a sliver: ignored
        ("E01000003", "E01000020", 1.0, 0.5),  # 03 and 04 merged into 20
        ("E01000004", "E01000020", 1.0, 0.5),
        ("E01000005", "E01000030", 0.8, 0.7),  # 05 and part of 06 redrawn as 30
        ("E01000006", "E01000030", 0.3, 0.3),
        ("E01000006", "E01000006", 0.7, 1.0),
    ],
    columns=["lsoa11_code", "lsoa21_code", "share_of_lsoa11", "share_of_lsoa21"],
)
CODES21 = ["E01000001", "E01000010", "E01000011", "E01000020", "E01000030", "E01000006"]


def test_each_kind_of_change_is_recognised() -> None:
    pairs = match_lsoas(BEST, CODES21, OVERLAPS)
    kinds = _kinds(pairs.drop_duplicates("lsoa21_code"))
    assert kinds == {
        "E01000001": "unchanged",
        "E01000010": "split",
        "E01000011": "split",
        "E01000020": "merged",
        "E01000030": "complex",
        "E01000006": "unchanged",  # same code: its moved boundary is noted, not re-matched
    }
    placed = pairs[pairs["lsoa21_code"] == "E01000011"]
    assert placed["lsoa11_code"].tolist() == ["E01000002"]  # not the 3% sliver of E01000001
    assert placed["via"].tolist() == ["boundary overlay"]
    assert set(pairs.loc[pairs["lsoa21_code"] == "E01000030", "lsoa11_code"]) == {"E01000005", "E01000006"}


def test_without_boundaries_the_parts_missing_from_the_best_fit_lookup_are_unmatched_not_guessed() -> None:
    pairs = match_lsoas(BEST, CODES21, None)
    kinds = _kinds(pairs)
    assert kinds["E01000011"] == "unmatched"
    assert pd.isna(pairs.loc[pairs["lsoa21_code"] == "E01000011", "lsoa11_code"]).all()
    assert kinds["E01000010"] == "complex"  # a new code from a single 2011 LSOA, and no evidence of a split


def test_boundary_overlaps_measure_shares_of_area() -> None:
    import geopandas as gpd

    old = gpd.GeoDataFrame({"code": ["A11"]}, geometry=[box(0, 0, 2000, 1000)], crs="EPSG:27700")
    new = gpd.GeoDataFrame(
        {"code": ["A21", "B21"]}, geometry=[box(0, 0, 500, 1000), box(500, 0, 2000, 1000)], crs="EPSG:27700"
    )
    out = boundary_overlaps(old, new).set_index("lsoa21_code")
    assert out.loc["A21", "share_of_lsoa11"] == pytest.approx(0.25)
    assert out.loc["B21", "share_of_lsoa11"] == pytest.approx(0.75)
    assert out["share_of_lsoa21"].tolist() == pytest.approx([1.0, 1.0])


def test_decile_of_rank_follows_mhclg_rule() -> None:
    assert [decile_of_rank(r, 2019) for r in (1, 3284, 3285, 32844)] == [1, 1, 2, 10]
    assert decile_of_rank(3375, 2025) == 1 and decile_of_rank(3376, 2025) == 2


# ----- change on the Testshire fixtures --------------------------------------------------------
def test_lsoa_change_compares_split_parts_with_the_whole_and_merges_with_a_weighted_mean(small_store) -> None:
    change = lsoa_change(small_store).set_index("lsoa21_code")
    # Fixture File 2 ranks: 002B (E01099904) 20,000 (decile 7); part of it became E01099907 and it kept its code.
    assert [change.at[part, "match"] for part in ("E01099904", "E01099907")] == ["unchanged", "split"]
    for part in ("E01099904", "E01099907"):
        assert (change.at[part, "rank_2019"], change.at[part, "decile_2019"]) == (20000, 7)
    assert "Not in the ONS best-fit lookup" in change.at["E01099907", "note"]
    assert "part of the 2011 LSOA is now in E01099907" in change.at["E01099904", "note"]
    # Merged: Southdale 001A (30,000; 1,450 people) and 001B (3,000; 1,700 people).
    weighted = (30000 * 1450 + 3000 * 1700) / (1450 + 1700)
    assert change.at["E01099909", "match"] == "merged"
    assert change.at["E01099909", "rank_2019"] == pytest.approx(weighted)
    assert change.at["E01099909", "decile_2019"] == math.ceil(10 * weighted / 32844)
    assert "population-weighted" in change.at["E01099909", "note"]
    # Unchanged: 001B (E01099902) decile 2 in 2019, 3 in the 2025 fixture.
    assert change.at["E01099902", "decile_change"] == 1
    assert change.at["E01099902", "direction"] == "relatively less deprived"


def test_area_change_counts_each_editions_own_lsoas(small_store, testshire) -> None:
    result = area_change(small_store, resolve_area("Riverside", small_store, testshire))
    assert (result.most_deprived_20pct_2019, result.lsoas_2019) == (2, 2)
    assert (result.most_deprived_20pct_2025, result.lsoas_2025) == (1, 2)
    assert result.mean_decile_change == pytest.approx(2.0 - 1.5)
    assert result.sentences()[0].startswith("Riverside: 2 of 2 LSOAs (2011)")
    with pytest.raises(CwbError):
        area_change(small_store, resolve_area("England", small_store, testshire))


def test_caveat_says_ranks_are_relative() -> None:
    assert "relative" in CHANGE_CAVEAT and "without getting worse" in CHANGE_CAVEAT


# ----- Oxfordshire (integration) ---------------------------------------------------------------
@pytest.mark.integration
def test_oxfordshire_matches_agree_with_the_raw_best_fit_lookup(built_store, mirror: Path) -> None:
    best = raw_bestfit(mirror)
    changed11 = best.loc[best["LSOA11CD"] != best["LSOA21CD"], "LSOA11CD"]
    assert changed11.nunique() == 21  # SOURCES.md: 21 of Oxfordshire's 407 LSOA11 change code
    targets = best.groupby("LSOA21CD")["LSOA11CD"].nunique()
    merged21 = set(targets[targets > 1].index)
    imd25 = raw_imd2025(mirror)
    county21 = set(
        imd25.loc[
            imd25["lsoa21_code"].isin(
                pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")["LSOA21CD"]
            ),
            "lsoa21_code",
        ]
    )
    kept = county21 & set(best["LSOA11CD"])

    summary = match_summary(built_store)
    assert summary["lsoa11_split"] + summary["lsoa11_merged"] == changed11.nunique()
    assert summary["merged"] == len(merged21)
    assert summary["unchanged"] == len(kept)
    assert summary["split"] == len(county21) - len(kept) - len(merged21)
    assert summary["complex"] == 0 and summary["unmatched"] == 0


@pytest.mark.integration
def test_merged_and_split_lsoas_use_the_raw_2019_ranks(built_store, mirror: Path) -> None:
    change = lsoa_change(built_store).set_index("lsoa21_code")
    imd19 = raw_imd2019(mirror).set_index("code")
    best = raw_bestfit(mirror)
    targets = best.groupby("LSOA21CD")["LSOA11CD"].apply(list)
    for code, olds in targets[targets.map(len) > 1].items():
        people = imd19.loc[olds, "population"]
        expected = (imd19.loc[olds, "imd_rank"] * people).sum() / people.sum()
        assert change.at[code, "match"] == "merged"
        assert change.at[code, "rank_2019"] == pytest.approx(expected)
    splits = change[change["match"] == "split"]
    assert len(splits) > 0
    for _code, row in splits.iterrows():
        assert row["rank_2019"] == imd19.at[row["lsoa11_codes"], "imd_rank"]
    imd25 = raw_imd2025(mirror).set_index("lsoa21_code")
    assert (change["rank_2025"] == imd25.loc[change.index, "IMD_rank"].astype(float)).all()


@pytest.mark.integration
def test_blackbird_leys_change_from_the_raw_files(built_store, mirror: Path) -> None:
    result = area_change(built_store, resolve_area("Blackbird Leys", built_store))
    ward19 = raw_ward19(mirror)
    lsoa11 = ward19.loc[(ward19["WD19NM"] == "Blackbird Leys") & (ward19["LAD19CD"] == "E07000178"), "LSOA11CD"]
    imd19 = raw_imd2019(mirror)
    assert result.most_deprived_20pct_2019 == (imd19.loc[imd19["code"].isin(lsoa11), "imd_decile"] <= 2).sum() == 3
    assert result.lsoas_2019 == 4
    assert result.mean_decile_2019 == pytest.approx(imd19.loc[imd19["code"].isin(lsoa11), "imd_decile"].mean())


@pytest.mark.integration
def test_most_moved_is_ordered_by_the_size_of_the_move(built_store) -> None:
    top = most_moved(built_store, n=10)
    assert len(top) == 10
    moves = top["mean_decile_change"].abs().tolist()
    assert moves == sorted(moves, reverse=True)
    everyone = most_moved(built_store, n=0)
    assert len(everyone) > 100
    assert everyone["mean_decile_change"].abs().max() == pytest.approx(moves[0])
    larger = most_moved(built_store, n=0, min_lsoas=3)
    assert 0 < len(larger) < len(everyone)
    assert (larger[["lsoas_2019", "lsoas_2025"]].min(axis=1) >= 3).all()
