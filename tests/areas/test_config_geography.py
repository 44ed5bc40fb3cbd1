"""Area configurations: CWB_AREAS as a name or a path, the geography section's checks, the area list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cwb_metrics.areas.config import area_config_path, check_area_config, load_area_config
from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.settings import AREAS_DIR
from cwb_metrics.sources.area_filter import for_area, where_clause
from cwb_metrics.sources.registry import load_sources


def _record(fixtures_dir: Path) -> dict:
    record = yaml.safe_load((fixtures_dir / "areas" / "testshire.yaml").read_text())
    record["neighbourhoods"], record["featured_neighbourhoods"] = [], []
    wards = [
        {"code": "E05099901", "name": "Riverside", "district": "E07099901", "lsoas": ["E01099901", "E01099902"]},
        {"code": "E05099903", "name": "Southside", "district": "E07099902", "lsoas": ["E01099903"]},
    ]
    record["geography"] = {
        key: {"lsoa_vintage": year, "ward_vintage": "May 2019", "method": "official_lookup", "source": "by hand",
              "wards": wards}
        for key, year in (("lsoa11", 2011), ("lsoa21", 2021))
    }  # fmt: skip
    return record


@pytest.mark.parametrize(
    ("value", "expected"),
    [("oxfordshire", AREAS_DIR / "oxfordshire.yaml"), ("cornwall", AREAS_DIR / "cornwall.yaml")],
)
def test_cwb_areas_names_a_file_in_data_areas(value: str, expected: Path) -> None:
    assert area_config_path(value) == expected


def test_cwb_areas_takes_a_path(fixtures_dir: Path, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "my council.yml"
    text = (fixtures_dir / "areas" / "testshire.yaml").read_text()
    target.write_text(text.replace("action_plan: ../actions/testshire_plan.yaml", ""))
    monkeypatch.setenv("CWB_AREAS", str(target))
    assert area_config_path() == target.resolve() and load_area_config().id == "testshire"
    assert load_area_config().action_plan is None
    monkeypatch.setenv("CWB_AREAS", str(tmp_path / "missing.yaml"))
    with pytest.raises(CwbError, match="init-area --code CODE -o FILE"):
        load_area_config()


def test_an_action_plan_is_read_beside_the_configuration(fixtures_dir: Path, tmp_path: Path) -> None:
    assert load_area_config(path=fixtures_dir / "areas" / "testshire.yaml").action_plan == str(
        (fixtures_dir / "actions" / "testshire_plan.yaml").resolve()
    )
    moved = tmp_path / "testshire.yaml"
    moved.write_text((fixtures_dir / "areas" / "testshire.yaml").read_text())
    with pytest.raises(CwbError, match=f"action_plan {tmp_path.parent}/actions/testshire_plan.yaml does not exist"):
        load_area_config(path=moved)


def test_a_sound_geography_section(fixtures_dir: Path) -> None:
    config = AreaConfig.model_validate(_record(fixtures_dir))
    assert check_area_config(config) == []
    assert config.geography.lsoa21.lsoas("E07099901") == ["E01099901", "E01099902"]
    assert config.area_list() == [
        ("E92000001", "England", "country"),
        ("E10099999", "Testshire", "county"),
        ("E07099901", "Northdale", "district"),
        ("E07099902", "Southdale", "district"),
    ]


def test_geography_problems_are_listed(fixtures_dir: Path) -> None:
    record = _record(fixtures_dir)
    record["geography"]["lsoa21"]["wards"][1]["lsoas"].append("E01099901")  # in two wards
    record["geography"]["lsoa11"]["wards"][1]["district"] = "E07099977"  # not a district
    problems = check_area_config(AreaConfig.model_validate(record))
    assert "LSOA E01099901 (2021) is in two wards: E05099901 and E05099903" in problems
    assert "ward E05099903 (Southside, LSOAs 2011) is in E07099977, not a district" in problems
    assert "districts E07099902 have no LSOAs (2011) in geography" in problems


def test_a_unitary_council_is_listed_once_and_a_comparator_kept() -> None:
    config = AreaConfig(
        id="x", county_code="E06000052", county_name="Cornwall", geography_kind="unitary",
        districts=[{"code": "E06000052", "name": "Cornwall"}],
    )  # fmt: skip
    assert config.single_tier and config.top_geography == "district"
    assert config.area_list() == [("E92000001", "England", "country"), ("E06000052", "Cornwall", "district")]
    preston = AreaConfig(
        id="p", county_code="E07000123", county_name="Preston", geography_kind="district",
        districts=[{"code": "E07000123", "name": "Preston"}],
        comparators=[{"code": "E10000017", "name": "Lancashire", "districts": ["E07000123", "E07000117"]}],
    )  # fmt: skip
    assert preston.area_codes() == {"E92000001", "E07000123", "E10000017"}


def test_downloads_are_filtered_to_the_areas_codes() -> None:
    sources = load_sources()
    codes = {"districts": ["E06000052"], "lsoa21": ["E01018817", "E01018818"]}
    url = str(for_area(sources["boundaries/lsoa21"], codes).url)
    assert "where=LSOA21CD%20IN%20(%27E01018817%27,%27E01018818%27)" in url and "where=1%3D1" not in url
    assert "LAD25CD%20IN%20(%27E06000052%27)" in str(for_area(sources["boundaries/wards25"], codes).url)
    assert for_area(sources["imd/2025/file7"], codes) is sources["imd/2025/file7"]  # no filter: unchanged
    assert where_clause("LAD25CD IN ({districts})", {"districts": ["A", "B"]}) == "LAD25CD IN ('A','B')"
    with pytest.raises(CwbError, match="lsoa11"):
        where_clause("LSOA11CD IN ({lsoa11})", codes)
