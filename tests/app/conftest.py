"""Fixtures of the app tests: the data folder built once from the mirror, set as CWB_DATA_DIR."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def app_data_dir(built_store) -> Iterator[Path]:
    """The built data folder, set as ``CWB_DATA_DIR`` for every AppTest run of the session."""
    previous = os.environ.get("CWB_DATA_DIR")
    os.environ["CWB_DATA_DIR"] = str(built_store.root)
    yield Path(built_store.root)
    if previous is None:
        os.environ.pop("CWB_DATA_DIR", None)
    else:
        os.environ["CWB_DATA_DIR"] = previous


@pytest.fixture
def empty_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder as ``CWB_DATA_DIR`` for one test (the previous value is restored after)."""
    monkeypatch.setenv("CWB_DATA_DIR", str(tmp_path))
    return tmp_path
