"""Importing indicator CSVs: validate, preview, replace atomically, keep history, roll back, lock."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.known import known_area_codes
from cwb_metrics.build.importer import apply_import, plan_import, rollback
from cwb_metrics.build.local_meta import catalogue_for, parse_meta_yaml
from cwb_metrics.errors import CwbError, DataLockedError, DataValidationError
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.store import DataStore

pytestmark = pytest.mark.integration
REPO_ROOT = Path(__file__).resolve().parents[2]
ELS = "indicators_raw/ons_explore_local_statistics"


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path) -> DataStore:
    """A private copy of the built data, so each test can change it."""
    shutil.copytree(built_store.root, tmp_path / "data")
    return DataStore(tmp_path / "data")


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def els_indicator(store: DataStore) -> str:
    """An indicator built from the housing affordability ELS file (whatever its id)."""
    catalogue = catalogue_for(store)
    ids = [m.id for m in catalogue.values() if m.extract.source == "els/housing-affordability-ratio"]
    assert ids, "the catalogue has no housing affordability indicator"
    return ids[0]


def test_preview_lists_revisions_new_periods_and_removals_and_changes_nothing(store: DataStore, tmp_path: Path):
    indicator = els_indicator(store)
    current = store.read_indicator(indicator)
    edited = current.copy()
    oxford_latest = edited[edited["areacd"] == "E07000178"].sort_values("period").index[-1]
    old_value = float(edited.loc[oxford_latest, "value"])
    edited.loc[oxford_latest, "value"] = old_value + 1.5
    dropped = edited.index[0]
    dropped_row = edited.loc[dropped]
    edited = edited.drop(index=dropped)
    extra = edited[edited["areacd"] == "E10000025"].head(1).assign(period="2030", value=12.0)
    edited = pd.concat([edited, extra])
    path = tmp_path / "edited.csv"
    edited.to_csv(path, index=False)

    before = snapshot(store.root)
    plan = plan_import(store, path, load_area_config(), known_areas=known_area_codes(store))
    assert plan.ok, plan.problems
    assert plan.indicator_id == indicator
    assert plan.diff.new_periods == ["2030"]
    assert len(plan.diff.revised) == 1
    revised = plan.diff.revised.iloc[0]
    assert revised["areacd"] == "E07000178"
    assert revised["old"] == pytest.approx(old_value) and revised["new"] == pytest.approx(old_value + 1.5)
    assert plan.diff.removed[["areacd", "period"]].values.tolist() == [[dropped_row["areacd"], dropped_row["period"]]]
    assert plan.diff.added_rows == 1
    assert snapshot(store.root) == before


def test_apply_keeps_history_with_provenance_and_rolls_back(store: DataStore, tmp_path: Path):
    indicator = els_indicator(store)
    original_version = store.current_version()
    original = store.read_indicator(indicator)
    edited = original.assign(value=original["value"] + 0.5)
    path = tmp_path / "new-release.csv"
    edited.to_csv(path, index=False)

    plan = plan_import(store, path, load_area_config(), known_areas=known_area_codes(store))
    version = apply_import(store, plan, who="Analyst A")
    assert store.current_version() == version != original_version
    assert store.read_indicator(indicator)["value"].tolist() == pytest.approx(edited["value"].tolist())
    entry = store.manifest()["imports"][-1]
    assert entry["who"] == "Analyst A" and entry["file"] == "new-release.csv"
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entry["rows"] == len(edited)
    # the previous version is kept, untouched
    assert store.read_indicator(indicator, original_version)["value"].tolist() == pytest.approx(
        original["value"].tolist()
    )
    back = rollback(store, original_version[:5], who="Analyst B")
    assert store.current_version() == back
    assert store.manifest()["based_on"] == original_version
    assert store.read_indicator(indicator)["value"].tolist() == pytest.approx(original["value"].tolist())
    assert [h["kind"] for h in store.history()][-2:] == ["import", "rollback"]


def test_publisher_format_import_runs_the_same_adapter(store: DataStore, mirror: Path, tmp_path: Path):
    indicator = els_indicator(store)
    raw = pd.read_csv(mirror / ELS / "housing-affordability-ratio.csv", encoding="utf-8-sig", dtype=str)
    latest = raw["period"].max()
    older_release = raw[raw["period"] != latest]
    path = tmp_path / "housing-affordability-ratio.csv"
    older_release.to_csv(path, index=False)
    plan = plan_import(store, path, load_area_config(), indicator_id=indicator)
    assert plan.ok, plan.problems
    assert plan.file_format == "els"
    assert len(plan.diff.removed) > 0 and set(plan.diff.removed["period"]) == {latest}
    assert plan.diff.revised.empty and plan.diff.added_rows == 0
    same = plan_import(store, mirror / ELS / "housing-affordability-ratio.csv", load_area_config(),
                       indicator_id=indicator)  # fmt: skip
    assert same.ok and not same.diff.changes_anything


def test_new_local_indicator_with_its_metadata(store: DataStore, fixtures_dir: Path):
    meta_file = fixtures_dir / "local" / "local_sme_spend.yaml"
    meta = parse_meta_yaml(meta_file.read_text(encoding="utf-8"), meta_file.name)
    plan = plan_import(store, fixtures_dir / "local" / "local_sme_spend.csv", load_area_config(), new_meta=meta,
                       known_areas=known_area_codes(store))  # fmt: skip
    assert plan.ok, plan.problems
    assert plan.diff.added_rows == 2
    apply_import(store, plan, who="tester")
    assert "local_sme_spend" in catalogue_for(store)
    entry = next(e for e in portrait_for(store, "Oxfordshire").entries if e.id == "local_sme_spend")
    assert entry.value == 24.0 and entry.status == "shortfall"  # 24% against an illustrative 30% target
    assert entry.score == pytest.approx((30 - 24) / 30)


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


HEADER = ",".join(CANONICAL_COLUMNS) + "\n"


def bad_inputs(indicator: str) -> dict[str, tuple[str | bytes, str]]:
    row = f"E07000178,Oxford,district,{indicator},2025,10.4,ratio,,,,\n"
    return {
        "unknown area code": (HEADER + row.replace("E07000178", "E07000999"), "unknown area code"),
        "area outside England": (HEADER + row.replace("E07000178", "W06000015"), "outside England"),
        "period that does not parse": (HEADER + row.replace(",2025,", ",FY25,"), "ISO-8601"),
        "duplicate rows": (HEADER + row + row, "duplicate"),
        "non-numeric value": (HEADER + row.replace("10.4", "ten"), "not a number"),
        "negative percentage": (HEADER + row.replace("10.4,ratio", "-4,%"), "possible percentage"),
        "percentage over 100": (HEADER + row.replace("10.4,ratio", "140,%"), "possible percentage"),
        "missing required column": (HEADER.replace(",period", "") + row.replace(",2025", ""), "'period' is missing"),
        "renamed column": (HEADER.replace("areacd", "area_code") + row, "renamed"),
        "wrong encoding": ((HEADER + row.replace("Oxford", "Oxford Café")).encode("cp1252"), "not UTF-8"),
        "empty file": (b"", "empty"),
        "header only": (HEADER, "no data rows"),
        "truncated file": (HEADER + row + row.replace("2025", "2024")[:25], "truncated"),
        "formula in a text field": (HEADER + row.replace("Oxford", "=cmd|' /C calc'!A0"), "formula"),
        "thousands separator": (HEADER + row.replace("10.4", '"1,040"'), "thousands separator"),
        "wrong indicator in file": (HEADER + row.replace(indicator, "not_an_indicator"), "this file is for"),
        "binary file": (b"PK\x03\x04\x00\x00binary-xlsx-not-csv\x00", "binary"),
    }


def test_fifteen_bad_inputs_each_named_and_nothing_changes(store: DataStore, tmp_path: Path):
    indicator = els_indicator(store)
    cases = bad_inputs(indicator)
    assert len(cases) >= 15
    before = snapshot(store.root)
    for name, (content, words) in cases.items():
        path = _write(tmp_path, "upload.csv", content)
        plan = plan_import(store, path, load_area_config(), indicator_id=indicator,
                           known_areas=known_area_codes(store))  # fmt: skip
        assert plan.problems, f"{name}: accepted"
        assert any(words.lower() in p.message.lower() for p in plan.problems), (
            f"{name}: {words!r} not in {[str(p) for p in plan.problems]}"
        )
        assert all(p.file == "upload.csv" for p in plan.problems)
        with pytest.raises(DataValidationError):
            apply_import(store, plan)
        assert snapshot(store.root) == before, f"{name}: data changed"


def test_bad_metadata_record_is_named_by_field(fixtures_dir: Path):
    text = (fixtures_dir / "local" / "local_sme_spend.yaml").read_text(encoding="utf-8")
    with pytest.raises(DataValidationError) as caught:
        parse_meta_yaml(text.replace("dimension: income_work", "dimension: climate_change"), "meta.yaml")
    assert "ecological_ceiling" in str(caught.value)
    with pytest.raises(DataValidationError) as caught:
        parse_meta_yaml(text.replace("polarity: higher_is_better", "polarity: up"), "meta.yaml")
    assert caught.value.problems[0].column == "polarity"
    with pytest.raises(DataValidationError, match="not valid YAML"):
        parse_meta_yaml("id: [unclosed", "meta.yaml")


def test_unknown_indicator_is_refused(store: DataStore, fixtures_dir: Path):
    with pytest.raises(CwbError, match=r"unknown indicator 'nope'.*metadata record"):
        plan_import(store, fixtures_dir / "local" / "local_sme_spend.csv", load_area_config(), indicator_id="nope")


def test_second_import_while_one_is_writing_is_told_to_retry(store: DataStore, tmp_path: Path):
    indicator = els_indicator(store)
    path = tmp_path / "same.csv"
    store.read_indicator(indicator).to_csv(path, index=False)
    plan = plan_import(store, path, load_area_config())
    before = snapshot(store.root)
    with store.lock():
        with pytest.raises(DataLockedError, match="try again"):
            apply_import(store, plan)
        result = subprocess.run(
            [sys.executable, "-m", "cwb_metrics", "import", str(path), "--data-dir", str(store.root)],
            capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        )  # fmt: skip
        assert result.returncode == 2 and "Wait for it to finish" in result.stderr
    assert snapshot(store.root) == before


def test_two_imports_at_once_never_corrupt_the_data(store: DataStore, tmp_path: Path):
    indicator = els_indicator(store)
    current = store.read_indicator(indicator)
    paths = []
    for number in (1, 2):
        path = tmp_path / f"release{number}.csv"
        current.assign(value=current["value"] + number).to_csv(path, index=False)
        paths.append(path)
    env = {**os.environ, "CWB_DATA_DIR": str(store.root)}
    for _ in range(3):
        processes = [
            subprocess.Popen([sys.executable, "-m", "cwb_metrics", "import", str(p), "--who", p.stem],
                             cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for p in paths
        ]  # fmt: skip
        outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
        for code, stderr in outcomes:
            # the loser is told to wait (lock held) or that the data changed under its preview
            assert code == 0 or (code == 2 and ("Wait for it to finish" in stderr or "data changed" in stderr)), stderr
        assert any(code == 0 for code, _ in outcomes)
    # every version is complete, and the current data is one of the two releases
    for entry in store.history():
        frame = store.read_indicator(indicator, entry["version"])
        assert len(frame) == len(current)
    shift = store.read_indicator(indicator)["value"] - current["value"]
    assert shift.round(6).nunique() == 1 and shift.iloc[0] in (pytest.approx(1), pytest.approx(2), 0)


def test_an_import_previewed_before_another_change_is_not_applied(store: DataStore, tmp_path: Path):
    from cwb_metrics.errors import DataChangedError

    indicator = els_indicator(store)
    current = store.read_indicator(indicator)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    current.assign(value=current["value"] + 1).to_csv(first, index=False)
    current.assign(value=current["value"] + 2).to_csv(second, index=False)
    plan_first = plan_import(store, first, load_area_config())
    plan_second = plan_import(store, second, load_area_config())
    apply_import(store, plan_first, who="A")
    before = snapshot(store.root)
    with pytest.raises(DataChangedError):
        apply_import(store, plan_second, who="B")  # its preview no longer describes the change
    assert snapshot(store.root) == before
