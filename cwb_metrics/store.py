"""The data store: immutable, versioned builds of the data, swapped in atomically.

Layout of a data folder::

    DATA/
      downloads/            cached official files (refresh without a mirror)
      versions/<id>/        one complete, immutable build of the data
        indicators/<indicator>.csv    canonical tidy CSVs
        lsoa/*.parquet                LSOA-level tables (IMD, lookups)
        geo/*.json                    simplified, quantised boundaries
        manifest.json                 what was built from what
      CURRENT               the id of the version in use (replaced atomically)
      .lock                 held while a refresh or import writes

A new version is written in a temporary folder, completed, flushed, renamed into
``versions/`` and only then named in ``CURRENT``. A failed or interrupted write
therefore leaves the previous version in use and intact. Unchanged files are
hard-linked from the parent version, so versions are cheap.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cwb_metrics.errors import DataChangedError, DataLockedError, NoDataError
from cwb_metrics.models.row import CANONICAL_COLUMNS

MANIFEST = "manifest.json"
REFRESH_HINT = "python -m cwb_metrics refresh --mirror ../shared/data"


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@dataclass
class VersionWriter:
    """A version being written; files go under :attr:`folder` until :meth:`DataStore.commit`."""

    store: DataStore
    folder: Path
    version_id: str
    parent: str | None
    kind: str
    manifest: dict = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        """Return a fresh path for ``relative`` inside the new version, creating its folder."""
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # Files inherited from the parent version are hard links: break the link before
        # writing, or the write would change the parent version too.
        if target.exists():
            target.unlink()
        return target

    def write_indicator(self, indicator_id: str, frame: pd.DataFrame, built_from: list[str]) -> Path:
        """Write one canonical indicator CSV and record it in the manifest."""
        target = self.path(f"indicators/{indicator_id}.csv")
        frame = frame.loc[:, list(CANONICAL_COLUMNS)]
        frame.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
        self.record_output(f"indicators/{indicator_id}.csv", rows=len(frame), built_from=built_from)
        return target

    def write_table(self, relative: str, frame: pd.DataFrame, built_from: list[str]) -> Path:
        """Write a parquet table (LSOA-level data, lookups) and record it."""
        target = self.path(relative)
        frame.to_parquet(target, index=False)
        self.record_output(relative, rows=len(frame), built_from=built_from)
        return target

    def write_json(self, relative: str, payload: object, built_from: list[str]) -> Path:
        """Write a JSON file (e.g. simplified geometry) and record it."""
        target = self.path(relative)
        target.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
        self.record_output(relative, rows=None, built_from=built_from)
        return target

    def remove(self, relative: str) -> None:
        """Remove a file inherited from the parent version (the parent keeps its copy)."""
        (self.folder / relative).unlink(missing_ok=True)
        self.manifest.get("outputs", {}).pop(relative, None)

    def record_output(self, relative: str, *, rows: int | None, built_from: list[str]) -> None:
        """Record a file written into this version."""
        target = self.folder / relative
        self.manifest.setdefault("outputs", {})[relative] = {
            "sha256": sha256_of(target),
            "bytes": target.stat().st_size,
            "rows": rows,
            "built_from": sorted(built_from),
        }


class DataStore:
    """Versioned data in one data folder.

    Parameters
    ----------
    root : pathlib.Path
        The data folder (``--data-dir`` / ``CWB_DATA_DIR``).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.versions_dir = self.root / "versions"
        self.downloads_dir = self.root / "downloads"
        self.current_file = self.root / "CURRENT"
        self.lock_file = self.root / ".lock"

    # ----- reading -------------------------------------------------------------------
    def current_version(self) -> str | None:
        """Return the id of the version in use, or ``None`` when nothing is built yet."""
        try:
            version = self.current_file.read_text(encoding="utf-8").strip()
        except (FileNotFoundError, UnicodeDecodeError):  # binary bytes name no version; a rollback replaces them
            return None
        return version if version and (self.versions_dir / version).is_dir() else None

    def version_dir(self, version: str | None = None) -> Path:
        """Return the folder of ``version`` (default: the current one).

        Raises
        ------
        NoDataError
            When no data has been built yet, with the command that builds it.
        """
        version = version or self.current_version()
        if version is None:
            raise NoDataError(f"No data has been built in {self.root} yet. Build it with: {REFRESH_HINT}")
        folder = self.versions_dir / version
        if not folder.is_dir():
            raise NoDataError(f"Data version {version!r} does not exist in {self.versions_dir}.")
        return folder

    def manifest(self, version: str | None = None) -> dict:
        """Return the manifest of ``version`` (default: current)."""
        return json.loads((self.version_dir(version) / MANIFEST).read_text(encoding="utf-8"))

    def indicator_ids(self, version: str | None = None) -> list[str]:
        """Return the ids of every indicator CSV in ``version``."""
        folder = self.version_dir(version) / "indicators"
        return sorted(p.stem for p in folder.glob("*.csv"))

    def indicator_path(self, indicator_id: str, version: str | None = None) -> Path:
        """Return the path of one indicator's canonical CSV."""
        return self.version_dir(version) / "indicators" / f"{indicator_id}.csv"

    def read_indicator(self, indicator_id: str, version: str | None = None) -> pd.DataFrame:
        """Read one canonical indicator CSV (empty frame with the columns if absent)."""
        path = self.indicator_path(indicator_id, version)
        if not path.exists():
            return pd.DataFrame(columns=list(CANONICAL_COLUMNS))
        return pd.read_csv(
            path,
            dtype={"period": str, "status": str, "notes": str},
            keep_default_na=False,
            na_values={"value": [""], "lci_95": [""], "uci_95": [""]},
        )

    def read_all_indicators(self, version: str | None = None) -> pd.DataFrame:
        """Read every canonical indicator CSV of ``version`` into one frame."""
        frames = [self.read_indicator(i, version) for i in self.indicator_ids(version)]
        if not frames:
            return pd.DataFrame(columns=list(CANONICAL_COLUMNS))
        return pd.concat(frames, ignore_index=True)

    def table_path(self, relative: str, version: str | None = None) -> Path:
        """Return the path of a file in ``version``; raise :class:`NoDataError` if absent."""
        path = self.version_dir(version) / relative
        if not path.exists():
            raise NoDataError(
                f"{relative} is missing from data version {path.parent.parent.name}. Rebuild with: {REFRESH_HINT}"
            )
        return path

    def read_table(self, relative: str, version: str | None = None) -> pd.DataFrame:
        """Read a parquet table of ``version``."""
        return pd.read_parquet(self.table_path(relative, version))

    def history(self) -> list[dict]:
        """Return every version's manifest, oldest first, each with ``current`` set."""
        current = self.current_version()
        out = []
        for folder in sorted(self.versions_dir.glob("v*")):
            manifest_path = folder / MANIFEST
            if not folder.is_dir() or not manifest_path.exists():
                continue
            try:
                entry = json.loads(manifest_path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):  # a damaged version is listed as such
                entry = {"version": folder.name, "kind": "damaged", "note": f"{MANIFEST} is not valid JSON"}
            entry["current"] = folder.name == current
            out.append(entry)
        return out

    # ----- writing -------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the data folder's write lock; raise :class:`DataLockedError` if taken."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_file, "a+")  # noqa: SIM115 - held for the whole block
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DataLockedError(
                    f"Another refresh or import is writing to {self.root}. Wait for it to finish, then try again."
                ) from None
            yield
        finally:
            handle.close()

    def _next_version_id(self) -> str:
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[1:5]) for p in self.versions_dir.glob("v[0-9][0-9][0-9][0-9]-*")]
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return f"v{max(numbers, default=0) + 1:04d}-{stamp}"

    @contextlib.contextmanager
    def new_version(
        self,
        kind: str,
        *,
        who: str | None = None,
        note: str = "",
        inherit: bool = True,
        base: str | None = None,
        expected_parent: str | bool | None = False,
    ) -> Iterator[VersionWriter]:
        """Write a new version; it becomes current only if the block ends without error.

        Parameters
        ----------
        kind : str
            ``refresh``, ``import`` or ``rollback``; recorded in the manifest.
        who : str, optional
            Who made the change (default: the OS user).
        note : str
            Free text recorded in the manifest.
        inherit : bool
            Start from a copy (hard links) of the current version's files.
        base : str, optional
            Start from this version instead of the current one (rollback).
        expected_parent : str or None, optional
            The version the change was prepared against (a previewed import, a refresh that
            started earlier). If another writer has changed the current version since, the
            write is refused with :class:`DataChangedError` instead of overwriting its work.

        Yields
        ------
        VersionWriter
            Write files through it; they are committed together at the end.
        """
        with self.lock():
            parent = self.current_version()
            if expected_parent is not False and parent != expected_parent:
                raise DataChangedError(
                    f"The data changed while this {kind} was being prepared (now {parent}, was {expected_parent}). "
                    "Nothing was written: check the new data, then try again."
                )
            if base is not None:
                self.version_dir(base)
            version_id = self._next_version_id()
            tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{version_id}-", dir=self.versions_dir))
            writer = VersionWriter(self, tmp, version_id, parent, kind)
            try:
                parent_manifest: dict = {}
                start_from = base or parent
                if inherit and start_from is not None:
                    parent_dir = self.versions_dir / start_from
                    parent_manifest = json.loads((parent_dir / MANIFEST).read_text(encoding="utf-8"))
                    for source in parent_dir.rglob("*"):
                        if source.is_file() and source.name != MANIFEST:
                            target = tmp / source.relative_to(parent_dir)
                            target.parent.mkdir(parents=True, exist_ok=True)
                            os.link(source, target)
                writer.manifest = {
                    "version": version_id,
                    "parent": parent,
                    "based_on": base or (parent if inherit else None),
                    "kind": kind,
                    "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "who": who or _os_user(),
                    "note": note,
                    "sources": dict(parent_manifest.get("sources", {})),
                    "outputs": dict(parent_manifest.get("outputs", {})),
                    "imports": list(parent_manifest.get("imports", [])),
                }
                yield writer
                (tmp / MANIFEST).write_text(json.dumps(writer.manifest, indent=2, sort_keys=True), encoding="utf-8")
                for path in tmp.rglob("*"):
                    if path.is_file():
                        with open(path, "rb") as handle:
                            os.fsync(handle.fileno())
                final = self.versions_dir / version_id
                os.rename(tmp, final)
                _fsync_dir(self.versions_dir)
                write_text_atomic(self.current_file, version_id + "\n")
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise

    def resolve_version(self, text: str) -> str:
        """Return the full id of a version given its id or a unique prefix (e.g. ``v0003``).

        Raises
        ------
        NoDataError
            When no version, or more than one, matches.
        """
        names = sorted(p.name for p in self.versions_dir.glob("v*") if p.is_dir())
        matches = [n for n in names if n == text] or [n for n in names if n.startswith(text)]
        if len(matches) != 1:
            known = ", ".join(names[-5:]) or "none"
            what = "No" if not matches else "More than one"
            raise NoDataError(f"{what} data version matches {text!r}. Recent versions: {known}.")
        return matches[0]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"
