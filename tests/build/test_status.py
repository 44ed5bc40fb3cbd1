"""Status of the data: sources and indicators of a version, release-due dates, history and labels."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.known import known_area_codes
from cwb_metrics.build import status
from cwb_metrics.build.importer import apply_import, plan_import, rollback
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.errors import Problem
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.source import SourceFile
from cwb_metrics.periods import period_sort_key
from cwb_metrics.sources.registry import load_sources
from cwb_metrics.store import DataStore

TODAY = dt.date(2026, 6, 1)


# ----- due dates on hand-made dates -----------------------------------------------------
@pytest.mark.parametrize(
    ("published", "months", "announced", "today", "due"),
    [
        (dt.date(2025, 5, 31), 12, None, TODAY, True),  # expected 2026-05-31: past
        (dt.date(2025, 6, 1), 12, None, TODAY, True),  # expected today: due
        (dt.date(2025, 6, 2), 12, None, TODAY, False),  # expected tomorrow
        (dt.date(2026, 3, 1), 3, None, TODAY, True),  # quarterly
        (dt.date(2025, 10, 30), 72, None, TODAY, False),  # IMD: every six years
        (dt.date(2019, 9, 26), 12, dt.date(2026, 9, 1), TODAY, False),  # the announced date wins
        (dt.date(2026, 5, 1), 12, dt.date(2026, 5, 15), TODAY, True),  # announced and passed
        (dt.date(2020, 1, 1), None, None, TODAY, False),  # no frequency, no announcement: unknown
        (None, 12, None, TODAY, False),  # never published: unknown
    ],
)
def test_release_due(published, months, announced, today, due) -> None:
    assert status.release_due(published, months, announced, today=today) is due


def test_next_release_adds_calendar_months() -> None:
    assert status.next_release(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert status.next_release(dt.date(2023, 11, 30), 3) == dt.date(2024, 2, 29)
    assert status.next_release(dt.date(2025, 4, 16), 12) == dt.date(2026, 4, 16)
    assert status.next_release(dt.date(2025, 10, 30), 72) == dt.date(2031, 10, 30)
    assert status.next_release(dt.date(2025, 1, 1), None, dt.date(2025, 3, 1)) == dt.date(2025, 3, 1)
    assert status.next_release(None, 12) is None


def _source(source_id: str, published: dt.date, due: dt.date | None = None) -> SourceFile:
    return SourceFile(
        id=source_id,
        title=f"Test file {source_id}",
        publisher="Test publisher",
        url="https://example.org/file.csv",
        landing_page="https://example.org/",
        mirror_path=f"test/{source_id}.csv",
        format="csv",
        attribution="Test",
        date_published=published,
        next_release_due=due,
    )


def test_editions_of_one_series_are_due_together_and_announced_dates_win() -> None:
    """An indicator built from an old and a new edition counts from the newest; so do both sources."""
    base = load_sources()
    meta = next(m for m in load_catalogue().values() if m.extract.method == "els")
    sources = {
        "test/old": _source("test/old", dt.date(2019, 1, 10)),
        "test/new": _source("test/new", dt.date(2025, 9, 1)),
        "test/announced": _source("test/announced", dt.date(2025, 1, 1), due=dt.date(2026, 1, 15)),
    }
    assert "test/old" not in base
    params = {**meta.extract.params, "older": "test/old"}
    two_editions = meta.model_copy(update={"extract": meta.extract.model_copy(update={"source": "test/new",
                                                                                       "params": params})})  # fmt: skip
    published, expected = status.expected_release(two_editions, sources)
    assert published == dt.date(2025, 9, 1)
    assert expected == status.add_months(dt.date(2025, 9, 1), two_editions.release_frequency_months)
    announced = meta.model_copy(update={"extract": meta.extract.model_copy(update={"source": "test/announced"})})
    assert status.expected_release(announced, sources) == (dt.date(2025, 1, 1), dt.date(2026, 1, 15))


# ----- the tables on the real build ------------------------------------------------------
@pytest.fixture(scope="module")
def tables(built_store: DataStore):
    return status.source_status(built_store), status.indicator_status(built_store)


@pytest.mark.integration
def test_every_catalogue_indicator_with_its_latest_period_and_rows(built_store: DataStore, tables) -> None:
    _sources, indicators = tables
    catalogue = catalogue_for(built_store)
    assert set(catalogue) <= set(indicators["id"])
    assert indicators["id"].is_unique
    folder = built_store.version_dir() / "indicators"
    for row in indicators.itertuples(index=False):
        frame = pd.read_csv(folder / f"{row.id}.csv", dtype=str, keep_default_na=False)
        assert row.rows == len(frame), row.id
        expected = max(frame["period"].unique(), key=period_sort_key)
        assert row.latest_period == expected, row.id
        assert row.changed_in == built_store.current_version()
        assert row.built_from, f"{row.id}: no provenance"
        assert row.title == catalogue[row.id].title


@pytest.mark.integration
def test_every_source_with_the_sha256_of_its_mirror_file(built_store: DataStore, mirror: Path, tables) -> None:
    sources_table, _indicators = tables
    registry = load_sources()
    read = sources_table[sources_table["status"] == "read"]
    assert set(read["id"]) == set(built_store.manifest()["sources"])
    assert set(registry) <= set(sources_table["id"])
    for row in read.itertuples(index=False):
        path = mirror / registry[row.id].mirror_path
        assert row.sha256 == hashlib.sha256(path.read_bytes()).hexdigest(), row.id
        assert row.sha256_short == row.sha256[:12]
        assert row.bytes == path.stat().st_size
        assert row.from_mirror and Path(row.read_from) == path
        assert row.url == str(registry[row.id].url)


@pytest.mark.integration
def test_due_flags_follow_the_dates(built_store: DataStore) -> None:
    long_ago = status.indicator_status(built_store, today=dt.date(2000, 1, 1))
    assert not long_ago["release_due"].any(), "nothing can be due before it was published"
    far_future = status.indicator_status(built_store, today=dt.date(2100, 1, 1))
    assert far_future.loc[far_future["next_release"].notna(), "release_due"].all()
    sources = status.source_status(built_store, today=dt.date(2100, 1, 1))
    assert sources.loc[sources["next_release"].notna(), "release_due"].all()
    for table in (long_ago, far_future, sources):
        assert (table["release"].str.startswith("due since") == table["release_due"]).all()
    imd = far_future[far_future["built_from"].str.contains("imd/2025/file7")]
    assert not imd.empty and (imd["release_frequency_months"] == 72).all()
    # IMD 2019 is kept beside IMD 2025: its series' next release counts from 2025
    by_id = sources.set_index("id")
    assert by_id.loc["imd/2019/file2", "next_release"] == by_id.loc["imd/2025/file7", "next_release"]
    assert by_id.loc["imd/2025/file7", "next_release"] == status.add_months(
        by_id.loc["imd/2025/file7", "date_published"], 72
    )


@pytest.mark.integration
def test_history_imports_and_label_follow_an_import_and_a_rollback(built_store: DataStore, tmp_path: Path) -> None:
    shutil.copytree(built_store.root, tmp_path / "data")
    store = DataStore(tmp_path / "data")
    first = store.current_version()
    assert status.version_label(store).startswith(first.split("-")[0] + " (refresh by ")
    indicator = "housing_affordability"
    original = store.read_indicator(indicator)
    path = tmp_path / "affordability-revised.csv"
    original.assign(value=original["value"] + 0.25).to_csv(path, index=False)
    plan = plan_import(store, path, load_area_config(), known_areas=known_area_codes(store))
    imported = apply_import(store, plan, who="Analyst A")

    row = status.indicator_status(store).set_index("id").loc[indicator]
    assert row["changed_in"] == imported
    assert row["imported_file"] == "affordability-revised.csv" and row["imported_by"] == "Analyst A"
    assert row["built_from"] == "import:affordability-revised.csv"
    other = status.indicator_status(store).set_index("id").loc["claimant_count"]
    assert other["changed_in"] == first and other["imported_file"] == ""

    imports = status.import_history(store)
    assert imports.iloc[0]["version"] == imported
    assert imports.iloc[0]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert imports.iloc[0]["rows"] == len(original) and imports.iloc[0]["who"] == "Analyst A"

    back = rollback(store, first, who="Analyst B")
    history = status.version_history(store)
    assert history["version"].tolist() == [back, imported, first]
    assert history["kind"].tolist() == ["rollback", "import", "refresh"]
    assert history["current"].tolist() == [True, False, False]
    assert history.iloc[0]["based_on"] == first and history.iloc[0]["changed"] == indicator
    assert history.iloc[1]["changed"] == indicator
    assert history.iloc[2]["changed"].startswith("first build")
    assert status.version_label(store) == (
        f"{back.split('-')[0]} (rollback to {first.split('-')[0]} by Analyst B, "
        f"{store.manifest()['created'][:16].replace('T', ' ')} UTC)"
    )
    after = status.indicator_status(store).set_index("id").loc[indicator]
    assert after["changed_in"] == back and after["imported_file"] == ""
    assert status.import_history(store)["version"].tolist() == [imported], "the import stays in the history"


def test_version_label_without_data(tmp_path: Path) -> None:
    assert status.version_label(DataStore(tmp_path)) == "no data yet"


def test_problems_table_names_file_row_column_and_uses_app_words() -> None:
    problems = [
        Problem("upload.csv", 3, "areacd", "unknown area code 'E07000999'"),
        Problem("els.csv", None, None, "name the indicator it updates (--indicator ID)"),
    ]
    table = status.problems_table(problems, app=True)
    assert table.columns.tolist() == ["file", "row", "column", "message"]
    assert table.iloc[0].tolist() == ["upload.csv", 3, "areacd", "unknown area code 'E07000999'"]
    assert pd.isna(table.iloc[1]["row"]) and table.iloc[1]["column"] == ""
    assert "the Indicator box" in table.iloc[1]["message"] and "--indicator" not in table.iloc[1]["message"]
    assert "--indicator" in status.problems_table(problems).iloc[1]["message"]


def test_revised_table_adds_the_change() -> None:
    revised = pd.DataFrame(
        {"areacd": ["E07000178"], "areanm": ["Oxford"], "period": ["2024"], "old": [10.0], "new": [11.5]}
    )
    table = status.revised_table(revised)
    assert table.iloc[0].to_dict() == {
        "areanm": "Oxford",
        "areacd": "E07000178",
        "period": "2024",
        "old": 10.0,
        "new": 11.5,
        "change": 1.5,
    }
    assert status.revised_table(pd.DataFrame()).empty


def test_release_text_sorts_due_first() -> None:
    due = status.release_text(dt.date(2024, 11, 7), True)
    later = status.release_text(dt.date(2027, 5, 6), False)
    assert (due, later) == ("due since 7 Nov 2024", "next 6 May 2027")
    assert sorted([later, due]) == [due, later]
    assert status.release_text(None, False) == ""
