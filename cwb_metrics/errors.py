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
    """An input file failed validation; ``problems`` lists every problem found.

    Its message is the problem itself when there is one, else a count and a list (one a line).
    """

    def __init__(self, problems: list[Problem], *, limit: int = 20) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:limit])
        more = len(self.problems) - limit
        tail = f"\n  ... and {more} more" if more > 0 else ""
        if len(self.problems) == 1:  # one problem is one line (the CLI prints it after "error: ")
            super().__init__(str(self.problems[0]))
        else:
            super().__init__(f"{len(self.problems)} problem(s) found:\n{shown}{tail}")


class SourceUnavailableError(CwbError):
    """A source file could not be downloaded or found in the mirror."""


class AreaNotFoundError(CwbError):
    """A name or code does not match any configured area."""


class NoDataError(CwbError):
    """The data folder has no built data yet; the message says which command builds it."""


class PeriodNotFoundError(CwbError):
    """A period asked for (``--period``, the URL) for which the area has no value at all."""


class DataLockedError(CwbError):
    """Another refresh or import holds the data lock; try again when it has finished."""


class DataChangedError(CwbError):
    """Another writer changed the data between preparing a change and writing it."""


class DataFolderError(CwbError):
    """The data folder cannot be used: read-only, not writable with the user's permissions, full, or a file.

    Attributes
    ----------
    path : str
        The folder or file concerned.
    reason : str
        ``read_only``, ``permission``, ``full`` or ``not_a_folder``.
    """

    def __init__(self, message: str, *, path: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class OutputFileError(CwbError):
    """A file the user asked for (``-o``) cannot be written: a folder, a missing folder, read-only, full.

    Attributes
    ----------
    path : str
        The file asked for.
    """

    def __init__(self, message: str, *, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class DamagedVersionError(CwbError):
    """A file of the data in use is damaged; no data is read from it.

    Raised when a file of a data version no longer matches the SHA-256 recorded when it
    was written (truncated, overwritten, deleted), when its manifest is not valid JSON,
    or when ``CURRENT`` is unreadable or names a version that no longer exists.

    Attributes
    ----------
    data_dir : str
        The data folder.
    version : str or None
        The damaged version's id (``None`` when ``CURRENT`` itself cannot be read).
    file : str
        The damaged file, relative to the data folder (e.g. ``CURRENT`` or
        ``versions/v0003-.../indicators/gdhi_per_head.csv``).
    problem : str
        What is wrong with it, in plain English.
    good_versions : list of str
        The most recent intact versions, newest first (checked file by file); roll back
        to one of them. Empty when none is intact.
    rollback_command : str
        The command that restores ``good_versions[0]`` (empty when there is none).
    """

    def __init__(
        self,
        *,
        data_dir: str,
        version: str | None,
        file: str,
        problem: str,
        good_versions: list[str],
        rollback_hint: str = "python -m cwb_metrics rollback",
    ) -> None:
        self.data_dir = data_dir
        self.version = version
        self.file = file
        self.problem = problem
        self.good_versions = list(good_versions)
        self.rollback_command = f"{rollback_hint} {good_versions[0]}" if good_versions else ""
        which = f"Data version {version}" if version else "The data"
        message = f"{which} in {data_dir} is damaged: {file} {problem}."
        if self.good_versions:
            message += (
                f" Restore the last intact version with: {self.rollback_command}"
                f" (intact versions, newest first: {', '.join(self.good_versions)})."
            )
        else:
            message += " No earlier version is intact: rebuild the data with: python -m cwb_metrics refresh."
        super().__init__(message)


def problem(file: str | Path, message: str, *, row: int | None = None, column: str | None = None) -> Problem:
    """Build a :class:`Problem`, naming the file by its base name."""
    return Problem(file=Path(file).name, row=row, column=column, message=message)
