"""Refresh: fetch every official source, build the indicators and tables, swap them in atomically.

Nothing in the data folder changes until the whole build has succeeded: the new data is
written as a new version (see :mod:`cwb_metrics.store`) and only then made current.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cwb_metrics.build.local_meta import META_FOLDER, version_meta
from cwb_metrics.deprivation.change import build_lsoa_change_lookup
from cwb_metrics.deprivation.elections import build_election_tables
from cwb_metrics.deprivation.lsoa_indicators import build_lsoa_indicators
from cwb_metrics.deprivation.tables import build_lsoa_tables
from cwb_metrics.errors import CwbError, DamagedVersionError, DataValidationError, Problem, SourceUnavailableError
from cwb_metrics.geo.tables import build_geometry
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import parse_frame
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.source import SourceFile
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.fetch import FetchedFile, ProgressCallback, fetch
from cwb_metrics.sources.registry import load_sources
from cwb_metrics.store import DataStore, VersionWriter

#: Table producers: (context) -> list of Output; run after the indicators.
TableProducer = Callable[[BuildContext], list[Output]]


def default_table_producers() -> list[TableProducer]:
    """Return the producers of LSOA tables and map geometry."""
    return [build_lsoa_tables, build_geometry, build_lsoa_indicators, build_lsoa_change_lookup, build_election_tables]


@dataclass
class RefreshResult:
    """What a refresh did, for the command line, the app and the bench."""

    version: str
    indicators: dict[str, int] = field(default_factory=dict)  # id -> rows
    tables: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # id -> reason
    sources: dict[str, FetchedFile] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def _write_output(writer: VersionWriter, output: Output) -> None:
    if isinstance(output.payload, pd.DataFrame):
        if output.relative.endswith(".csv"):
            writer.path(output.relative)
            output.payload.to_csv(writer.folder / output.relative, index=False, lineterminator="\n")
            writer.record_output(output.relative, rows=len(output.payload), built_from=list(output.built_from))
        else:
            writer.write_table(output.relative, output.payload, list(output.built_from))
    else:
        writer.write_json(output.relative, output.payload, list(output.built_from))


def _carry_forward_local(
    store: DataStore, writer: VersionWriter, catalogue: dict[str, IndicatorMeta], result: RefreshResult
) -> None:
    """Keep the council's own indicators and saved thresholds: no official source rebuilds them."""
    previous = store.current_version()
    if previous is None:
        return
    for indicator_id in version_meta(store, previous):
        relative = f"{META_FOLDER}/{indicator_id}.yaml"
        files = [relative] if indicator_id in catalogue else [relative, f"indicators/{indicator_id}.csv"]
        for name in files:
            source = store.version_dir(previous) / name
            if source.exists():
                target = writer.path(name)
                target.write_bytes(source.read_bytes())
                writer.record_output(name, rows=None, built_from=[f"carried forward from {previous}"])
        if indicator_id not in catalogue:
            result.indicators[indicator_id] = len(store.read_indicator(indicator_id, previous))


@contextlib.contextmanager
def _unreadable(context: BuildContext, source_ids: list[str], what: str) -> Iterator[None]:
    """Turn an adapter's unexpected error (a file in a form no check foresaw) into one naming the files.

    The adapters check what they read and raise :class:`CwbError`; anything else a builder
    raises means a source file is not in the form expected (or a bug). Either way the
    refresh stops and the data in use stays as it was; the message names the files read.
    """
    try:
        yield
    except (CwbError, MemoryError):
        raise
    except Exception as error:
        files = [context.files[s].path.name for s in source_ids if s in context.files]
        shown = ", ".join(files[:6]) + (f" and {len(files) - 6} more" if len(files) > 6 else "") or "its sources"
        problems = [
            Problem(
                shown,
                None,
                None,
                f"could not be read to build {what} ({type(error).__name__}: {str(error)[:300]}). Check that each "
                "file is the one its publisher offers (download it again); if it is, report this message as a bug. "
                "Nothing was changed: the data in use is as it was",
            )
        ]
        raise DataValidationError(problems) from error


def _current_or_damage(store: DataStore) -> tuple[str | None, DamagedVersionError | None]:
    """The version a refresh starts from; a damaged one only when no intact version is left.

    With an intact version to roll back to, the damage is raised: rolling back first keeps
    the council's own indicators, which a refresh carries forward. Without one, the refresh
    rebuilds the data from the official sources (the damage message says so).
    """
    try:
        current = store.current_version()
        if current is not None:
            store.verify(current)
        return current, None
    except DamagedVersionError as error:
        if error.good_versions:
            raise
        return error.version, error


def refresh(
    store: DataStore,
    areas: AreaConfig,
    *,
    mirror: Path | None = None,
    catalogue: dict[str, IndicatorMeta] | None = None,
    sources: dict[str, SourceFile] | None = None,
    producers: list[TableProducer] | None = None,
    progress: ProgressCallback | None = None,
    on_step: Callable[[str], None] | None = None,
    who: str | None = None,
) -> RefreshResult:
    """Fetch the sources, build every indicator and table, and make them the current data.

    Parameters
    ----------
    store : DataStore
        The data folder to write into.
    areas : AreaConfig
        The county and districts to build for.
    mirror : pathlib.Path, optional
        Read source files from this folder instead of downloading them.
    catalogue, sources : dict, optional
        Override the committed catalogue or source list (tests).
    producers : list, optional
        Table producers (default: LSOA tables and map geometry).
    progress : callable, optional
        Called with (source id, bytes done, bytes total) while fetching.
    on_step : callable, optional
        Called with a short description of each step (the app's status line).
    who : str, optional
        Recorded as the author of the new version.

    Returns
    -------
    RefreshResult

    Raises
    ------
    CwbError
        On any failure; the previous data version stays current and intact.
    """
    step = on_step or (lambda _text: None)
    catalogue = catalogue if catalogue is not None else load_catalogue()
    sources = sources if sources is not None else load_sources()
    producers = producers if producers is not None else default_table_producers()
    timings: dict[str, float] = {}

    started = time.perf_counter()
    # An import made while the sources are fetched must not be silently replaced: the write
    # below is refused if the current version is no longer the one this refresh started from.
    started_from, damaged = _current_or_damage(store)
    fetched: dict[str, FetchedFile] = {}
    skipped_sources: dict[str, str] = {}
    for source in sources.values():
        step(f"Fetching {source.id}")
        try:
            fetched[source.id] = fetch(source, mirror=mirror, downloads_dir=store.downloads_dir, progress=progress)
        except SourceUnavailableError as error:
            if not source.optional:
                raise
            skipped_sources[source.id] = str(error)
    timings["fetch"] = time.perf_counter() - started

    context = BuildContext(files=fetched, areas=areas)
    result = RefreshResult(version="", sources=fetched)
    note = f"refresh from {'mirror ' + str(mirror) if mirror else 'official URLs'}"
    with store.new_version("refresh", who=who, note=note, inherit=False, expected_parent=started_from) as writer:
        writer.manifest.sources = {sid: f.manifest_entry() for sid, f in fetched.items()}  # type: ignore[misc]
        writer.manifest.skipped_sources = skipped_sources
        started = time.perf_counter()
        for meta in catalogue.values():
            if meta.extract.source in skipped_sources:
                result.skipped[meta.id] = f"source {meta.extract.source} unavailable"
                continue
            step(f"Building {meta.id}")
            try:
                build = get_builder(meta.extract.method)
            except KeyError as error:
                raise CwbError(f"indicator {meta.id}: no builder named {meta.extract.method!r} ({error})") from None
            named = [
                v for value in meta.extract.params.values() for v in (value if isinstance(value, list) else [value])
            ]
            built_from = [meta.extract.source, *[v for v in named if isinstance(v, str) and v in sources]]
            with _unreadable(context, built_from, f"indicator {meta.id}"):
                frame = build(context, meta)
            # The rows written are the rows checked, as an import writes them: text stripped and
            # periods in canonical form, so an import and a refresh spell each period one way.
            frame, problems = parse_frame(
                frame, f"{meta.id} (built from {meta.extract.source})", expected_indicator=meta.id
            )
            if problems:
                raise DataValidationError(problems)
            writer.write_indicator(meta.id, frame, built_from)
            result.indicators[meta.id] = len(frame)
        timings["indicators"] = time.perf_counter() - started
        for producer in producers:
            started = time.perf_counter()
            step(f"Building {producer.__name__}")
            with _unreadable(context, list(context.files), f"the tables of {producer.__name__}"):
                outputs = producer(context)
            for output in outputs:
                _write_output(writer, output)
                result.tables.append(output.relative)
            timings[producer.__name__] = time.perf_counter() - started
        if damaged is None:
            _carry_forward_local(store, writer, catalogue, result)
        else:
            lost = f"{damaged.file} {damaged.problem}"
            writer.manifest.note += f"; nothing carried forward from the damaged data ({lost})"
        writer.manifest.skipped_indicators = result.skipped
        writer.manifest.catalogue = {m.id: m.extract.source for m in catalogue.values()}
        result.version = writer.version_id
    result.seconds = timings
    return result
