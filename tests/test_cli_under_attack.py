"""The command line attacked as a user would (issue 9): bad ``-o`` paths, bad periods, bad codes, interrupts.

Real subprocesses on a copy of the built data folder; every case must be one ``error:``
line, a non-zero exit, no traceback, and the data folder byte-identical afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cwb_metrics.store import DataStore
from tests.test_cli_errors import PYTHON, REPO_ROOT, need_mounts, one_clear_line, read_only, run, snapshot

pytestmark = pytest.mark.integration


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path) -> DataStore:
    shutil.copytree(built_store.root, tmp_path / "data")
    return DataStore(tmp_path / "data")


def test_a_period_with_no_value_anywhere_is_refused_not_shown_as_all_missing(store: DataStore) -> None:
    before = snapshot(store.root)
    line = one_clear_line(run("portrait", "--area", "Oxford", "--period", "20x3", data_dir=store.root), "'20x3'")
    assert "Oxford" in line and "latest" in line
    assert snapshot(store.root) == before


def test_a_year_the_data_does_not_cover_writes_no_briefing(store: DataStore, tmp_path: Path) -> None:
    output = tmp_path / "b.pdf"
    result = run("briefing", "--area", "Oxford", "--period", "1901", "-o", str(output), data_dir=store.root)
    one_clear_line(result, "'1901'")
    assert not output.exists()


def test_a_period_the_data_has_still_works(store: DataStore) -> None:
    """The refusal above is about the period: a year with values gives a portrait."""
    result = run("portrait", "--area", "Oxford", "--period", "2023", "--json", data_dir=store.root)
    assert result.returncode == 0, result.stderr
    assert '"period": "2023"' in result.stdout


def test_briefing_into_a_folder_is_one_line(store: DataStore, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    line = one_clear_line(run("briefing", "--area", "Oxford", "-o", str(folder), data_dir=store.root), str(folder))
    assert "folder, not a file" in line and "-o" in line
    assert list(folder.iterdir()) == []


def test_briefing_into_a_missing_folder_is_one_line_and_makes_no_folder(store: DataStore, tmp_path: Path) -> None:
    output = tmp_path / "missing" / "b.pdf"
    one_clear_line(run("briefing", "--area", "Oxford", "-o", str(output), data_dir=store.root), "does not exist")
    assert not (tmp_path / "missing").exists()


def test_briefing_into_a_read_only_folder_keeps_the_old_file(store: DataStore, tmp_path: Path) -> None:
    need_mounts()
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "b.pdf").write_bytes(b"last week's briefing")
    result = run("briefing", "--area", "Oxford", "-o", str(folder / "b.pdf"), data_dir=store.root,
                 prefix=read_only(folder))  # fmt: skip
    one_clear_line(result, str(folder / "b.pdf"), "cannot be written")
    assert os.listdir(folder) == ["b.pdf"] and (folder / "b.pdf").read_bytes() == b"last week's briefing"


def test_init_area_into_a_folder_is_refused_before_reading_the_lookups(tmp_path: Path) -> None:
    """The output is checked first: with a missing mirror too, the message is about the output."""
    result = run("init-area", "--code", "E10000025", "-o", str(tmp_path), "--mirror", "/nonexistent")
    one_clear_line(result, "folder, not a file")


def test_init_area_with_an_unknown_code_is_one_line(mirror: Path, tmp_path: Path) -> None:
    output = tmp_path / "x.yaml"
    one_clear_line(run("init-area", "--code", "E99999999", "-o", str(output), "--mirror", str(mirror)), "E99999999")
    assert not output.exists()


def test_a_refresh_interrupted_keeps_the_data(store: DataStore, mirror: Path) -> None:
    """Ctrl-C during a refresh: 130, one line, the version in use unchanged and still current."""
    before, version = snapshot(store.root), store.current_version()
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    command = [PYTHON, "-m", "cwb_metrics", "refresh", "--data-dir", str(store.root), "--mirror", str(mirror)]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)  # fmt: skip
    assert process.stderr is not None
    assert process.stderr.readline().startswith("Refreshing")  # the refresh has begun
    time.sleep(5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and stderr.strip().splitlines() == ["interrupted: nothing was changed."]
    assert DataStore(store.root).current_version() == version
    kept = {k: v for k, v in snapshot(store.root).items() if k in before}
    assert kept == before


@pytest.mark.parametrize("command", ["refresh", "neighbours", "init-area"])
@pytest.mark.parametrize("kind", ["a file", "missing"])
def test_a_mirror_that_is_not_a_folder_is_one_line(command: str, kind: str, tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.csv"
    if kind == "a file":
        mirror.write_text("a,b\n1,2\n")
    extra = {"refresh": [], "neighbours": ["--area", "Oxford"], "init-area": ["--code", "E10000025", "-o",
                                                                                str(tmp_path / "x.yaml")]}  # fmt: skip
    result = run(command, "--mirror", str(mirror), *extra[command], data_dir=tmp_path / "data")
    line = one_clear_line(result, str(mirror), "is a file, not a folder" if kind == "a file" else "does not exist")
    assert "--mirror" in line
    assert not (tmp_path / "data").exists() and not (tmp_path / "x.yaml").exists()
