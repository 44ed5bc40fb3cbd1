"""Errors a user can cause, with messages that name the file, row and column.

Every error raised on purpose by ``cwb_metrics`` derives from :class:`CwbError`, so the
command line and the app can show one clear message instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        The file's name (or path) as the user knows it.
    row : int or None
        1-based line number in the file, counting the header as line 1; ``None`` when
        the problem is about the whole file or a column.
    column : str or None
        The column's header, when the problem is in one column.
    message : str
        What is wrong and what was expected, in plain English.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """Return the problem as a JSON-ready dict."""
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class CwbError(Exception):
    """Base class of every error a user can cause; its message is shown as it is."""


class DataValidationError(CwbError):
    """An input file failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], *, limit: int = 20) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) found:\n{shown}{tail}")


class SourceUnavailableError(CwbError):
    """A source file could not be downloaded or found in the mirror."""


class AreaNotFoundError(CwbError):
    """A name or code does not match any configured area."""


class NoDataError(CwbError):
    """The data folder has no built data yet; the message says which command builds it."""


class DataLockedError(CwbError):
    """Another refresh or import holds the data lock; try again when it has finished."""


class DataChangedError(CwbError):
    """Another writer changed the data between preparing a change and writing it."""


def problem(file: str | Path, message: str, *, row: int | None = None, column: str | None = None) -> Problem:
    """Build a :class:`Problem`, naming the file by its base name."""
    return Problem(file=Path(file).name, row=row, column=column, message=message)
