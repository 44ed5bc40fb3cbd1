"""Resolving names and codes to areas and their LSOAs, on Testshire and on Oxfordshire."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import list_areas, resolve_area
from cwb_metrics.errors import AreaNotFoundError, CwbError, NoDataError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.store import DataStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _variant(testshire: AreaConfig, **changes: object) -> AreaConfig:
    record = testshire.model_dump()
    record.update(changes)
    return AreaConfig.model_validate(record)


# ----- Testshire (hand-written fixtures) ---------------------------------------------------------
@pytest.mark.parametrize("text", ["Riverside", "riverside", "  RIVERSIDE ", "Riverside ward", "riverside"])
def test_a_name_shared_by_a_neighbourhood_and_a_ward_means_the_neighbourhood(testshire_store, testshire, text) -> None:
    area = resolve_area(text, testshire_store, testshire)
    assert (area.kind, area.code) == ("neighbourhood", "riverside")
    assert area.lsoa11 == ("E01099901", "E01099902") and area.lsoa21 == ("E01099901", "E01099902")


@pytest.mark.parametrize("text", ["The Flats", "flats", "the-flats", "Riverside & Hilltop", "riverside and hilltop"])
def test_neighbourhood_by_name_alias_or_id(testshire_store, testshire, text) -> None:
    area = resolve_area(text, testshire_store, testshire)
    assert area.code == "the-flats" and area.district_code == "E07099901"
    assert sorted(area.lsoa11) == ["E01099901", "E01099902", "E01099903", "E01099904"]
    # In 2025 Hilltop gained E01099907 (split from E01099903).
    assert sorted(area.lsoa21) == ["E01099901", "E01099902", "E01099903", "E01099904", "E01099907"]
    assert set(area.ward_codes) == {"E05099901", "E05099902", "E05099912"}


@pytest.mark.parametrize("text", ["Hilltop", "E05099912", "E05099902", "hilltop ward"])
def test_a_ward_renumbered_in_2025_is_one_ward_with_both_codes(testshire_store, testshire, text) -> None:
    area = resolve_area(text, testshire_store, testshire)
    assert (area.kind, area.code, area.name) == ("ward", "E05099912", "Hilltop")
    assert area.ward_codes == ("E05099912", "E05099902")
    assert area.lsoa11 == ("E01099903", "E01099904")
    assert sorted(area.lsoa21) == ["E01099903", "E01099904", "E01099907"]
    assert area.derived_editions == ()


def test_a_ward_of_one_vintage_gets_the_other_vintage_through_the_bestfit_lookup(testshire_store, testshire) -> None:
    market = resolve_area("Market", testshire_store, testshire)  # a May 2019 ward only
    assert market.lsoa11 == ("E01099905", "E01099906") and market.lsoa21 == ("E01099909",)
    assert market.derived_editions == (2025,)
    town = resolve_area("Market Town", testshire_store, testshire)  # a May 2025 ward only
    assert town.lsoa21 == ("E01099909",) and sorted(town.lsoa11) == ["E01099905", "E01099906"]
    assert town.derived_editions == (2019,)


def test_county_districts_country_and_lsoas(testshire_store, testshire) -> None:
    county = resolve_area("testshire", testshire_store, testshire)
    assert county.kind == "county" and len(county.lsoa11) == 6 and len(county.lsoa21) == 6
    south = resolve_area("E07099902", testshire_store, testshire)
    assert (south.kind, south.name, south.lsoa11, south.lsoa21) == (
        "district", "Southdale", ("E01099905", "E01099906"), ("E01099909",),
    )  # fmt: skip
    assert resolve_area("Northdale district", testshire_store, testshire).code == "E07099901"
    assert resolve_area("England", testshire_store, testshire).kind == "country"
    lsoa = resolve_area("northdale 001a", testshire_store, testshire)
    assert (lsoa.kind, lsoa.code, lsoa.district_code) == ("lsoa", "E01099901", "E07099901")
    new = resolve_area("E01099907", testshire_store, testshire)  # new in 2021: no 2011 LSOA points to it
    assert new.lsoa21 == ("E01099907",) and new.lsoa11 == ()


def test_a_neighbourhood_given_as_lsoas_of_both_vintages(testshire_store, testshire) -> None:
    area = resolve_area("Station Quarter", testshire_store, testshire)
    assert (area.lsoa11, area.lsoa21) == (("E01099906",), ("E01099909",))


def test_neighbourhood_beats_district_when_they_share_a_name(testshire_store, testshire) -> None:
    extra = {"id": "southdale-town", "name": "Southdale", "district": "E07099902",
             "description": "The town of Southdale.", "wards": ["Market"]}  # fmt: skip
    config = _variant(testshire, neighbourhoods=[*testshire.model_dump()["neighbourhoods"], extra])
    assert resolve_area("Southdale", testshire_store, config).kind == "neighbourhood"
    assert resolve_area("E07099902", testshire_store, config).kind == "district"


def test_unknown_names_list_close_matches(testshire_store, testshire) -> None:
    with pytest.raises(AreaNotFoundError, match="Did you mean: Riverside"):
        resolve_area("Rivreside", testshire_store, testshire)
    with pytest.raises(AreaNotFoundError, match="No area called 'Atlantis'"):
        resolve_area("Atlantis", testshire_store, testshire)
    with pytest.raises(AreaNotFoundError):
        resolve_area("   ", testshire_store, testshire)


def test_a_configured_ward_that_does_not_exist_is_a_configuration_error(testshire_store, testshire) -> None:
    bad = {"id": "nowhere", "name": "Nowhere", "district": "E07099901", "description": "A typo.", "wards": ["Hiltop"]}
    config = _variant(testshire, neighbourhoods=[bad])
    with pytest.raises(CwbError, match=r"'Hiltop'.*Close names: Hilltop"):
        resolve_area("Northdale", testshire_store, config)


def test_list_areas_orders_county_districts_neighbourhoods_then_wards(testshire_store, testshire) -> None:
    areas = list_areas(testshire_store, testshire)
    assert [a.kind for a in areas[:6]] == ["county", "district", "district"] + ["neighbourhood"] * 3
    wards = [(a.district_code, a.name) for a in areas if a.kind == "ward"]
    assert wards == [("E07099901", "Hilltop"), ("E07099901", "Riverside"),
                     ("E07099902", "Market"), ("E07099902", "Market Town")]  # fmt: skip


def test_no_built_data_is_a_clear_error(tmp_path: Path, testshire) -> None:
    with pytest.raises(NoDataError, match="refresh"):
        resolve_area("Riverside", DataStore(tmp_path / "empty"), testshire)


def test_load_area_config_reports_inconsistencies(tmp_path: Path) -> None:
    record = yaml.safe_load((FIXTURES / "areas" / "testshire.yaml").read_text(encoding="utf-8"))
    record["neighbourhoods"][0]["district"] = "E07000999"
    record["featured_neighbourhoods"] = ["riverside", "atlantis"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(record), encoding="utf-8")
    with pytest.raises(CwbError) as error:
        load_area_config(path=path)
    assert "E07000999" in str(error.value) and "'atlantis'" in str(error.value)
    with pytest.raises(CwbError, match="Known configurations"):
        load_area_config("no-such-county")


# ----- Oxfordshire (the real lookups) ------------------------------------------------------------
@pytest.fixture(scope="module")
def ward19(mirror: Path) -> pd.DataFrame:
    """The raw ONS LSOA 2011 to Ward 2019 lookup, read straight with pandas."""
    return pd.read_csv(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz", encoding="utf-8-sig")


@pytest.mark.integration
def test_blackbird_leys_is_the_neighbourhood_with_the_ward_lsoas(lsoa_store, ward19: pd.DataFrame) -> None:
    area = resolve_area("Blackbird Leys", lsoa_store)
    assert (area.kind, area.code) == ("neighbourhood", "blackbird-leys")
    raw = set(ward19.loc[ward19["WD19NM"] == "Blackbird Leys", "LSOA11CD"])
    assert set(area.lsoa11) == raw and len(raw) == 4  # "Blackbird Leys' four LSOAs" (CLES)


@pytest.mark.integration
def test_the_leys_and_banbury_match_their_wards_in_the_raw_lookup(lsoa_store, ward19: pd.DataFrame) -> None:
    leys = resolve_area("the leys", lsoa_store)
    raw = ward19.loc[ward19["WD19NM"].isin(["Blackbird Leys", "Northfield Brook"]), "LSOA11CD"]
    assert set(leys.lsoa11) == set(raw)
    banbury = resolve_area("Banbury", lsoa_store)
    raw = ward19.loc[ward19["WD19NM"].str.startswith("Banbury") & (ward19["LAD19CD"] == "E07000177"), "LSOA11CD"]
    assert set(banbury.lsoa11) == set(raw)


@pytest.mark.integration
def test_oxford_district_and_a_2025_ward_code(lsoa_store, ward19: pd.DataFrame, mirror: Path) -> None:
    oxford = resolve_area("Oxford", lsoa_store)
    assert oxford.kind == "district" and len(oxford.lsoa11) == int((ward19["LAD19CD"] == "E07000178").sum())
    wd25 = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    code = wd25.loc[wd25["WD25NM"] == "Northfield Brook", "WD25CD"].iloc[0]
    ward = resolve_area(code, lsoa_store)
    assert ward.kind == "ward" and set(ward.lsoa21) == set(wd25.loc[wd25["WD25CD"] == code, "LSOA21CD"])


@pytest.mark.integration
def test_every_ward_of_both_vintages_is_listed_once(lsoa_store, ward19: pd.DataFrame, mirror: Path) -> None:
    areas = list_areas(lsoa_store)
    wards = [a for a in areas if a.kind == "ward"]
    listed = [code for ward in wards for code in ward.ward_codes]
    assert len(listed) == len(set(listed))
    county19 = ward19[ward19["LAD19CD"].isin([f"E0700017{i}" for i in range(7, 10)] + ["E07000180", "E07000181"])]
    wd25 = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    assert set(listed) == set(county19["WD19CD"]) | set(wd25["WD25CD"])
    assert [a.kind for a in areas[:9]] == ["county"] + ["district"] * 5 + ["neighbourhood"] * 3


@pytest.mark.integration
def test_a_typo_suggests_the_neighbourhood(lsoa_store) -> None:
    with pytest.raises(AreaNotFoundError, match="Blackbird Leys"):
        resolve_area("Blakbird Leys", lsoa_store)
