"""The store's findings about a damaged data version, as pages present them: each way a version can be damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwb_metrics.build.importer import rollback
from cwb_metrics.errors import DamagedVersionError
from cwb_metrics.store import DataStore
from cwb_metrics.views import health


def test_the_fixture_version_is_sound(fixture_store) -> None:
    assert health.current_damage(fixture_store) is None


def test_nothing_built_is_not_damage(tmp_path: Path) -> None:
    assert health.current_damage(DataStore(tmp_path)) is None


def _second_version(store: DataStore) -> tuple[str, str]:
    first = store.current_version()
    assert first is not None
    second = rollback(store, first, who="tests")
    return first, second


@pytest.mark.parametrize(
    ("damage", "file", "problem"),
    [
        ("truncated parquet", "lsoa/imd2025.parquet", "truncated or overwritten"),
        ("garbage csv", "indicators/gdhi_per_head.csv", "truncated or overwritten"),
        ("missing file", "geo/lsoa21.topo.json", "is missing"),
        ("manifest not json", "manifest.json", "is not valid JSON"),
    ],
)
def test_a_damaged_file_of_the_current_version_is_named(fixture_copy, damage, file, problem) -> None:
    store = fixture_copy
    first, second = _second_version(store)
    path = store.versions_dir / second / file
    if damage == "truncated parquet":
        data = path.read_bytes()
        path.unlink()  # a hard link to the first version's file: write a new file
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage csv":
        path.unlink()
        path.write_bytes(b"\x00\x01garbage,,\n")
    elif damage == "missing file":
        path.unlink()
    else:
        path.write_text("{not json", encoding="utf-8")
    found = health.current_damage(store)
    assert found is not None
    assert (found.file, found.version) == (f"versions/{second}/{file}", second) and problem in found.problem
    assert found.rollback_command.startswith("python -m cwb_metrics rollback") and found.rollback_command.endswith(
        first
    )
    assert [v.version for v in health.sound_versions(store, second)] == [first]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe\x00\x01", "holds binary bytes"),
        (b"../../etc\n", "which is not a data version id"),
        (b"v0009-20990101T000000Z\n", "but versions/v0009-20990101T000000Z no longer exists"),
        (b"   \n", "is empty"),
    ],
)
def test_a_damaged_current_pointer_is_named(fixture_copy, content, problem) -> None:
    store = fixture_copy
    store.current_file.write_bytes(content)
    found = health.current_damage(store)
    assert found is not None and found.file == "CURRENT" and problem in found.problem
    assert len(health.sound_versions(store)) == 1


def test_an_error_raised_for_damage_is_presented_as_the_store_found_it(fixture_copy) -> None:
    store = fixture_copy
    store.current_file.write_bytes(b"\x00")
    with pytest.raises(DamagedVersionError) as caught:
        store.read_all_indicators()
    damage = health.damage_of(caught.value, Path("/nonexistent"))  # the error carries it: nothing is read
    assert damage is not None and (damage.file, damage.problem) == ("CURRENT", caught.value.problem)
    assert damage.message == f"CURRENT {caught.value.problem}."


def test_a_read_error_of_sound_data_is_not_damage(fixture_store) -> None:
    assert health.damage_of(ValueError("a bug"), fixture_store.root) is None


def test_with_no_intact_version_the_command_is_the_refresh(fixture_copy) -> None:
    store = fixture_copy
    only = store.current_version()
    (store.versions_dir / only / "manifest.json").write_text("{", encoding="utf-8")
    found = health.current_damage(store)
    assert (
        found is not None and found.rollback_command == "" and found.command.startswith("python -m cwb_metrics refresh")
    )
    assert health.sound_versions(store, only) == ()
