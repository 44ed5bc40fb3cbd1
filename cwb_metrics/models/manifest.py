"""The manifest of a data version (``versions/<id>/manifest.json``): what was built from what.

:class:`VersionManifest` is the one schema of the file. :mod:`cwb_metrics.store` writes it
through the model and reads it back through the model, so a manifest with a misspelt or
unknown key, or a missing required one, is a damaged manifest rather than a silent default.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: A data version's id: ``v0001-20261201T155741Z`` (number, then when it was made). Nothing
#: that could name another folder (no dots or slashes) is an id.
VERSION_ID = re.compile(r"v[0-9]{4,}(?:-[A-Za-z0-9]+)*", re.ASCII)
_SHA256 = r"^[0-9a-f]{64}$"

VersionKind = Literal["refresh", "import", "rollback"]
ImportKind = Literal["indicator", "threshold", "action_status"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class OutputRecord(_Record):
    """One file of the version, with the checksum it was written with."""

    sha256: str = Field(pattern=_SHA256)
    bytes: int = Field(ge=0)
    rows: int | None = Field(default=None, ge=0)
    built_from: list[str] = Field(default_factory=list)


class SourceRecord(_Record):
    """One official file a refresh read (see ``FetchedFile.manifest_entry``)."""

    title: str
    publisher: str
    url: str
    read_from: str
    sha256: str
    bytes: int = Field(ge=0)
    fetched_at: str
    date_published: str
    licence: str


class ImportRecord(_Record):
    """One change brought in by a person: an indicator file, a council threshold or action statuses."""

    version: str
    kind: ImportKind = "indicator"
    indicator: str | None = None
    file: str
    sha256: str | None = None
    format: str | None = None
    mode: Literal["replace", "merge"] | None = None
    rows: int | None = Field(default=None, ge=0)
    old: dict[str, Any] | None = None
    new: dict[str, Any] | None = None
    changes: list[dict[str, Any]] | None = None
    notes: dict[str, str] | None = None
    who: str
    time: str
    summary: str


class VersionManifest(_Record):
    """What one data version holds and how it was made.

    Attributes
    ----------
    version, parent, based_on : str
        This version's id; the version that was current when it was made; the version
        whose files it started from (a rollback's target), if any.
    kind : {"refresh", "import", "rollback"}
    created, who, note : str
        When (ISO 8601, UTC), by whom and why.
    sources : dict
        The official files a refresh read, by source id.
    outputs : dict
        Every file of the version, by path inside the version, with its SHA-256.
    imports : list
        Every import that led to this version (inherited from its parent, plus its own).
    skipped_sources, skipped_indicators : dict
        What a refresh could not build, and why.
    catalogue : dict
        Indicator id -> source id, as catalogued when a refresh ran.
    abandoned : list of str
        Versions found finished but never made current (an interrupted write) when this
        one was written; kept on disk, marked ``abandoned`` in the history.
    """

    version: str
    parent: str | None = None
    based_on: str | None = None
    kind: VersionKind
    created: str
    who: str
    note: str = ""
    sources: dict[str, SourceRecord] = Field(default_factory=dict)
    outputs: dict[str, OutputRecord] = Field(default_factory=dict)
    imports: list[ImportRecord] = Field(default_factory=list)
    skipped_sources: dict[str, str] = Field(default_factory=dict)
    skipped_indicators: dict[str, str] = Field(default_factory=dict)
    catalogue: dict[str, str] = Field(default_factory=dict)
    abandoned: list[str] = Field(default_factory=list)

    @field_validator("version", "parent", "based_on")
    @classmethod
    def _version_id(cls, value: str | None) -> str | None:
        if value is not None and not VERSION_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a data version id such as v0001-20261201T155741Z")
        return value

    @field_validator("created")
    @classmethod
    def _iso_time(cls, value: str) -> str:
        dt.datetime.fromisoformat(value)
        return value

    def to_json(self) -> str:
        """The manifest as written to ``manifest.json``."""
        return self.model_dump_json(indent=2) + "\n"
