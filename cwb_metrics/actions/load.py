"""Load the CWB action plan, and update action statuses through the validated, versioned path.

The plan's actions, their text and their links to indicators are committed data
(``data/actions/cwb_action_plan_2024_25.yaml``, schema :class:`~cwb_metrics.actions.models.ActionPlan`).
Statuses change more often: an officer uploads a CSV of ``number,status`` rows;
:func:`plan_status_update` checks it (every problem named by file, row and column) and
shows what would change, writing nothing; :func:`apply_status_update` writes the plan's
statuses, updated, as ``actions/status.csv`` into a new data version (kind ``import``,
recorded in the manifest's ``imports``), so the previous statuses stay in the previous
version. :func:`load_actions` merges the committed plan with the current version's status
file (a version built by a refresh, which holds no status file, keeps the statuses of the
version it follows: see :func:`status_file`).

A status is one of :data:`~cwb_metrics.actions.models.STATUSES`, optionally followed by a
note in brackets, as the plan writes them ("Complete (outreach in progress)").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from cwb_metrics.actions.models import ActionPlan, status_category
from cwb_metrics.errors import CwbError, DataValidationError, NoDataError, Problem
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.settings import METADATA_DIR
from cwb_metrics.store import DataStore, sha256_of

#: Oxfordshire County Council's committed action plan (``action_plan`` of ``data/areas/oxfordshire.yaml``).
ACTIONS_FILE = METADATA_DIR / "actions" / "cwb_action_plan_2024_25.yaml"
#: The statuses written into a data version by :func:`apply_status_update`.
STATUS_FILE = "actions/status.csv"
#: Columns of a status update CSV (``note`` is optional and ignored beyond being kept in the import record).
STATUS_COLUMNS: tuple[str, ...] = ("number", "status")
OPTIONAL_COLUMNS: tuple[str, ...] = ("note",)


class NoActionPlanError(CwbError):
    """The configured council has no action plan file (``action_plan`` of its area configuration)."""

    def __init__(self, area_name: str) -> None:
        self.area_name = area_name
        super().__init__(
            f"No action plan is configured for {area_name}. Add `action_plan: FILE` to the area configuration: a "
            "YAML file of the council's own CWB action plan (schema cwb_metrics.actions.models.ActionPlan; "
            "data/actions/cwb_action_plan_2024_25.yaml shows the format)."
        )


def configured_plan(config: AreaConfig) -> Path:
    """The configured council's action plan file.

    Raises
    ------
    NoActionPlanError
        When the area configuration names none.
    """
    if not config.action_plan:
        raise NoActionPlanError(config.county_name)
    return Path(config.action_plan)


def load_plan(path: str | Path = ACTIONS_FILE) -> ActionPlan:
    """Load and validate the committed action plan.

    Raises
    ------
    DataValidationError
        Naming the file and each invalid field (the column is the field's path, e.g.
        ``actions.3.status``).
    """
    path = Path(path)
    try:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CwbError(f"the action plan {path} does not exist") from None
    except yaml.YAMLError as error:
        raise DataValidationError([Problem(path.name, None, None, f"is not valid YAML: {error}")]) from None
    try:
        return ActionPlan.model_validate(record)
    except ValidationError as error:
        problems = [
            Problem(path.name, None, ".".join(str(p) for p in item["loc"]) or None, item["msg"])
            for item in error.errors()
        ]
        raise DataValidationError(problems) from None


def link_problems(
    plan: ActionPlan, catalogue: Mapping[str, IndicatorMeta], file: str = ACTIONS_FILE.name
) -> list[Problem]:
    """Return a problem for every indicator id an action links to that the catalogue does not have."""
    problems = []
    for position, action in enumerate(plan.actions):
        for indicator in action.indicators:
            if indicator not in catalogue:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"actions.{position}.indicators",
                        f"action {action.number} links to {indicator!r}, which is not in the indicator catalogue",
                    )
                )
    return problems


def status_file(store: DataStore, version: str | None = None) -> Path | None:
    """Return the status file that holds a data version's action statuses, or ``None``.

    Statuses are the council's own data, which a refresh does not rebuild: a refresh writes
    a version from the official sources only (it does not inherit its parent's files), so a
    version without ``actions/status.csv`` takes its statuses from the version it was built
    on (``based_on``: the base of an import or a rollback) or, failing that, its ``parent``,
    back to the first version. A rollback to a version from before any status update
    therefore restores the committed statuses, and a refresh keeps the latest ones.
    """
    if version is None and store.current_version() is None:
        return None
    seen: set[str] = set()
    current: str | None = version or store.current_version()
    while current is not None and current not in seen:
        seen.add(current)
        try:
            folder = store.version_dir(current)  # checked against its manifest's checksums
        except NoDataError:
            return None
        if (folder / STATUS_FILE).is_file():
            return folder / STATUS_FILE
        try:
            manifest = store.manifest(current)
        except (NoDataError, FileNotFoundError):
            return None
        current = manifest.get("based_on") or manifest.get("parent")
    return None


def version_statuses(store: DataStore, version: str | None = None) -> dict[str, str]:
    """Return the action statuses of a data version by number (empty when none was ever written).

    See :func:`status_file` for how a version without its own status file finds them.
    """
    path = status_file(store, version)
    if path is None:
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return dict(zip(frame["number"], frame["status"], strict=True))


def load_actions(store: DataStore | None = None, path: str | Path = ACTIONS_FILE) -> ActionPlan:
    """The committed action plan with the statuses of the store's current data version.

    Parameters
    ----------
    store : DataStore, optional
        The data folder; without one (or without a status file in its current version),
        statuses are as committed.
    path : str or pathlib.Path
        The committed plan (default :data:`ACTIONS_FILE`).

    Returns
    -------
    ActionPlan
    """
    plan = load_plan(path)
    statuses = version_statuses(store) if store is not None else {}
    if not statuses:
        return plan
    actions = [a.model_copy(update={"status": statuses.get(a.number, a.status)}) for a in plan.actions]
    return plan.model_copy(update={"actions": actions})


@dataclass
class StatusUpdatePlan:
    """A checked status update, ready to apply when it has no problems.

    Attributes
    ----------
    file_name : str
        The uploaded file's name.
    sha256 : str
        Its checksum (recorded in the manifest).
    changes : pandas.DataFrame
        ``number, theme, old_status, new_status`` for the actions whose status changes.
    statuses : dict
        Every action's status after the update, by number.
    problems : list of Problem
        Every problem found (file, row, column, message).
    """

    file_name: str
    sha256: str
    changes: pd.DataFrame
    statuses: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file passed validation."""
        return not self.problems

    def summary_lines(self) -> list[str]:
        """Plain-English lines describing the change."""
        if not self.ok:
            return [f"{len(self.problems)} problem(s); nothing would change."]
        lines = [f"{len(self.changes)} action status(es) would change."]
        lines += [f"{r.number}: {r.old_status} -> {r.new_status}" for r in self.changes.itertuples(index=False)]
        return lines


def _read_rows(path: Path, name: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [Problem(name, None, None, "file not found")]
    except UnicodeDecodeError as error:
        return [], [Problem(name, None, None, f"is not UTF-8 text ({error})")]
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        return [], [Problem(name, 1, None, "the file is empty; expected a header row 'number,status'")]
    header = [h.strip().casefold() for h in header]
    problems = [Problem(name, 1, c, f"column {c!r} is required") for c in STATUS_COLUMNS if c not in header]
    problems += [
        Problem(name, 1, h, f"unknown column {h!r}; expected {', '.join((*STATUS_COLUMNS, *OPTIONAL_COLUMNS))}")
        for h in header
        if h not in (*STATUS_COLUMNS, *OPTIONAL_COLUMNS)
    ]
    if problems:
        return [], problems
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(name, line, None, f"has {len(cells)} cells; the header has {len(header)}"))
            continue
        rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    if not rows and not problems:
        problems.append(Problem(name, None, None, "has a header but no rows"))
    return rows, problems


def plan_status_update(
    store: DataStore, csv_path: str | Path, *, display_name: str | None = None, plan: ActionPlan | None = None
) -> StatusUpdatePlan:
    """Check a CSV of action statuses and work out what it would change; writes nothing.

    Parameters
    ----------
    store : DataStore
        The data folder (its current version's statuses are the "before").
    csv_path : str or pathlib.Path
        A CSV with columns ``number`` and ``status`` (and optionally ``note``), one row per
        action to update, e.g. ``1.2.2,In progress``.
    display_name : str, optional
        The name to report (an upload's original name).
    plan : ActionPlan, optional
        The plan (default: :func:`load_actions` of ``store``).

    Returns
    -------
    StatusUpdatePlan
        ``problems`` names each bad row and column: an unknown action number, a status not
        in :data:`~cwb_metrics.actions.models.STATUSES`, an action listed twice.
    """
    path = Path(csv_path)
    name = display_name or path.name
    plan = plan if plan is not None else load_actions(store)
    before = {a.number: a.status for a in plan.actions}
    rows, problems = _read_rows(path, name)
    after = dict(before)
    notes: dict[str, str] = {}
    seen: dict[str, int] = {}
    for line, row in rows:
        number, status = row["number"], row["status"]
        if number not in before:
            problems.append(
                Problem(
                    name,
                    line,
                    "number",
                    f"{number or 'a blank'!r} is not an action number of the plan (e.g. {plan.actions[0].number})",
                )
            )
        elif number in seen:
            problems.append(Problem(name, line, "number", f"action {number} is listed twice (also row {seen[number]})"))
        seen.setdefault(number, line)
        try:
            status_category(status)
        except ValueError as error:
            problems.append(Problem(name, line, "status", str(error)))
            continue
        if number in before:
            after[number] = status
            if row.get("note"):
                notes[number] = row["note"]
    themes = {a.number: a.theme for a in plan.actions}
    changed = [(n, themes[n], before[n], after[n]) for n in before if after[n] != before[n]]
    changes = pd.DataFrame(changed, columns=["number", "theme", "old_status", "new_status"])
    sha = sha256_of(path) if path.is_file() else ""
    return StatusUpdatePlan(name, sha, changes, after, problems, notes)


def apply_status_update(store: DataStore, plan: StatusUpdatePlan, who: str | None = None) -> str:
    """Write a checked status update as a new data version; return its id.

    The version holds ``actions/status.csv`` (every action's status) and records the update
    in its manifest's ``imports`` (who, when, the file and its checksum, what changed).

    Raises
    ------
    DataValidationError
        When the plan has problems (nothing is written).
    DataLockedError
        When another refresh or import is writing.
    """
    if plan.problems:
        raise DataValidationError(plan.problems)
    store.version_dir()  # raises NoDataError with the command that builds the data
    note = f"action statuses from {plan.file_name} ({len(plan.changes)} changed)"
    with store.new_version("import", who=who, note=note) as writer:
        frame = pd.DataFrame({"number": list(plan.statuses), "status": list(plan.statuses.values())})
        target = writer.path(STATUS_FILE)
        frame.to_csv(target, index=False, lineterminator="\n")
        writer.record_output(STATUS_FILE, rows=len(frame), built_from=[f"import:{plan.file_name}"])
        writer.add_import(
            kind="action_status",
            file=plan.file_name,
            sha256=plan.sha256,
            rows=len(frame),
            changes=plan.changes.loc[:, ["number", "old_status", "new_status"]].to_dict("records"),
            notes=plan.notes,
            summary=plan.summary_lines()[0],
        )
        return writer.version_id
