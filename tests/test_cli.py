"""The command line, run as analysts run it: a real subprocess on the real data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.integration


def run(*args: str, data_dir: Path | str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    command = [sys.executable, "-m", "cwb_metrics", *args[:1], *extra, *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300)


def test_portrait_json_for_a_district(built_store, mirror: Path) -> None:
    result = run("portrait", "--area", "Oxford", "--json", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["area"] == {"code": "E07000178", "name": "Oxford", "kind": "district"}
    required = {"id", "title", "ring", "dimension", "period", "value", "threshold", "status", "score"}
    assert len(payload["indicators"]) >= 25
    required |= {"threshold_basis", "england_comparison", "trend", "lens"}  # issue 10
    for item in payload["indicators"]:
        assert required <= item.keys()
        assert item["status"] in {"shortfall", "overshoot", "within", "missing", "context"}
        assert item["england_comparison"] in {"better", "similar", "worse", "not_compared"}
        assert item["trend"] in {"improving", "worsening", "no_significant_change", "not_compared"}
        if item["status"] == "within":
            assert item["score"] == 0
        if item["status"] == "missing":
            assert item["value"] is None
        if item["status"] == "context":
            assert item["score"] is None and item["role"] == "context"
    assert payload["counts"]["context"] == sum(i["status"] == "context" for i in payload["indicators"]) > 0
    # The housing affordability value is the one ONS published for Oxford in its latest year.
    raw = pd.read_csv(
        mirror / "indicators_raw/ons_explore_local_statistics/housing-affordability-ratio.csv", encoding="utf-8-sig"
    )
    oxford = raw[raw["areacd"] == "E07000178"].sort_values("period")
    affordability = [i for i in payload["indicators"] if "afford" in i["id"]]
    assert affordability, "no housing affordability indicator in the portrait"
    assert affordability[0]["value"] == pytest.approx(float(oxford["observation"].iloc[-1]))
    assert affordability[0]["status"] == "shortfall"  # 10.4 times earnings against ONS's broad level of 5


def test_portrait_text_and_period(built_store) -> None:
    result = run("portrait", "--area", "E10000025", "--period", "2023", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    assert "Oxfordshire" in result.stdout and "SOCIAL FOUNDATION" in result.stdout


@pytest.mark.parametrize(
    ("area", "edition", "lsoas", "top20", "education_top10"),
    [
        # CLES Framework for Action: "three of Blackbird Leys' four LSOAs rank among the 20% most deprived"
        ("Blackbird Leys", 2019, 4, 3, None),
        # CLES: Banbury has "six LSOAs ranked within the 20% most deprived areas nationally, and seven areas
        # ranking in the 10% most deprived nationally on education and skills"
        ("Banbury", 2019, None, 6, 7),
    ],
)
def test_area_json_reproduces_the_cles_report(built_store, area, edition, lsoas, top20, education_top10) -> None:
    result = run("area", "--name", area, "--imd", str(edition), "--json", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    summary = payload["summary"]
    if lsoas is not None:
        assert summary["lsoa_count"] == lsoas == len(payload["lsoas"])
    assert summary["most_deprived_20pct"] == top20
    if education_top10 is not None:
        assert summary["domains"]["education"]["most_deprived_10pct"] == education_top10
    assert set(summary["domains"]) == {
        "income",
        "employment",
        "education",
        "health",
        "crime",
        "barriers",
        "living_environment",
    }
    for lsoa in payload["lsoas"]:
        assert {"code", "name", "imd_rank", "imd_decile", "income_rank", "income_decile"} <= lsoa.keys()


def test_unknown_area_is_one_clear_message(built_store) -> None:
    result = run("portrait", "--area", "Atlantis", data_dir=built_store.root)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:") and "Atlantis" in result.stderr


def test_no_data_yet_says_how_to_build_it(tmp_path: Path) -> None:
    result = run("portrait", "--area", "Oxford", data_dir=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cwb_metrics refresh" in result.stderr


def test_refresh_with_a_missing_mirror_folder(tmp_path: Path) -> None:
    result = run("refresh", "--mirror", str(tmp_path / "nowhere"), data_dir=tmp_path / "data")
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_validate_lists_problems_and_exits_1(built_store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "areacd,areanm,geography,indicator,period,value,unit,lci_95,uci_95,status,notes\n"
        'E07000178,Oxford,district,housing_affordability,2025,"10,4",ratio,,,,\n'
        "E07000999,Nowhere,district,housing_affordability,2025,4,ratio,,,,\n"
    )
    result = run("validate", str(bad), data_dir=built_store.root)
    assert result.returncode == 1
    assert "bad.csv, row 2, column 'value'" in result.stdout
    assert "bad.csv, row 3, column 'areacd': unknown area code 'E07000999'" in result.stdout
    as_json = json.loads(run("validate", str(bad), "--json", data_dir=built_store.root).stdout)
    assert as_json["valid"] is False and {p["row"] for p in as_json["problems"]} == {2, 3}


def test_validate_accepts_a_built_indicator_file(built_store) -> None:
    some_file = next((built_store.version_dir() / "indicators").glob("*.csv"))
    result = run("validate", str(some_file), data_dir=built_store.root)
    assert result.returncode == 0, result.stdout
