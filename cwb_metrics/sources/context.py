"""What a builder gets: the fetched source files, the area configuration, and a cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cwb_metrics.errors import SourceUnavailableError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.fetch import FetchedFile


@dataclass
class BuildContext:
    """Shared state of one refresh.

    Attributes
    ----------
    files : dict
        Fetched source files by source id.
    areas : AreaConfig
        The configured county and districts (England is the comparator).
    cache : dict
        Parsed source tables, so a file read for one indicator is not read again.
    """

    files: dict[str, FetchedFile]
    areas: AreaConfig
    cache: dict[str, Any] = field(default_factory=dict)

    def path(self, source_id: str) -> Path:
        """Return the local path of a fetched source file."""
        try:
            return self.files[source_id].path
        except KeyError:
            raise SourceUnavailableError(f"source {source_id!r} was not fetched in this refresh") from None

    def cached(self, key: str, load: Callable[[], Any]) -> Any:
        """Return ``cache[key]``, computing it with ``load()`` the first time."""
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]

    def area_codes(self) -> set[str]:
        """Codes kept in indicator CSVs: England, the area, its districts and comparators."""
        return self.areas.area_codes()


@dataclass(frozen=True)
class Output:
    """A file a table producer wants written into the new data version.

    ``payload`` is a DataFrame (written as parquet, or CSV for ``indicators/``) or a
    JSON-ready object (written as JSON); ``built_from`` lists source ids.
    """

    relative: str
    payload: Any
    built_from: tuple[str, ...]
