"""The Data page (AppTest): status tables, upload -> problems or preview -> confirm, history, rollback, refresh.

Every test works on its own copy of the built data folder, so it can write new versions
without disturbing the other tests.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.known import known_area_codes
from cwb_metrics.build.importer import apply_import, plan_import
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.store import DataStore
from tests.app.apphelpers import REPO_ROOT, TIMEOUT, assert_clean, html_text, markdown_text

pytestmark = pytest.mark.integration

PAGE = REPO_ROOT / "pages" / "data.py"
STATUS, IMPORT, HISTORY = "Sources and indicators", "Import a CSV", "History and rollback"
INDICATOR = "housing_affordability"
ELS = "indicators_raw/ons_explore_local_statistics"


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataStore:
    """A private copy of the built data, set as CWB_DATA_DIR for this test only."""
    shutil.copytree(built_store.root, tmp_path / "data")
    monkeypatch.setenv("CWB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CWB_MIRROR", raising=False)
    return DataStore(tmp_path / "data")


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def open_page(tab: str | None = None, name: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    if tab:
        at.query_params["tab"] = tab
    at.run()
    if name:
        at.text_input(key="who").input(name).run()
    return at


def revised_csv(store: DataStore, change: float = 0.5) -> tuple[bytes, pd.DataFrame]:
    """The indicator's current rows with Oxford's latest value raised by ``change``, as CSV bytes."""
    rows = store.read_indicator(INDICATOR)
    latest = rows[rows["areacd"] == "E07000178"].sort_values("period").index[-1]
    edited = rows.copy()
    edited.loc[latest, "value"] = float(edited.loc[latest, "value"]) + change
    return edited.to_csv(index=False, lineterminator="\n").encode("utf-8"), edited


def success_text(at: AppTest) -> str:
    return "\n".join(str(s.value) for s in at.success)


# ----- status ---------------------------------------------------------------------------
def test_status_tab_shows_the_indicators_and_sources_tables(store: DataStore) -> None:
    at = open_page()
    assert_clean(at)
    assert at.title[0].value == "Data"
    version = store.current_version()
    assert f"**{version.split('-')[0]} (refresh by" in markdown_text(at)
    indicators, sources = (frame.value for frame in at.dataframe)
    assert set(catalogue_for(store)) <= set(indicators["id"])
    assert {"latest_period", "rows", "release_due", "changed_in", "built_from"} <= set(indicators.columns)
    housing = indicators.set_index("id").loc[INDICATOR]
    assert housing["rows"] == len(store.read_indicator(INDICATOR))
    assert set(store.manifest()["sources"]) <= set(sources["id"])
    assert {"read_from", "sha256_short", "bytes", "fetched_at", "release_due"} <= set(sources.columns)
    refresh = at.button(key="refresh")
    assert refresh.disabled, "a refresh must say who made it"
    assert "the publishers' official URLs" in markdown_text(at)
    assert f"Data version <code>{version}</code>" in html_text(at)


def test_refresh_button_reads_the_mirror_and_makes_a_new_version(
    store: DataStore, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CWB_MIRROR", str(mirror))
    before = store.current_version()
    at = open_page(name="Refresher")
    assert f"the mirror folder `{mirror}`" in markdown_text(at)
    at.button(key="refresh").click().run(timeout=300)
    assert_clean(at)
    after = store.current_version()
    assert after != before
    manifest = store.manifest()
    assert manifest["kind"] == "refresh" and manifest["who"] == "Refresher"
    assert manifest["note"] == f"refresh from mirror {mirror}"
    assert f"data version **{after}**" in success_text(at) and str(mirror) in success_text(at)
    assert f"**{after.split('-')[0]} (refresh by Refresher" in markdown_text(at)


# ----- import ---------------------------------------------------------------------------
def test_upload_preview_then_confirm_imports_a_new_version(store: DataStore) -> None:
    content, edited = revised_csv(store, change=0.75)
    before = store.current_version()
    at = open_page(IMPORT)
    at.file_uploader[0].set_value(("affordability-2026.csv", content, "text/csv")).run()
    assert_clean(at)
    assert "affordability-2026.csv is valid" in success_text(at)
    revised = at.dataframe[0].value
    assert len(revised) == 1 and revised.iloc[0]["areacd"] == "E07000178"
    assert revised.iloc[0]["change"] == pytest.approx(0.75)
    assert [m.value for m in at.metric] == ["0", "1", "0", str(len(edited) - 1)]
    assert at.button(key="confirm_import").disabled, "no name, no import"
    assert store.current_version() == before, "checking the file changed the data"

    at.text_input(key="who").input("Analyst A").run()
    at.button(key="confirm_import").click().run()
    assert_clean(at)
    after = store.current_version()
    assert after != before
    assert f"as data version **{after}**" in success_text(at)
    entry = store.manifest()["imports"][-1]
    assert entry["who"] == "Analyst A" and entry["file"] == "affordability-2026.csv"
    assert entry["sha256"] == hashlib.sha256(content).hexdigest()
    assert store.read_indicator(INDICATOR)["value"].tolist() == pytest.approx(edited["value"].tolist())
    assert at.file_uploader[0].value is None, "the uploader is cleared, so the file cannot be imported twice"


def test_bad_file_lists_problems_by_row_and_column_and_changes_nothing(store: DataStore) -> None:
    content, _edited = revised_csv(store)
    bad = content.decode("utf-8").replace("E07000178", "E07000999", 1).encode("utf-8")
    line = next(i for i, text in enumerate(bad.decode().splitlines(), start=1) if "E07000999" in text)
    before = snapshot(store.root)
    at = open_page(IMPORT, name="Analyst A")
    at.file_uploader[0].set_value(("bad.csv", bad, "text/csv")).run()
    assert_clean_but_the_problems(at)
    problems = at.dataframe[0].value
    assert list(problems.columns) == ["file", "row", "column", "message"]
    hit = problems[problems["column"] == "areacd"]
    assert not hit.empty and hit.iloc[0]["row"] == line and hit.iloc[0]["file"] == "bad.csv"
    assert "unknown area code" in hit.iloc[0]["message"]
    assert "nothing has changed" in at.error[0].value
    assert not [b for b in at.button if b.key == "confirm_import"], "no confirm button for a bad file"
    assert snapshot(store.root) == before


def assert_clean_but_the_problems(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1
    assert "Traceback" not in markdown_text(at)


def test_els_file_needs_its_indicator_then_runs_the_same_adapter(store: DataStore, mirror: Path) -> None:
    content = (mirror / ELS / "housing-affordability-ratio.csv").read_bytes()
    at = open_page(IMPORT)
    at.file_uploader[0].set_value(("housing-affordability-ratio.csv", content, "text/csv")).run()
    problems = at.dataframe[0].value
    assert "the Indicator box" in problems.iloc[0]["message"] and "--indicator" not in problems.iloc[0]["message"]
    at.selectbox(key="import_indicator").select(INDICATOR).run()
    assert_clean(at)
    assert "ONS Explore Local Statistics file" in success_text(at)
    assert "importing it would change nothing" in "\n".join(str(i.value) for i in at.info)
    assert at.button(key="confirm_import").disabled


def test_import_while_another_writes_is_told_to_wait(store: DataStore) -> None:
    content, _edited = revised_csv(store)
    at = open_page(IMPORT, name="Analyst B")
    at.file_uploader[0].set_value(("second.csv", content, "text/csv")).run()
    before = snapshot(store.root)
    with store.lock():
        at.button(key="confirm_import").click().run()
    assert not at.exception and not at.error
    assert "Another import or refresh is writing; wait a moment and try again." in [w.value for w in at.warning]
    assert snapshot(store.root) == before
    at.button(key="confirm_import").click().run()  # once the other write has finished, it goes through
    assert_clean(at)
    assert store.manifest()["imports"][-1]["who"] == "Analyst B"


def test_preview_is_redrawn_when_the_data_changed_since(store: DataStore, tmp_path: Path) -> None:
    content, _edited = revised_csv(store, change=1.0)
    at = open_page(IMPORT, name="Analyst C")
    at.file_uploader[0].set_value(("mine.csv", content, "text/csv")).run()
    other = tmp_path / "other.csv"
    other_content, _ = revised_csv(store, change=2.0)
    other.write_bytes(other_content)
    plan = plan_import(store, other, load_area_config(), known_areas=known_area_codes(store))
    theirs = apply_import(store, plan, who="Someone else")
    at.button(key="confirm_import").click().run()
    assert store.current_version() == theirs, "a stale preview was applied"
    assert any("changed since the preview" in w.value for w in at.warning)
    assert at.dataframe[0].value.iloc[0]["change"] == pytest.approx(-1.0), "the preview is against their version"
    at.button(key="confirm_import").click().run()
    assert store.current_version() != theirs and store.manifest()["who"] == "Analyst C"


def test_new_local_indicator_from_its_yaml(store: DataStore, fixtures_dir: Path) -> None:
    at = open_page(IMPORT, name="Analyst D")
    at.selectbox(key="import_indicator").select("__new__").run()
    csv = (fixtures_dir / "local" / "local_sme_spend.csv").read_bytes()
    record = (fixtures_dir / "local" / "local_sme_spend.yaml").read_bytes()
    at.file_uploader[0].set_value(("local_sme_spend.csv", csv, "text/csv")).run()
    assert "Add the new indicator's metadata record" in "\n".join(str(i.value) for i in at.info)
    at.file_uploader[1].set_value(("local_sme_spend.yaml", record, "application/x-yaml")).run()
    assert_clean(at)
    assert [m.value for m in at.metric][:1] == ["2"]
    at.button(key="confirm_import").click().run()
    assert_clean(at)
    assert "local_sme_spend" in catalogue_for(store)
    assert len(store.read_indicator("local_sme_spend")) == 2


def test_new_local_indicator_form_names_each_field_error(store: DataStore) -> None:
    at = open_page(IMPORT)
    at.selectbox(key="import_indicator").select("__new__").run()
    at.segmented_control(key="meta_how").set_value("form").run()
    next(b for b in at.button if b.label == "Check the metadata").click().run()
    assert not at.exception
    errors = at.dataframe[0].value
    fields = set(errors["Field"])
    assert {"id", "title", "short_title", "definition", "why_this_proxy"} <= fields
    assert {"threshold.source", "threshold.rationale", "origin.url_main"} <= fields


def test_existing_id_is_refused_as_a_new_indicator(store: DataStore, fixtures_dir: Path) -> None:
    record = (fixtures_dir / "local" / "local_sme_spend.yaml").read_text(encoding="utf-8")
    record = record.replace("id: local_sme_spend", f"id: {INDICATOR}")
    at = open_page(IMPORT)
    at.selectbox(key="import_indicator").select("__new__").run()
    at.file_uploader[1].set_value(("clash.yaml", record.encode(), "application/x-yaml")).run()
    assert any(f"`{INDICATOR}` already exists" in e.value for e in at.error)


# ----- history and rollback -------------------------------------------------------------
def _import_revision(store: DataStore, tmp_path: Path, who: str = "Analyst A") -> tuple[str, str]:
    first = store.current_version()
    content, _edited = revised_csv(store, change=3.0)
    path = tmp_path / "revision.csv"
    path.write_bytes(content)
    plan = plan_import(store, path, load_area_config(), known_areas=known_area_codes(store))
    return first, apply_import(store, plan, who=who)


def test_history_lists_versions_and_imports(store: DataStore, tmp_path: Path) -> None:
    first, imported = _import_revision(store, tmp_path)
    at = open_page(HISTORY)
    assert_clean(at)
    versions, imports = at.dataframe[0].value, at.dataframe[1].value
    assert versions["version"].tolist() == [imported, first]
    assert versions["kind"].tolist() == ["import", "refresh"] and versions["current"].tolist() == [True, False]
    assert versions.iloc[0]["changed"] == INDICATOR and versions.iloc[0]["who"] == "Analyst A"
    assert imports.iloc[0][["version", "indicator", "file", "who"]].tolist() == [
        imported,
        INDICATOR,
        "revision.csv",
        "Analyst A",
    ]
    assert imports.iloc[0]["sha256"] == hashlib.sha256((tmp_path / "revision.csv").read_bytes()).hexdigest()
    assert at.selectbox(key="rollback_target").options == [f"{first} · refresh by {versions.iloc[1]['who']} · "
                                                             f"{versions.iloc[1]['note']}"]  # fmt: skip


def test_rollback_button_asks_then_restores_the_earlier_values(store: DataStore, tmp_path: Path) -> None:
    first, imported = _import_revision(store, tmp_path)
    original = store.read_indicator(INDICATOR, first)
    at = open_page(HISTORY)
    assert at.button(key="rollback").disabled, "a rollback must say who made it"
    at.text_input(key="who").input("Analyst B").run()
    at.selectbox(key="rollback_target").select(first).run()
    at.button(key="rollback").click().run()
    assert store.current_version() == imported, "nothing happens before the confirmation"
    assert any(f"Make {first} current again?" in w.value for w in at.warning)
    at.button(key="rollback_confirm").click().run()
    assert_clean(at)
    back = store.current_version()
    assert back not in (first, imported)
    manifest = store.manifest()
    assert manifest["kind"] == "rollback" and manifest["based_on"] == first and manifest["who"] == "Analyst B"
    assert store.read_indicator(INDICATOR)["value"].tolist() == pytest.approx(original["value"].tolist())
    assert (store.version_dir() / f"indicators/{INDICATOR}.csv").read_bytes() == (
        store.version_dir(first) / f"indicators/{INDICATOR}.csv"
    ).read_bytes()
    assert f"data version **{back}**, a copy of {first}" in success_text(at)
    assert at.dataframe[0].value["version"].tolist() == [back, imported, first]


def test_rollback_can_be_cancelled(store: DataStore, tmp_path: Path) -> None:
    _first, imported = _import_revision(store, tmp_path)
    at = open_page(HISTORY, name="Analyst B")
    at.button(key="rollback").click().run()
    at.button(key="rollback_cancel").click().run()
    assert_clean(at)
    assert not at.warning and store.current_version() == imported


# ----- no data yet ----------------------------------------------------------------------
def test_no_data_yet_offers_the_refresh(empty_data_dir: Path) -> None:
    at = open_page()
    assert not at.exception
    assert any("No data has been built" in i.value for i in at.info)
    assert at.button(key="refresh").disabled


def test_refresh_and_rollback_while_another_writes_are_told_to_wait(
    store: DataStore, mirror: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CWB_MIRROR", str(mirror))
    first, _imported = _import_revision(store, tmp_path)
    before = snapshot(store.root)
    at = open_page(name="Analyst E")
    with store.lock():
        at.button(key="refresh").click().run(timeout=300)
    assert not at.exception and not at.error
    assert "Another import or refresh is writing; wait a moment and try again." in [w.value for w in at.warning]
    at = open_page(HISTORY, name="Analyst E")
    at.selectbox(key="rollback_target").select(first).run()
    at.button(key="rollback").click().run()
    with store.lock():
        at.button(key="rollback_confirm").click().run()
    assert not at.exception and not at.error
    assert "Another import or refresh is writing; wait a moment and try again." in [w.value for w in at.warning]
    assert snapshot(store.root) == before
