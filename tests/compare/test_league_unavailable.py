"""A data version without England's national files cannot carry a league: one clear error says why (no mirror)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.compare.lad_map import load_lad_topology
from cwb_metrics.compare.league import LEAGUE_HINT, LeagueUnavailableError, build_league, cache_dir, load_league
from cwb_metrics.store import DataStore


def test_a_version_built_without_the_national_lookups_names_what_it_lacks(tmp_path: Path, fixtures_dir: Path) -> None:
    store = DataStore(tmp_path / "data")
    frame = pd.read_csv(fixtures_dir / "version" / "indicators" / "gdhi_per_head.csv", dtype={"period": str})
    with store.new_version("import", who="tests", inherit=False) as writer:
        writer.write_indicator("gdhi_per_head", frame, ["gdhi_per_head.csv"])
    version = store.current_version()
    with pytest.raises(LeagueUnavailableError) as raised:
        build_league(store)
    error = raised.value
    assert error.version == version
    assert error.missing == ("lookup/lsoa11_ward19", "lookup/lsoa11_lsoa21", "imd/2025/file7")
    assert "it holds no copy of lookup/lsoa11_ward19 (LSOA (2011) to Ward (2019) Lookup in England and Wales);" in str(
        error
    )
    assert LEAGUE_HINT.splitlines()[0] in str(error)
    with pytest.raises(LeagueUnavailableError):
        load_lad_topology(store)
    assert not cache_dir(store, str(version)).exists()  # nothing half-written


def test_the_fixture_versions_truncated_lookups_are_not_englands(fixture_copy: DataStore) -> None:
    version = fixture_copy.current_version()
    assert load_league(fixture_copy, build=False) is not None  # the fixture build cached its tiny league
    shutil.rmtree(cache_dir(fixture_copy, str(version)))
    with pytest.raises(LeagueUnavailableError, match="its national lookups are not England's") as raised:
        load_league(fixture_copy)
    assert raised.value.missing == ()
