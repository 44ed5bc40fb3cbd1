"""Imports that look valid must never lose or double data (issue 9, highest priority).

Each test edits the real built data of one indicator (GDHI per head, the issue's example:
West Oxfordshire's 2023 value 32,220) and checks what the preview says, what is stored and
that a refused file leaves the data folder byte-identical.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.known import known_area_codes
from cwb_metrics.build.importer import apply_import, plan_import
from cwb_metrics.errors import DataValidationError
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.store import DataStore
from tests.build.test_importer import snapshot

pytestmark = pytest.mark.integration
INDICATOR = "gdhi_per_head"
ELS = "indicators_raw/ons_explore_local_statistics"
WEST_OXON = "E07000181"


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path) -> DataStore:
    """A private copy of the built data, so each test can change it."""
    shutil.copytree(built_store.root, tmp_path / "data")
    return DataStore(tmp_path / "data")


def latest_row(frame: pd.DataFrame, code: str = WEST_OXON) -> int:
    """Index of an area's latest row (periods of this indicator sort as text)."""
    return int(frame[frame["areacd"] == code].sort_values("period").index[-1])


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every cell as text, as an analyst's spreadsheet would save it."""
    return frame.astype(object).where(frame.notna(), "").astype(str)


def plan(store: DataStore, path: Path, **kwargs: object):
    return plan_import(store, path, load_area_config(), known_areas=known_area_codes(store), **kwargs)


@pytest.mark.parametrize("written", ["1_000", "١٢", "٣٢٢٢٠", "32,220", "1e400", "NaN", "inf", "0x7DDC", "32220abc"])
def test_a_value_pandas_half_parses_is_refused_by_row_and_column(store: DataStore, tmp_path: Path, written: str):
    current = store.read_indicator(INDICATOR)
    edited = as_text(current)
    target = latest_row(current)
    edited.loc[target, "value"] = written
    path = tmp_path / "gdhi.csv"
    edited.to_csv(path, index=False)
    before = snapshot(store.root)

    result = plan(store, path)
    assert [(p.file, p.row, p.column) for p in result.problems] == [("gdhi.csv", target + 2, "value")]
    assert not any("nan" in line for line in result.diff.summary_lines())
    with pytest.raises(DataValidationError):
        apply_import(store, result)
    assert snapshot(store.root) == before


def test_a_padded_area_code_is_stored_without_its_spaces(store: DataStore, tmp_path: Path):
    current = store.read_indicator(INDICATOR)
    newest = current.loc[[latest_row(current)]].assign(areacd=f" {WEST_OXON} ", period="2030", value=40000.0)
    path = tmp_path / "gdhi.csv"
    pd.concat([current, newest]).to_csv(path, index=False)

    result = plan(store, path)
    assert result.ok, result.problems
    assert result.diff.new_areas == [] and result.diff.added_rows == 1
    apply_import(store, result)
    stored = store.read_indicator(INDICATOR)
    assert set(stored["areacd"]) == set(current["areacd"])  # no ' E07000181 ' beside E07000181
    entry = next(e for e in portrait_for(store, "West Oxfordshire").entries if e.id == INDICATOR)
    assert entry.period == "2030" and entry.value == 40000.0


def test_one_period_written_two_ways_in_one_file_is_refused(store: DataStore, tmp_path: Path):
    current = store.read_indicator(INDICATOR)
    again = current.loc[[latest_row(current)]].assign(period="2023-01-01/P1Y", value=1.0)  # stored as 2023
    path = tmp_path / "gdhi.csv"
    pd.concat([current, again]).to_csv(path, index=False)
    before = snapshot(store.root)
    result = plan(store, path)
    assert [(p.row, p.column) for p in result.problems] == [(len(current) + 2, "period")]
    assert "duplicate" in result.problems[0].message
    assert snapshot(store.root) == before


def test_a_merged_period_in_another_spelling_revises_the_stored_row(store: DataStore, tmp_path: Path):
    current = store.read_indicator(INDICATOR)
    target = latest_row(current)
    assert current.loc[target, "period"] == "2023" and current.loc[target, "value"] == 32220
    revision = current.loc[[target]].assign(period="2023-01-01/P1Y", value=32500.0)
    path = tmp_path / "revision.csv"
    revision.to_csv(path, index=False)

    result = plan(store, path, mode="merge")
    assert result.ok, result.problems
    assert result.diff.added_rows == 0 and result.diff.new_periods == []
    assert result.diff.revised[["areacd", "old", "new"]].values.tolist() == [[WEST_OXON, 32220.0, 32500.0]]
    apply_import(store, result)
    stored = store.read_indicator(INDICATOR)
    assert len(stored) == len(current)
    west = stored[stored["areacd"] == WEST_OXON]
    assert west["value"].tolist()[-1] == 32500.0 and 32220.0 not in west["value"].tolist()
    assert stored["period"].nunique() == current["period"].nunique()  # each period spelt one way for all areas
    assert "2023" in set(stored["period"]) and "2023-01-01/P1Y" not in set(stored["period"])
    entry = next(e for e in portrait_for(store, "West Oxfordshire").entries if e.id == INDICATOR)
    assert entry.value == 32500.0
    oxfordshire = current[(current["areacd"] == "E10000025") & (current["period"] == "2023")]
    assert entry.county == float(oxfordshire["value"].iloc[0])  # the comparator is still found


def test_a_value_that_becomes_missing_is_shown_as_missing_never_nan(store: DataStore, tmp_path: Path):
    current = store.read_indicator(INDICATOR)
    target = latest_row(current)
    edited = as_text(current)
    edited.loc[target, "value"] = ""
    edited.loc[target, "status"] = "x"
    path = tmp_path / "suppressed.csv"
    edited.to_csv(path, index=False)
    result = plan(store, path)
    assert result.ok, result.problems
    lines = result.diff.summary_lines()
    assert "Revised West Oxfordshire (E07000181) 2023: 32220 -> missing (status 'x')" in lines
    assert not any("nan" in line.lower() for line in lines)
    # without a status, an empty value is a problem naming the row and column
    edited.loc[target, "status"] = ""
    edited.to_csv(path, index=False)
    result = plan(store, path)
    assert [(p.row, p.column) for p in result.problems] == [(target + 2, "value")]


def test_control_characters_in_a_name_are_refused_and_nothing_changes(store: DataStore, tmp_path: Path):
    current = store.read_indicator(INDICATOR)
    before = snapshot(store.root)
    for name in ("West\r\nOxfordshire", "West\nOxfordshire", "West\u200bOxfordshire", "\ufeffWest Oxfordshire"):
        edited = current.copy()
        edited.loc[latest_row(current), "areanm"] = name
        path = tmp_path / "names.csv"
        edited.to_csv(path, index=False)
        result = plan(store, path)
        assert [p.column for p in result.problems] == ["areanm"], (name, result.problems)
        assert snapshot(store.root) == before


def test_a_publisher_file_with_unusual_digits_is_refused(store: DataStore, mirror: Path, tmp_path: Path):
    from cwb_metrics.build.local_meta import catalogue_for

    meta = catalogue_for(store)[INDICATOR]
    raw_path = mirror / "indicators_raw/ons_explore_local_statistics/gross-disposable-household-income-per-head.csv"
    assert meta.extract.source.endswith("gross-disposable-household-income-per-head")
    raw = pd.read_csv(raw_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    west = raw.index[(raw["areacd"] == WEST_OXON)][-1]
    raw.loc[west, "observation"] = "٣٢٢٢٠"
    path = tmp_path / "gross-disposable-household-income-per-head.csv"
    raw.to_csv(path, index=False)
    before = snapshot(store.root)
    result = plan(store, path, indicator_id=INDICATOR)
    assert [(p.row, p.column) for p in result.problems] == [(west + 2, "observation")], result.problems
    assert snapshot(store.root) == before


def test_a_refresh_then_a_merge_import_of_the_same_els_file_changes_nothing(store: DataStore, mirror: Path):
    """The refresh stores periods as an import does, so re-importing the publisher's file is a no-op."""
    official = mirror / ELS / "gross-disposable-household-income-per-head.csv"
    raw = pd.read_csv(official, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert raw["period"].str.fullmatch(r"[0-9]{4}-01-01/P1Y").all()  # the publisher's spelling of a calendar year
    stored = store.read_indicator(INDICATOR)
    ours = raw[raw["areacd"].isin(set(stored["areacd"]))]
    assert set(stored["period"]) == {p[:4] for p in ours["period"]}  # "2023-01-01/P1Y" is stored as "2023"
    csv_before = store.indicator_path(INDICATOR).read_bytes()
    before = snapshot(store.root)

    result = plan(store, official, indicator_id=INDICATOR, mode="merge")
    assert result.ok, result.problems
    assert not result.diff.changes_anything and result.diff.new_periods == []
    assert result.diff.unchanged_rows == len(stored)
    assert snapshot(store.root) == before  # the preview writes nothing
    version = apply_import(store, result)
    assert store.indicator_path(INDICATOR, version).read_bytes() == csv_before  # one spelling: nothing changed
