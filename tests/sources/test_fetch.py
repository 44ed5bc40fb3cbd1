"""Fetching sources: a real HTTP server on loopback, and a mirror folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import http.server
import io
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from cwb_metrics.errors import DataValidationError, SourceUnavailableError
from cwb_metrics.models.source import SourceFile
from cwb_metrics.sources.fetch import download, fetch, from_mirror

BODY = b"areacd,value\n" + b"E07000178,1\n" * 5000
WORKBOOK = b"not really a workbook, just the member's bytes" * 100


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return buffer.getvalue()


# A publisher's zip: the wanted workbook sits in a folder, beside a readme.
ARCHIVE = _zip({"EDM_2022/EDM 2022 Return.xlsx": WORKBOOK, "EDM_2022/README.txt": b"read me"})
# Two members share the wanted file name in different folders.
AMBIGUOUS = _zip({"a/EDM 2022 Return.xlsx": WORKBOOK, "b/EDM 2022 Return.xlsx": b"other"})


class Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/ok.csv":
            self._send(BODY, len(BODY))
        elif self.path == "/book.zip":
            self._send(ARCHIVE, len(ARCHIVE))
        elif self.path == "/ambiguous.zip":
            self._send(AMBIGUOUS, len(AMBIGUOUS))
        elif self.path == "/cut.csv":  # promises more than it sends: an interrupted download
            self._send(BODY[:1000], len(BODY))
        elif self.path in ("/flaky.csv", "/busy.csv") and Handler.hits[self.path] == 1:
            self.send_error(503 if self.path == "/flaky.csv" else 429)
        elif self.path in ("/flaky.csv", "/busy.csv"):
            self._send(BODY, len(BODY))
        elif self.path == "/broken.csv":
            self.send_error(500)
        elif self.path == "/forbidden.csv":
            self.send_error(403)
        else:
            self.send_error(404)

    def _send(self, body: bytes, length: int) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def source(
    url: str,
    mirror_path: str = "folder/file.csv",
    max_bytes: int = 200_000_000,
    **extra: object,
) -> SourceFile:
    return SourceFile(
        id="test/file",
        title="Test file",
        publisher="Test",
        url=url,
        landing_page=extra.pop("landing_page", url),
        mirror_path=mirror_path,
        format="csv",
        attribution="Test",
        max_bytes=max_bytes,
        date_published=dt.date(2025, 1, 1),
        **extra,
    )


def test_download_streams_and_records_checksum(server: str, tmp_path: Path) -> None:
    seen: list[int] = []
    fetched = download(source(f"{server}/ok.csv"), tmp_path, progress=lambda _id, done, _total: seen.append(done))
    assert fetched.path == tmp_path / "folder" / "file.csv"
    assert fetched.path.read_bytes() == BODY
    assert fetched.sha256 == hashlib.sha256(BODY).hexdigest()
    assert seen[-1] == len(BODY)


def test_interrupted_download_leaves_nothing_half_written(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match=rf"test/file: .*{server}/cut\.csv"):
        download(source(f"{server}/cut.csv"), tmp_path, retries=2, timeout=5)
    assert list((tmp_path / "folder").iterdir()) == []


def test_download_retries_a_503_then_succeeds(server: str, tmp_path: Path) -> None:
    fetched = download(source(f"{server}/flaky.csv"), tmp_path, retries=3, backoff=0.01)
    assert fetched.bytes == len(BODY) and fetched.path.read_bytes() == BODY
    assert Handler.hits["/flaky.csv"] == 2


def test_download_retries_a_429_then_succeeds(server: str, tmp_path: Path) -> None:
    fetched = download(source(f"{server}/busy.csv"), tmp_path, retries=3, backoff=0.01)
    assert fetched.bytes == len(BODY)
    assert Handler.hits["/busy.csv"] == 2


def test_a_404_is_asked_once_and_names_the_source_and_url(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError) as caught:
        download(source(f"{server}/gone.csv"), tmp_path, retries=3, backoff=0.01)
    assert Handler.hits["/gone.csv"] == 1
    message = str(caught.value)
    assert message.startswith("test/file: ")
    assert f"{server}/gone.csv answered HTTP 404 Not Found;" in message
    assert "data/sources.yaml" in message
    assert list((tmp_path / "folder").iterdir()) == []


def test_a_403_is_not_retried(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match="HTTP 403"):
        download(source(f"{server}/forbidden.csv"), tmp_path, retries=3, backoff=0.01)
    assert Handler.hits["/forbidden.csv"] == 1


def test_a_failing_server_is_asked_at_most_retries_times(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match=r"HTTP 500 Internal Server Error \(asked 3 times\)"):
        download(source(f"{server}/broken.csv"), tmp_path, retries=3, backoff=0.01)
    assert Handler.hits["/broken.csv"] == 3


def test_an_unreachable_server_names_the_source_and_url(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/x.csv"
    with pytest.raises(SourceUnavailableError, match=rf"test/file: could not download {url}"):
        download(source(url), tmp_path, retries=2, backoff=0.01, timeout=5)


def test_download_refuses_a_file_far_too_large(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match="exceeds"):
        download(source(f"{server}/ok.csv", max_bytes=1000), tmp_path)


def test_missing_url_names_the_source(server: str, tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match="test/file"):
        download(source(f"{server}/missing.csv"), tmp_path, retries=1)


def test_mirror_reads_the_same_relative_path(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "file.csv").write_bytes(BODY)
    fetched = fetch(source("https://example.org/x.csv"), mirror=tmp_path, downloads_dir=tmp_path / "dl")
    assert fetched.origin.endswith("folder/file.csv") and fetched.bytes == len(BODY)


def test_mirror_without_the_file_says_where_to_get_it(tmp_path: Path) -> None:
    with pytest.raises(SourceUnavailableError, match=r"not in the mirror folder.*example\.org"):
        from_mirror(source("https://example.org/x.csv"), tmp_path)


def test_empty_mirror_file_is_refused(tmp_path: Path) -> None:
    """A broken copy is an error even for an optional source: 'unavailable' would skip it in silence."""
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "file.csv").write_bytes(b"")
    with pytest.raises(DataValidationError, match="empty") as caught:
        from_mirror(source("https://example.org/x.csv"), tmp_path)
    assert not isinstance(caught.value, SourceUnavailableError) and caught.value.problems[0].file == "file.csv"


def test_archive_member_is_taken_out_of_the_zip_by_its_file_name(server: str, tmp_path: Path) -> None:
    wanted = source(f"{server}/book.zip", "folder/return.xlsx", archive_member="EDM 2022 Return.xlsx")
    fetched = download(wanted, tmp_path)
    assert fetched.path == tmp_path / "folder" / "return.xlsx"
    assert fetched.path.read_bytes() == WORKBOOK
    assert fetched.sha256 == hashlib.sha256(WORKBOOK).hexdigest()
    assert fetched.bytes == len(WORKBOOK)
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == ["return.xlsx"]  # no zip, no temporary file


def test_archive_member_may_be_named_by_its_whole_path(server: str, tmp_path: Path) -> None:
    wanted = source(f"{server}/ambiguous.zip", "folder/return.xlsx", archive_member="a/EDM 2022 Return.xlsx")
    assert download(wanted, tmp_path).path.read_bytes() == WORKBOOK


def test_a_missing_archive_member_lists_the_members_and_leaves_nothing(server: str, tmp_path: Path) -> None:
    wanted = source(f"{server}/book.zip", "folder/return.xlsx", archive_member="EDM 2021 Return.xlsx")
    with pytest.raises(SourceUnavailableError) as caught:
        download(wanted, tmp_path)
    message = str(caught.value)
    assert message.startswith("test/file: 'EDM 2021 Return.xlsx' is not in the zip from ")
    assert "'EDM_2022/EDM 2022 Return.xlsx'" in message and "'EDM_2022/README.txt'" in message
    assert "archive_member" in message
    assert list((tmp_path / "folder").iterdir()) == []


def test_an_archive_member_named_twice_is_refused(server: str, tmp_path: Path) -> None:
    wanted = source(f"{server}/ambiguous.zip", "folder/return.xlsx", archive_member="EDM 2022 Return.xlsx")
    with pytest.raises(SourceUnavailableError, match="matches 2 members"):
        download(wanted, tmp_path)
    assert list((tmp_path / "folder").iterdir()) == []


def test_an_archive_member_from_a_file_that_is_not_a_zip_is_refused(server: str, tmp_path: Path) -> None:
    wanted = source(f"{server}/ok.csv", "folder/return.xlsx", archive_member="EDM 2022 Return.xlsx")
    with pytest.raises(SourceUnavailableError, match=r"did not send a zip file"):
        download(wanted, tmp_path)
    assert list((tmp_path / "folder").iterdir()) == []


def test_an_archive_member_over_the_size_limit_is_refused(server: str, tmp_path: Path) -> None:
    # The zip itself (compressed) is under the limit; the member inside is not.
    wanted = source(
        f"{server}/book.zip", "folder/return.xlsx", max_bytes=len(ARCHIVE) + 1, archive_member="EDM 2022 Return.xlsx"
    )
    assert len(WORKBOOK) > len(ARCHIVE) + 1
    with pytest.raises(SourceUnavailableError, match="refusing it"):
        download(wanted, tmp_path)
    assert list((tmp_path / "folder").iterdir()) == []


MANUAL_REASON = "the publisher offers the workbook only from its report page; its file address could not be checked"


def test_a_manual_download_is_never_requested_and_says_where_to_get_it(server: str, tmp_path: Path) -> None:
    page = f"{server}/report-page"
    manual = source(page, "folder/data.xlsx", manual_download=MANUAL_REASON)
    with pytest.raises(SourceUnavailableError) as caught:
        fetch(manual, mirror=None, downloads_dir=tmp_path)
    assert Handler.hits.get("/report-page", 0) == 0
    assert str(caught.value) == (
        f"test/file: not downloaded, because {MANUAL_REASON}. Download the file by hand from {page}, "
        "save it in a mirror folder as folder/data.xlsx, and refresh with --mirror DIR (or CWB_MIRROR=DIR)."
    )
    assert not (tmp_path / "folder").exists()


def test_a_manual_download_missing_from_the_mirror_names_its_landing_page(tmp_path: Path) -> None:
    manual = source("https://example.org/report", "folder/data.xlsx", manual_download=MANUAL_REASON)
    with pytest.raises(SourceUnavailableError, match=r"by hand from https://example\.org/report and save it there"):
        from_mirror(manual, tmp_path)


def test_a_manual_download_is_read_from_the_mirror_like_any_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "data.xlsx").write_bytes(WORKBOOK)
    manual = source("https://example.org/report", "folder/data.xlsx", manual_download=MANUAL_REASON)
    assert fetch(manual, mirror=tmp_path, downloads_dir=tmp_path / "dl").bytes == len(WORKBOOK)


def test_a_manual_download_keeps_no_separate_file_url() -> None:
    with pytest.raises(ValidationError, match="url must be its landing_page"):
        source("https://example.org/x.xlsx", landing_page="https://example.org/report", manual_download=MANUAL_REASON)
    with pytest.raises(ValidationError, match="takes no archive_member"):
        source("https://example.org/report", manual_download=MANUAL_REASON, archive_member="x.xlsx")
