"""Is the current data version sound? The store's findings, as every page shows them.

The store checks each data version against the SHA-256 its manifest recorded, and refuses a
damaged one with :class:`~cwb_metrics.errors.DamagedVersionError` (which file, what is
wrong). This module only presents what the store found: the damaged file for the message
every page shows, and the intact versions the Data page offers to roll back to. It checks
nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cwb_metrics.errors import CwbError, DamagedVersionError
from cwb_metrics.store import REFRESH_HINT, DataStore


@dataclass(frozen=True)
class Damage:
    """What is damaged in a data folder, as a page shows it.

    Parameters
    ----------
    file : str
        The damaged file, relative to the data folder (``CURRENT``, ``versions/<id>/manifest.json`` ...).
    problem : str
        What is wrong with it, in plain English.
    version : str or None
        The damaged version, when ``CURRENT`` names one.
    rollback_command : str
        The command that restores the newest intact version (empty when none is intact).
    """

    file: str
    problem: str
    version: str | None = None
    rollback_command: str = ""

    @classmethod
    def of(cls, error: DamagedVersionError) -> Damage:
        """The store's finding, for a page."""
        return cls(error.file, error.problem, error.version, error.rollback_command)

    @property
    def command(self) -> str:
        """The command that repairs the folder: the rollback, or the refresh when no version is intact."""
        return self.rollback_command or REFRESH_HINT

    @property
    def message(self) -> str:
        """One sentence: which file, what is wrong."""
        return f"{self.file} {self.problem}."


def current_damage(store: DataStore, *, fresh: bool = False) -> Damage | None:
    """What the store finds damaged in the current version (``None``: sound, or nothing built yet).

    Parameters
    ----------
    store : DataStore
        The data folder.
    fresh : bool
        Check the files again even if this process found the version intact before
        (after a read error, which may be damage done since).
    """
    found = store.damage(fresh=fresh)
    return None if found is None else Damage.of(found)


@dataclass(frozen=True)
class SoundVersion:
    """An earlier version a damaged folder can be rolled back to."""

    version: str
    kind: str
    who: str
    note: str

    @property
    def label(self) -> str:
        """What the rollback picker shows."""
        return f"{self.version} · {self.kind} by {self.who} · {self.note}"


def sound_versions(store: DataStore, damaged: str | None = None) -> tuple[SoundVersion, ...]:
    """Every version other than ``damaged`` the store finds intact, newest first."""
    out = []
    for name in store.good_versions(exclude=damaged, limit=None):
        manifest = store.read_manifest(name)
        out.append(SoundVersion(name, manifest.kind, manifest.who, manifest.note))
    return tuple(out)


def damage_of(error: BaseException, root: Path) -> Damage | None:
    """The damage behind an error raised while reading the data (``None``: the data is sound, so it is a bug).

    A :class:`DamagedVersionError` carries the store's finding; any other error (a reader's
    ``ValueError``, ``OSError``, a :class:`~cwb_metrics.errors.NoDataError`) has the store check the current
    version again, file by file.
    """
    if isinstance(error, DamagedVersionError):
        return Damage.of(error)
    try:
        return current_damage(DataStore(root), fresh=True)
    except CwbError:  # the folder itself cannot be used: that error is shown, not damage
        return None
