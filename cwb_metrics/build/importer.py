"""Import an indicator CSV: validate, preview the change, then write a new version atomically.

Accepted files:

- the canonical tidy format (``areacd, areanm, geography, indicator, period, value, unit,
  lci_95, uci_95, status, notes``) for any catalogue indicator, or for a new local indicator
  whose metadata record comes with it;
- a publisher's own format where an adapter exists: a new ONS Explore Local Statistics
  release is run through the same builder as the refresh (``extract.method`` ``els``).

Nothing changes until :func:`apply_import`; :func:`plan_import` only reads.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cwb_metrics.build.local_meta import catalogue_for, meta_path, meta_to_yaml
from cwb_metrics.errors import CwbError, DataValidationError, Problem, problem
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.validate import parse_canonical_file, parse_frame, read_canonical_text
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.periods import PeriodError, canonical_period
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import FetchedFile
from cwb_metrics.sources.registry import load_sources
from cwb_metrics.store import DataStore, sha256_of

KEY = ["areacd", "period_key"]


def _with_key(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``period_key``: the canonical period, so ``2023`` and ``2023-01-01/P1Y`` are one period."""

    def key(text: object) -> str:
        try:
            return canonical_period(str(text))
        except PeriodError:
            return str(text)

    frame = frame.loc[:, list(CANONICAL_COLUMNS)].copy()
    frame["period"] = frame["period"].astype(str)
    frame["areacd"] = frame["areacd"].astype(str)
    frame["period_key"] = pd.Series([key(p) for p in frame["period"]], index=frame.index, dtype=object)
    return frame


def _shown_value(value: object, status: object = "") -> str:
    """A value for the preview: the number, or 'missing' with its status; never 'nan'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"missing (status {status!r})" if isinstance(status, str) and status else "missing"
    return f"{value:g}" if isinstance(value, float | int) else str(value)


@dataclass
class ImportDiff:
    """What an import would change in one indicator's data."""

    new_periods: list[str] = field(default_factory=list)
    new_areas: list[str] = field(default_factory=list)
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)  # areacd, areanm, period, old, new
    removed: pd.DataFrame = field(default_factory=pd.DataFrame)  # rows that would disappear
    added_rows: int = 0
    unchanged_rows: int = 0

    @property
    def changes_anything(self) -> bool:
        """True when the import would change the data."""
        return bool(self.added_rows or len(self.revised) or len(self.removed))

    def summary_lines(self) -> list[str]:
        """Plain-English lines describing the change (the ``--dry-run`` output)."""
        lines = [
            f"{self.added_rows} new row(s), {len(self.revised)} revised, {len(self.removed)} would disappear, "
            f"{self.unchanged_rows} unchanged."
        ]
        if self.new_periods:
            lines.append(f"New periods: {', '.join(self.new_periods)}")
        if self.new_areas:
            lines.append(f"New areas: {', '.join(self.new_areas)}")
        for row in self.revised.head(20).itertuples(index=False):
            old = _shown_value(row.old, getattr(row, "old_status", ""))
            new = _shown_value(row.new, getattr(row, "new_status", ""))
            lines.append(f"Revised {row.areanm} ({row.areacd}) {row.period}: {old} -> {new}")
        if len(self.revised) > 20:
            lines.append(f"... and {len(self.revised) - 20} more revisions")
        for row in self.removed.head(20).itertuples(index=False):
            lines.append(f"Would disappear: {row.areanm} ({row.areacd}) {row.period} = {_shown_value(row.value)}")
        if len(self.removed) > 20:
            lines.append(f"... and {len(self.removed) - 20} more rows would disappear")
        return lines

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "new_periods": self.new_periods,
            "new_areas": self.new_areas,
            "revised": self.revised.to_dict("records"),
            "removed": self.removed.to_dict("records"),
            "added_rows": self.added_rows,
            "unchanged_rows": self.unchanged_rows,
        }


@dataclass
class ImportPlan:
    """A checked import, ready to apply (when it has no problems)."""

    indicator_id: str | None
    file_name: str
    sha256: str
    file_format: str  # "canonical" or "els"
    rows: pd.DataFrame
    problems: list[Problem]
    diff: ImportDiff
    new_meta: IndicatorMeta | None = None
    mode: str = "replace"
    based_on: str | None = None  # the data version the preview was computed against

    @property
    def ok(self) -> bool:
        """True when the file passed validation."""
        return not self.problems


def _detect_format(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    columns = {c.strip().strip('"').lstrip("\ufeff") for c in header.split(",")}
    if "observation" in columns:
        return "els"
    return "canonical"


def diff_rows(old: pd.DataFrame, new: pd.DataFrame, *, mode: str = "replace") -> ImportDiff:
    """Compare an indicator's current rows with the rows an import would leave.

    Parameters
    ----------
    old, new : pandas.DataFrame
        Canonical rows before and after.
    mode : {"replace", "merge"}
        ``replace``: rows absent from ``new`` disappear; ``merge``: they stay.
    """
    old, new = _with_key(old), _with_key(new)
    both = old.merge(new, on=KEY, how="outer", suffixes=("_old", "_new"), indicator=True)
    in_both = both[both["_merge"] == "both"]
    differs = ~((in_both["value_old"] - in_both["value_new"]).abs().fillna(0) < 1e-9) | (
        in_both["value_old"].isna() != in_both["value_new"].isna()
    )
    revised = in_both[differs]
    revised = pd.DataFrame(
        {
            "areacd": revised["areacd"],
            "areanm": revised["areanm_new"],
            "period": revised["period_new"],
            "old": revised["value_old"],
            "new": revised["value_new"],
            "old_status": revised["status_old"],
            "new_status": revised["status_new"],
        }
    )
    only_old = both[both["_merge"] == "left_only"]
    columns = ["areacd", "areanm", "period", "value"]
    removed = old.merge(only_old[KEY], on=KEY)[columns] if mode == "replace" else old.iloc[0:0][columns]
    added = both[both["_merge"] == "right_only"]
    new_keys = set(new["period_key"]) - set(old["period_key"])
    return ImportDiff(
        new_periods=sorted({p for p, k in zip(new["period"], new["period_key"], strict=True) if k in new_keys}),
        new_areas=sorted(set(new["areacd"]) - set(old["areacd"])),
        revised=revised.reset_index(drop=True),
        removed=removed.reset_index(drop=True),
        added_rows=len(added),
        unchanged_rows=len(in_both) - len(revised),
    )


def plan_import(
    store: DataStore,
    file: Path,
    areas: AreaConfig,
    *,
    indicator_id: str | None = None,
    new_meta: IndicatorMeta | None = None,
    known_areas: set[str] | None = None,
    display_name: str | None = None,
    mode: str = "replace",
) -> ImportPlan:
    """Validate a file and work out what importing it would change; writes nothing.

    Parameters
    ----------
    store : DataStore
        The data folder (must hold built data).
    file : pathlib.Path
        The file to import.
    areas : AreaConfig
        The configured areas (for publisher-format files).
    indicator_id : str, optional
        The indicator the file is for; inferred from a canonical file's rows when omitted.
    new_meta : IndicatorMeta, optional
        The metadata record of a new local indicator.
    known_areas : set of str, optional
        Area codes the project knows.
    display_name : str, optional
        The name to report (an upload's original name).
    mode : {"replace", "merge"}
        Replace the indicator's rows with the file's, or add/revise rows and keep the rest.

    Returns
    -------
    ImportPlan
        ``plan.problems`` lists every problem; apply only when it is empty.
    """
    name = display_name or Path(file).name
    catalogue = catalogue_for(store)
    if new_meta is not None:
        if new_meta.id in catalogue and indicator_id not in (None, new_meta.id):
            raise CwbError(f"metadata record is for {new_meta.id!r}, not {indicator_id!r}")
        indicator_id = new_meta.id
        catalogue = {**catalogue, new_meta.id: new_meta}
    text, problems = read_canonical_text(Path(file))
    sha = sha256_of(Path(file)) if Path(file).is_file() else ""
    empty = pd.DataFrame(columns=list(CANONICAL_COLUMNS))
    if text is None:
        problems = [Problem(name, p.row, p.column, p.message) for p in problems]
        return ImportPlan(indicator_id, name, sha, "unknown", empty, problems, ImportDiff(), new_meta, mode)
    file_format = _detect_format(text)
    if indicator_id is not None and indicator_id not in catalogue:
        hint = " Supply its metadata record (YAML) to add a new local indicator." if new_meta is None else ""
        raise CwbError(f"unknown indicator {indicator_id!r}.{hint}")
    if file_format == "els":
        rows, problems = _rows_from_els(file, name, catalogue, indicator_id, areas)
    else:
        # The rows imported are the rows checked: every cell parsed once, strictly, by IndicatorRow.
        rows, problems = parse_canonical_file(
            Path(file), known_areas=known_areas, catalogue=catalogue, expected_indicator=indicator_id
        )
        problems = [Problem(name, p.row, p.column, p.message) for p in problems]
        if not problems:
            ids = sorted(set(rows["indicator"]))
            if indicator_id is None and len(ids) != 1:
                problems.append(
                    problem(
                        name,
                        f"rows are for {len(ids)} indicators ({', '.join(ids)}); import one "
                        "indicator at a time or name it with --indicator",
                        column="indicator",
                    )
                )
            indicator_id = indicator_id or (ids[0] if ids else None)
    if problems or indicator_id is None:
        return ImportPlan(indicator_id, name, sha, file_format, empty, problems, ImportDiff(), new_meta, mode)
    based_on = store.current_version()
    current = store.read_indicator(indicator_id, based_on)
    final = rows if mode == "replace" else _merged(current, rows)
    return ImportPlan(
        indicator_id,
        name,
        sha,
        file_format,
        final,
        problems,
        diff_rows(current, rows if mode == "replace" else final, mode=mode),
        new_meta,
        mode,
        based_on,
    )


def _merged(current: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Current rows the import does not revise, then the imported rows.

    Periods are compared, and written, in their canonical form, so the indicator's file
    spells each period one way for every area (the portrait matches comparators by period).
    """
    keep = _with_key(current).merge(_with_key(rows)[KEY], on=KEY, how="left", indicator=True)
    keep = keep[keep["_merge"] == "left_only"].drop(columns=["_merge"])
    keep = keep.assign(period=keep["period_key"]).drop(columns=["period_key"])
    return pd.concat([keep.loc[:, list(CANONICAL_COLUMNS)], rows], ignore_index=True)


def _rows_from_els(
    file: Path, name: str, catalogue: dict[str, IndicatorMeta], indicator_id: str | None, areas: AreaConfig
) -> tuple[pd.DataFrame, list[Problem]]:
    empty = pd.DataFrame(columns=list(CANONICAL_COLUMNS))
    if indicator_id is None:
        return empty, [
            problem(
                name, "this is an ONS Explore Local Statistics file: name the indicator it updates (--indicator ID)"
            )
        ]
    meta = catalogue[indicator_id]
    if meta.extract.method != "els":
        return empty, [
            problem(
                name,
                f"indicator {indicator_id!r} is not built from an Explore Local Statistics "
                "file; import it in the canonical format",
            )
        ]
    source = load_sources()[meta.extract.source]
    fetched = FetchedFile(
        source,
        Path(file),
        name,
        sha256_of(Path(file)),
        Path(file).stat().st_size,
        dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    context = BuildContext(files={source.id: fetched}, areas=areas)
    try:
        built = get_builder("els")(context, meta)
    except DataValidationError as error:
        return empty, [Problem(name, p.row, p.column, p.message) for p in error.problems]
    # The adapter's rows pass the same row schema as a canonical file's before they are stored.
    rows, problems = parse_frame(built, name, expected_indicator=indicator_id)
    return rows, problems


def apply_import(store: DataStore, plan: ImportPlan, *, who: str | None = None) -> str:
    """Write a checked import as a new data version; return its id.

    Raises
    ------
    DataValidationError
        When the plan has problems (nothing is written).
    DataLockedError
        When another refresh or import is writing: wait and try again.
    """
    if plan.problems:
        raise DataValidationError(plan.problems)
    if plan.indicator_id is None:
        raise CwbError("nothing to import")
    note = f"import {plan.file_name} into {plan.indicator_id} ({plan.mode})"
    with store.new_version("import", who=who, note=note, expected_parent=plan.based_on) as writer:
        writer.write_indicator(plan.indicator_id, plan.rows, [f"import:{plan.file_name}"])
        if plan.new_meta is not None:
            relative = meta_path(plan.new_meta.id)
            writer.path(relative).write_text(meta_to_yaml(plan.new_meta), encoding="utf-8")
            writer.record_output(relative, rows=None, built_from=[f"import:{plan.file_name}"])
        writer.add_import(
            indicator=plan.indicator_id,
            file=plan.file_name,
            sha256=plan.sha256,
            format=plan.file_format,
            mode=plan.mode,
            rows=len(plan.rows),
            summary=plan.diff.summary_lines()[0],
        )
        return writer.version_id


def rollback(store: DataStore, version: str, *, who: str | None = None) -> str:
    """Make a new version identical to an earlier one; return the new version's id.

    History is kept: the rollback is itself a version, so it can be undone the same way.
    """
    target = store.resolve_version(version)
    with store.new_version("rollback", who=who, note=f"rollback to {target}", base=target) as writer:
        return writer.version_id
