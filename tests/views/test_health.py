"""A damaged data version is found and named by file: each way a version can be damaged."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwb_metrics.build.importer import rollback
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
        ("truncated parquet", "lsoa/imd2025.parquet", "does not match the checksum"),
        ("garbage csv", "indicators/gdhi_per_head.csv", "does not match the checksum"),
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
    assert [v.version for v in health.sound_versions(store, second)] == [first]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xff\xfe\x00\x01", "is not text"),
        (b"../../etc\n", "does not name a data version"),
        (b"v0009-20990101T000000Z\n", "whose folder versions/v0009-20990101T000000Z is missing"),
        (b"   \n", "is empty"),
    ],
)
def test_a_damaged_current_pointer_is_named(fixture_copy, content, problem) -> None:
    store = fixture_copy
    store.current_file.write_bytes(content)
    found = health.current_damage(store)
    assert found is not None and found.file == "CURRENT" and problem in found.problem
    assert len(health.sound_versions(store)) == 1


def test_the_error_raised_for_damage_carries_it() -> None:
    damage = health.Damage("CURRENT", "is not text")
    error = health.DamagedDataError(damage)
    assert str(error) == "CURRENT is not text." and health.damage_of(error, Path("/nonexistent")) is damage
