"""Status of the data: which release of every source and indicator the app draws, and what is due.

Everything here only reads the data folder. The tables answer an analyst's questions:

- *sources*: which official file each source was read from (URL or mirror file), its
  SHA-256 and size, when it was read, when it was published, and whether a newer release
  is due (the publisher's ``next_release_due``, else the earliest next release of the
  indicators built from it);
- *indicators*: each indicator's latest period and row count, the data version in which its
  figures last changed, what it was built or imported from, and whether a release is due
  (the publication date of its newest source file plus ``release_frequency_months``);
- *history*: every data version (refresh, import, rollback) with who made it and what it
  changed, and every import with its file, SHA-256 and row count.

The tables use plain column names (``latest_period``, ``release_due`` ...); the app gives them
readable labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.errors import Problem
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.source import SourceFile
from cwb_metrics.periods import PeriodError, period_label, period_sort_key
from cwb_metrics.sources.registry import load_sources
from cwb_metrics.store import DataStore

#: The prefix a manifest gives to files brought in by an import (``import:<file name>``).
IMPORT_PREFIX = "import:"

SOURCE_COLUMNS = [
    "id",
    "title",
    "publisher",
    "date_published",
    "read_from",
    "from_mirror",
    "url",
    "landing_page",
    "sha256",
    "sha256_short",
    "bytes",
    "fetched_at",
    "used_by",
    "next_release",
    "release_due",
    "release",
    "status",
]
INDICATOR_COLUMNS = [
    "id",
    "title",
    "latest_period",
    "latest_label",
    "periods",
    "rows",
    "areas",
    "changed_in",
    "built_from",
    "imported_file",
    "imported_by",
    "imported_at",
    "published",
    "release_frequency_months",
    "next_release",
    "release_due",
    "release",
]
HISTORY_COLUMNS = ["version", "kind", "created", "who", "note", "based_on", "changed", "current"]
IMPORT_COLUMNS = ["version", "indicator", "file", "sha256", "format", "mode", "rows", "who", "time", "summary"]


# ----- release dates --------------------------------------------------------------------
def add_months(date: dt.date, months: int) -> dt.date:
    """Return ``date`` plus a number of calendar months (the day is clipped to the month's end).

    Examples
    --------
    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    total = date.month - 1 + months
    year, month = date.year + total // 12, total % 12 + 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last_day))


def next_release(
    date_published: dt.date | None, frequency_months: int | None = None, next_release_due: dt.date | None = None
) -> dt.date | None:
    """Return the date the next official release is expected, or ``None`` when unknown.

    The publisher's announced date (``next_release_due``) wins; otherwise the release is
    expected ``frequency_months`` after the current one was published.
    """
    if next_release_due is not None:
        return next_release_due
    if date_published is None or not frequency_months:
        return None
    return add_months(date_published, int(frequency_months))


def release_due(
    date_published: dt.date | None,
    frequency_months: int | None = None,
    next_release_due: dt.date | None = None,
    *,
    today: dt.date | None = None,
) -> bool:
    """Return True when a newer official release is due (its expected date is today or past).

    Parameters
    ----------
    date_published : datetime.date or None
        When the release the data was built from was published.
    frequency_months : int, optional
        How often the publisher releases it (``IndicatorMeta.release_frequency_months``).
    next_release_due : datetime.date, optional
        The publisher's announced date of the next release (``SourceFile.next_release_due``).
    today : datetime.date, optional
        The date to judge by (default: today).

    Returns
    -------
    bool
        False when the next release date is unknown.
    """
    expected = next_release(date_published, frequency_months, next_release_due)
    return expected is not None and expected <= (today or dt.date.today())


def release_text(expected: dt.date | None, due: bool) -> str:
    """Words for a table cell: ``due since 7 Nov 2024``, ``next 6 May 2027``, or empty when unknown.

    Sorted as text, every release that is due comes before those that are not.
    """
    if expected is None:
        return ""
    day = f"{expected.day} {expected:%b %Y}"
    return f"due since {day}" if due else f"next {day}"


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def short_sha(sha256: str | None, length: int = 12) -> str:
    """The first characters of a SHA-256 (enough to tell files apart in a table)."""
    return (sha256 or "")[:length]


# ----- what each source feeds -----------------------------------------------------------
def sources_named(meta: IndicatorMeta, sources: Mapping[str, SourceFile]) -> list[str]:
    """The registry sources a record names: its ``extract.source`` and any named in ``extract.params``."""
    named = [meta.extract.source]
    for value in meta.extract.params.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                named.append(item)
    return [s for s in dict.fromkeys(named) if s in sources]


def expected_release(
    meta: IndicatorMeta, sources: Mapping[str, SourceFile], read: Mapping[str, Mapping[str, object]] | None = None
) -> tuple[dt.date | None, dt.date | None]:
    """When an indicator's current release was published, and when the next one is expected.

    The current release is the latest publication date among the official files the record
    names (as read into the data version, else as listed in the registry), or the record's
    own ``origin.date_published`` for a local indicator. The next release is the earliest
    date a publisher has announced for one of those files, else the current release plus the
    indicator's release frequency.

    Returns
    -------
    tuple
        ``(published, next_release)``; either may be ``None`` when unknown.
    """
    read = read or {}
    named = sources_named(meta, sources)
    dates = [_date(read.get(s, {}).get("date_published")) or sources[s].date_published for s in named]
    published = max((d for d in dates if d), default=None) or (None if named else meta.origin.date_published)
    announced = [due for s in named if (due := sources[s].next_release_due) is not None]
    return published, next_release(published, meta.release_frequency_months, min(announced) if announced else None)


def _next_release_by_source(
    catalogue: Mapping[str, IndicatorMeta],
    sources: Mapping[str, SourceFile],
    read: Mapping[str, Mapping[str, object]],
) -> tuple[dict[str, dt.date], dict[str, int]]:
    """Per source: the earliest next release of the indicators built from it, and how many there are.

    An older edition kept for the trend (fuel poverty 2020 beside 2023) is due when its
    series is: the indicator's next release counts from its newest edition.
    """
    expected: dict[str, dt.date] = {}
    used_by: dict[str, int] = {}
    for meta in catalogue.values():
        _published, date = expected_release(meta, sources, read)
        for source_id in sources_named(meta, sources):
            used_by[source_id] = used_by.get(source_id, 0) + 1
            if date is not None:
                expected[source_id] = min(date, expected.get(source_id, date))
    return expected, used_by


# ----- the tables -----------------------------------------------------------------------
def source_status(
    store: DataStore,
    version: str | None = None,
    *,
    sources: Mapping[str, SourceFile] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Every source file of a data version: where it was read from, its checksum, and what is due.

    Parameters
    ----------
    store : DataStore
        A data folder with built data.
    version : str, optional
        The data version (default: the current one).
    sources, catalogue : mapping, optional
        The source registry and indicator catalogue (default: the committed ones, with the
        version's own records).
    today : datetime.date, optional
        The date to judge "due" by.

    Returns
    -------
    pandas.DataFrame
        One row per source (columns :data:`SOURCE_COLUMNS`): those the version was built
        from, then registry sources it was not built from (``status`` says why).
    """
    manifest = store.manifest(version)
    sources = dict(sources if sources is not None else load_sources())
    catalogue = catalogue if catalogue is not None else catalogue_for(store, version)
    read: Mapping[str, Mapping[str, object]] = manifest.get("sources", {})
    by_source, used_by = _next_release_by_source(catalogue, sources, read)
    skipped: Mapping[str, str] = manifest.get("skipped_sources", {})
    rows = []
    for source_id in [*read, *(s for s in sources if s not in read)]:
        entry = read.get(source_id, {})
        registry = sources.get(source_id)
        published = _date(entry.get("date_published")) or (registry.date_published if registry else None)
        announced = registry.next_release_due if registry else None
        # a metadata file beside a data file (``els/x.meta`` beside ``els/x``) is released with it
        expected = announced or by_source.get(source_id) or by_source.get(source_id.removesuffix(".meta"))
        due = expected is not None and expected <= (today or dt.date.today())
        read_from = str(entry.get("read_from") or "")
        if entry:
            status = "read"
        elif source_id in skipped:
            status = f"skipped: {skipped[source_id]}"
        else:
            status = "not in this data version (added to the source list since; refresh to read it)"
        rows.append(
            {
                "id": source_id,
                "title": str(entry.get("title") or (registry.title if registry else "")),
                "publisher": str(entry.get("publisher") or (registry.publisher if registry else "")),
                "date_published": published,
                "read_from": read_from,
                "from_mirror": bool(read_from) and not read_from.startswith(("http://", "https://")),
                "url": str(entry.get("url") or (registry.url if registry else "")),
                "landing_page": str(registry.landing_page) if registry else "",
                "sha256": str(entry.get("sha256") or ""),
                "sha256_short": short_sha(str(entry.get("sha256") or "")),
                "bytes": entry.get("bytes"),
                "fetched_at": str(entry.get("fetched_at") or ""),
                "used_by": used_by.get(source_id, 0),
                "next_release": expected,
                "release_due": due,
                "release": release_text(expected, due),
                "status": status,
            }
        )
    frame = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
    frame["bytes"] = frame["bytes"].astype("Int64")
    return frame


def latest_period_of(periods: Iterable[str]) -> str | None:
    """The most recent of a set of ONS periods (unparsable ones are ignored)."""
    best: tuple[tuple[dt.date, int], str] | None = None
    for text in {str(p) for p in periods if str(p)}:
        try:
            key = period_sort_key(text)
        except PeriodError:
            continue
        if best is None or key > best[0]:
            best = (key, text)
    return best[1] if best else None


def _changes_by_version(history: list[dict]) -> dict[str, dict[str, str]]:
    """For every version: each output file's SHA-256 (to compare a version with its parent)."""
    return {
        entry["version"]: {name: str(out.get("sha256")) for name, out in entry.get("outputs", {}).items()}
        for entry in history
    }


def indicator_status(
    store: DataStore,
    version: str | None = None,
    *,
    sources: Mapping[str, SourceFile] | None = None,
    catalogue: Mapping[str, IndicatorMeta] | None = None,
    today: dt.date | None = None,
) -> pd.DataFrame:
    """Every indicator of a data version: latest period, rows, provenance, and whether a release is due.

    Parameters
    ----------
    store : DataStore
        A data folder with built data.
    version : str, optional
        The data version (default: the current one).
    sources, catalogue : mapping, optional
        The source registry and indicator catalogue (default: the committed ones, with the
        version's own records).
    today : datetime.date, optional
        The date to judge "due" by.

    Returns
    -------
    pandas.DataFrame
        One row per indicator of the catalogue and per CSV in the version (columns
        :data:`INDICATOR_COLUMNS`). ``changed_in`` is the version in which the indicator's
        figures last changed; ``published`` the latest publication date of the official
        files it was built from (or its record's, for a local indicator). A release is due
        when ``next_release`` has come, unless the indicator was imported since then.
    """
    version = version or store.current_version()
    manifest = store.manifest(version)
    sources = dict(sources if sources is not None else load_sources())
    catalogue = dict(catalogue if catalogue is not None else catalogue_for(store, version))
    outputs: Mapping[str, Mapping[str, object]] = manifest.get("outputs", {})
    read: Mapping[str, Mapping[str, object]] = manifest.get("sources", {})
    imports = {entry["indicator"]: entry for entry in manifest.get("imports", [])}  # the latest per indicator
    history = store.history()
    ids = list(dict.fromkeys([*catalogue, *store.indicator_ids(version)]))
    today = today or dt.date.today()
    rows = []
    for indicator_id in ids:
        meta = catalogue.get(indicator_id)
        relative = f"indicators/{indicator_id}.csv"
        output = outputs.get(relative, {})
        data = store.read_indicator(indicator_id, version)
        periods = data["period"].astype(str).tolist()
        latest = latest_period_of(periods)
        listed = output.get("built_from", [])
        built_from = [str(b) for b in listed] if isinstance(listed, list) else []
        published, expected = expected_release(meta, sources, read) if meta else (None, None)
        frequency = meta.release_frequency_months if meta else None
        imported = imports.get(indicator_id) if any(b.startswith(IMPORT_PREFIX) for b in built_from) else None
        imported_at = _date(imported.get("time")) if imported else None
        due = expected is not None and expected <= today and not (imported_at and imported_at >= expected)
        rows.append(
            {
                "id": indicator_id,
                "title": meta.title if meta else indicator_id,
                "latest_period": latest,
                "latest_label": period_label(latest) if latest else "",
                "periods": len(set(periods)),
                "rows": len(data),
                "areas": int(data["areacd"].nunique()),
                "changed_in": _changed_in_from(history, relative, version) if output else None,
                "built_from": ", ".join(built_from),
                "imported_file": str(imported["file"]) if imported else "",
                "imported_by": str(imported["who"]) if imported else "",
                "imported_at": str(imported["time"]) if imported else "",
                "published": published,
                "release_frequency_months": frequency,
                "next_release": expected,
                "release_due": due,
                "release": release_text(expected, due),
            }
        )
    frame = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for column in ("release_frequency_months",):
        frame[column] = frame[column].astype("Int64")
    return frame


def _changed_in_from(history: list[dict], relative: str, version: str | None) -> str | None:
    changed, previous = None, None
    for entry in history:
        sha = entry.get("outputs", {}).get(relative, {}).get("sha256")
        if sha != previous:
            changed, previous = entry["version"], sha
        if entry["version"] == version:
            break
    return changed if previous is not None else None


def version_history(store: DataStore) -> pd.DataFrame:
    """Every data version, newest first: kind, when, who, note, what it restored and what it changed.

    ``based_on`` is the version a rollback copied (empty for other kinds); ``changed`` lists
    the indicators whose CSV differs from the parent version (or counts the files, for a
    refresh that rebuilt many).
    """
    history = store.history()
    files = _changes_by_version(history)
    rows = []
    for entry in history:
        mine = files[entry["version"]]
        parent = files.get(entry.get("parent") or "", {})
        changed = sorted(name for name, sha in mine.items() if parent.get(name) != sha)
        changed += sorted(name for name in parent if name not in mine)
        indicators = [name.removeprefix("indicators/").removesuffix(".csv") for name in changed if
                      name.startswith("indicators/")]  # fmt: skip
        if not parent:
            text = f"first build: {len(mine)} files"
        elif not changed:
            text = "no change"
        elif len(indicators) <= 3 and len(changed) == len(indicators):
            text = ", ".join(indicators)
        else:
            text = f"{len(changed)} files ({len(indicators)} indicators)"
        rows.append(
            {
                "version": entry["version"],
                "kind": entry.get("kind", ""),
                "created": entry.get("created", ""),
                "who": entry.get("who", ""),
                "note": entry.get("note", ""),
                "based_on": (entry.get("based_on") or "") if entry.get("kind") == "rollback" else "",
                "changed": text,
                "current": bool(entry.get("current")),
            }
        )
    return pd.DataFrame(rows[::-1], columns=HISTORY_COLUMNS)


def import_history(store: DataStore) -> pd.DataFrame:
    """Every import, newest first: the version it made, the file, its SHA-256, rows and who."""
    rows = []
    for entry in store.history():
        for record in entry.get("imports", []):
            if record.get("version") == entry["version"]:
                rows.append({column: record.get(column, "") for column in IMPORT_COLUMNS})
    return pd.DataFrame(rows[::-1], columns=IMPORT_COLUMNS)


def version_label(store: DataStore, version: str | None = None) -> str:
    """One line naming the data version the pages draw, e.g. ``v0003 (import by Ann, 2026-11-22 09:14 UTC)``.

    Returns ``"no data yet"`` when nothing has been built.
    """
    version = version or store.current_version()
    if version is None:
        return "no data yet"
    manifest = store.manifest(version)
    created = str(manifest.get("created", ""))
    when = created[:16].replace("T", " ") + " UTC" if created else "unknown time"
    what = str(manifest.get("kind", "version"))
    if what == "rollback" and manifest.get("based_on"):
        what = f"rollback to {str(manifest['based_on']).split('-')[0]}"
    who = manifest.get("who")
    return f"{version.split('-')[0]} ({what}{' by ' + str(who) if who else ''}, {when})"


# ----- import previews ------------------------------------------------------------------
#: Command-line wording in library messages, and what the app calls the same thing.
_CLI_WORDS = {"--indicator ID": "the Indicator box", "--indicator": "the Indicator box"}


def problems_table(problems: Iterable[Problem], *, app: bool = False) -> pd.DataFrame:
    """The problems of a file as a table: file, row, column, message (one row per problem).

    ``app=True`` replaces command-line wording (``--indicator``) with what the app calls it.
    """
    rows = []
    for item in problems:
        message = item.message
        if app:
            for cli, words in _CLI_WORDS.items():
                message = message.replace(cli, words)
        rows.append({"file": item.file, "row": item.row, "column": item.column or "", "message": message})
    frame = pd.DataFrame(rows, columns=["file", "row", "column", "message"])
    frame["row"] = frame["row"].astype("Int64")
    return frame


def revised_table(revised: pd.DataFrame) -> pd.DataFrame:
    """Revised values of an import preview, with the change: area, code, period, old, new, change."""
    frame = pd.DataFrame(
        {
            "areanm": revised.get("areanm", pd.Series(dtype=str)),
            "areacd": revised.get("areacd", pd.Series(dtype=str)),
            "period": revised.get("period", pd.Series(dtype=str)),
            "old": pd.to_numeric(revised.get("old", pd.Series(dtype=float))),
            "new": pd.to_numeric(revised.get("new", pd.Series(dtype=float))),
        }
    )
    frame["change"] = frame["new"] - frame["old"]
    return frame.reset_index(drop=True)
