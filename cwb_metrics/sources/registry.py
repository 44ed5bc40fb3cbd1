"""The list of official source files (``data/sources.yaml``), validated."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from cwb_metrics.errors import CwbError
from cwb_metrics.models.source import SourceFile
from cwb_metrics.settings import SOURCES_FILE


@cache
def load_sources(path: Path = SOURCES_FILE) -> dict[str, SourceFile]:
    """Load and validate every source record, keyed by id.

    Raises
    ------
    CwbError
        When a record does not match :class:`SourceFile`, naming the record.
    """
    records = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    sources: dict[str, SourceFile] = {}
    for index, record in enumerate(records):
        try:
            source = SourceFile.model_validate(record)
        except ValidationError as error:
            raise CwbError(f"{path.name}: source #{index + 1} ({record.get('id')!r}) is invalid:\n{error}") from None
        if source.id in sources:
            raise CwbError(f"{path.name}: source id {source.id!r} is listed twice")
        sources[source.id] = source
    return sources
