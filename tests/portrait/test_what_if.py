"""What-if thresholds (nothing written) and council thresholds saved through the versioned path."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.build.local_meta import catalogue_for, version_meta
from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.portrait.portrait import compute_portrait
from cwb_metrics.portrait.what_if import ThresholdChange, save_council_threshold, what_if, what_if_for
from cwb_metrics.store import DataStore

AREA = "E07099901"


def _rows(values: dict[str, float]) -> pd.DataFrame:
    records = [
        {
            "areacd": AREA,
            "areanm": "Northdale",
            "geography": "district",
            "indicator": i,
            "period": "2023",
            "value": v,
            "unit": "",
            "lci_95": math.nan,
            "uci_95": math.nan,
            "status": "",
            "notes": "",
        }
        for i, v in values.items()
    ]
    return pd.DataFrame.from_records(records, columns=list(CANONICAL_COLUMNS))


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def data() -> pd.DataFrame:
    return _rows({"housing_affordability": 10.0, "fuel_poverty": 12.0, "ghg_emissions_per_capita": 6.0})


def _by_id(changes: list[ThresholdChange]) -> dict[str, ThresholdChange]:
    return {c.id: c for c in changes}


def test_what_if_rescores_with_the_scoring_rules(catalogue, data) -> None:
    ceiling = catalogue["ghg_emissions_per_capita"].threshold.value
    portrait, changes = what_if(
        catalogue,
        data,
        {"housing_affordability": 12.0, "ghg_emissions_per_capita": 3.0, "fuel_poverty": 10.0},
        area_code=AREA,
        area_name="Northdale",
    )
    by_id = _by_id(changes)
    assert [c.id for c in changes] == [i for i in catalogue if i in by_id]  # catalogue order
    # Housing: target 5 -> 12, lower is better: the bounded shortfall 1 - T / 10 (0.5 for T = 5, by hand).
    old_target = catalogue["housing_affordability"].threshold.value
    assert by_id["housing_affordability"] == (
        "housing_affordability",
        "shortfall",
        "within",
        pytest.approx(1 - old_target / 10),
        0.0,
    )
    # Ceiling: overshoot = value / T - 1.
    assert by_id["ghg_emissions_per_capita"].old_score == pytest.approx(max(0.0, 6.0 / ceiling - 1))
    assert by_id["ghg_emissions_per_capita"].new_score == pytest.approx(6.0 / 3.0 - 1)
    # A zero-deprivation foundation given 10% becomes a target: 1 - 10 / 12 = 1/6, not 12 / 100.
    assert by_id["fuel_poverty"].old_score == pytest.approx(0.12)
    assert by_id["fuel_poverty"].new_score == pytest.approx(1 / 6, abs=1e-6)
    entry = next(e for e in portrait.entries if e.id == "housing_affordability")
    assert (entry.threshold, entry.status) == (12.0, "within")
    assert all(c.changed for c in changes)


def test_what_if_writes_nothing_and_leaves_the_catalogue_alone(catalogue, data) -> None:
    before = catalogue["housing_affordability"].threshold.value
    what_if(catalogue, data, {"housing_affordability": 12.0}, area_code=AREA, area_name="Northdale")
    assert catalogue["housing_affordability"].threshold.value == before


def test_what_if_refuses_unknown_ids_and_impossible_thresholds(catalogue, data) -> None:
    with pytest.raises(CwbError, match="no_such"):
        what_if(catalogue, data, {"no_such": 1.0}, area_code=AREA, area_name="Northdale")
    with pytest.raises(DataValidationError) as error:
        what_if(catalogue, data, {"housing_affordability": 0.0}, area_code=AREA, area_name="Northdale")
    assert error.value.problems[0].column.startswith("threshold")


@pytest.fixture
def store(tmp_path: Path) -> DataStore:
    store = DataStore(tmp_path / "data")
    with store.new_version("refresh") as writer:
        writer.write_indicator("housing_affordability", _rows({"housing_affordability": 10.0}), ["test"])
    return store


def test_a_council_threshold_is_saved_as_a_new_version(store) -> None:
    before = store.current_version()
    version = save_council_threshold(
        store,
        "housing_affordability",
        8.0,
        "Oxfordshire County Council, test decision",
        "A made-up threshold of eight times earnings, for this test.",
        "analyst",
    )
    assert store.current_version() == version != before
    meta = catalogue_for(store)["housing_affordability"]
    # No URL to the decision: the basis is illustrative (only a published decision can be a stated ambition).
    assert (meta.threshold.value, meta.threshold.basis, meta.threshold.source_url) == (8.0, "illustrative", None)
    assert meta.threshold.source == "Oxfordshire County Council, test decision"
    assert list(version_meta(store)) == ["housing_affordability"]
    assert catalogue_for(store, before)["housing_affordability"] == load_catalogue()["housing_affordability"]
    entry = store.manifest()["imports"][-1]
    assert (entry["kind"], entry["indicator"], entry["who"]) == ("threshold", "housing_affordability", "analyst")
    assert (entry["old"]["value"], entry["new"]["value"]) == (
        load_catalogue()["housing_affordability"].threshold.value,
        8,
    )
    # The portrait now scores against the council's threshold: 1 - 8 / 10.
    portrait = compute_portrait(catalogue_for(store), store.read_all_indicators(), area_code=AREA, area_name="N")
    entry = next(e for e in portrait.entries if e.id == "housing_affordability")
    assert entry.score == pytest.approx(0.2) and entry.threshold_basis == "illustrative"


def test_a_zero_deprivation_threshold_saved_above_zero_becomes_a_target(store) -> None:
    save_council_threshold(store, "fuel_poverty", 5.0, "Council target", "Halve fuel poverty by 2030 (made up).")
    meta = catalogue_for(store)["fuel_poverty"]
    assert (meta.threshold.kind, meta.threshold.value) == ("target", 5.0)
    save_council_threshold(store, "fuel_poverty", 0.0, "Council target", "Back to no household deprived.")
    assert catalogue_for(store)["fuel_poverty"].threshold.kind == "zero_deprivation"


def test_invalid_thresholds_write_nothing(store) -> None:
    before = store.current_version()
    with pytest.raises(DataValidationError) as error:
        save_council_threshold(store, "housing_affordability", 8.0, "OCC", "too short")
    assert {p.column for p in error.value.problems} == {"threshold.rationale"}
    assert all(p.file == "meta/housing_affordability.yaml" for p in error.value.problems)
    with pytest.raises(DataValidationError):
        save_council_threshold(store, "housing_affordability", -1.0, "Council", "A negative target is impossible.")
    with pytest.raises(CwbError):
        save_council_threshold(store, "no_such_indicator", 1.0, "Council", "An unknown indicator id here.")
    assert store.current_version() == before


@pytest.mark.integration
def test_what_if_for_a_neighbourhood_uses_its_lsoa_rows(built_store) -> None:
    portrait, changes = what_if_for(built_store, "Blackbird Leys", {"fuel_poverty": 10.0})
    (change,) = changes
    entry = next(e for e in portrait.entries if e.id == "fuel_poverty")
    assert change.old_score == pytest.approx(entry.value / 100, abs=1e-6)
    assert change.new_score == pytest.approx(max(0.0, 1 - 10 / entry.value), abs=1e-6)
    assert portrait.area_code == "blackbird-leys"


def test_a_council_threshold_with_a_published_decision_is_an_ambition(store) -> None:
    save_council_threshold(
        store,
        "housing_affordability",
        8.0,
        "Oxfordshire County Council, test decision",
        "A made-up threshold of eight times earnings, for this test.",
        source_url="https://www.oxfordshire.gov.uk/",
    )
    threshold = catalogue_for(store)["housing_affordability"].threshold
    assert (threshold.basis, threshold.illustrative) == ("government_ambition", False)
