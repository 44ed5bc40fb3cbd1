"""init-area on councils the tool was not tuned for, checked against the raw mirror files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import area_config_path, load_area_config
from cwb_metrics.areas.init_area import build_area_config, write_area_config
from cwb_metrics.cli import main
from cwb_metrics.errors import CwbError
from tests import rawiod

pytestmark = pytest.mark.integration

KINDS = {
    "E06000052": "unitary",
    "E08000035": "metropolitan_district",
    "E07000123": "district",
    "E10000017": "county",
    "E09000030": "london_borough",
    "E06000065": "unitary",
}


@pytest.fixture(scope="module")
def configs(council_configs):
    return {code: load_area_config(path=path) for code, path in council_configs.items()}


@pytest.mark.parametrize("code", sorted(KINDS))
def test_every_lsoa_of_the_council_in_exactly_one_ward(configs, mirror: Path, code: str) -> None:
    config = configs[code]
    assert config.county_code == code and config.geography_kind == KINDS[code]
    assert config.geography is not None
    for vintage, lookup in ((2011, config.geography.lsoa11), (2021, config.geography.lsoa21)):
        listed = lookup.lsoas()
        assert len(listed) == len(set(listed))  # no LSOA in two wards
        assert set(listed) == rawiod.lsoas(mirror, code, vintage)
    assert config.neighbourhoods == []  # left for the user


def test_council_sizes_as_the_brief_gives_them(configs) -> None:
    sizes = {code: len(configs[code].geography.lsoa11.lsoas()) for code in ("E06000052", "E08000035")}
    assert sizes == {"E06000052": 326, "E08000035": 482}


def test_single_tier_councils_are_their_own_district(configs) -> None:
    for code in ("E06000052", "E08000035", "E09000030"):
        config = configs[code]
        assert [d.code for d in config.districts] == [code] and config.comparators == []
        assert config.single_tier and config.area_list()[1:] == [(code, config.county_name, "district")]


def test_a_district_keeps_its_county_as_comparator(configs, mirror: Path) -> None:
    preston = configs["E07000123"]
    assert preston.county_name == "Preston" and [d.code for d in preston.districts] == ["E07000123"]
    (lancashire,) = preston.comparators
    raw = rawiod.raw(mirror).lsoa21
    expected = set(raw.loc[raw["county"] == "E10000017", "lad"])
    assert (lancashire.code, lancashire.name) == ("E10000017", "Lancashire")
    assert set(lancashire.districts) == expected and len(expected) == 12
    assert preston.area_codes() == {"E92000001", "E07000123", "E10000017"}


def test_a_county_lists_its_districts(configs, mirror: Path) -> None:
    lancashire = configs["E10000017"]
    raw = rawiod.raw(mirror).lsoa21
    assert {d.code for d in lancashire.districts} == set(raw.loc[raw["county"] == "E10000017", "lad"])
    assert "Preston" in {d.name for d in lancashire.districts}
    # Lancashire's districts have kept their 2019 codes: nothing was reorganised.
    assert all(d.predecessors == [] for d in lancashire.districts)


def test_may_2019_wards_are_the_official_lookup(configs, mirror: Path) -> None:
    lookup = pd.read_csv(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz", encoding="utf-8-sig")
    leeds = lookup[lookup["LAD19CD"] == "E08000035"]
    expected = {w: set(g["LSOA11CD"]) for w, g in leeds.groupby("WD19CD")}
    wards = configs["E08000035"].geography.lsoa11
    assert wards.method == "official_lookup" and wards.ward_vintage == "May 2019"
    assert {w.code: set(w.lsoas) for w in wards.wards} == expected


def test_without_a_current_ward_lookup_2021_lsoas_take_the_2019_ward_of_their_best_fit(configs, mirror: Path) -> None:
    cornwall = configs["E06000052"].geography
    assert (cornwall.lsoa21.method, cornwall.lsoa21.ward_vintage) == ("best_fit_via_lsoa2011", "May 2019")
    best = pd.read_csv(mirror / "lookups/lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv.gz")
    ward11 = {c: w.code for w in cornwall.lsoa11.wards for c in w.lsoas}
    ward21 = {c: w.code for w in cornwall.lsoa21.wards for c in w.lsoas}
    pairs = best[best["LSOA21CD"].isin(ward21)].drop_duplicates("LSOA21CD")
    assert len(pairs) > 300
    for old, new in zip(pairs["LSOA11CD"], pairs["LSOA21CD"], strict=True):
        assert ward21[new] == ward11[old]


def test_with_ward_boundaries_lsoas_are_placed_as_the_mirror_derived_oxfordshire(national_paths, national_geo, mirror):
    config = build_area_config("E10000025", national_paths, geo=national_geo)
    wards = config.geography.lsoa21
    assert (wards.method, wards.ward_vintage) == ("representative_point", "May 2025")
    derived = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    mine = {c: w.code for w in wards.wards for c in w.lsoas}
    assert mine == dict(zip(derived["LSOA21CD"], derived["WD25CD"], strict=True))


def test_a_council_formed_since_2019_lists_the_districts_it_replaced(configs, mirror: Path) -> None:
    lookup = pd.read_csv(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz", encoding="utf-8-sig")
    mine = lookup[lookup["LSOA11CD"].isin(rawiod.lsoas(mirror, "E06000065", 2011))]
    (district,) = configs["E06000065"].districts
    assert district.predecessors == sorted(set(mine["LAD19CD"])) and len(district.predecessors) == 7
    assert "did not exist in 2019" in configs["E06000065"].geography.note


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("E07000163", "now part of North Yorkshire (E06000065)"),
        ("W06000001", "not an English council"),
        ("E99999999", "not the code of a current English county"),
    ],
)
def test_codes_that_are_not_current_english_councils(national_paths, national_geo, code: str, words: str) -> None:
    with pytest.raises(CwbError, match=words.replace("(", r"\(").replace(")", r"\)")):
        build_area_config(code, national_paths, geo=national_geo)


def test_cli_writes_a_file_cwb_areas_accepts(mirror: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    target = tmp_path / "councils" / "cornwall.yaml"
    assert main(["init-area", "--code", "e06000052", "-o", str(target), "--mirror", str(mirror), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["code"], summary["kind"], summary["lsoa11"], summary["lsoa21"]) == (
        "E06000052",
        "unitary",
        326,
        len(rawiod.lsoas(mirror, "E06000052", 2021)),
    )
    assert summary["police_force_area"] is None  # no district to police force area lookup in the mirror
    text = target.read_text(encoding="utf-8")
    assert "# police_force_area is not filled in: no official district to police force area lookup" in text
    assert not [line for line in text.splitlines() if line.startswith(("police_force_area", "action_plan"))]
    monkeypatch.setenv("CWB_AREAS", str(target))
    assert area_config_path() == target.resolve()
    assert load_area_config().county_name == "Cornwall"
    assert load_area_config().police_force_area is None and load_area_config().action_plan is None
    # A second run needs --force, and keeps the neighbourhoods the user added.
    assert main(["init-area", "--code", "E06000052", "-o", str(target), "--mirror", str(mirror)]) == 2
    config = load_area_config(path=target)
    record = config.model_dump()
    ward = config.geography.lsoa11.wards[0]
    record["neighbourhoods"] = [
        {"id": "mine", "name": "Mine", "district": "E06000052", "description": "A test.", "wards": [ward.name]}
    ]
    plan = tmp_path / "councils" / "plan.yaml"
    plan.write_text("id: x\n", encoding="utf-8")  # only its path is kept here
    # The force area covering Cornwall, as the ONS homicide file names it.
    record["police_force_area"] = {"code": "E23000035", "name": "Devon and Cornwall"}
    record["action_plan"] = str(plan)
    write_area_config(type(config).model_validate(record), target)
    assert main(["init-area", "--code", "E06000052", "-o", str(target), "--mirror", str(mirror), "--force"]) == 0
    again = load_area_config(path=target)
    assert [n.id for n in again.neighbourhoods] == ["mine"]
    assert again.police_force_area.name == "Devon and Cornwall" and again.action_plan == str(plan)
