"""Census snapshot note, and the reason a missing value is missing (unit and mirror)."""

from __future__ import annotations

import math

import pandas as pd

from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.portrait.census_note import (
    CENSUS_NOTE,
    census_snapshot_ids,
    census_snapshot_note,
    is_census_snapshot,
)
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.portrait import compute_portrait
from cwb_metrics.sources.census import CENSUS_MEASURES


def test_census_records_are_the_census_snapshots() -> None:
    catalogue = load_catalogue()
    assert {i for i, m in catalogue.items() if is_census_snapshot(m)} == set(CENSUS_MEASURES)


def _rows(values: dict[str, float | None], status: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"areacd": "E07000178", "areanm": "Oxford", "geography": "district", "indicator": i, "period": "2021",
             "value": math.nan if v is None else v, "unit": "%", "lci_95": math.nan, "uci_95": math.nan,
             "status": "" if v is not None else status, "notes": ""}
            for i, v in values.items()
        ]
    )  # fmt: skip


def test_note_lists_only_census_indicators_with_a_value() -> None:
    catalogue = load_catalogue()
    data = _rows({"census_bad_health": 3.3, "census_overcrowding": None, "gigabit_broadband": 79.4})
    portrait = compute_portrait(catalogue, data, area_code="E07000178", area_name="Oxford")
    assert census_snapshot_ids(portrait, catalogue) == ["census_bad_health"]
    note = census_snapshot_note(portrait, catalogue)
    # The record's short title is "Bad health (Census)": the note says "Census" once, not after each name.
    assert catalogue["census_bad_health"].short_title == "Bad health (Census)"
    assert note == f"From the 2021 Census: Bad health. {CENSUS_NOTE}"
    empty = compute_portrait(catalogue, _rows({"gigabit_broadband": 79.4}), area_code="E07000178", area_name="Oxford")
    assert census_snapshot_note(empty, catalogue) is None


def test_a_missing_value_shows_the_published_reason() -> None:
    catalogue = load_catalogue()
    data = _rows(
        {"local_election_turnout": None, "ks2_expected_standard": 60.0}, status="no local election in May 2022"
    )
    portrait = compute_portrait(catalogue, data, area_code="E07000178", area_name="Oxford")
    entries = {e.id: e for e in portrait.entries}
    assert entries["local_election_turnout"].status == "missing"
    assert entries["local_election_turnout"].note == "No data for this area: no local election in May 2022."
    assert entries["gigabit_broadband"].note == "No data for this area."  # no row at all: no reason to give


def test_blackbird_leys_lists_its_census_indicators(built_store) -> None:
    portrait = portrait_for(built_store, "Blackbird Leys")
    catalogue = catalogue_for(built_store)
    assert sorted(census_snapshot_ids(portrait, catalogue)) == sorted(CENSUS_MEASURES)
    assert "2021 Census" in census_snapshot_note(portrait, catalogue)


def test_south_oxfordshire_turnout_says_why_it_is_missing(built_store) -> None:
    entries = {e.id: e for e in portrait_for(built_store, "South Oxfordshire").entries}
    assert entries["local_election_turnout"].value is None
    assert "no local election in May 2022" in entries["local_election_turnout"].note
    assert "not apportioned" in entries["ge2024_turnout"].note
