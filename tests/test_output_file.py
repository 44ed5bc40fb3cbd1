"""Files the user asks for (``-o``): written whole or not at all, one clear error for each way it fails.

The library tests use real folders; the read-only drive and the full disk are real too
(a read-only bind mount and a 40 KB tmpfs in a private mount namespace, ``unshare -rm``,
as in tests/test_cli_errors.py), so those run in a subprocess and skip loudly without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cwb_metrics.errors import CwbError, OutputFileError
from cwb_metrics.output_file import check_output_path, write_output
from tests.test_cli_errors import need_mounts, read_only

PYTHON = sys.executable
REPO_ROOT = Path(__file__).resolve().parents[1]


def test_a_file_is_written_whole_with_no_temporary_left(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    payload = bytes(range(256)) * 100
    assert write_output(target, payload) == len(payload)
    assert target.read_bytes() == payload
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]


def test_an_existing_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    write_output(target, b"new")
    assert target.read_text() == "new"


def test_a_folder_given_as_the_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="it is a folder, not a file") as caught:
        write_output(tmp_path, b"x")
    assert str(tmp_path) in str(caught.value) and "-o" in str(caught.value)
    assert isinstance(caught.value, CwbError) and list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused_and_not_made(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.pdf"
    with pytest.raises(OutputFileError, match="does not exist"):
        check_output_path(target)
    assert not (tmp_path / "no").exists()


def test_a_missing_folder_is_made_when_asked(tmp_path: Path) -> None:
    target = tmp_path / "new" / "area.yaml"
    assert check_output_path(target, make_folder=True) == target
    assert (tmp_path / "new").is_dir()


def test_a_file_in_the_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("a file")
    with pytest.raises(OutputFileError, match="is a file, not a folder"):
        check_output_path(tmp_path / "plain" / "out.pdf")
    with pytest.raises(OutputFileError, match="cannot be made"):
        check_output_path(tmp_path / "plain" / "sub" / "out.pdf", make_folder=True)
    assert (tmp_path / "plain").read_text() == "a file"


def test_a_device_is_refused() -> None:
    with pytest.raises(OutputFileError, match="not a regular file"):
        check_output_path("/dev/null")


def _write_in(prefix: tuple[str, ...], target: Path, size: int) -> subprocess.CompletedProcess:
    script = (
        "import sys\nfrom cwb_metrics.output_file import write_output\nfrom cwb_metrics.errors import OutputFileError\n"
        "try:\n    write_output(sys.argv[1], b'x' * int(sys.argv[2]))\n"
        "except OutputFileError as error:\n    print(error)\n    sys.exit(2)\n"
    )
    return subprocess.run([*prefix, PYTHON, "-c", script, str(target), str(size)], capture_output=True,
                          text=True, cwd=REPO_ROOT, timeout=120)  # fmt: skip


def test_a_read_only_folder_is_refused_and_the_old_file_kept(tmp_path: Path) -> None:
    need_mounts()
    target = tmp_path / "briefing.pdf"
    target.write_bytes(b"old briefing")
    result = _write_in(read_only(tmp_path), target, 10)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert str(target) in result.stdout and "cannot be written" in result.stdout
    assert target.read_bytes() == b"old briefing" and sorted(os.listdir(tmp_path)) == ["briefing.pdf"]


def test_a_full_disk_is_one_message_and_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    need_mounts()
    folder = tmp_path / "small"
    folder.mkdir()
    script = 'mount -t tmpfs -o size=40k tmpfs "$1" && echo old > "$1/out.pdf" && shift && exec "$@"'
    prefix = ("unshare", "-rm", "sh", "-c", script, "sh", str(folder))
    listing = "import os,sys; print(sorted(os.listdir(sys.argv[1])), open(sys.argv[1] + '/out.pdf').read())"
    check = f"{PYTHON} -c {listing!r} {folder}"
    command = [*prefix, "sh", "-c", f'"$@"; echo "rc=$?"; {check}', "sh"]
    result = _write_in(tuple(command), folder / "out.pdf", 1_000_000)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Cannot write {folder / 'out.pdf'}: the disk is full. Nothing was written; choose another " \
        "file with -o.", result.stdout  # fmt: skip
    assert lines[1] == "rc=2"
    assert lines[2] == "['out.pdf'] old", "the old file was lost, or a temporary was left"
