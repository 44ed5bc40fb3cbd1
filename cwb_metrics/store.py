"""The data store: immutable, versioned builds of the data, swapped in atomically.

Layout of a data folder::

    DATA/
      downloads/            cached official files (refresh without a mirror)
      versions/<id>/        one complete, immutable build of the data
        indicators/<indicator>.csv    canonical tidy CSVs
        lsoa/*.parquet                LSOA-level tables (IMD, lookups)
        geo/*.json                    simplified, quantised boundaries
        manifest.json                 what was built from what (VersionManifest)
      CURRENT               the id of the version in use (replaced atomically)
      .lock                 held while a refresh or import writes

A new version is written in a temporary folder, completed, flushed, renamed into
``versions/`` and only then named in ``CURRENT``. A failed or interrupted write
therefore leaves the previous version in use and intact; the next write removes its
leftovers (``versions/.tmp-*``, ``.CURRENT.*``) and records a finished version that was
never made current as ``abandoned`` (it is kept: a user may want it). Unchanged files are
hard-linked from the parent version, so versions are cheap. Files and folders follow the
user's umask, so analysts sharing a folder can all read and write it.

Every file of a version is checked against the SHA-256 its manifest recorded, the first
time the version is read in a process; a damaged version (a truncated or overwritten file,
a manifest that is not JSON, ``CURRENT`` naming a missing version) is refused with
:class:`~cwb_metrics.errors.DamagedVersionError`, which names the file and the ``rollback``
command that restores an intact version. Data is never read from a damaged version.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import getpass
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from stat import S_ISREG

import pandas as pd
from pydantic import ValidationError

from cwb_metrics.errors import DamagedVersionError, DataChangedError, DataFolderError, DataLockedError, NoDataError
from cwb_metrics.models.manifest import VERSION_ID, ImportRecord, OutputRecord, VersionManifest
from cwb_metrics.models.row import CANONICAL_COLUMNS

MANIFEST = "manifest.json"
REFRESH_HINT = "python -m cwb_metrics refresh --mirror ../shared/data"
#: Errors of the disk or the folder's permissions that a user can meet while writing.
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
#: ``CURRENT`` holds one version id and a newline; anything much longer is damage.
_CURRENT_MAX_BYTES = 200
#: An indicator id (as ``IndicatorMeta.id``): nothing that could name another file.
_INDICATOR_ID = re.compile(r"[a-z0-9][a-z0-9_]*", re.ASCII)
#: How many intact versions a damage message offers to roll back to.
GOOD_VERSIONS_SHOWN = 3

#: Verdict per version folder per process: (manifest, None) when intact, (None, (file, problem))
#: when damaged. Keyed by the folder and the manifest's inode, size and modification time.
_VERDICTS: dict[tuple[str, int, int, int], tuple[VersionManifest | None, tuple[str, str] | None]] = {}


#: A history entry for a version whose manifest cannot be read: every key a manifest has.
_EMPTY_ENTRY: dict[str, object] = {
    **{name: None for name in VersionManifest.model_fields},
    "created": "",
    "who": "",
    "note": "",
    "sources": {},
    "outputs": {},
    "imports": [],
    "skipped_sources": {},
    "skipped_indicators": {},
    "catalogue": {},
    "abandoned": [],
}


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
    """Write ``text`` to ``path`` so readers see the old or the new file, never half.

    The file is created with mode 0666 less the umask (as any file the user writes), not
    the 0600 of :func:`tempfile.mkstemp`, so that others sharing the folder can read it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def version_number(version: str) -> int:
    """The sequence number of a version id (``v0012-...`` -> 12)."""
    match = re.match(r"v([0-9]+)", version)
    return int(match[1]) if match else -1


def _safe_relative(relative: str) -> bool:
    path = PurePosixPath(relative)
    return bool(relative) and not path.is_absolute() and ".." not in path.parts and "\\" not in relative


@dataclass
class VersionWriter:
    """A version being written; files go under :attr:`folder` until :meth:`DataStore.commit`."""

    store: DataStore
    folder: Path
    version_id: str
    parent: str | None
    kind: str
    manifest: VersionManifest = field(init=False)

    def path(self, relative: str) -> Path:
        """Return a fresh path for ``relative`` inside the new version, creating its folder."""
        if not _safe_relative(relative):
            raise ValueError(f"{relative!r} is not a path inside a data version")
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
        self.manifest.outputs.pop(relative, None)

    def record_output(self, relative: str, *, rows: int | None, built_from: list[str]) -> None:
        """Record a file written into this version."""
        target = self.folder / relative
        self.manifest.outputs[relative] = OutputRecord(
            sha256=sha256_of(target), bytes=target.stat().st_size, rows=rows, built_from=sorted(built_from)
        )

    def add_import(self, **fields: object) -> ImportRecord:
        """Record a change a person brought in (an import, a threshold, action statuses).

        ``version``, ``who`` and ``time`` default to this version's; the other fields are
        those of :class:`~cwb_metrics.models.manifest.ImportRecord`.
        """
        defaults = {"version": self.version_id, "who": self.manifest.who, "time": self.manifest.created}
        record = ImportRecord.model_validate({**defaults, **fields})
        self.manifest.imports.append(record)
        return record


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

    # ----- the current version ---------------------------------------------------------
    def _check_root(self) -> None:
        if self.root.exists() and not self.root.is_dir():
            raise DataFolderError(
                f"The data folder {self.root} is a file, not a folder. "
                "Choose a folder with --data-dir (or CWB_DATA_DIR).",
                path=str(self.root),
                reason="not_a_folder",
            )

    def _read_current(self) -> tuple[str | None, DamagedVersionError | None]:
        """The id ``CURRENT`` names, and the damage found (if any); never raises for damage."""
        self._check_root()
        if self.current_file.exists() and not self.current_file.is_file() and not self.current_file.is_dir():
            return None, self._damage(None, "CURRENT", "is not a regular file")
        try:
            with open(self.current_file, "rb") as handle:
                raw = handle.read(_CURRENT_MAX_BYTES + 1)
        except FileNotFoundError:
            return None, None
        except IsADirectoryError:
            return None, self._damage(None, "CURRENT", "is a folder, not the file naming the version in use")
        except OSError as error:
            raise DataFolderError(
                f"Cannot read {self.current_file}: {error.strerror or error}. Check the folder's permissions.",
                path=str(self.current_file),
                reason="permission",
            ) from None
        if len(raw) > _CURRENT_MAX_BYTES:
            return None, self._damage(None, "CURRENT", "is far too long to hold a version id")
        try:
            text = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            return None, self._damage(None, "CURRENT", "holds binary bytes, not the id of a data version")
        if not text:
            if not self._version_names():
                return None, None
            return None, self._damage(None, "CURRENT", "is empty; it should name the data version in use")
        if not VERSION_ID.fullmatch(text):
            return None, self._damage(None, "CURRENT", f"holds {text[:40]!r}, which is not a data version id")
        if not (self.versions_dir / text).is_dir():
            return text, self._damage(
                text, "CURRENT", f"names data version {text}, but versions/{text} no longer exists"
            )
        return text, None

    def current_version(self) -> str | None:
        """Return the id of the version in use, or ``None`` when nothing is built yet.

        Raises
        ------
        DamagedVersionError
            When ``CURRENT`` is unreadable, or names a version that no longer exists.
        DataFolderError
            When the data folder is a file, or ``CURRENT`` cannot be read.
        """
        version, damage = self._read_current()
        if damage is not None:
            raise damage
        return version

    # ----- integrity ------------------------------------------------------------------
    def _folder(self, version: str) -> Path:
        if not VERSION_ID.fullmatch(version):
            raise NoDataError(f"{version!r} is not a data version id (such as v0003-20260101T120000Z).")
        return self.versions_dir / version

    def _version_names(self) -> list[str]:
        self._check_root()
        if not self.versions_dir.is_dir():
            return []
        return sorted(
            (p.name for p in self.versions_dir.iterdir() if VERSION_ID.fullmatch(p.name) and p.is_dir()),
            key=lambda name: (version_number(name), name),
        )

    def _parse_manifest(self, version: str) -> tuple[VersionManifest | None, tuple[str, str] | None]:
        relative = f"versions/{version}/{MANIFEST}"
        try:
            raw = (self._folder(version) / MANIFEST).read_bytes()
        except FileNotFoundError:
            return None, (relative, "is missing")
        except OSError as error:
            return None, (relative, f"cannot be read ({error.strerror or error})")
        try:
            payload = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return None, (relative, f"is not valid JSON ({error})")
        try:
            manifest = VersionManifest.model_validate(payload)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the file"
            return None, (relative, f"is not a valid manifest ({where}: {first['msg']})")
        if manifest.version != version:
            return None, (relative, f"belongs to data version {manifest.version}, not {version}")
        return manifest, None

    def _check(self, version: str, *, fresh: bool = False) -> tuple[VersionManifest | None, tuple[str, str] | None]:
        """Check every file of a version against its manifest (once per process); never raises.

        ``fresh`` checks again even when a verdict is kept (for the versions a damage
        message offers: they must be intact now, not when first read).
        """
        folder = self._folder(version)
        try:
            stat = (folder / MANIFEST).stat()
        except FileNotFoundError:
            what = "is missing" if folder.is_dir() else "does not exist"
            where = f"versions/{version}/{MANIFEST}" if folder.is_dir() else f"versions/{version}"
            return None, (where, what)
        if not S_ISREG(stat.st_mode):  # a pipe or a device would be read for ever
            return None, (f"versions/{version}/{MANIFEST}", "is not a regular file")
        key = (str(folder.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if key in _VERDICTS and not fresh:
            return _VERDICTS[key]
        manifest, problem = self._parse_manifest(version)
        if manifest is not None:
            problem = self._check_outputs(version, manifest)
        verdict = (manifest if problem is None else None, problem)
        _VERDICTS[key] = verdict
        return verdict

    def _check_outputs(self, version: str, manifest: VersionManifest) -> tuple[str, str] | None:
        folder = self._folder(version)
        for relative, output in sorted(manifest.outputs.items()):
            where = f"versions/{version}/{relative}"
            if not _safe_relative(relative):
                return f"versions/{version}/{MANIFEST}", f"lists {relative!r}, which is not a path inside the version"
            path = folder / relative
            try:
                stat = path.lstat()
            except FileNotFoundError:
                return where, "is missing"
            except OSError as error:
                return where, f"cannot be read ({error.strerror or error})"
            if path.is_symlink():
                return where, "is a symbolic link; a data version holds only its own files"
            if not path.is_file():
                return where, "is not a file"
            if stat.st_size != output.bytes:
                return where, (
                    f"is {stat.st_size:,} bytes, but {output.bytes:,} were written: it was truncated or overwritten"
                )
            try:
                digest = sha256_of(path)
            except OSError as error:
                return where, f"cannot be read ({error.strerror or error})"
            if digest != output.sha256:
                return where, "does not match the checksum recorded when it was written: it was changed or damaged"
        return None

    def _damage(self, version: str | None, file: str, problem: str) -> DamagedVersionError:
        return DamagedVersionError(
            data_dir=str(self.root),
            version=version,
            file=file,
            problem=problem,
            good_versions=self.good_versions(exclude=version),
            rollback_hint=self._rollback_hint(),
        )

    def _rollback_hint(self) -> str:
        from cwb_metrics.settings import data_dir

        default = data_dir(None)
        same = self.root.resolve() == default
        return "python -m cwb_metrics rollback" + ("" if same else f" --data-dir {self.root}")

    def good_versions(self, *, exclude: str | None = None, limit: int | None = GOOD_VERSIONS_SHOWN) -> list[str]:
        """The most recent intact versions (newest first), checked file by file (``limit=None``: all)."""
        good: list[str] = []
        for name in reversed(self._version_names()):
            if name == exclude:
                continue
            manifest, _problem = self._check(name, fresh=True)
            if manifest is not None:
                good.append(name)
            if limit is not None and len(good) >= limit:
                break
        return good

    def intact(self, version: str) -> bool:
        """Whether every file of ``version`` matches its manifest (checked once per process)."""
        manifest, _problem = self._check(version)
        return manifest is not None

    def damage(self, version: str | None = None, *, fresh: bool = False) -> DamagedVersionError | None:
        """What is damaged in ``version`` (default: the current one, and ``CURRENT`` itself), without raising.

        Returns
        -------
        DamagedVersionError or None
            The error :meth:`verify` would raise; ``None`` when the version is intact, or
            when no data has been built yet.
        """
        try:
            self.verify(version, fresh=fresh)
        except DamagedVersionError as error:
            return error
        except NoDataError:
            return None
        return None

    def verify(self, version: str | None = None, *, fresh: bool = False) -> VersionManifest:
        """Check ``version`` (default: current) file by file; return its manifest.

        The verdict is kept for the rest of the process, so only the first read of a
        version pays for the checksums; ``fresh`` checks again (a write starting from the
        version does, so that a version damaged since it was first read is never copied).

        Raises
        ------
        NoDataError
            When no data has been built yet.
        DamagedVersionError
            When a file of the version is missing, truncated or changed, or its manifest
            is unreadable; the message names the file and the rollback command.
        """
        folder = self.version_dir(version, verify=False)
        manifest, problem = self._check(folder.name, fresh=fresh)
        if problem is not None:
            raise self._damage(folder.name, *problem)
        assert manifest is not None
        return manifest

    # ----- reading -------------------------------------------------------------------
    def version_dir(self, version: str | None = None, *, verify: bool = True) -> Path:
        """Return the folder of ``version`` (default: the current one), checked once per process.

        Raises
        ------
        NoDataError
            When no data has been built yet, with the command that builds it, or when the
            version named does not exist.
        DamagedVersionError
            When the version (or ``CURRENT``) is damaged.
        """
        version = version or self.current_version()
        if version is None:
            raise NoDataError(f"No data has been built in {self.root} yet. Build it with: {REFRESH_HINT}")
        folder = self._folder(version)
        if not folder.is_dir():
            raise NoDataError(f"Data version {version!r} does not exist in {self.versions_dir}.")
        if verify:
            _manifest, problem = self._check(version)
            if problem is not None:
                raise self._damage(version, *problem)
        return folder

    def read_manifest(self, version: str | None = None) -> VersionManifest:
        """Return the manifest of ``version`` (default: current), as the model (a copy: change it freely)."""
        return self.verify(version).model_copy(deep=True)

    def manifest(self, version: str | None = None) -> dict:
        """Return the manifest of ``version`` (default: current) as a JSON-ready dict."""
        return self.verify(version).model_dump(mode="json")

    def recorded_files(self, prefix: str, suffix: str = "", version: str | None = None) -> list[str]:
        """Paths (inside the version) of the recorded files under ``prefix`` ending with ``suffix``.

        Only files the manifest records (and the checksums vouch for) are listed: a file
        dropped into a version folder by hand is never read.
        """
        manifest = self.verify(version)
        return sorted(r for r in manifest.outputs if r.startswith(prefix) and r.endswith(suffix))

    def indicator_ids(self, version: str | None = None) -> list[str]:
        """Return the ids of every indicator CSV in ``version``."""
        return [PurePosixPath(r).stem for r in self.recorded_files("indicators/", ".csv", version)]

    def indicator_path(self, indicator_id: str, version: str | None = None) -> Path:
        """Return the path of one indicator's canonical CSV."""
        if not _INDICATOR_ID.fullmatch(indicator_id):
            raise NoDataError(f"{indicator_id[:60]!r} is not an indicator id (lower-case letters, digits and _).")
        return self.version_dir(version) / "indicators" / f"{indicator_id}.csv"

    def read_indicator(self, indicator_id: str, version: str | None = None) -> pd.DataFrame:
        """Read one canonical indicator CSV (empty frame with the columns if absent)."""
        path = self.indicator_path(indicator_id, version)
        if not path.exists():
            return pd.DataFrame(columns=list(CANONICAL_COLUMNS))
        try:
            return pd.read_csv(
                path,
                dtype={"period": str, "status": str, "notes": str},
                keep_default_na=False,
                na_values={"value": [""], "lci_95": [""], "uci_95": [""]},
            )
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            folder = self.version_dir(version, verify=False)
            raise self._damage(folder.name, self._relative(path), f"cannot be read ({error})") from None

    def read_all_indicators(self, version: str | None = None) -> pd.DataFrame:
        """Read every canonical indicator CSV of ``version`` into one frame."""
        frames = [self.read_indicator(i, version) for i in self.indicator_ids(version)]
        if not frames:
            return pd.DataFrame(columns=list(CANONICAL_COLUMNS))
        return pd.concat(frames, ignore_index=True)

    def table_path(self, relative: str, version: str | None = None) -> Path:
        """Return the path of a file in ``version``; raise :class:`NoDataError` if absent."""
        folder = self.version_dir(version)
        path = folder / relative
        if not _safe_relative(relative) or relative not in self.verify(folder.name).outputs:
            raise NoDataError(f"{relative} is missing from data version {folder.name}. Rebuild with: {REFRESH_HINT}")
        return path

    def read_table(self, relative: str, version: str | None = None) -> pd.DataFrame:
        """Read a parquet table of ``version``."""
        path = self.table_path(relative, version)
        try:
            return pd.read_parquet(path)
        except (OSError, ValueError) as error:
            folder = self.version_dir(version, verify=False)
            raise self._damage(folder.name, self._relative(path), f"cannot be read ({error})") from None

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def history(self) -> list[dict]:
        """Return every version's manifest, oldest first, with its state.

        Each entry is the manifest as a dict plus ``current`` (bool), ``abandoned`` (bool)
        and ``state``: ``current``; ``abandoned`` (finished but never made current, left by
        an interrupted write); ``damaged`` (its manifest cannot be read: ``note`` says why);
        or ``kept`` (an earlier version, available to roll back to). Only manifests are
        read here: checksums are checked when a version is read or rolled back to.
        """
        current, _damage = self._read_current()
        names = self._version_names()
        parsed = {name: self._parse_manifest(name) for name in names}
        recorded = {a for manifest, _ in parsed.values() if manifest is not None for a in manifest.abandoned}
        has_current_file = self.current_file.exists()
        out = []
        for name in names:
            manifest, problem = parsed[name]
            if name == current:
                never_current = False
            elif not has_current_file:
                never_current = True  # nothing was ever made current
            elif current is not None:
                never_current = version_number(name) > version_number(current)
            else:
                never_current = False  # CURRENT is damaged: which version was in use is unknown
            abandoned = name != current and (name in recorded or never_current)
            if manifest is None:
                where, what = problem or (f"versions/{name}/{MANIFEST}", "cannot be read")
                entry = {
                    **_EMPTY_ENTRY,
                    "version": name,
                    "kind": "unknown",
                    "note": f"damaged: {where} {what}",
                }
                state = "damaged"
            else:
                entry = manifest.model_dump(mode="json")
                state = "current" if name == current else "abandoned" if abandoned else "kept"
            entry.update(current=name == current, abandoned=abandoned, state=state)
            out.append(entry)
        return out

    # ----- writing -------------------------------------------------------------------
    def _storage_error(self, error: OSError, doing: str) -> DataFolderError | None:
        """A clear error for a full disk or a folder that cannot be written; ``None`` for other errors."""
        filename = error.filename if isinstance(error.filename, str) else None
        if error.errno in _FULL_ERRNOS:
            return DataFolderError(
                f"The disk holding the data folder {self.root} is full ({error.strerror}) while {doing}. "
                "Nothing was changed: the data in use is as it was. Free some space, then try again.",
                path=str(self.root),
                reason="full",
            )
        inside = filename is not None and (Path(filename) == self.root or self.root in Path(filename).parents)
        if error.errno in _STORAGE_ERRNOS and (filename is None or inside):
            read_only = error.errno == errno.EROFS
            reason = "is on a read-only drive" if read_only else "cannot be written with your permissions"
            return DataFolderError(
                f"The data folder {self.root} {reason} ({filename or error.strerror}) while {doing}. "
                "Nothing was changed. Ask whoever manages the folder for write access, or choose "
                "a folder you can write with --data-dir (or CWB_DATA_DIR).",
                path=filename or str(self.root),
                reason="read_only" if read_only else "permission",
            )
        return None

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the data folder's write lock; raise :class:`DataLockedError` if taken."""
        self._check_root()
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_file, "a+")  # noqa: SIM115 - held for the whole block
        except OSError as error:
            converted = self._storage_error(error, "taking the write lock")
            if converted is None:
                raise
            raise converted from None
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
        numbers = [version_number(p) for p in self._version_names()]
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        return f"v{max(numbers, default=0) + 1:04d}-{stamp}"

    def _clean_leftovers(self, current: str | None) -> list[str]:
        """Remove what interrupted writes left; return finished versions never made current.

        Runs under the write lock, so no other writer is using these files. Abandoned
        versions are kept (a user may want them) and recorded in the new manifest.
        """
        if self.versions_dir.is_dir():
            for leftover in self.versions_dir.glob(".tmp-*"):
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        for leftover in self.root.glob(".CURRENT.*"):
            if leftover.is_file() or leftover.is_symlink():
                leftover.unlink(missing_ok=True)
        if current is None and self.current_file.exists():
            return []  # CURRENT is damaged: which versions were in use is unknown
        return [
            name
            for name in self._version_names()
            if name != current
            and (current is None or version_number(name) > version_number(current))
            and (self.versions_dir / name / MANIFEST).is_file()
        ]

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
            Start from this version instead of the current one (rollback). A rollback
            works even when the current version is damaged; so does a fresh build
            (``inherit=False``) when no intact version is left.
        expected_parent : str or None, optional
            The version the change was prepared against (a previewed import, a refresh that
            started earlier). If another writer has changed the current version since, the
            write is refused with :class:`DataChangedError` instead of overwriting its work.

        Yields
        ------
        VersionWriter
            Write files through it; they are committed together at the end.

        Raises
        ------
        DamagedVersionError
            When the version to start from is damaged (roll back to an intact one first).
        DataFolderError
            When the folder is read-only or the disk is full; nothing is changed.
        """
        with self.lock():
            try:
                parent, damage = self._read_current()
                # Over damaged data, only a rollback, or a fresh build when no version is intact.
                if damage is not None and base is None and (inherit or damage.good_versions):
                    raise damage
                if expected_parent is not False and parent != expected_parent:
                    raise DataChangedError(
                        f"The data changed while this {kind} was being prepared (now {parent}, was {expected_parent}). "
                        "Nothing was written: check the new data, then try again."
                    )
                start_from = base or (parent if inherit else None)
                parent_manifest = self.verify(start_from, fresh=True) if start_from is not None else None
                abandoned = self._clean_leftovers(parent if damage is None else None)
                version_id = self._next_version_id()
                tmp = self.versions_dir / f".tmp-{version_id}-{secrets.token_hex(4)}"
                os.mkdir(tmp)  # mode 0777 less the umask, as any folder the user makes
            except OSError as error:
                converted = self._storage_error(error, f"starting a {kind}")
                if converted is None:
                    raise
                raise converted from None
            writer = VersionWriter(self, tmp, version_id, parent, kind)
            try:
                if parent_manifest is not None and start_from is not None:
                    parent_dir = self.versions_dir / start_from
                    for relative in parent_manifest.outputs:
                        target = tmp / relative
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.link(parent_dir / relative, target)
                # a copy: the parent's manifest is kept (per process) as it was read
                inherited = parent_manifest.model_copy(deep=True) if parent_manifest else None
                writer.manifest = VersionManifest(
                    version=version_id,
                    parent=parent,
                    based_on=start_from,
                    kind=kind,
                    created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    who=who or _os_user(),
                    note=note,
                    sources=inherited.sources if inherited else {},
                    outputs=inherited.outputs if inherited else {},
                    imports=inherited.imports if inherited else [],
                    abandoned=abandoned,
                )
                yield writer
                manifest = VersionManifest.model_validate(writer.manifest.model_dump())
                (tmp / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
                for path in tmp.rglob("*"):
                    if path.is_file():
                        with open(path, "rb") as handle:
                            os.fsync(handle.fileno())
                final = self.versions_dir / version_id
                os.rename(tmp, final)
                tmp = final  # if CURRENT cannot be swapped, the finished version goes too
                _fsync_dir(self.versions_dir)
                write_text_atomic(self.current_file, version_id + "\n")
            except BaseException as error:
                if not self._names_current(version_id):  # never remove the data in use
                    shutil.rmtree(tmp, ignore_errors=True)
                if isinstance(error, OSError):
                    converted = self._storage_error(error, f"writing data version {version_id}")
                    if converted is not None:
                        raise converted from None
                raise

    def _names_current(self, version_id: str) -> bool:
        try:
            return self.current_file.read_bytes().strip() == version_id.encode("ascii")
        except OSError:
            return False

    def resolve_version(self, text: str) -> str:
        """Return the full id of a version given its id or a unique prefix (e.g. ``v0003``).

        Raises
        ------
        NoDataError
            When no version, or more than one, matches.
        """
        names = self._version_names()
        text = text.strip()
        matches = [n for n in names if n == text] or [n for n in names if text and n.startswith(text)]
        if len(matches) != 1:
            known = ", ".join(reversed(names[-5:])) or "none"
            what = "No" if not matches else "More than one"
            raise NoDataError(f"{what} data version matches {text[:60]!r}. Recent versions: {known}.")
        return matches[0]


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"
