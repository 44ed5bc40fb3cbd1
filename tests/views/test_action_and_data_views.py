"""Views of the action plan and the Data page: the status editor, status files read safely, uploads, history."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from cwb_metrics.actions.load import load_plan
from cwb_metrics.errors import Problem
from cwb_metrics.settings import METADATA_DIR
from cwb_metrics.views import action_plan as actions
from cwb_metrics.views import data_page


def test_the_editor_splits_each_status_from_its_note() -> None:
    plan = load_plan()
    raw = yaml.safe_load((METADATA_DIR / "actions" / "cwb_action_plan_2024_25.yaml").read_text(encoding="utf-8"))
    table = actions.action_status_table(plan)
    assert len(table) == len(raw["actions"])
    for row, record in zip(table.rows, raw["actions"], strict=True):
        status = record["status"]
        base, _, note = status.partition(" (")
        assert (row.number, row.status, row.note) == (record["number"], base, note.rstrip(")"))
        assert len(row.action) <= 90


def test_long_texts_are_shortened_with_an_ellipsis() -> None:
    assert actions.shorten("x" * 90) == "x" * 90
    assert actions.shorten("word " * 30) == "word " * 17 + "wo..."  # 87 characters, then "..."


def test_edits_become_the_status_csv(tmp_path: Path) -> None:
    edits = actions.edited_statuses(
        [{"number": "1.1.1", "status": "Complete", "note": " outreach "}, {"number": "1.1.2", "status": "Paused"}]
    )
    assert edits == (actions.StatusEdit("1.1.1", "Complete (outreach)"), actions.StatusEdit("1.1.2", "Paused"))
    path = actions.write_status_csv(edits, tmp_path / "s.csv")
    assert path.read_text(encoding="utf-8") == "number,status\n1.1.1,Complete (outreach)\n1.1.2,Paused\n"


def test_a_200_kb_cell_is_a_problem_not_a_crash(fixture_store, tmp_path: Path) -> None:
    path = tmp_path / "statuses.csv"
    path.write_text("number,status\n1.1.1," + "x" * 200_000 + "\n", encoding="utf-8")
    before = sorted(p.read_bytes() for p in Path(fixture_store.root).rglob("*") if p.is_file())
    plan = actions.check_status_file(fixture_store, path, "statuses.csv", load_plan())
    assert not plan.ok and len(plan.problems) == 1
    problem = plan.problems[0]
    assert problem.file == "statuses.csv" and "could not be read as CSV" in problem.message
    assert "field larger than field limit" in problem.message
    assert sorted(p.read_bytes() for p in Path(fixture_store.root).rglob("*") if p.is_file()) == before


def test_a_status_file_over_the_limit_is_refused_unread(fixture_store, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"number,status\n" + b"1.1.1,Complete\n" * (actions.STATUS_UPLOAD_LIMIT // 15 + 1))
    plan = actions.check_status_file(fixture_store, path, "big.csv", load_plan())
    assert not plan.ok and "a status file is a few kB" in plan.problems[0].message


def test_problems_of_edited_rows_name_their_action() -> None:
    problems = [Problem("edits", 3, "status", "bad"), Problem("edits", None, None, "whole file")]
    rows = actions.problems_table(problems, ["1.1.1", "1.1.2"]).rows
    assert [r.action for r in rows] == ["1.1.2", ""]
    assert actions.problems_table(problems).rows[0].action == ""


def test_where_the_statuses_come_from() -> None:
    assert actions.StatusUpdate("", "", "", "v1").since == "as written in the committed plan"
    update = actions.StatusUpdate("statuses.csv", "Sam", "2025-06-01T09:30:12+00:00", "v2")
    assert update.since == "last updated from statuses.csv by Sam on 2025-06-01 09:30 (UTC)"


def test_sizes_and_upload_limits() -> None:
    assert data_page.size_text(512) == "512 bytes"
    assert data_page.size_text(1_234_567) == "1.2 MB"
    assert data_page.size_text(None) == ""
    assert data_page.plural(1, "problem") == "1 problem" and data_page.plural(2, "problem") == "2 problems"
    assert data_page.too_large("a.csv", 10, 10, "an indicator CSV") is None
    message = data_page.too_large("a.csv", 25_000_000, data_page.CSV_UPLOAD_LIMIT, "an indicator CSV")
    assert message is not None and message.startswith("a.csv is 25.0 MB; an indicator CSV can be at most 20.0 MB.")
    assert data_page.safe_name("../../etc/pass wd.csv") == "pass_wd.csv" and data_page.safe_name("..") == "upload.csv"


def test_blank_optional_answers_are_dropped_required_ones_kept() -> None:
    record = {"id": "", "unit_short": "", "threshold": {"source_url": "", "value": 0.0}, "caveats": None}
    assert data_page.without_blanks(record) == {"id": "", "threshold": {"value": 0.0}}


def test_rollback_offers_every_version_but_the_current() -> None:
    versions = pd.DataFrame(
        {"version": ["v2", "v1"], "kind": ["import", "refresh"], "who": ["Sam", "ci"], "note": ["a", "b"],
         "current": [True, False]}
    )  # fmt: skip
    history = data_page.History(versions, pd.DataFrame())
    assert history.rollback_choices().items == (("v1", "v1 · refresh by ci · b"),)
