"""Census 2021, IoD2025 sub-domains and local election turnout for wards and neighbourhoods.

Unit tests build the LSOA and ward tables from the Testshire fixtures (values worked out by hand);
integration tests read a data folder refreshed from the mirror (``built_store``) and compute
their expectations from the raw files with plain pandas.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.deprivation.census_lsoa import CENSUS_TABLE, build_census_lsoa_table, county_census
from cwb_metrics.deprivation.elections import (
    LOCAL_TURNOUT_TABLE,
    NO_RESULT,
    build_election_tables,
    constituency_turnout,
    council_key,
)
from cwb_metrics.deprivation.subdomains_lsoa import SUBDOMAIN_TABLE, build_subdomain_lsoa_table
from cwb_metrics.deprivation.tables import BESTFIT_TABLE, IMD2019_TABLE, IMD2025_TABLE
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.portrait.small_area import small_area_indicator_rows
from cwb_metrics.store import DataStore
from tests.deprivation.smallhelpers import raw_ward25


@pytest.fixture
def social_context(testshire_context, fixtures_dir: Path):
    census, iod, elections = fixtures_dir / "census", fixtures_dir / "iod", fixtures_dir / "elections"
    return testshire_context(
        {
            "census/2021/ts037_lsoa": census / "census2021-ts037-lsoa.csv",
            "census/2021/ts052_lsoa": census / "ts052_reshaped_lsoa.csv",
            "imd/2025/subdomains": iod / "iod2025_file7_subdomains.csv",
            "electoral_commission/local_2022": elections / "ec_ward_data.csv",
            "hoc/ge2024": elections / "hoc_ge_results.csv",
        }
    )


@pytest.fixture
def social_store(social_context, testshire_store, tmp_path: Path) -> DataStore:
    store = DataStore(tmp_path / "data")
    with store.new_version("refresh") as writer:
        for relative in (IMD2019_TABLE, IMD2025_TABLE, BESTFIT_TABLE):
            writer.write_table(relative, testshire_store.read_table(relative), ["fixture"])
        outputs = build_census_lsoa_table(social_context) + build_subdomain_lsoa_table(social_context)
        for output in outputs + build_election_tables(social_context):
            writer.write_table(output.relative, output.payload, list(output.built_from))
    return store


def _one(rows: pd.DataFrame, indicator: str) -> pd.Series:
    chosen = rows[rows["indicator"] == indicator]
    assert len(chosen) == 1, f"{indicator}: {len(chosen)} rows"
    return chosen.iloc[0]


def test_census_table_has_the_county_lsoas_and_only_fetched_measures(social_context) -> None:
    frame, used = county_census(social_context)
    assert sorted(frame["lsoa_code"]) == ["E01099901", "E01099902", "E01099903", "E01099904", "E01099907", "E01099909"]
    assert used == ["census/2021/ts037_lsoa", "census/2021/ts052_lsoa"]
    assert "census_bad_health_count" in frame and "census_households_deprived_count" not in frame
    row = frame.set_index("lsoa_code").loc["E01099903"]
    assert (row["census_bad_health_count"], row["census_bad_health_base"]) == (100, 1200)


def test_ward_and_neighbourhood_census_shares_sum_lsoa_counts(social_store, testshire) -> None:
    catalogue = load_catalogue()
    riverside = small_area_indicator_rows(social_store, resolve_area("Riverside", social_store, testshire), catalogue)
    row = _one(riverside, "census_bad_health")
    assert row["period"] == "2021" and row["value"] == pytest.approx(100 * 200 / 2500)
    assert "200 of 2,500 residents in 2 LSOAs (2021)" in row["notes"]
    flats = small_area_indicator_rows(social_store, resolve_area("The Flats", social_store, testshire), catalogue)
    assert _one(flats, "census_bad_health")["value"] == pytest.approx(100 * 400 / 5500)
    assert _one(flats, "census_overcrowding")["value"] == pytest.approx(100 * 90 / 2200)
    assert "census_households_deprived" not in set(flats["indicator"])  # its source was not fetched: missing


def test_subdomain_share_is_residents_weighted(social_store, testshire) -> None:
    rows = small_area_indicator_rows(social_store, resolve_area("The Flats", social_store, testshire), load_catalogue())
    # Indoors deciles: 001A 1, 002A 2, 002C 2 are in the most deprived 20% (1,000 + 1,200 + 800 residents of 5,500).
    row = _one(rows, "iod_indoors_most_deprived_20pct")
    assert row["period"] == "2025" and row["value"] == pytest.approx(100 * 3000 / 5500)


def test_turnout_of_wards_matched_by_name_and_missing_ones_say_why(social_store, testshire) -> None:
    table = social_store.read_table(LOCAL_TURNOUT_TABLE)
    matched = table.set_index("source_ward")
    assert matched.loc["Hill-Top", "ward_name"] == "Hilltop"  # punctuation ignored
    assert not matched.loc["Old Mill", "matched"] and pd.isna(matched.loc["Old Mill", "ward_code"])
    assert "Central" not in matched.index  # Otherplace is not a district of Testshire
    catalogue = load_catalogue()
    flats = small_area_indicator_rows(social_store, resolve_area("The Flats", social_store, testshire), catalogue)
    assert _one(flats, "local_election_turnout")["value"] == pytest.approx(100 * 1900 / 7000)
    market = small_area_indicator_rows(social_store, resolve_area("Market Town", social_store, testshire), catalogue)
    row = _one(market, "local_election_turnout")
    assert math.isnan(row["value"]) and row["status"] == NO_RESULT and "1 of the area's 1 wards" in row["notes"]
    quarter = small_area_indicator_rows(
        social_store, resolve_area("Station Quarter", social_store, testshire), catalogue
    )
    assert "local_election_turnout" not in set(quarter["indicator"])  # defined by LSOAs: no wards


def test_constituencies_are_kept_as_published(social_store) -> None:
    table = constituency_turnout(social_store)
    assert table["pcon_code"].tolist() == ["E14099901", "E14099902"]  # England only, highest turnout first
    assert table["turnout"].iloc[0] == pytest.approx(100 * 45_100 / 70_000)
    assert len(constituency_turnout(social_store, country=None)) == 3


def test_council_names_reduce_to_district_names() -> None:
    assert council_key("Oxford City Council") == "oxford"
    assert council_key("Cherwell District Council") == "cherwell"
    assert council_key("London Borough of Hackney") == "hackney"
    assert council_key("Barnsley Metropolitan Borough Council") == "barnsley"
    assert council_key("Kingston upon Hull, City of") == "kingston upon hull"


# ----- the mirror (a data folder refreshed from it) ------------------------------------------------
CENSUS_RAW = "indicators_raw/census2021_lsoa21"


def _lsoas_of_wards(mirror: Path, wards: list[str], lad: str) -> list[str]:
    lookup = raw_ward25(mirror)
    return lookup.loc[lookup["WD25NM"].isin(wards) & (lookup["LAD25CD"] == lad), "LSOA21CD"].tolist()


def _raw_share(mirror: Path, file: str, lsoas: list[str], count: list[str], base: str) -> float:
    raw = pd.read_csv(mirror / CENSUS_RAW / file)
    headers = {c.split(": ", 1)[1].replace("; measures: Value", ""): c for c in raw.columns if ": " in c}
    chosen = raw[raw["geography code"].isin(lsoas)]
    assert len(chosen) == len(lsoas)
    return 100 * chosen[[headers[c] for c in count]].sum().sum() / chosen[headers[base]].sum()


BANBURY = [
    "Banbury Calthorpe and Easington",
    "Banbury Cross and Neithrop",
    "Banbury Grimsbury and Hightown",
    "Banbury Hardwick",
    "Banbury Ruscote",
]


@pytest.mark.parametrize(
    ("area", "wards", "lad"), [("Blackbird Leys", ["Blackbird Leys"], "E07000178"), ("Banbury", BANBURY, "E07000177")]
)
def test_census_shares_of_neighbourhoods_from_the_raw_files(built_store, mirror: Path, area, wards, lad) -> None:
    lsoas = _lsoas_of_wards(mirror, wards, lad)
    rows = small_area_indicator_rows(built_store, resolve_area(area, built_store))
    households = "Total: All households"
    deprived = [f"Household is deprived in {n} dimension{'s' if n != 'one' else ''}"
                for n in ("one", "two", "three", "four")]  # fmt: skip
    expected = {
        "census_households_deprived": _raw_share(mirror, "census2021-ts011-lsoa.csv.gz", lsoas, deprived, households),
        "census_bad_health": _raw_share(
            mirror,
            "census2021-ts037-lsoa.csv.gz",
            lsoas,
            ["Bad health", "Very bad health"],
            "Total: All usual residents",
        ),
        "census_no_central_heating": _raw_share(
            mirror, "census2021-ts046-lsoa.csv.gz", lsoas, ["No central heating"], households
        ),
        "census_overcrowding": _raw_share(
            mirror,
            "census2021_ts052_occupancy_rating_bedrooms_lsoa21_ew.csv.gz",
            lsoas,
            ["-1 (overcrowded)", "-2 or less (overcrowded)"],
            households,
        ),
        "census_social_rented": _raw_share(
            mirror, "census2021-ts054-lsoa.csv.gz", lsoas, ["Social rented"], households
        ),
    }
    for indicator, value in expected.items():
        assert _one(rows, indicator)["value"] == pytest.approx(value, abs=1e-9), indicator


def test_blackbird_leys_turnout_and_indoors_share_from_the_raw_files(built_store, mirror: Path) -> None:
    rows = small_area_indicator_rows(built_store, resolve_area("Blackbird Leys", built_store))
    wards = pd.read_excel(
        mirror / "indicators_raw/electoral_commission_local_2022/2022 England Electoral data_0.xlsx",
        sheet_name="Ward data",
        engine="calamine",
    )
    own = wards[(wards["Local Authority Name"] == "Oxford City Council") & (wards["Ward Name"] == "Blackbird Leys")]
    expected = 100 * own["Ballot papers at the count"].sum() / own["Electorate"].sum()
    assert _one(rows, "local_election_turnout")["value"] == pytest.approx(expected)
    lsoas = _lsoas_of_wards(mirror, ["Blackbird Leys"], "E07000178")
    sub = pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21_subdomains.csv.gz").set_index("lsoa21_code")
    people = pd.read_csv(mirror / CENSUS_RAW / "census2021-ts037-lsoa.csv.gz").set_index("geography code")
    residents = people.loc[lsoas, "General health: Total: All usual residents"]
    deprived = residents[sub.loc[lsoas, "outdoors_decile"] <= 2].sum()
    assert _one(rows, "iod_outdoors_most_deprived_20pct")["value"] == pytest.approx(100 * deprived / residents.sum())


def test_banbury_turnout_is_its_five_wards(built_store, mirror: Path) -> None:
    rows = small_area_indicator_rows(built_store, resolve_area("Banbury", built_store))
    wards = pd.read_excel(
        mirror / "indicators_raw/electoral_commission_local_2022/2022 England Electoral data_0.xlsx",
        sheet_name="Ward data",
        engine="calamine",
    )
    own = wards[
        (wards["Local Authority Name"] == "Cherwell District Council") & wards["Ward Name"].str.startswith("Banbury")
    ]
    assert len(own) == 5
    expected = 100 * own["Ballot papers at the count"].sum() / own["Electorate"].sum()
    assert _one(rows, "local_election_turnout")["value"] == pytest.approx(expected)


def test_a_ward_of_a_council_without_a_2022_election_says_why(built_store) -> None:
    rows = small_area_indicator_rows(built_store, resolve_area("Thame", built_store))  # South Oxfordshire
    row = _one(rows, "local_election_turnout")
    assert math.isnan(row["value"]) and row["status"] == NO_RESULT


def test_census_and_subdomain_tables_are_in_the_refreshed_data(built_store) -> None:
    census = built_store.read_table(CENSUS_TABLE)
    assert len(census) == 428 and census["census_bad_health_base"].notna().all()
    assert len(built_store.read_table(SUBDOMAIN_TABLE)) == 428
