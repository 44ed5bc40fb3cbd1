"""The ``imd-change`` and ``actions`` commands, checked against plain pandas on the raw files and the committed YAML."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
IMD2019_FILE2 = "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
IMD2025 = "imd2025/imd2025_england_lsoa21.csv.gz"
BESTFIT = "lookups/lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv.gz"
WARD25 = "derived/oxfordshire_lsoa21_to_wd25_derived.csv"
FILE7_OXON = "imd2025/File_7_IoD2025_oxfordshire_extract_IDACI_IDAOPI_denominators.csv"


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    command = [sys.executable, "-m", "cwb_metrics", args[0], "--data-dir", str(data_dir), *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300)


# ----- imd-change: the raw IoD files and ONS lookups, read with plain pandas ------------------------------
def _raw_ranks(mirror: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    file2 = pd.read_csv(mirror / IMD2019_FILE2, encoding="utf-8-sig")
    rank19 = next(c for c in file2.columns if c.startswith("Index of Multiple Deprivation (IMD) Rank"))
    decile19 = next(c for c in file2.columns if c.startswith("Index of Multiple Deprivation (IMD) Decile"))
    iod19 = file2.rename(columns={"LSOA code (2011)": "lsoa11", rank19: "rank_2019", decile19: "decile_2019"})
    iod25 = pd.read_csv(mirror / IMD2025).rename(
        columns={"lsoa21_code": "lsoa21", "IMD_rank": "rank_2025", "IMD_decile": "decile_2025"}
    )
    return iod19.set_index("lsoa11"), iod25.set_index("lsoa21")


@pytest.mark.integration
def test_imd_change_for_blackbird_leys_matches_the_raw_files(built_store, mirror: Path) -> None:
    result = run("imd-change", "--area", "Blackbird Leys", "--json", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    iod19, iod25 = _raw_ranks(mirror)
    wards = pd.read_csv(mirror / WARD25)
    ward_lsoas = sorted(wards.loc[wards["WD25NM"] == "Blackbird Leys", "LSOA21CD"])
    bestfit = pd.read_csv(mirror / BESTFIT, encoding="utf-8-sig")
    parents = bestfit[bestfit["LSOA21CD"].isin(ward_lsoas)].groupby("LSOA21CD")["LSOA11CD"].agg(sorted)
    expected = []
    for lsoa21 in ward_lsoas:
        (lsoa11,) = parents[lsoa21]  # every Blackbird Leys LSOA kept its code: one 2011 parent, the same code
        assert lsoa11 == lsoa21
        expected.append({
            "lsoa11": lsoa11, "lsoa21": lsoa21, "relationship": "unchanged",
            "decile_2019": int(iod19.at[lsoa11, "decile_2019"]), "decile_2025": int(iod25.at[lsoa21, "decile_2025"]),
            "rank_2019": int(iod19.at[lsoa11, "rank_2019"]), "rank_2025": int(iod25.at[lsoa21, "rank_2025"]),
        })  # fmt: skip
    assert len(expected) == 5
    assert payload["lsoas"] == expected
    assert payload["area"]["name"] == "Blackbird Leys" and payload["caveat"].startswith("IMD ranks are relative")


@pytest.mark.integration
def test_imd_change_for_oxford_shows_splits_and_merges_with_each_lsoas_own_rank(built_store, mirror: Path) -> None:
    result = run("imd-change", "--area", "E07000178", "--json", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    rows = pd.DataFrame(json.loads(result.stdout)["lsoas"])
    iod19, iod25 = _raw_ranks(mirror)
    oxford21 = pd.read_csv(mirror / FILE7_OXON)
    oxford21 = set(oxford21.loc[oxford21["Local Authority District code (2024)"] == "E07000178", "LSOA code (2021)"])
    assert set(rows["lsoa21"]) == oxford21
    # every figure is the LSOA's own official one
    for row in rows.itertuples(index=False):
        assert (row.rank_2019, row.decile_2019) == tuple(iod19.loc[row.lsoa11, ["rank_2019", "decile_2019"]])
        assert (row.rank_2025, row.decile_2025) == tuple(iod25.loc[row.lsoa21, ["rank_2025", "decile_2025"]])
    # unchanged: same code; merged: the best-fit lookup gives the 2021 LSOA several 2011 parents
    assert (rows.loc[rows["relationship"] == "unchanged", "lsoa11"] == rows.loc[rows["relationship"] == "unchanged",
                                                                                "lsoa21"]).all()  # fmt: skip
    bestfit = pd.read_csv(mirror / BESTFIT, encoding="utf-8-sig")
    bestfit = bestfit[bestfit["LSOA21CD"].isin(oxford21)]
    several = bestfit.groupby("LSOA21CD")["LSOA11CD"].transform("size") > 1
    merged = {tuple(p) for p in bestfit.loc[several, ["LSOA11CD", "LSOA21CD"]].to_numpy()}
    assert merged, "Oxford has merged LSOAs in the ONS best-fit lookup"
    assert {tuple(p) for p in rows.loc[rows["relationship"] == "merged", ["lsoa11", "lsoa21"]].to_numpy()} == merged
    # split: one 2011 LSOA, several 2021 parts, each part's own 2025 rank beside the whole 2011 LSOA's rank
    split = rows[rows["relationship"] == "split"]
    assert not split.empty and (split.groupby("lsoa11")["lsoa21"].nunique() >= 2).all()
    assert (split["lsoa11"] != split["lsoa21"]).any()


@pytest.mark.integration
def test_imd_change_text_and_unknown_area(built_store) -> None:
    result = run("imd-change", "--area", "Blackbird Leys", data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    assert "E01028517  E01028517  unchanged" in result.stdout
    unknown = run("imd-change", "--area", "Atlantis", "--json", data_dir=built_store.root)
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.startswith("error:") and "Atlantis" in unknown.stderr
    assert len(unknown.stderr.strip().splitlines()) == 1


# ----- actions: the committed YAML, read with plain yaml --------------------------------------------
def test_actions_json_is_the_committed_plan(tmp_path: Path) -> None:
    result = run("actions", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load((REPO_ROOT / "data" / "actions" / "cwb_action_plan_2024_25.yaml").read_text("utf-8"))
    expected = [
        {"number": a["number"], "theme": a["theme"], "action": a["text"], "status": a["status"],
         "resources": a["resources"], "indicators": a["indicators"]}
        for a in plan["actions"]
    ]  # fmt: skip
    assert json.loads(result.stdout) == expected
    assert len(expected) >= 10


def test_actions_text_lists_every_action(tmp_path: Path) -> None:
    result = run("actions", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = yaml.safe_load((REPO_ROOT / "data" / "actions" / "cwb_action_plan_2024_25.yaml").read_text("utf-8"))
    for action in plan["actions"]:
        assert f"  {action['number']} " in result.stdout
