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
    from cwb_metrics.build.refresh import refresh
    from cwb_metrics.store import DataStore

    store = DataStore(tmp_path_factory.mktemp("data"))
    refresh(store, load_area_config(), mirror=mirror)
    return store


# ----- deprivation: sources, the fictional Testshire fixtures, and LSOA tables from the mirror -----
#: Source id -> hand-written fixture (tests/fixtures/README.md) standing in for it in unit tests.
TESTSHIRE_FILES: dict[str, str] = {
    "imd/2019/file1": "iod/iod2019_file1_imd.csv",
    "imd/2019/file2": "iod/iod2019_file2_domains.csv",
    "imd/2019/file6": "iod/iod2019_file6_population.csv",
    "imd/2025/file7": "iod/iod2025_lsoa21_renamed.csv",
    "lookup/lsoa11_ward19": "lookups/lsoa11_wd19_lad19.csv",
    "lookup/lsoa11_lsoa21": "lookups/lsoa11_lsoa21_lad22_bestfit.csv",
    "lookup/lsoa21_ward25": "lookups/lsoa21_wd25_derived.csv",
}
#: The sources the LSOA tables and IMD builders read.
DEPRIVATION_SOURCES: tuple[str, ...] = tuple(TESTSHIRE_FILES)


@pytest.fixture(scope="session")
def sources():
    """The committed source list (data/sources.yaml), by id."""
    from cwb_metrics.sources.registry import load_sources

    return load_sources()


@pytest.fixture(scope="session")
def testshire():
    """The fictional area configuration of the hand-written IoD and lookup fixtures."""
    from cwb_metrics.areas.config import load_area_config

    return load_area_config(path=FIXTURES / "areas" / "testshire.yaml")


def _testshire_factory(monkeypatch: pytest.MonkeyPatch, sources, testshire):
    from cwb_metrics.sources import imd, lookups
    from cwb_metrics.sources.context import BuildContext
    from cwb_metrics.sources.fetch import FetchedFile

    monkeypatch.setattr(imd, "EXPECTED_ROWS", {2019: 8, 2025: 8})
    monkeypatch.setattr(lookups, "EXPECTED_ROWS", {"lsoa11_ward19": 9, "lsoa11_lsoa21": 9, "lsoa21_ward25": None})

    def make(replace: dict[str, Path | None] | None = None):
        paths = {sid: FIXTURES / rel for sid, rel in TESTSHIRE_FILES.items()}
        paths.update(replace or {})
        files = {
            sid: FetchedFile(sources[sid], Path(p), str(p), "", Path(p).stat().st_size, "")
            for sid, p in paths.items()
            if p is not None
        }
        return BuildContext(files=files, areas=testshire)

    return make


@pytest.fixture
def testshire_context(monkeypatch: pytest.MonkeyPatch, sources, testshire):
    """A factory of BuildContexts over the Testshire fixtures (row-count checks relaxed to the fixtures').

    Call it with replacements, e.g. ``testshire_context({"imd/2025/file7": path})``; ``None``
    leaves a source out.
    """
    return _testshire_factory(monkeypatch, sources, testshire)


@pytest.fixture(scope="session")
def testshire_store(tmp_path_factory: pytest.TempPathFactory, sources, testshire):
    """A data folder holding the LSOA tables built from the Testshire fixtures (read it, do not write)."""
    from cwb_metrics.deprivation.tables import build_lsoa_tables
    from cwb_metrics.store import DataStore

    store = DataStore(tmp_path_factory.mktemp("testshire_data"))
    with pytest.MonkeyPatch.context() as patch, store.new_version("refresh") as writer:
        for output in build_lsoa_tables(_testshire_factory(patch, sources, testshire)()):
            writer.write_table(output.relative, output.payload, list(output.built_from))
    return store


@pytest.fixture(scope="session")
def mirror_context(mirror: Path, sources):
    """A BuildContext over the real IoD files, lookups and England LSOA boundaries of the mirror (Oxfordshire).

    Optional sources absent from the mirror (the official LSOA 2021 to Ward 2025 lookup) are left out.
    """
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.sources.context import BuildContext
    from cwb_metrics.sources.fetch import from_mirror

    wanted = [*DEPRIVATION_SOURCES, "boundaries/lsoa11", "boundaries/lsoa21"]
    present = [sid for sid in wanted if (mirror / sources[sid].mirror_path).is_file()]
    return BuildContext(
        files={sid: from_mirror(sources[sid], mirror) for sid in present},
        areas=load_area_config("oxfordshire"),
    )


@pytest.fixture(scope="session")
def lsoa_store(mirror_context, tmp_path_factory: pytest.TempPathFactory):
    """A data folder holding only the LSOA tables, built from the mirror by the table producer."""
    from cwb_metrics.deprivation.tables import build_lsoa_tables
    from cwb_metrics.store import DataStore

    store = DataStore(tmp_path_factory.mktemp("lsoa_data"))
    with store.new_version("refresh") as writer:
        for output in build_lsoa_tables(mirror_context):
            writer.write_table(output.relative, output.payload, list(output.built_from))
    return store


# ----- councils other than Oxfordshire (issue 13): national lookups, area configurations, a refresh -----
#: Councils configured by ``init-area`` in the integration tests (code -> what it is).
COUNCILS: dict[str, str] = {
    "E06000052": "Cornwall (unitary)",
    "E08000035": "Leeds (metropolitan district)",
    "E07000123": "Preston (district, in Lancashire)",
    "E10000017": "Lancashire (county)",
    "E09000030": "Tower Hamlets (London borough)",
    "E06000065": "North Yorkshire (unitary formed in 2023)",
}


@pytest.fixture(scope="session")
def national_paths(mirror: Path, sources) -> dict[str, Path]:
    """Mirror paths of the national files init-area and the league read (absent optional ones left out)."""
    from cwb_metrics.areas.init_area import WARD_SOURCES
    from cwb_metrics.areas.national import NATIONAL_SOURCES
    from cwb_metrics.compare.neighbours import NAME_SOURCES, NEIGHBOUR_SOURCES

    wanted = [*NATIONAL_SOURCES, *WARD_SOURCES, *NEIGHBOUR_SOURCES.values(), *NAME_SOURCES]
    return {s: mirror / sources[s].mirror_path for s in wanted if (mirror / sources[s].mirror_path).is_file()}


@pytest.fixture(scope="session")
def national_geo(national_paths):
    """Every English LSOA in its current district, read once from the mirror."""
    from cwb_metrics.areas.national import national_geography

    return national_geography(national_paths)


@pytest.fixture(scope="session")
def council_configs(national_paths, national_geo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """init-area's configuration file of each council of :data:`COUNCILS` (written once)."""
    from cwb_metrics.areas.init_area import build_area_config, write_area_config

    folder = tmp_path_factory.mktemp("areas")
    return {
        code: write_area_config(build_area_config(code, national_paths, geo=national_geo), folder / f"{code}.yaml")
        for code in COUNCILS
    }


@pytest.fixture(scope="session")
def cornwall_store(mirror: Path, council_configs, tmp_path_factory: pytest.TempPathFactory):
    """A data folder refreshed once from the mirror for Cornwall (a council the tool was not tuned for)."""
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.build.refresh import refresh
    from cwb_metrics.store import DataStore

    store = DataStore(tmp_path_factory.mktemp("cornwall_data"))
    refresh(store, load_area_config(path=council_configs["E06000052"]), mirror=mirror)
    return store


@pytest.fixture(scope="session")
def cornwall_league(cornwall_store):
    """The league of councils built once from the Cornwall data version's national files."""
    from cwb_metrics.compare.league import build_league

    return build_league(cornwall_store)


# ----- the fixture data version: a tiny, complete, hand-written data folder (tests/fixtures/README.md) -----
@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory):
    """The fixture data version, written once through the real DataStore (read it, do not write)."""
    from tests.fixtures.version.build import build_fixture_version

    return build_fixture_version(tmp_path_factory.mktemp("fixture_data"))


@pytest.fixture
def on_fixture(fixture_store, monkeypatch: pytest.MonkeyPatch):
    """Point the app and the library at the fixture data version and its area configuration (for one test)."""
    from tests.fixtures.version.build import AREAS

    monkeypatch.setenv("CWB_DATA_DIR", str(fixture_store.root))
    monkeypatch.setenv("CWB_AREAS", str(AREAS))
    return fixture_store


@pytest.fixture
def fixture_copy(fixture_store, tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the fixture data folder that a test may change (set as CWB_DATA_DIR with its areas)."""
    import shutil

    from cwb_metrics.store import DataStore
    from tests.fixtures.version.build import AREAS

    root = tmp_path / "data"
    shutil.copytree(fixture_store.root, root)
    monkeypatch.setenv("CWB_DATA_DIR", str(root))
    monkeypatch.setenv("CWB_AREAS", str(AREAS))
    return DataStore(root)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``), keep the browser tests on one worker.

    Each browser test starts its own `streamlit run` and Chromium; two at once on a two-core
    machine starve each other's page loads, so they share one worker while the other worker
    runs the rest of the suite.
    """
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
