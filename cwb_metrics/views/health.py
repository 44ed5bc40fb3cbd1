"""Is the current data version sound? What is damaged, named by file, so every page can say so.

A data version is immutable and its manifest records each file's SHA-256, so a file that
no longer matches (cut short, overwritten, deleted), a manifest that is not JSON, a
``CURRENT`` that is not text or names a missing folder all mean the version is damaged:
pages say which file, and that rolling back on the Data page restores an earlier version.
Checking a version reads about 1 MB and takes milliseconds; the app does it once per version.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from cwb_metrics.errors import CwbError
from cwb_metrics.store import MANIFEST, DataStore, sha256_of

#: A version id names a folder: letters, digits, ``.``, ``_`` and ``-`` (``v0003-20251201T101500Z``).
VERSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
#: The command line's rollback, for the message of a damaged version.
ROLLBACK_HINT = "python -m cwb_metrics history\npython -m cwb_metrics rollback VERSION"


@dataclass(frozen=True)
class Damage:
    """What is damaged in a data folder.

    Parameters
    ----------
    file : str
        The damaged file, relative to the data folder (``CURRENT``, ``versions/<id>/manifest.json`` ...).
    problem : str
        What is wrong with it, in plain English.
    version : str or None
        The damaged version, when ``CURRENT`` names one.
    """

    file: str
    problem: str
    version: str | None = None

    @property
    def message(self) -> str:
        """One sentence: which file, what is wrong."""
        return f"{self.file} {self.problem}."


class DamagedDataError(CwbError):
    """The current data version is damaged; :attr:`damage` says which file and how.

    Stands in for the library's own class of this error until the store checks versions
    on read (``app_support.layout`` lists both).
    """

    def __init__(self, damage: Damage) -> None:
        self.damage = damage
        super().__init__(damage.message)


def pointer_damage(store: DataStore) -> Damage | None:
    """What is wrong with ``CURRENT`` (``None`` when it is sound or absent: no data built yet).

    Parameters
    ----------
    store : DataStore
        The data folder.

    Returns
    -------
    Damage or None
        ``CURRENT`` not text, not a version id, or naming a version whose folder is missing.
    """
    try:
        raw = store.current_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        return Damage("CURRENT", f"cannot be read ({error.strerror or error})")
    try:
        text = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return Damage("CURRENT", "is not text: it should hold the id of the data version in use")
    if not text:
        return None if not store.versions_dir.is_dir() else Damage("CURRENT", "is empty")
    if not VERSION_ID.match(text):
        shown = text[:40] + ("..." if len(text) > 40 else "")
        return Damage("CURRENT", f"does not name a data version (it holds {shown!r})")
    if not (store.versions_dir / text).is_dir():
        return Damage("CURRENT", f"names data version {text}, whose folder versions/{text} is missing", text)
    return None


def version_damage(store: DataStore, version: str) -> Damage | None:
    """What is damaged in one version: its manifest, or a file that no longer matches the manifest's checksum.

    Parameters
    ----------
    store : DataStore
        The data folder.
    version : str
        The version id.

    Returns
    -------
    Damage or None
        The first damaged file (manifest first, then files in the manifest's order).
    """
    folder = store.versions_dir / version
    where = f"versions/{version}"
    if not folder.is_dir():
        return Damage(where, "is missing", version)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Damage(f"{where}/{MANIFEST}", "is missing", version)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return Damage(f"{where}/{MANIFEST}", "is not valid JSON", version)
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if not isinstance(outputs, dict):
        return Damage(f"{where}/{MANIFEST}", "does not list the version's files", version)
    for relative, entry in outputs.items():
        path = folder / relative
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        if not path.is_file():
            return Damage(f"{where}/{relative}", "is missing", version)
        if isinstance(expected, str) and sha256_of(path) != expected:
            return Damage(
                f"{where}/{relative}",
                "does not match the checksum its manifest recorded (it was cut short or changed)",
                version,
            )
    return None


def current_damage(store: DataStore) -> Damage | None:
    """What is damaged in the data folder's current version (``None``: sound, or nothing built yet)."""
    damage = pointer_damage(store)
    if damage is not None:
        return damage
    version = store.current_version()
    return None if version is None else version_damage(store, version)


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
    """Every version other than ``damaged`` whose files all match its manifest, newest first."""
    if not store.versions_dir.is_dir():
        return ()
    out = []
    for folder in sorted(store.versions_dir.glob("v*"), reverse=True):
        if not folder.is_dir() or folder.name == damaged:
            continue
        if version_damage(store, folder.name) is not None:
            continue
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        out.append(
            SoundVersion(
                folder.name, str(manifest.get("kind", "")), str(manifest.get("who", "")), str(manifest.get("note", ""))
            )
        )
    return tuple(out)


def damage_of(error: BaseException, root: Path) -> Damage | None:
    """The damage behind an error raised while reading the data (``None``: the data is sound, so it is a bug)."""
    if isinstance(error, DamagedDataError):
        return error.damage
    return current_damage(DataStore(root))
