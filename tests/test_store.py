"""The versioned store: atomic versions, history, lock, interrupted writes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataLockedError, NoDataError
from cwb_metrics.store import DataStore


def _rows(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "areacd": "E07000178",
                "areanm": "Oxford",
                "geography": "district",
                "indicator": "demo",
                "period": "2023",
                "value": value,
                "unit": "%",
                "lci_95": None,
                "uci_95": None,
                "status": "",
                "notes": "",
            }
        ]
    )


def test_empty_store_says_how_to_build(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    assert store.current_version() is None
    with pytest.raises(NoDataError, match="cwb_metrics refresh"):
        store.read_all_indicators()


def test_new_version_becomes_current_and_keeps_history(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    with store.new_version("refresh", who="tester") as writer:
        writer.write_indicator("demo", _rows(1.0), ["src"])
    first = store.current_version()
    with store.new_version("import", who="tester") as writer:
        writer.write_indicator("demo", _rows(2.0), ["src"])
    second = store.current_version()
    assert first != second
    assert store.read_indicator("demo")["value"].tolist() == [2.0]
    assert store.read_indicator("demo", first)["value"].tolist() == [1.0]
    history = store.history()
    assert [h["version"] for h in history] == [first, second]
    assert history[1]["parent"] == first and history[1]["current"]
    assert history[1]["outputs"]["indicators/demo.csv"]["rows"] == 1


def test_failed_write_leaves_previous_version_current_and_intact(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    with store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(1.0), ["src"])
    before = store.indicator_path("demo").read_bytes()
    version = store.current_version()
    with pytest.raises(RuntimeError), store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(99.0), ["src"])
        raise RuntimeError("builder failed half-way")
    assert store.current_version() == version
    assert store.indicator_path("demo").read_bytes() == before
    assert not [p for p in store.versions_dir.iterdir() if p.name.startswith(".tmp")]


def test_second_writer_is_told_to_wait(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    with store.lock(), pytest.raises(DataLockedError, match="try again"), store.new_version("import"):
        pass


def _slow_writer(root: str) -> None:
    store = DataStore(Path(root))
    with store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(42.0), ["src"])
        Path(root, "started").write_text("yes")
        time.sleep(30)


def test_process_killed_mid_write_leaves_previous_version_readable(tmp_path: Path) -> None:
    store = DataStore(tmp_path)
    with store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(1.0), ["src"])
    version = store.current_version()
    process = multiprocessing.get_context("spawn").Process(target=_slow_writer, args=(str(tmp_path),))
    process.start()
    deadline = time.time() + 30
    while not (tmp_path / "started").exists() and time.time() < deadline:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.join()
    assert store.current_version() == version
    assert store.read_indicator("demo")["value"].tolist() == [1.0]
    # the lock died with the process: a new write goes through
    with store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(3.0), ["src"])
    assert store.read_indicator("demo")["value"].tolist() == [3.0]


def test_a_change_prepared_against_an_older_version_is_refused(tmp_path: Path) -> None:
    from cwb_metrics.errors import DataChangedError

    store = DataStore(tmp_path)
    with store.new_version("refresh") as writer:
        writer.write_indicator("demo", _rows(1.0), ["src"])
    previewed = store.current_version()
    with store.new_version("import") as writer:  # another writer gets in first
        writer.write_indicator("demo", _rows(2.0), ["src"])
    with pytest.raises(DataChangedError, match="changed while"), store.new_version("import", expected_parent=previewed):
        pass
    assert store.read_indicator("demo")["value"].tolist() == [2.0]
