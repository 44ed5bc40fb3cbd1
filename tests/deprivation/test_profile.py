"""Deprivation profiles: counts in England's most deprived 10%/20%, JSON, and sentences.

The integration tests check the CLES report's statements (IMD 2019) and IMD 2025 figures
computed here straight from the raw files with pandas.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.deprivation.profile import (
    area_command_json,
    deprivation_profile,
    profile_sentences,
    profile_sentences_for,
)
from cwb_metrics.errors import CwbError
from cwb_metrics.sources.imd import DOMAINS

LSOA_KEYS = ["code", "name", "imd_rank", "imd_decile"] + [f"{d}_{m}" for d in DOMAINS for m in ("rank", "decile")]


# ----- Testshire (hand-written fixtures) ---------------------------------------------------------
def test_riverside_2019_counts_from_the_fixture_deciles(testshire_store, testshire) -> None:
    # Fixture File 2: E01099901 IMD decile 1, E01099902 decile 2; education deciles 1 and 1.
    profile = deprivation_profile(resolve_area("Riverside", testshire_store, testshire), 2019, testshire_store)
    summary = profile.summary
    assert (summary.lsoa_count, summary.most_deprived_10pct, summary.most_deprived_20pct) == (2, 1, 2)
    assert summary.domains["education"].most_deprived_10pct == 2
    assert summary.domains["barriers"].most_deprived_20pct == 0
    assert [lsoa.code for lsoa in profile.lsoas] == ["E01099901", "E01099902"]  # most deprived first


def test_the_flats_uses_each_editions_own_wards(testshire_store, testshire) -> None:
    area = resolve_area("The Flats", testshire_store, testshire)
    p2019 = deprivation_profile(area, 2019, testshire_store).summary
    p2025 = deprivation_profile(area, 2025, testshire_store).summary
    assert (p2019.lsoa_count, p2019.most_deprived_10pct, p2019.most_deprived_20pct) == (4, 1, 2)
    # 2025 deciles of E01099901, 02, 03, 07, 04 in the fixture: 1, 3, 2, 4, 7.
    assert (p2025.lsoa_count, p2025.most_deprived_10pct, p2025.most_deprived_20pct) == (5, 1, 2)


def test_population_weighted_shares_where_population_exists(testshire_store, testshire) -> None:
    north = resolve_area("Northdale", testshire_store, testshire)
    imd = deprivation_profile(north, 2019, testshire_store).summary.imd
    # File 6 fixture: 1,500 + 1,620 people in deciles 1-2, of 1,500 + 1,620 + 1,380 + 2,010.
    assert imd.population_share_20pct == pytest.approx(100 * 3120 / 6510)
    assert imd.population_share_10pct == pytest.approx(100 * 1500 / 6510)
    assert deprivation_profile(north, 2025, testshire_store).summary.imd.population_share_20pct is None


def test_json_has_exactly_the_documented_keys_and_plain_types(testshire_store, testshire) -> None:
    payload = deprivation_profile(
        resolve_area("flats", testshire_store, testshire), 2025, testshire_store
    ).to_json_dict()
    assert list(payload) == ["area", "edition", "lsoas", "summary"]
    assert payload["area"] == {"code": "the-flats", "name": "The Flats", "kind": "neighbourhood"}
    assert payload["edition"] == 2025
    assert all(list(lsoa) == LSOA_KEYS for lsoa in payload["lsoas"])
    assert list(payload["summary"]) == ["lsoa_count", "most_deprived_10pct", "most_deprived_20pct", "domains"]
    assert list(payload["summary"]["domains"]) == list(DOMAINS)
    assert all(
        list(v) == ["most_deprived_10pct", "most_deprived_20pct"] for v in payload["summary"]["domains"].values()
    )
    json.dumps(payload)  # numpy or pandas scalars would fail here
    first = payload["lsoas"][0]
    assert (first["code"], first["name"], first["imd_rank"], first["barriers_decile"]) == (
        "E01099901", "Northdale 001A", 2500, 5,
    )  # fmt: skip


def test_sentences_say_the_counts_in_plain_english(testshire_store, testshire) -> None:
    profile = deprivation_profile(resolve_area("Riverside", testshire_store, testshire), 2019, testshire_store)
    sentences = profile_sentences(profile)
    assert (
        sentences[0] == "All 2 of Riverside's neighbourhoods (LSOAs) are among England's 20% most deprived (IMD 2019)."
    )
    assert sentences[1] == "1 of Riverside's 2 neighbourhoods (LSOAs) is among England's 10% most deprived (IMD 2019)."
    assert (
        "All 2 of Riverside's neighbourhoods (LSOAs) are among England's 10% most deprived on "
        "education, skills and training (IMD 2019)."
    ) in sentences
    assert (
        "All of Riverside's residents (mid-2015 population) live in neighbourhoods among England's "
        "20% most deprived (IMD 2019)."
    ) in sentences


def test_a_ward_matched_through_the_bestfit_lookup_says_so(testshire_store, testshire) -> None:
    sentences = profile_sentences_for("Market", 2025, testshire_store, testshire)
    assert any("best-fit lookup" in s and "approximate" in s for s in sentences)


def test_area_command_json_resolves_and_adds_sentences(testshire_store, testshire) -> None:
    payload = area_command_json("E07099902", 2019, testshire_store, testshire)
    assert payload["area"]["name"] == "Southdale" and payload["summary"]["lsoa_count"] == 2
    assert payload["sentences"][0].startswith("1 of Southdale's 2 neighbourhoods (LSOAs) is among")


def test_england_and_unknown_editions_are_refused(testshire_store, testshire) -> None:
    with pytest.raises(CwbError, match="by definition"):
        area_command_json("England", 2019, testshire_store, testshire)
    with pytest.raises(CwbError, match="2019 or 2025"):
        area_command_json("Riverside", 2015, testshire_store, testshire)


# ----- Oxfordshire: the CLES report (IMD 2019) and IMD 2025 from the raw files -------------------
BANBURY_WARDS = [
    "Banbury Calthorpe and Easington", "Banbury Cross and Neithrop", "Banbury Grimsbury and Hightown",
    "Banbury Hardwick", "Banbury Ruscote",
]  # fmt: skip


@pytest.fixture(scope="module")
def raw2019(mirror: Path) -> pd.DataFrame:
    """IoD2019 File 2 joined to the ONS ward lookup, read straight with pandas (not the adapters)."""
    file2 = pd.read_csv(mirror / "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", encoding="utf-8-sig")
    lookup = pd.read_csv(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz", encoding="utf-8-sig")
    return lookup.merge(file2, left_on="LSOA11CD", right_on="LSOA code (2011)")


@pytest.fixture(scope="module")
def raw2025(mirror: Path) -> pd.DataFrame:
    """The IoD2025 LSOA file joined to the derived ward 2025 lookup, read straight with pandas."""
    imd = pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv.gz")
    lookup = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    return lookup.merge(imd, left_on="LSOA21CD", right_on="lsoa21_code")


@pytest.mark.integration
def test_cles_blackbird_leys_three_of_four_lsoas_in_the_most_deprived_20pct_2019(lsoa_store) -> None:
    payload = area_command_json("Blackbird Leys", 2019, lsoa_store)
    assert payload["summary"]["lsoa_count"] == 4
    assert payload["summary"]["most_deprived_20pct"] == 3
    assert (
        "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among England's 20% most deprived (IMD 2019)."
        in payload["sentences"]
    )


@pytest.mark.integration
def test_cles_banbury_six_in_20pct_and_seven_in_10pct_on_education_2019(lsoa_store) -> None:
    summary = area_command_json("Banbury", 2019, lsoa_store)["summary"]
    assert summary["most_deprived_20pct"] == 6
    assert summary["domains"]["education"]["most_deprived_10pct"] == 7
    sentences = profile_sentences_for("Banbury", 2019, lsoa_store)
    assert any(
        s.startswith("7 of Banbury's") and "10% most deprived on education, skills and training (IMD 2019)" in s
        for s in sentences
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "wards"),
    [("Blackbird Leys", ["Blackbird Leys"]), ("The Leys", ["Blackbird Leys", "Northfield Brook"]),
     ("Banbury", BANBURY_WARDS)],
)  # fmt: skip
def test_2019_profiles_match_the_raw_files(lsoa_store, raw2019: pd.DataFrame, name: str, wards: list[str]) -> None:
    rows = raw2019[raw2019["WD19NM"].isin(wards)]
    imd = rows["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"]
    education = rows["Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)"]
    summary = area_command_json(name, 2019, lsoa_store)["summary"]
    assert summary["lsoa_count"] == len(rows)
    assert (summary["most_deprived_10pct"], summary["most_deprived_20pct"]) == ((imd == 1).sum(), (imd <= 2).sum())
    assert summary["domains"]["education"]["most_deprived_10pct"] == (education == 1).sum()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "wards"),
    [("Blackbird Leys", ["Blackbird Leys"]), ("The Leys", ["Blackbird Leys", "Northfield Brook"]),
     ("Banbury", BANBURY_WARDS)],
)  # fmt: skip
def test_2025_profiles_match_the_raw_files(lsoa_store, raw2025: pd.DataFrame, name: str, wards: list[str]) -> None:
    rows = raw2025[raw2025["WD25NM"].isin(wards)]
    payload = area_command_json(name, 2025, lsoa_store)
    summary = payload["summary"]
    assert sorted(lsoa["code"] for lsoa in payload["lsoas"]) == sorted(rows["LSOA21CD"])
    assert summary["most_deprived_10pct"] == (rows["IMD_decile"] == 1).sum()
    assert summary["most_deprived_20pct"] == (rows["IMD_decile"] <= 2).sum()
    for domain, column in [("education", "Education"), ("income", "Income"), ("barriers", "Housing_and_Services"),
                           ("living_environment", "Environment")]:  # fmt: skip
        counts = summary["domains"][domain]
        assert counts["most_deprived_10pct"] == (rows[f"{column}_decile"] == 1).sum()
        assert counts["most_deprived_20pct"] == (rows[f"{column}_decile"] <= 2).sum()
    first = payload["lsoas"][0]
    raw_first = rows.sort_values("IMD_rank").iloc[0]
    assert (first["code"], first["imd_rank"]) == (raw_first["LSOA21CD"], raw_first["IMD_rank"])


@pytest.mark.integration
def test_county_profile_counts_every_lsoa(lsoa_store) -> None:
    assert area_command_json("Oxfordshire", 2019, lsoa_store)["summary"]["lsoa_count"] == 407
    assert area_command_json("E10000025", 2025, lsoa_store)["summary"]["lsoa_count"] == 428
