"""Fetch source files: from a mirror folder, or downloaded from the publisher.

Downloads are streamed to a temporary file with a progress bar, checked against the size
limit, and moved into place only when complete; each file's SHA-256 is recorded in the
manifest. Failed requests are retried by urllib3's :class:`~urllib3.util.Retry` (mounted on
a requests session): connection errors, timeouts and the statuses of
:data:`RETRY_STATUSES`, with exponential back-off and ``Retry-After``. Any other 4xx is an
answer, not a hiccup: it fails at once, naming the source and the URL.

A source whose publisher serves the file inside a zip names it in ``archive_member``: that
member is taken out of the download and saved at ``mirror_path``. A source marked
``manual_download`` (the publisher offers it only from a web page) is never requested: the
refresh says where to download it by hand and where to put it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from tqdm import tqdm
from urllib3.util import Retry

from cwb_metrics.errors import DataValidationError, Problem, SourceUnavailableError
from cwb_metrics.models.source import SourceFile
from cwb_metrics.store import sha256_of

#: Called with (source id, bytes done, bytes total or None) while a file is fetched.
ProgressCallback = Callable[[str, int, int | None], None]

#: HTTP statuses worth asking again: too many requests, and the server's own failures.
RETRY_STATUSES: tuple[int, ...] = (429, 500, 502, 503, 504)


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
    DataValidationError
        When the file is there but empty (a broken copy).
    """
    path = mirror / source.mirror_path
    if not path.is_file():
        if source.manual_download:
            raise SourceUnavailableError(
                f"{source.id}: {source.mirror_path} is not in the mirror folder {mirror}. "
                f"Download the file by hand from {source.landing_page} and save it there as {source.mirror_path}."
            )
        raise SourceUnavailableError(
            f"{source.id}: {source.mirror_path} is not in the mirror folder {mirror}. "
            f"Download it from {source.url} into that path, or refresh without --mirror."
        )
    size = path.stat().st_size
    if size == 0:  # there, but broken: an error even for an optional source, never skipped in silence
        raise DataValidationError(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    f"the mirror copy of {source.id} ({path}) is empty (0 bytes): it is broken. Download it again "
                    f"from {source.landing_page or source.url}, or remove it to leave this source out",
                )
            ]
        )
    return FetchedFile(source, path, str(path), sha256_of(path), size, _now())


def retrying_session(attempts: int = 3, backoff: float = 1.0) -> requests.Session:
    """A requests session whose GETs urllib3 retries on connection errors and :data:`RETRY_STATUSES`.

    Parameters
    ----------
    attempts : int
        Requests made at most for one URL (the first and ``attempts - 1`` retries).
    backoff : float
        urllib3's ``backoff_factor``: the second retry waits ``2 * backoff`` seconds, the
        next ``4 * backoff`` (at most 120 s); a ``Retry-After`` header is honoured.
    """
    retry = Retry(
        total=attempts - 1,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET", "HEAD"},
        raise_on_status=False,  # the last answer comes back, so the error can give its status
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def download(
    source: SourceFile,
    downloads_dir: Path,
    *,
    retries: int = 3,
    backoff: float = 1.0,
    timeout: float = 60.0,
    progress: ProgressCallback | None = None,
    session: requests.Session | None = None,
) -> FetchedFile:
    """Download ``source`` from its official URL into ``downloads_dir``.

    The file is streamed into a temporary file and renamed into place only when
    complete, so an interrupted download never leaves a half-written file behind.

    Parameters
    ----------
    source : SourceFile
        The source to download.
    downloads_dir : pathlib.Path
        Where downloads are kept (``source.mirror_path`` inside it).
    retries : int
        Requests made at most (see :func:`retrying_session`).
    backoff : float
        urllib3's back-off factor in seconds.
    timeout : float
        Seconds to wait for the server to connect or send data.
    progress : callable, optional
        Called with (source id, bytes done, bytes total or None).
    session : requests.Session, optional
        The session to use (default: :func:`retrying_session`).

    Raises
    ------
    SourceUnavailableError
        Naming the source and the URL: on an HTTP error status (a 4xx other than 429 at
        once, others after ``retries`` requests), a network failure, a download cut short,
        a file larger than ``max_bytes``, or a zip without its ``archive_member``. For a
        ``manual_download`` source, at once and without any request, saying where to
        download the file by hand and where to save it.
    """
    if source.manual_download:
        raise SourceUnavailableError(manual_download_message(source))
    target = downloads_dir / source.mirror_path
    target.parent.mkdir(parents=True, exist_ok=True)
    http = session or retrying_session(retries, backoff)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle, http.get(str(source.url), stream=True, timeout=timeout) as response:
            if response.status_code >= 400:
                raise SourceUnavailableError(_status_message(source, response))
            total = int(response.headers.get("Content-Length") or 0) or None
            done = 0
            with tqdm(total=total, unit="B", unit_scale=True, desc=source.id, leave=False, disable=None) as bar:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    done += len(chunk)
                    if done > source.max_bytes:
                        raise SourceUnavailableError(
                            f"{source.id}: download from {source.url} exceeds {source.max_bytes:,} bytes; refusing it."
                        )
                    handle.write(chunk)
                    bar.update(len(chunk))
                    if progress:
                        progress(source.id, done, total)
        if total is not None and done != total:
            raise SourceUnavailableError(
                f"{source.id}: the download of {source.url} stopped at {done:,} of {total:,} bytes. "
                "Try again, or refresh from a folder of downloaded files with --mirror DIR."
            )
        if source.archive_member:
            done = _extract_member(source, Path(tmp_name), target)
        else:
            os.replace(tmp_name, target)
        return FetchedFile(source, target, str(source.url), sha256_of(target), done, _now())
    except requests.RequestException as error:
        raise SourceUnavailableError(
            f"{source.id}: could not download {source.url} ({error}). "
            "Check the network, or refresh from a folder of downloaded files with --mirror DIR."
        ) from None
    except OSError as error:  # the disk, not the network (requests' errors are OSErrors too: caught above)
        raise SourceUnavailableError(f"{source.id}: could not save {source.url} into {target} ({error})") from None
    finally:
        _remove(tmp_name)


def manual_download_message(source: SourceFile) -> str:
    """Tell the analyst how to get a file the publisher offers only from a web page."""
    reason = (source.manual_download or "the publisher offers it only from a web page").rstrip(".")
    return (
        f"{source.id}: not downloaded, because {reason}. "
        f"Download the file by hand from {source.landing_page}, save it in a mirror folder as "
        f"{source.mirror_path}, and refresh with --mirror DIR (or CWB_MIRROR=DIR)."
    )


def _extract_member(source: SourceFile, archive: Path, target: Path) -> int:
    """Save ``source.archive_member`` from the downloaded zip ``archive`` at ``target``; return its size.

    The member is matched by its whole path in the zip or, failing that, by its file name in
    any folder (exactly one must match). It is written to a temporary file beside ``target``
    and renamed into place only when complete.
    """
    wanted = source.archive_member or ""
    if not zipfile.is_zipfile(archive):
        raise SourceUnavailableError(
            f"{source.id}: {source.url} did not send a zip file, so {wanted!r} cannot be taken out of it; "
            f"check {source.landing_page} and update the url in data/sources.yaml."
        )
    try:
        with zipfile.ZipFile(archive) as book:
            return _copy_member(source, book, wanted, target)
    except zipfile.BadZipFile as error:
        raise SourceUnavailableError(
            f"{source.id}: the zip from {source.url} is damaged ({error}); try again."
        ) from None


def _copy_member(source: SourceFile, book: zipfile.ZipFile, wanted: str, target: Path) -> int:
    """Copy the one member of ``book`` named ``wanted`` (whole path, else file name) to ``target``."""
    names = [n for n in book.namelist() if not n.endswith("/")]
    matches = [n for n in names if n == wanted] or [n for n in names if n.rsplit("/", 1)[-1] == wanted]
    if len(matches) != 1:
        listed = ", ".join(repr(n) for n in names[:12]) + (", ..." if len(names) > 12 else "")
        found = "is not" if not matches else f"matches {len(matches)} members"
        raise SourceUnavailableError(
            f"{source.id}: {wanted!r} {found} in the zip from {source.url} (members: {listed or 'none'}); "
            "update archive_member in data/sources.yaml."
        )
    info = book.getinfo(matches[0])
    if info.file_size > source.max_bytes:
        raise SourceUnavailableError(
            f"{source.id}: {matches[0]!r} in {source.url} is {info.file_size:,} bytes, over {source.max_bytes:,}; "
            "refusing it."
        )
    fd, part = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, book.open(info) as member:
            while chunk := member.read(1 << 16):
                out.write(chunk)
        os.replace(part, target)
    except OSError as error:
        raise SourceUnavailableError(
            f"{source.id}: could not take {matches[0]!r} out of the zip from {source.url} ({error})"
        ) from None
    finally:
        _remove(part)
    return info.file_size


def _status_message(source: SourceFile, response: requests.Response) -> str:
    """Say which source and URL failed with which HTTP status, how often it was asked, and what to do."""
    retried = getattr(getattr(response.raw, "retries", None), "history", ())
    asked = f" (asked {len(retried) + 1} times)" if retried else ""
    status = f"HTTP {response.status_code} {response.reason or ''}".strip()
    if response.status_code in RETRY_STATUSES:
        advice = "the publisher's server is failing or busy: try again later, or refresh with --mirror DIR."
    else:
        advice = f"the file may have moved: check {source.landing_page} and update its url in data/sources.yaml."
    return f"{source.id}: {source.url} answered {status}{asked}; {advice}"


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
