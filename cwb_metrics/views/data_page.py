"""The Data page: status of every source and indicator, history, uploads checked before they are read."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cwb_metrics.build.status import import_history, indicator_status, source_status, version_history
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.store import DataStore
from cwb_metrics.views.common import Choices

#: The largest indicator CSV the import reads (the largest official one here is about 1 MB).
CSV_UPLOAD_LIMIT = 20_000_000
#: The largest metadata record (YAML) read: a record is a few kB.
META_UPLOAD_LIMIT = 200_000


@dataclass(frozen=True)
class StatusTables:
    """The status tables of a data version: source files, and indicators (with "release due")."""

    sources: pd.DataFrame
    indicators: pd.DataFrame

    @property
    def due(self) -> int:
        """Indicators with a newer official release due."""
        return int(self.indicators["release_due"].sum())

    @property
    def read(self) -> pd.DataFrame:
        """The source files read for this version."""
        return self.sources[self.sources["status"] == "read"]


def status_tables(
    store: DataStore, version: str, catalogue: Mapping[str, IndicatorMeta], today: dt.date
) -> StatusTables:
    """The status of every source file and indicator of ``version``, judged "due" as of ``today``."""
    return StatusTables(
        source_status(store, version, catalogue=dict(catalogue), today=today),
        indicator_status(store, version, catalogue=dict(catalogue), today=today),
    )


@dataclass(frozen=True)
class History:
    """Every data version and every import, newest first; ``damaged``: versions a rollback cannot restore."""

    versions: pd.DataFrame
    imports: pd.DataFrame
    damaged: frozenset[str] = frozenset()

    def rollback_choices(self) -> Choices:
        """The sound versions that are not current, as the rollback picker offers them."""
        earlier = self.versions[~self.versions["current"] & ~self.versions["version"].isin(self.damaged)]
        return Choices.of(
            (str(r.version), f"{r.version} · {r.kind} by {r.who} · {r.note}") for r in earlier.itertuples(index=False)
        )


def history(store: DataStore) -> History:
    """Every data version and import of the data folder, and which versions are damaged."""
    versions = version_history(store)
    damaged = frozenset(v for v in versions["version"] if not store.intact(str(v)))
    return History(versions, import_history(store), damaged)


def plural(count: int, word: str) -> str:
    """``1 problem``, ``2 problems``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def size_text(count: float | None) -> str:
    """A byte count for people: ``512 bytes``, ``1.2 MB``."""
    if count is None:
        return ""
    for unit in ("bytes", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:,.0f} {unit}" if unit == "bytes" else f"{count:,.1f} {unit}"
        count /= 1000
    return ""


def too_large(name: str, size: int, limit: int, what: str) -> str | None:
    """The message for an upload over ``limit`` bytes (``None`` when it fits), before it is read."""
    if size <= limit:
        return None
    return (
        f"{name} is {size_text(size)}; {what} can be at most {size_text(limit)}. "
        "Nothing has been read or changed: check that it is the right file."
    )


def safe_name(name: str) -> str:
    """A file name safe to write in a temporary folder (the upload's own name is reported)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._")
    return cleaned or "upload.csv"


#: Fields of the new-indicator form that may be left blank (the schema's defaults apply).
OPTIONAL_FIELDS = frozenset({"unit_short", "cwb_theme", "caveats", "source_url"})


def without_blanks(record: Mapping[str, object]) -> dict[str, object]:
    """Drop empty optional answers of the metadata form, so the schema's defaults apply (required ones stay)."""
    out: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, Mapping):
            value = without_blanks(value)
        if key in OPTIONAL_FIELDS and value in ("", None):
            continue
        out[key] = value
    return out
