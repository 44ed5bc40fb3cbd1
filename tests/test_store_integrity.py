"""A damaged data version is refused, named, and can be rolled back; leftovers are cleaned; umask is kept.

Each test builds a tiny store of two versions with the store's own writer, then damages it
as a disk, a sync client or a person could. Nothing is read from a damaged version.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import CwbError, NoDataError
from cwb_metrics.store import DataStore


def damaged_error() -> type[Exception]:
    from cwb_metrics.errors import DamagedVersionError  # new in issue 9

    return DamagedVersionError


def rows(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "areacd": "E07000178",
                "areanm": "Oxford",
                "geography": "district",
                "indicator": "demo",
                "period": period,
                "value": value,
                "unit": "%",
                "lci_95": None,
                "uci_95": None,
                "status": "",
                "notes": "",
            }
            for period, value in values.items()
        ]
    )


def make_store(root: Path) -> tuple[DataStore, str, str]:
    """v1: demo 2022 and a parquet table; v2 (current): demo 2022 and 2023, the table inherited."""
    store = DataStore(root)
    with store.new_version("refresh", who="tester") as writer:
        writer.write_indicator("demo", rows({"2022": 1.0}), ["src"])
        writer.write_table("lsoa/table.parquet", pd.DataFrame({"lsoa": ["E01000001"], "x": [1]}), ["src"])
    first = store.current_version()
    with store.new_version("import", who="tester") as writer:
        writer.write_indicator("demo", rows({"2022": 1.0, "2023": 2.0}), ["import:demo.csv"])
    second = store.current_version()
    assert first is not None and second is not None
    return store, first, second


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ----- damaged files inside the current version -------------------------------------------
def test_a_truncated_csv_never_falls_back_silently_to_an_older_period(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    path = store.versions_dir / second / "indicators" / "demo.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))  # still a valid CSV: the 2023 row is simply gone
    with pytest.raises(damaged_error()) as caught:
        store.read_indicator("demo")
    error = caught.value
    assert error.version == second and error.file == f"versions/{second}/indicators/demo.csv"
    assert error.good_versions == [first]
    assert f"python -m cwb_metrics rollback --data-dir {tmp_path} {first}" in str(error)
    assert "truncated" in str(error)


def test_a_garbage_parquet_in_the_current_version_is_named(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    path = store.versions_dir / second / "lsoa" / "table.parquet"
    size = path.stat().st_size
    path.unlink()  # break the hard link: only the current version's copy is damaged
    path.write_bytes(b"\x00garbage" * (size // 8) + b"\x00" * (size % 8))  # same size, other bytes
    with pytest.raises(damaged_error(), match=r"table\.parquet does not match the checksum"):
        store.read_table("lsoa/table.parquet")


def test_a_damaged_shared_file_leaves_no_intact_version_and_says_rebuild(tmp_path: Path) -> None:
    store, _first, _second = make_store(tmp_path)
    path = store.versions_dir / store.current_version() / "lsoa" / "table.parquet"  # hard-linked in both
    path.write_bytes(path.read_bytes()[:10])
    with pytest.raises(damaged_error()) as caught:
        store.read_table("lsoa/table.parquet")
    assert caught.value.good_versions == [] and "refresh" in str(caught.value)


def test_a_manifest_that_is_not_json_is_named(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    (store.versions_dir / second / "manifest.json").write_text('{"version": "v0002', encoding="utf-8")
    with pytest.raises(damaged_error(), match=f"versions/{second}/manifest.json is not valid JSON") as caught:
        store.read_indicator("demo")
    assert caught.value.good_versions == [first]


def test_a_manifest_with_an_unknown_key_is_damaged_not_silently_read(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    path = store.versions_dir / second / "manifest.json"
    payload = json.loads(path.read_text())
    payload["outptus"] = payload.pop("outputs")  # misspelt by hand
    path.write_text(json.dumps(payload))
    with pytest.raises(damaged_error(), match="not a valid manifest"):
        store.manifest()


def test_a_deleted_file_is_named(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    (store.versions_dir / second / "indicators" / "demo.csv").unlink()
    with pytest.raises(damaged_error(), match=r"demo\.csv is missing"):
        store.read_all_indicators()  # on main: an empty frame, the indicator silently gone


def test_binary_bytes_in_current_are_named(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    store.current_file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    with pytest.raises(damaged_error(), match="CURRENT holds binary bytes") as caught:
        store.current_version()
    assert caught.value.file == "CURRENT" and caught.value.good_versions == [second, first]


def test_current_naming_a_missing_version_is_damage_not_no_data(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    shutil.rmtree(store.versions_dir / second)
    with pytest.raises(damaged_error(), match=f"names data version {second}, but versions/{second} no longer"):
        store.read_all_indicators()  # on main: "No data has been built yet"
    assert store.good_versions() == [first]


@pytest.mark.parametrize("text", ["../../etc", "v0002/../../..", "/etc", "v1; rm -rf /"])
def test_current_naming_a_folder_outside_the_versions_is_refused(tmp_path: Path, text: str) -> None:
    store, _first, _second = make_store(tmp_path)
    store.current_file.write_text(text + "\n")
    with pytest.raises(damaged_error(), match="not a data version id"):
        store.version_dir()


def test_a_symlink_inside_a_version_is_refused(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    path = store.versions_dir / second / "indicators" / "demo.csv"
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes(path.read_bytes())  # the same bytes, but not the version's own file
    path.unlink()
    path.symlink_to(elsewhere)
    with pytest.raises(damaged_error(), match="symbolic link"):
        store.read_indicator("demo")


def test_a_file_dropped_into_a_version_by_hand_is_never_read(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    shutil.copy(store.versions_dir / second / "indicators" / "demo.csv", tmp_path / "copy.csv")
    (store.versions_dir / second / "indicators" / "stranger.csv").write_bytes((tmp_path / "copy.csv").read_bytes())
    assert store.indicator_ids() == ["demo"]
    with pytest.raises(NoDataError):
        store.table_path("indicators/stranger.csv")


@pytest.mark.parametrize("version", ["../../etc", "..", "v0001/../..", "/tmp"])
def test_a_version_id_cannot_name_another_folder(tmp_path: Path, version: str) -> None:
    store, _first, _second = make_store(tmp_path)
    with pytest.raises(NoDataError):
        store.version_dir(version)
    with pytest.raises(NoDataError):
        store.resolve_version(version)


def test_rollback_works_when_current_is_damaged(tmp_path: Path) -> None:
    from cwb_metrics.build.importer import rollback

    store, first, _second = make_store(tmp_path)
    store.current_file.write_bytes(b"\xff\xfe garbage")
    new = rollback(store, first[:5], who="rescuer")
    assert store.current_version() == new
    assert store.read_indicator("demo")["period"].tolist() == ["2022"]
    assert store.manifest()["based_on"] == first


def test_rollback_to_a_damaged_version_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    from cwb_metrics.build.importer import rollback

    store, first, second = make_store(tmp_path)
    (store.versions_dir / first / "indicators" / "demo.csv").write_text("areacd\n")
    before = snapshot(tmp_path)
    with pytest.raises(damaged_error()) as caught:
        rollback(store, first)
    assert caught.value.version == first and caught.value.good_versions == [second]
    assert snapshot(tmp_path) == before


def test_history_lists_a_damaged_version_instead_of_failing(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    (store.versions_dir / first / "manifest.json").write_bytes(b"\x00\x01 not json")
    history = store.history()
    assert [h["version"] for h in history] == [first, second]
    assert history[0]["state"] == "damaged" and "not valid JSON" in history[0]["note"]
    assert history[1]["state"] == "current" and history[1]["current"]


def test_an_import_on_a_damaged_current_version_is_refused(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    (store.versions_dir / second / "indicators" / "demo.csv").write_text("oops\n")
    before = snapshot(tmp_path)
    with pytest.raises(damaged_error()), store.new_version("import") as writer:
        writer.write_indicator("other", rows({"2024": 3.0}), ["x"])
    assert snapshot(tmp_path) == before


def test_damage_is_a_cwb_error_with_its_attributes() -> None:
    error_class = damaged_error()
    assert issubclass(error_class, CwbError)
    error = error_class(data_dir="/d", version="v0002-x", file="CURRENT", problem="is empty", good_versions=["v0001-x"])
    assert (error.data_dir, error.version, error.file, error.problem) == ("/d", "v0002-x", "CURRENT", "is empty")
    assert error.good_versions == ["v0001-x"] and error.rollback_command.endswith("rollback v0001-x")


# ----- the manifest model ---------------------------------------------------------------
def test_the_manifest_is_written_and_read_through_one_model(tmp_path: Path) -> None:
    from cwb_metrics.models.manifest import VersionManifest

    store, first, second = make_store(tmp_path)
    model = store.read_manifest()
    assert isinstance(model, VersionManifest) and model.version == second and model.parent == first
    on_disk = json.loads((store.versions_dir / second / "manifest.json").read_text())
    assert VersionManifest.model_validate(on_disk) == model
    assert set(on_disk) == set(VersionManifest.model_fields)
    assert (
        on_disk["outputs"]["indicators/demo.csv"]["sha256"]
        == __import__("hashlib")
        .sha256((store.versions_dir / second / "indicators" / "demo.csv").read_bytes())
        .hexdigest()
    )
    with pytest.raises(ValueError, match="extra"):
        VersionManifest.model_validate({**on_disk, "surprise": 1})


def test_an_import_record_with_a_misspelt_field_is_refused(tmp_path: Path) -> None:
    from pydantic import ValidationError

    store, _first, second = make_store(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(ValidationError), store.new_version("import") as writer:
        writer.add_import(indicator="demo", file="demo.csv", summray="typo")
    assert store.current_version() == second and snapshot(tmp_path) == before


# ----- files follow the umask -------------------------------------------------------------
def test_files_and_folders_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o002)  # a team sharing the folder through its group
    try:
        store, _first, second = make_store(tmp_path / "data")
    finally:
        os.umask(old)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(store.current_file) == 0o664  # was 0600 (mkstemp)
    assert mode(store.versions_dir / second) == 0o775  # was 0700 (mkdtemp)
    assert mode(store.versions_dir / second / "indicators" / "demo.csv") == 0o664
    assert mode(store.versions_dir / second / "manifest.json") == 0o664


# ----- leftovers of interrupted writes ---------------------------------------------------
def test_the_next_write_cleans_leftovers_and_marks_abandoned_versions(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    # a writer killed after renaming its version into place, before swapping CURRENT:
    store.current_file.write_text(first + "\n")
    # ... and another killed while writing its files, and one killed while writing CURRENT
    leftover = store.versions_dir / f".tmp-v0003-20260101T000000Z-{'ab' * 4}"
    (leftover / "indicators").mkdir(parents=True)
    (leftover / "indicators" / "demo.csv").write_text("half")
    (tmp_path / ".CURRENT.a1b2c3").write_text("v0003")
    assert store.history()[1]["state"] == "abandoned"

    with store.new_version("import", who="next") as writer:
        writer.write_indicator("demo", rows({"2022": 5.0}), ["x"])
    third = store.current_version()
    assert not leftover.exists() and not list(tmp_path.glob(".CURRENT.*"))
    assert (store.versions_dir / second).is_dir()  # kept: a user may want it
    states = {h["version"]: h["state"] for h in store.history()}
    assert states == {first: "kept", second: "abandoned", third: "current"}
    assert store.manifest()["abandoned"] == [second] and store.manifest()["parent"] == first


def test_a_first_version_never_made_current_is_abandoned(tmp_path: Path) -> None:
    store, _first, _second = make_store(tmp_path)
    store.current_file.unlink()
    assert store.current_version() is None
    assert {h["state"] for h in store.history()} == {"abandoned"}


# ----- the data folder itself -------------------------------------------------------------
def test_a_data_folder_that_is_a_file_is_one_clear_error(tmp_path: Path) -> None:
    from cwb_metrics.errors import DataFolderError

    path = tmp_path / "data"
    path.write_text("not a folder")
    with pytest.raises(DataFolderError, match="is a file, not a folder"):
        DataStore(path).current_version()
    with pytest.raises(DataFolderError, match="is a file, not a folder"), DataStore(path).new_version("refresh"):
        pass


def test_reading_a_folder_that_does_not_exist_creates_nothing(tmp_path: Path) -> None:
    store = DataStore(tmp_path / "nowhere")
    with pytest.raises(NoDataError, match="No data has been built"):
        store.read_all_indicators()
    assert store.history() == [] and not (tmp_path / "nowhere").exists()


def test_a_lock_file_left_by_a_dead_process_does_not_block(tmp_path: Path) -> None:
    store, _first, _second = make_store(tmp_path)
    store.lock_file.write_text("12345\n")  # whatever a dead writer left
    with store.new_version("import") as writer:
        writer.write_indicator("demo", rows({"2022": 9.0}), ["x"])
    assert store.read_indicator("demo")["value"].tolist() == [9.0]


def test_a_huge_current_file_is_damage_not_read_whole(tmp_path: Path) -> None:
    store, _first, _second = make_store(tmp_path)
    with open(store.current_file, "ab") as handle:
        handle.truncate(50_000_000)  # a sparse 50 MB file: never read into memory
    with pytest.raises(damaged_error(), match="far too long"):
        store.current_version()


@pytest.mark.parametrize("indicator", ["../manifest", "../../../../etc/passwd", "Demo", ""])
def test_an_indicator_id_cannot_name_another_file(tmp_path: Path, indicator: str) -> None:
    store, _first, _second = make_store(tmp_path)
    with pytest.raises(NoDataError, match="not an indicator id"):
        store.read_indicator(indicator)


def test_a_fresh_build_replaces_a_damaged_current_only_when_no_version_is_intact(tmp_path: Path) -> None:
    store, first, second = make_store(tmp_path)
    store.current_file.write_bytes(b"\xff\x00")
    with pytest.raises(damaged_error()), store.new_version("refresh", inherit=False):
        pass  # an intact version exists: roll back first (it keeps the council's own records)
    for version in (first, second):
        (store.versions_dir / version / "indicators" / "demo.csv").write_text("oops\n")
    with store.new_version("refresh", inherit=False) as writer:
        writer.write_indicator("demo", rows({"2024": 4.0}), ["src"])
    assert store.read_indicator("demo")["period"].tolist() == ["2024"]


def test_a_pipe_in_place_of_a_file_is_damage_not_a_hang(tmp_path: Path) -> None:
    store, _first, second = make_store(tmp_path)
    manifest = store.versions_dir / second / "manifest.json"
    manifest.unlink()
    os.mkfifo(manifest)  # reading it would wait for ever for a writer
    with pytest.raises(damaged_error(), match="not a regular file"):
        store.version_dir()
    store.current_file.unlink()
    os.mkfifo(store.current_file)
    with pytest.raises(damaged_error(), match="CURRENT is not a regular file"):
        store.current_version()
