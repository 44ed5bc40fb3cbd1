"""The CWB action plan page: progress, the status editor, status files checked before they are read whole."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pandas as pd

from cwb_metrics.actions.load import StatusUpdatePlan, plan_status_update, status_file
from cwb_metrics.actions.models import STATUSES, ActionPlan
from cwb_metrics.charts.actions import progress_chart
from cwb_metrics.charts.describe import progress_description
from cwb_metrics.errors import Problem
from cwb_metrics.store import DataStore
from cwb_metrics.views.drawing import CHART_WIDTH, Chart, legible, natural_size
from cwb_metrics.views.tables import Table

#: The largest status CSV the page reads (the whole plan's statuses are a few kB).
STATUS_UPLOAD_LIMIT = 1_000_000
#: The longest action text the status editor shows in full.
ACTION_TEXT_LIMIT = 90


@dataclass(frozen=True)
class ActionStatusRow:
    """One action in the status editor: number, theme, text (shortened), status and the note in brackets."""

    number: str
    theme: str
    action: str
    status: str
    note: str

    LABELS: ClassVar[dict[str, str]] = {}


def shorten(text: str, limit: int = ACTION_TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters with "..." when longer."""
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def action_status_table(plan: ActionPlan) -> Table[ActionStatusRow]:
    """Every action's status for the editor: ``status`` is one of the plan's statuses, ``note`` its bracketed text."""
    rows = []
    for action in plan.actions:
        note = re.match(r"^[^(]*\((.*)\)\s*$", action.status)
        rows.append(
            ActionStatusRow(
                action.number, action.theme, shorten(action.text), action.status_category, note[1] if note else ""
            )
        )
    return Table(ActionStatusRow, tuple(rows))


@dataclass(frozen=True)
class StatusEdit:
    """One action's status as the editor now says it (with its note in brackets)."""

    number: str
    status: str


def edited_statuses(records: Iterable[Mapping[str, object]]) -> tuple[StatusEdit, ...]:
    """The editor's rows (``number, status, note``) as statuses with their notes in brackets."""
    edits = []
    for record in records:
        status = str(record.get("status") or "").strip()
        note = str(record.get("note") or "").strip()
        edits.append(StatusEdit(str(record["number"]), f"{status} ({note})" if status and note else status))
    return tuple(edits)


def write_status_csv(edits: Sequence[StatusEdit], path: Path) -> Path:
    """Write edits as the status CSV the import checks (``number,status``)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["number", "status"])
        writer.writerows([e.number, e.status] for e in edits)
    return path


def check_status_file(store: DataStore, path: Path, name: str, plan: ActionPlan) -> StatusUpdatePlan:
    """Check a status CSV (:func:`cwb_metrics.actions.load.plan_status_update`), any unreadable file a problem.

    A file the CSV reader cannot read (a cell longer than its 131,072-character limit, a
    stray quote, bytes that are not text) is one problem naming the file, not an error.
    """
    size = path.stat().st_size
    if size > STATUS_UPLOAD_LIMIT:
        return _refused(name, f"is {size:,} bytes; a status file is a few kB (at most {STATUS_UPLOAD_LIMIT:,} bytes)")
    try:
        return plan_status_update(store, path, display_name=name, plan=plan)
    except csv.Error as error:
        return _refused(
            name,
            f"could not be read as CSV ({error}): each row should be an action number and a status, "
            "e.g. 1.2.2,In progress",
        )


def _refused(name: str, message: str) -> StatusUpdatePlan:
    empty = pd.DataFrame(columns=["number", "theme", "old_status", "new_status"])
    return StatusUpdatePlan(name, "", empty, {}, [Problem(name, None, None, message)])


@dataclass(frozen=True)
class ProblemRow:
    """One problem of a checked status file; ``action`` is the edited row's action number."""

    action: str
    file: str
    row: int | None
    column: str
    problem: str

    LABELS: ClassVar[dict[str, str]] = {
        "action": "Action",
        "file": "File",
        "row": "Row",
        "column": "Column",
        "problem": "Problem",
    }


def problems_table(problems: Sequence[Problem], numbers: Sequence[str] = ()) -> Table[ProblemRow]:
    """The problems of a status file; with ``numbers`` (the editor's rows) each row's action number."""
    rows = []
    for p in problems:
        action = numbers[p.row - 2] if numbers and p.row is not None and 2 <= p.row < len(numbers) + 2 else ""
        rows.append(ProblemRow(action, p.file, p.row, p.column or "", p.message))
    return Table(ProblemRow, tuple(rows))


@dataclass(frozen=True)
class StatusUpdate:
    """Where the current statuses come from: the last status update, or the committed plan."""

    file: str
    who: str
    time: str
    version: str

    @property
    def since(self) -> str:
        """Where the statuses come from: "last updated from FILE by WHO on TIME (UTC)", or the committed plan."""
        if not self.file:
            return "as written in the committed plan"
        when = self.time[:16].replace("T", " ")
        return f"last updated from {self.file} by {self.who or 'unknown'} on {when} (UTC)"


def last_status_update(store: DataStore, version: str) -> StatusUpdate:
    """The import record of the status update the version's statuses come from."""
    path = status_file(store, version)
    if path is None:
        return StatusUpdate("", "", "", version)
    source = path.parent.parent.name
    updates = [i for i in store.manifest(source).get("imports", []) if i.get("kind") == "action_status"]
    last = updates[-1] if updates else {}
    return StatusUpdate(str(last.get("file") or ""), str(last.get("who") or ""), str(last.get("time") or ""), source)


@dataclass(frozen=True)
class Progress:
    """Actions by status in each theme (``All themes`` last), the chart of it and its text alternative."""

    table: pd.DataFrame
    chart: Chart
    text: str

    @property
    def overall(self) -> dict[str, int]:
        """Actions in all themes: ``actions`` and one count per status."""
        row = self.table[self.table["theme"] == "All themes"].iloc[0]
        return {"actions": int(row["actions"]), **{s: int(row[s]) for s in STATUSES}}

    @property
    def used(self) -> list[str]:
        """The statuses at least one action has."""
        return [s for s in STATUSES if self.table[s].any()]


def progress(table: pd.DataFrame) -> Progress:
    """The progress view of :func:`cwb_metrics.actions.tracker.progress_by_theme`'s table."""
    chart = legible(natural_size(progress_chart(table, width=CHART_WIDTH - 160))).configure_axisY(labelLimit=240)
    return Progress(table, chart, progress_description(table))
