"""The CWB action plan: the YAML against its schema and the seed text, the tracker, and status updates."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from cwb_metrics.actions.load import (
    ACTIONS_FILE,
    STATUS_FILE,
    apply_status_update,
    link_problems,
    load_actions,
    load_plan,
    plan_status_update,
)
from cwb_metrics.actions.models import STATUSES, Action, ActionPlan, status_category
from cwb_metrics.actions.tracker import (
    action_links,
    actions_for_indicator,
    actions_without_measures,
    indicators_without_actions,
    progress_by_theme,
)
from cwb_metrics.errors import DataValidationError, NoDataError
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.store import DataStore

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = REPO_ROOT.parent / "shared" / "seeds" / "occ-cwb-action-plan-2024-25.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"no seed text at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan() -> ActionPlan:
    return load_plan()


@pytest.fixture
def store(tmp_path: Path) -> DataStore:
    """A data folder with one (otherwise empty) version to update."""
    store = DataStore(tmp_path / "data")
    with store.new_version("refresh") as writer:
        writer.write_json("geo/placeholder.json", {}, ["test"])
    return store


def _csv(tmp_path: Path, text: str, name: str = "statuses.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----- the committed YAML ----------------------------------------------------------------------
def test_the_yaml_validates_against_the_strict_model() -> None:
    record = yaml.safe_load(ACTIONS_FILE.read_text(encoding="utf-8"))
    ActionPlan.model_validate(record)
    record["actions"][0]["owner"] = "someone"
    with pytest.raises(ValidationError, match="Extra inputs"):
        ActionPlan.model_validate(record)


def test_every_linked_indicator_exists_in_the_catalogue(plan) -> None:
    assert link_problems(plan, load_catalogue()) == []
    ids = {p.stem for p in (REPO_ROOT / "data" / "indicators").glob("*.yaml")}
    assert {i for a in plan.actions for i in a.indicators} <= ids


def test_every_action_of_the_seed_is_there_once(plan, seed_text) -> None:
    numbers = list(dict.fromkeys(re.findall(r"(?<![\d.])(\d+\.\d+\.\d+)(?![\d.])", seed_text)))
    assert len(numbers) == 20
    assert [a.number for a in plan.actions] == numbers


def test_statuses_are_as_the_seed_writes_them(plan, seed_text) -> None:
    lines = seed_text.splitlines()
    for action in plan.actions:
        line = next(x for x in lines if f"\t{action.number}\t" in x)
        last = [c.strip() for c in line.split("\t") if c.strip()][-1]
        if last.startswith(STATUSES):
            assert action.status.startswith(last), action.number
    assert plan.action("1.1.4").status == "Complete (outreach in progress)"
    assert plan.action("1.5.4").status == "Complete (showcase event planned for October)"


def test_the_examples_of_the_issue_are_linked_as_asked(plan) -> None:
    assert plan.action("1.4.2").indicators == ["jobs_below_living_wage"]
    assert {
        "imd_employment_most_deprived_20pct",
        "imd_income_most_deprived_20pct",
        "employment_rate",
        "claimant_count",
    } <= set(plan.action("1.9.1").indicators)
    assert len(plan.action("1.1.2").indicators) >= 10
    for number in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.7.1"):
        assert plan.action(number).indicators == []
        assert "procurement" in plan.action(number).rationale.casefold()


def test_status_rule() -> None:
    assert status_category("Complete (outreach in progress)") == "Complete"
    for bad in ("Done", "complete", "In progress (", "Complete (a) (b)", ""):
        with pytest.raises(ValueError):
            status_category(bad)
    with pytest.raises(ValidationError):
        Action(
            number="1.1",
            section="Council actions",
            theme="Economic development",
            text="Do something useful",
            intended_impact="Impact",
            resources="Officer time",
            status="In progress",
            indicators=[],
            rationale="A reason given here.",
        )


# ----- the tracker -----------------------------------------------------------------------------
def test_progress_by_theme_counts_statuses_from_the_yaml(plan) -> None:
    raw = yaml.safe_load(ACTIONS_FILE.read_text(encoding="utf-8"))["actions"]
    progress = progress_by_theme(plan).set_index("theme")
    procurement = [a for a in raw if a["theme"] == "Progressive procurement"]
    assert progress.at["Progressive procurement", "actions"] == len(procurement)
    assert progress.at["Progressive procurement", "Not yet started"] == sum(
        a["status"] == "Not yet started" for a in procurement
    )
    complete = sum(str(a["status"]).startswith("Complete") for a in raw)
    assert progress.at["All themes", "Complete"] == complete
    assert progress.at["All themes", "complete_pct"] == pytest.approx(100 * complete / len(raw))


def test_gaps_between_actions_and_measures(plan) -> None:
    catalogue = load_catalogue()
    without = actions_without_measures(plan)
    assert set(without["number"]) == {a.number for a in plan.actions if not a.indicators}
    unlinked = set(indicators_without_actions(plan, catalogue)["id"])
    linked = set(action_links(plan, catalogue)["indicator"])
    assert unlinked | linked == set(catalogue) and not unlinked & linked
    assert actions_for_indicator(plan, "jobs_below_living_wage") == ["1.1.2", "1.4.2"]


# ----- status updates through the data version -------------------------------------------------
def test_a_status_update_is_planned_then_written_as_a_new_version(store, tmp_path) -> None:
    before = store.current_version()
    update = plan_status_update(store, _csv(tmp_path, "number,status\n1.2.2,In progress\n1.1.1,In progress\n"))
    assert update.ok
    assert update.changes.to_dict("records") == [
        {
            "number": "1.2.2",
            "theme": "Progressive procurement",
            "old_status": "Not yet started",
            "new_status": "In progress",
        }
    ]
    assert store.current_version() == before  # planning writes nothing
    version = apply_status_update(store, update, who="officer")
    assert store.current_version() == version != before
    written = pd.read_csv(store.version_dir() / STATUS_FILE, dtype=str)
    assert len(written) == 20
    assert load_actions(store).action("1.2.2").status == "In progress"
    assert load_actions().action("1.2.2").status == "Not yet started"  # the committed YAML is unchanged
    entry = store.manifest()["imports"][-1]
    assert (entry["kind"], entry["who"], entry["file"]) == ("action_status", "officer", "statuses.csv")
    assert entry["changes"][0]["new_status"] == "In progress"
    assert not (store.version_dir(before) / STATUS_FILE).exists()  # the previous version is intact


def test_problems_name_the_row_and_column(store, tmp_path) -> None:
    path = _csv(tmp_path, "number,status\n9.9.9,In progress\n1.2.2,Done\n1.2.3,Complete\n1.2.3,In progress\n")
    update = plan_status_update(store, path)
    found = {(p.row, p.column) for p in update.problems}
    assert found == {(2, "number"), (3, "status"), (5, "number")}
    assert all(p.file == "statuses.csv" for p in update.problems)
    with pytest.raises(DataValidationError):
        apply_status_update(store, update, who="officer")
    assert load_actions(store).action("1.2.3").status == "Not yet started"


def test_bad_headers_and_empty_files(store, tmp_path) -> None:
    update = plan_status_update(store, _csv(tmp_path, "action,state\n1.2.2,In progress\n"))
    assert {(p.row, p.column) for p in update.problems} >= {(1, "number"), (1, "status")}
    assert plan_status_update(store, _csv(tmp_path, "", "empty.csv")).problems[0].row == 1
    assert not plan_status_update(
        store, _csv(tmp_path, "number,status,note\n1.5.3,Complete (hub launched),ok\n")
    ).problems


def test_an_update_needs_built_data(tmp_path) -> None:
    empty = DataStore(tmp_path / "nothing")
    update = plan_status_update(empty, _csv(tmp_path, "number,status\n1.2.2,In progress\n"))
    with pytest.raises(NoDataError):
        apply_status_update(empty, update)


def test_statuses_survive_a_refresh_and_follow_a_rollback(store, tmp_path) -> None:
    from cwb_metrics.build.importer import rollback

    first = store.current_version()
    update = plan_status_update(store, _csv(tmp_path, "number,status\n1.3.1,In progress\n"))
    updated = apply_status_update(store, update, who="officer")
    # A refresh rebuilds official data only (it does not inherit files): statuses carry on.
    with store.new_version("refresh", inherit=False) as writer:
        writer.write_json("geo/placeholder.json", {}, ["test"])
    assert not (store.version_dir() / STATUS_FILE).exists()
    assert load_actions(store).action("1.3.1").status == "In progress"
    # Rolling back to before the update restores the committed status; to the update, its status.
    rollback(store, first)
    assert load_actions(store).action("1.3.1").status == "Not yet started"
    rollback(store, updated)
    assert load_actions(store).action("1.3.1").status == "In progress"
