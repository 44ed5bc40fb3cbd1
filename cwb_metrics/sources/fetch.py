"""Fetch source files: from a mirror folder, or downloaded from the publisher.

Downloads are streamed to a temporary file with a progress bar, retried with back-off,
checked against the size limit, and moved into place only when complete; each file's
SHA-256 is recorded in the manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from tqdm import tqdm

from cwb_metrics.errors import SourceUnavailableError
from cwb_metrics.models.source import SourceFile
from cwb_metrics.store import sha256_of

#: Called with (source id, bytes done, bytes total or None) while a file is fetched.
ProgressCallback = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class FetchedFile:
    """A source file available locally, with where it came from."""

    source: SourceFile
    path: Path
    origin: str  # the URL or the mirror path it was read from
    sha256: str
    bytes: int
    fetched_at: str

    def manifest_entry(self) -> dict[str, object]:
        """Return the manifest record of this file."""
        return {
            "title": self.source.title,
            "publisher": self.source.publisher,
            "url": str(self.source.url),
            "read_from": self.origin,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "fetched_at": self.fetched_at,
            "date_published": self.source.date_published.isoformat(),
            "licence": self.source.licence,
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def from_mirror(source: SourceFile, mirror: Path) -> FetchedFile:
    """Locate ``source`` in a mirror folder laid out like ``../shared/data``.

    Raises
    ------
    SourceUnavailableError
        When the file is not in the mirror.
    """
    path = mirror / source.mirror_path
    if not path.is_file():
        raise SourceUnavailableError(
            f"{source.id}: {source.mirror_path} is not in the mirror folder {mirror}. "
            f"Download it from {source.url} into that path, or refresh without --mirror."
        )
    size = path.stat().st_size
    if size == 0:
        raise SourceUnavailableError(f"{source.id}: {path} is empty (0 bytes); the mirror copy is broken.")
    return FetchedFile(source, path, str(path), sha256_of(path), size, _now())


def download(
    source: SourceFile,
    downloads_dir: Path,
    *,
    retries: int = 3,
    timeout: float = 60.0,
    progress: ProgressCallback | None = None,
    session: requests.Session | None = None,
) -> FetchedFile:
    """Download ``source`` from its official URL into ``downloads_dir``.

    The file is streamed into a temporary file and renamed into place only when
    complete, so an interrupted download never leaves a half-written file behind.

    Raises
    ------
    SourceUnavailableError
        After ``retries`` failed attempts, or when the file exceeds ``max_bytes``.
    """
    target = downloads_dir / source.mirror_path
    target.parent.mkdir(parents=True, exist_ok=True)
    http = session or requests.Session()
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with http.get(str(source.url), stream=True, timeout=timeout) as response:
                response.raise_for_status()
                total = int(response.headers.get("Content-Length") or 0) or None
                done = 0
                bar = tqdm(total=total, unit="B", unit_scale=True, desc=source.id, leave=False, disable=None)
                with os.fdopen(fd, "wb") as handle:
                    for chunk in response.iter_content(chunk_size=1 << 16):
                        done += len(chunk)
                        if done > source.max_bytes:
                            raise SourceUnavailableError(
                                f"{source.id}: download from {source.url} exceeds "
                                f"{source.max_bytes:,} bytes; refusing it."
                            )
                        handle.write(chunk)
                        bar.update(len(chunk))
                        if progress:
                            progress(source.id, done, total)
                bar.close()
            if total is not None and done != total:
                raise OSError(f"download stopped at {done:,} of {total:,} bytes")
            os.replace(tmp_name, target)
            return FetchedFile(source, target, str(source.url), sha256_of(target), done, _now())
        except SourceUnavailableError:
            _remove(tmp_name)
            raise
        except (requests.RequestException, OSError) as error:
            _remove(tmp_name)
            last_error = error
            if attempt < retries:
                time.sleep(min(2**attempt, 10))
    raise SourceUnavailableError(
        f"{source.id}: could not download {source.url} after {retries} attempts ({last_error}). "
        "Check the network, or refresh from a folder of downloaded files with --mirror DIR."
    )


def _remove(name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)


def fetch(
    source: SourceFile,
    *,
    mirror: Path | None,
    downloads_dir: Path,
    progress: ProgressCallback | None = None,
) -> FetchedFile:
    """Fetch one source from the mirror if given, else from its official URL."""
    if mirror is not None:
        fetched = from_mirror(source, mirror)
        if progress:
            progress(source.id, fetched.bytes, fetched.bytes)
        return fetched
    return download(source, downloads_dir, progress=progress)
