"""A real refresh for Cornwall, and the LSOA tables of Leeds and Preston, against the raw IoD files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.cli import main
from cwb_metrics.deprivation.profile import area_command_json, deprivation_profile
from cwb_metrics.deprivation.tables import build_lsoa_tables
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import from_mirror
from cwb_metrics.store import DataStore
from tests import rawiod

pytestmark = pytest.mark.integration

CORNWALL = "E06000052"
DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education",
    "health": "Health",
    "crime": "Crime",
    "barriers": "Housing_and_Services",
    "living_environment": "Environment",
}


def test_cornwall_lsoa_tables_hold_every_lsoa(cornwall_store: DataStore, mirror: Path) -> None:
    t19, t25 = cornwall_store.read_table("lsoa/imd2019.parquet"), cornwall_store.read_table("lsoa/imd2025.parquet")
    assert set(t19["lsoa_code"]) == rawiod.lsoas(mirror, CORNWALL, 2011) and len(t19) == 326
    assert set(t25["lsoa_code"]) == rawiod.lsoas(mirror, CORNWALL, 2021)
    assert set(t19["lad_code"]) == set(t25["lad_code"]) == {CORNWALL}
    assert t19["ward_code"].notna().all() and t25["ward_code"].notna().all()


@pytest.mark.parametrize("edition", [2019, 2025])
def test_cornwall_imd_indicator_is_the_raw_share(cornwall_store: DataStore, mirror: Path, edition: int) -> None:
    rows = cornwall_store.read_indicator("imd_most_deprived_20pct")
    count, _tenth, fifth = rawiod.deprived_counts(mirror, CORNWALL, edition)
    mine = rows[(rows["areacd"] == CORNWALL) & (rows["period"] == str(edition))]
    assert len(mine) == 1 and mine["geography"].iloc[0] == "district"
    assert mine["value"].iloc[0] == pytest.approx(100 * fifth / count)
    assert f"{fifth} of {count} LSOAs" in mine["notes"].iloc[0]
    assert set(rows["areacd"]) == {"E92000001", CORNWALL}  # no Oxfordshire row, no county row


def test_cornwall_area_command_counts_every_domain(cornwall_store: DataStore, council_configs, mirror: Path) -> None:
    config = load_area_config(path=council_configs[CORNWALL])
    for edition in (2019, 2025):
        summary = area_command_json("Cornwall", edition, cornwall_store, config)["summary"]
        count, tenth, fifth = rawiod.deprived_counts(mirror, CORNWALL, edition)
        assert (summary["lsoa_count"], summary["most_deprived_10pct"], summary["most_deprived_20pct"]) == (
            count,
            tenth,
            fifth,
        )
    summary = area_command_json(CORNWALL, 2025, cornwall_store, config)["summary"]
    for domain, raw_name in DOMAINS.items():
        _count, tenth, fifth = rawiod.deprived_counts(mirror, CORNWALL, 2025, raw_name)
        assert summary["domains"][domain] == {"most_deprived_10pct": tenth, "most_deprived_20pct": fifth}


def test_cornwall_population_weighted_share_2019(cornwall_store: DataStore, council_configs, mirror: Path) -> None:
    from cwb_metrics.areas.resolve import resolve_area

    config = load_area_config(path=council_configs[CORNWALL])
    profile = deprivation_profile(resolve_area(CORNWALL, cornwall_store, config), 2019, cornwall_store)
    expected = rawiod.population_share_20pct_2019(mirror, CORNWALL)
    assert profile.summary.imd.population_share_20pct == pytest.approx(expected, abs=1e-6)


def test_cornwall_maps_cover_the_council(cornwall_store: DataStore, mirror: Path) -> None:
    from cwb_metrics.geo.tables import read_topology

    for name, vintage in (("lsoa11", 2011), ("lsoa21", 2021)):
        members = read_topology(cornwall_store, name)["objects"][name]["geometries"]
        assert {m["properties"]["code"] for m in members} == rawiod.lsoas(mirror, CORNWALL, vintage)
    districts = read_topology(cornwall_store, "districts")["objects"]["districts"]["geometries"]
    assert [m["properties"] for m in districts] == [{"code": CORNWALL, "name": "Cornwall"}]
    wards = read_topology(cornwall_store, "wards25")
    assert "derived" in wards  # no ward boundaries for Cornwall in the mirror: LSOAs dissolved into wards
    assert len(wards["objects"]["wards25"]["geometries"]) == 122


def test_cornwall_portrait_and_briefing_commands(
    cornwall_store: DataStore, council_configs, mirror: Path, monkeypatch, capsys, tmp_path
) -> None:
    monkeypatch.setenv("CWB_AREAS", str(council_configs[CORNWALL]))
    data = ["--data-dir", str(cornwall_store.root)]
    assert main(["portrait", "--area", "Cornwall", "--json", *data]) == 0
    portrait = json.loads(capsys.readouterr().out)
    assert portrait["area"] == {"code": CORNWALL, "name": "Cornwall", "kind": "district"}
    assert sum(1 for i in portrait["indicators"] if i["value"] is not None) >= 30
    target = tmp_path / "cornwall.html"
    assert main(["briefing", "--area", CORNWALL, "-o", str(target), *data]) == 0
    page = target.read_text(encoding="utf-8")
    _count, _tenth, fifth = rawiod.deprived_counts(mirror, CORNWALL, 2019)
    assert "Unitary authority" in page and "Oxfordshire" not in page
    assert f"{fifth} of Cornwall&#x27;s 326 neighbourhoods (LSOAs) are among England&#x27;s 20% most deprived" in page


@pytest.mark.parametrize("code", ["E08000035", "E07000123"])
def test_leeds_and_preston_lsoa_tables_match_the_raw_files(code: str, council_configs, sources, mirror: Path, tmp_path):
    wanted = ["imd/2019/file2", "imd/2019/file6", "imd/2025/file7", "lookup/lsoa11_ward19", "lookup/lsoa11_lsoa21"]
    context = BuildContext(
        files={s: from_mirror(sources[s], mirror) for s in wanted}, areas=load_area_config(path=council_configs[code])
    )
    store = DataStore(tmp_path)
    with store.new_version("refresh") as writer:
        for output in build_lsoa_tables(context):
            writer.write_table(output.relative, output.payload, list(output.built_from))
    config = load_area_config(path=council_configs[code])
    for edition in (2019, 2025):
        summary = area_command_json(code, edition, store, config)["summary"]
        assert (
            summary["lsoa_count"],
            summary["most_deprived_10pct"],
            summary["most_deprived_20pct"],
        ) == rawiod.deprived_counts(mirror, code, edition)


def test_cornwalls_homicide_figure_says_why_it_is_missing(
    cornwall_store: DataStore, council_configs, mirror: Path, monkeypatch
) -> None:
    from cwb_metrics.portrait.for_area import portrait_for

    monkeypatch.setenv("CWB_AREAS", str(council_configs[CORNWALL]))
    rows = cornwall_store.read_indicator("homicide_rate")
    own = rows[rows["areacd"] == CORNWALL]
    path = mirror / "indicators_raw/ons_explore_local_statistics/homicide-offences.csv"
    raw = pd.read_csv(path, encoding="utf-8-sig")
    england = raw[raw["areacd"] == "E92000001"]
    assert len(own) == 1 and own["value"].isna().all()
    assert own["period"].iloc[0] == max(england["period"], key=lambda p: p[:10])  # England's latest
    assert own["status"].iloc[0] == (
        "published by police force area only; set police_force_area in the area configuration"
    )
    entry = next(e for e in portrait_for(cornwall_store, CORNWALL).entries if e.id == "homicide_rate")
    assert entry.status == "missing" and "set police_force_area in the area configuration" in entry.note
