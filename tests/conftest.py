"""Shared fixtures: the mirror of official files, and a data folder built from it once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _mirror_path() -> Path:
    chosen = os.environ.get("CWB_MIRROR")
    return Path(chosen).resolve() if chosen else (REPO_ROOT / ".." / "shared" / "data").resolve()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """Folder of tiny hand-written fixtures (see tests/fixtures/README.md)."""
    return FIXTURES


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The folder of real official files; integration tests skip loudly without it."""
    path = _mirror_path()
    if not (path / "SOURCES.md").is_file():
        pytest.skip(
            f"INTEGRATION TEST SKIPPED: no mirror of official files at {path}. "
            "Set CWB_MIRROR to a folder laid out like ../shared/data to run it."
        )
    return path


@pytest.fixture(scope="session")
def built_store(mirror: Path, tmp_path_factory: pytest.TempPathFactory):
    """A data folder refreshed once from the mirror (the real end-to-end build)."""
    from cwb_metrics.areas.config import load_area_config

    from cwb_metrics.indicators.refresh import refresh
    from cwb_metrics.store import DataStore

    store = DataStore(tmp_path_factory.mktemp("data"))
    refresh(store, load_area_config(), mirror=mirror)
    return store
