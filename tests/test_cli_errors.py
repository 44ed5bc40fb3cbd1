"""Errors a user or the disk can cause: one clear line, a non-zero exit, never a traceback (issue 9).

Each test runs the command line as an analyst does (a real subprocess). A read-only drive
and a full disk are real too: a read-only bind mount and a small tmpfs, made in a private
mount namespace with ``unshare -rm`` (the tests skip, loudly, where that is not allowed).
As root, ``chmod`` does not stop writes, so the permission test runs the command as the
unprivileged user ``nobody`` (``setpriv``); as any other user it uses ``chmod`` directly.
Where a test is about data, the data folder must be byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.store import DataStore

REPO_ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
NOBODY = 65534


def run(*args: str, data_dir: Path | str | None = None, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    extra = ["--data-dir", str(data_dir)] if data_dir is not None else []
    command = [*prefix, PYTHON, "-m", "cwb_metrics", *args[:1], *extra, *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300)


def one_clear_line(result: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with one line on stderr, naming ``words``, and no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])
    return lines[0]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def rows(values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"areacd": "E07000178", "areanm": "Oxford", "geography": "district", "indicator": "demo",
             "period": period, "value": value, "unit": "%", "lci_95": None, "uci_95": None, "status": "", "notes": ""}
            for period, value in values.items()
        ]
    )  # fmt: skip


def tiny_store(root: Path) -> DataStore:
    """Two versions of a made-up indicator (the second current)."""
    store = DataStore(root)
    for values in ({"2022": 1.0}, {"2022": 1.0, "2023": 2.0}):
        with store.new_version("import", who="tester") as writer:
            writer.write_indicator("demo", rows(values), ["tester"])
    return store


# ----- --meta records -------------------------------------------------------------------
def test_a_meta_file_that_is_not_utf8_is_one_clear_message(tmp_path: Path, fixtures_dir: Path) -> None:
    store = tiny_store(tmp_path / "data")
    text = (fixtures_dir / "local" / "local_sme_spend.yaml").read_text(encoding="utf-8")
    meta = tmp_path / "meta.yaml"
    meta.write_bytes(text.replace("Local SME spend", "Local SME spend – café").encode("cp1252"))
    before = snapshot(store.root)
    result = run("import", str(fixtures_dir / "local" / "local_sme_spend.csv"), "--meta", str(meta),
                 data_dir=store.root)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "meta.yaml" in result.stderr and "not UTF-8" in result.stderr
    assert snapshot(store.root) == before


@pytest.mark.parametrize(
    ("field", "start"), [("title", "="), ("short_title", "+"), ("threshold.source", "-"), ("origin.producer", "@")]
)
def test_a_meta_record_with_a_formula_is_refused(tmp_path: Path, fixtures_dir: Path, field: str, start: str) -> None:
    import yaml

    record = yaml.safe_load((fixtures_dir / "local" / "local_sme_spend.yaml").read_text(encoding="utf-8"))
    holder, key = (record[field.split(".")[0]], field.split(".")[1]) if "." in field else (record, field)
    holder[key] = f'{start}HYPERLINK("http://evil.example","x")'
    meta = tmp_path / "meta.yaml"
    meta.write_text(yaml.safe_dump(record), encoding="utf-8")
    result = run("import", str(fixtures_dir / "local" / "local_sme_spend.csv"), "--meta", str(meta), "--dry-run",
                 data_dir=tmp_path / "data")  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"column '{field}'" in result.stderr and "formula" in result.stderr


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_every_text_of_a_meta_record_is_checked_for_formulas(fixtures_dir: Path, start: str) -> None:
    import yaml

    from cwb_metrics.build.local_meta import parse_meta_yaml
    from cwb_metrics.errors import DataValidationError

    text = (fixtures_dir / "local" / "local_sme_spend.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    fields = [("title",), ("short_title",), ("definition",), ("unit",), ("why_this_proxy",), ("caveats",),
              ("threshold", "source"), ("threshold", "rationale"), ("origin", "producer"), ("origin", "title"),
              ("origin", "citation"), ("origin", "licence")]  # fmt: skip
    for path in fields:
        changed = yaml.safe_load(text)
        holder = changed if len(path) == 1 else changed[path[0]]
        holder[path[-1]] = f"{start}1+1 {holder[path[-1]]}"
        with pytest.raises(DataValidationError) as caught:
            parse_meta_yaml(yaml.safe_dump(changed), "meta.yaml")
        assert [p.column for p in caught.value.problems] == [".".join(path)], caught.value.problems
    assert parse_meta_yaml(yaml.safe_dump(record), "meta.yaml").id == "local_sme_spend"
    with pytest.raises(DataValidationError, match="control"):
        parse_meta_yaml(yaml.safe_dump({**record, "title": "Local\nSME spend"}), "meta.yaml")


def test_the_committed_catalogue_passes_the_same_text_rules() -> None:
    from cwb_metrics.build.local_meta import text_problems
    from cwb_metrics.indicators.catalogue import load_catalogue

    for meta in load_catalogue().values():
        assert text_problems(meta.model_dump(mode="json", exclude_none=True), meta.id) == []


@pytest.mark.parametrize("kind", ["folder", "missing", "binary", "huge"])
def test_other_bad_meta_files_are_one_clear_message(tmp_path: Path, fixtures_dir: Path, kind: str) -> None:
    meta = tmp_path / "meta.yaml"
    if kind == "folder":
        meta.mkdir()
    elif kind == "binary":
        meta.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    elif kind == "huge":
        meta.write_text("title: " + "x" * 200_000)
    result = run("import", str(fixtures_dir / "local" / "local_sme_spend.csv"), "--meta", str(meta),
                 data_dir=tmp_path / "data")  # fmt: skip
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr and "meta.yaml" in result.stderr


# ----- a reader that goes away -------------------------------------------------------------
def closed_stdout(*args: str, data_dir: Path) -> tuple[int, str]:
    """Run with stdout a pipe whose reader has already gone (``... | head -1`` once head is done)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    command = [PYTHON, "-m", "cwb_metrics", args[0], "--data-dir", str(data_dir), *args[1:]]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    return process.wait(timeout=300), stderr


def test_history_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    code, stderr = closed_stdout("history", data_dir=tiny_store(tmp_path / "data").root)
    assert code == 141 and stderr == ""


@pytest.mark.integration
def test_portrait_into_a_closed_pipe_is_quiet(built_store: DataStore) -> None:
    code, stderr = closed_stdout("portrait", "--area", "Oxford", data_dir=built_store.root)
    assert code == 141 and stderr == ""


@pytest.mark.integration
def test_portrait_piped_into_head_prints_its_first_line(built_store: DataStore) -> None:
    command = f"{PYTHON} -m cwb_metrics portrait --area Oxford --json --data-dir {built_store.root} | head -1"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=300)  # fmt: skip
    assert result.stdout == "{\n" and "Traceback" not in result.stderr
    assert result.returncode in (0, 141)  # 141 when head left before the last write


# ----- read-only folders and full disks -----------------------------------------------------
def _unshare_works() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    script = "mount -t tmpfs tmpfs /mnt 2>&1 || mount -t tmpfs tmpfs /tmp"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=30)
    return None if probe.returncode == 0 else f"unshare -rm cannot mount here ({probe.stderr.strip()[:200]})"


def need_mounts() -> None:
    reason = _unshare_works()
    if reason is not None:
        pytest.skip(f"MOUNT TEST SKIPPED: {reason}; a read-only drive or a full disk cannot be made without it.")


def read_only(folder: Path) -> tuple[str, ...]:
    """A prefix that runs a command with ``folder`` bind-mounted read-only (as on a read-only share)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"'
    return ("unshare", "-rm", "sh", "-c", script, "sh", str(folder))


def test_writing_to_a_read_only_data_folder_is_one_clear_message(tmp_path: Path) -> None:
    need_mounts()
    store = tiny_store(tmp_path / "data")
    first = store.history()[0]["version"]
    before = snapshot(store.root)
    result = run("rollback", first, data_dir=store.root, prefix=read_only(store.root))
    one_clear_line(result, str(store.root), "read-only", "--data-dir")
    assert result.returncode == 2 and snapshot(store.root) == before


def test_reading_a_read_only_data_folder_works(tmp_path: Path) -> None:
    need_mounts()
    store = tiny_store(tmp_path / "data")
    result = run("history", "--json", data_dir=store.root, prefix=read_only(store.root))
    assert result.returncode == 0, result.stderr
    assert [h["state"] for h in json.loads(result.stdout)] == ["kept", "current"]


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another (unprivileged) user can reach, unlike pytest's private tmp_path."""
    folder = Path(tempfile.mkdtemp(prefix="cwb-shared-", dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_data_folder_without_write_permission_is_one_clear_message(shared_folder: Path) -> None:
    store = tiny_store(shared_folder / "data")
    first = store.history()[0]["version"]
    for path in [store.root, *store.root.rglob("*")]:
        if path.is_dir():
            path.chmod(0o555)
    before = snapshot(store.root)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root writes through chmod: run as an analyst without write access
        if shutil.which("setpriv") is None:
            pytest.skip("PERMISSION TEST SKIPPED: running as root and setpriv is missing to drop privileges")
        prefix = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    result = run("rollback", first, data_dir=store.root, prefix=prefix)
    one_clear_line(result, str(store.root), "permissions")
    assert result.returncode == 2 and snapshot(store.root) == before


FULL_DISK_DRIVER = r"""
import hashlib, json, subprocess, sys, os
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from tests.test_cli_errors import tiny_store, snapshot
root = Path(sys.argv[1]) / "data"
store = tiny_store(root)
first = store.history()[0]["version"]
filler = os.open(Path(sys.argv[1]) / "filler", os.O_WRONLY | os.O_CREAT)  # fill the disk up
try:
    while True:
        os.write(filler, b"\1" * 4096)
except OSError:
    os.close(filler)
before = snapshot(root)
command = [sys.executable, "-m", "cwb_metrics", "rollback", "--data-dir", str(root), first]
result = subprocess.run(command, capture_output=True, text=True, cwd=sys.argv[2], timeout=300)
print(json.dumps({"code": result.returncode, "stderr": result.stderr, "same": snapshot(root) == before,
                  "leftovers": [p.name for p in (root / "versions").iterdir() if p.name.startswith(".tmp")]}))
"""


def test_a_full_disk_is_one_clear_message_and_changes_nothing(tmp_path: Path) -> None:
    need_mounts()
    driver = tmp_path / "driver.py"
    driver.write_text(FULL_DISK_DRIVER)
    disk = tmp_path / "disk"
    disk.mkdir()
    script = 'mount -t tmpfs -o size=512k tmpfs "$1" && exec "$2" "$3" "$1" "$4"'
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(disk), PYTHON, str(driver),
                             str(REPO_ROOT)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["code"] == 2, outcome
    assert "Traceback" not in outcome["stderr"] and "is full" in outcome["stderr"], outcome
    assert len(outcome["stderr"].strip().splitlines()) == 1
    assert outcome["same"] and outcome["leftovers"] == []


# ----- damaged data -------------------------------------------------------------------
def test_damaged_current_data_names_the_file_and_the_rollback(tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "data")
    first, second = (h["version"] for h in store.history())
    path = store.versions_dir / second / "indicators" / "demo.csv"
    path.write_text(path.read_text().splitlines(keepends=True)[0])  # cut to its header
    line = one_clear_line(run("validate", str(path), data_dir=store.root), f"versions/{second}/indicators/demo.csv")
    assert f"rollback --data-dir {store.root} {first}" in line
    # the command it names works, and the data reads again
    assert run("rollback", "--data-dir", str(store.root), first).returncode == 0
    assert DataStore(store.root).read_indicator("demo")["period"].tolist() == ["2022"]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (lambda s: s.current_file.write_bytes(b"\x00\xff\xfe\x01binary"), "CURRENT holds binary bytes"),
        (lambda s: shutil.rmtree(s.versions_dir / s.history()[-1]["version"]), "no longer exists"),
        (lambda s: (s.versions_dir / s.history()[-1]["version"] / "manifest.json").write_text("{"), "not valid JSON"),
        (lambda s: s.current_file.write_text("../../../etc\n"), "not a data version id"),
    ],
    ids=["binary CURRENT", "CURRENT names a missing version", "manifest not JSON", "CURRENT escapes"],
)
def test_every_kind_of_damage_is_one_clear_message(tmp_path: Path, damage, words: str) -> None:
    store = tiny_store(tmp_path / "data")
    first = store.history()[0]["version"]
    damage(store)
    one_clear_line(run("validate", str(tmp_path / "x.csv"), data_dir=store.root), words, "rollback", first)


@pytest.mark.integration
def test_a_truncated_indicator_never_shows_an_older_period(built_store: DataStore, tmp_path: Path) -> None:
    from cwb_metrics.build.importer import rollback

    store = DataStore(tmp_path / "data")
    shutil.copytree(built_store.root, store.root)
    intact = store.current_version()
    second = rollback(store, intact)  # a second version, sharing the first one's files
    path = store.versions_dir / second / "indicators" / "gdhi_per_head.csv"
    text = path.read_text()
    path.unlink()  # e.g. a sync client rewriting the file: the first version keeps its copy
    path.write_text("".join(line for line in text.splitlines(keepends=True) if ",2023," not in line))
    result = run("portrait", "--area", "West Oxfordshire", data_dir=store.root)
    one_clear_line(result, "gdhi_per_head.csv", "rollback", intact)
    assert result.stdout == ""  # no portrait built on 2022 figures


# ----- the folder and the arguments ---------------------------------------------------------
def test_a_data_dir_that_is_a_file_is_one_clear_message(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("oops")
    for args in (("history",), ("rollback", "v0001"), ("validate", str(not_a_folder))):
        one_clear_line(run(*args, data_dir=not_a_folder), "is a file, not a folder")


def test_a_data_dir_that_does_not_exist_says_how_to_build_and_creates_nothing(tmp_path: Path) -> None:
    result = run("history", data_dir=tmp_path / "nowhere")
    assert result.returncode == 0 and "No data versions yet" in result.stdout
    one_clear_line(run("rollback", "v0001", data_dir=tmp_path / "nowhere"), "No data version matches")
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("version", ["../../etc", "../versions/..", "", "v"])
def test_rollback_to_a_path_is_refused(tmp_path: Path, version: str) -> None:
    store = tiny_store(tmp_path / "data")
    before = snapshot(store.root)
    one_clear_line(run("rollback", version, data_dir=store.root), "data version")
    assert snapshot(store.root) == before


def test_an_area_name_that_is_not_utf8_is_one_clear_message(tmp_path: Path) -> None:
    store = tiny_store(tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    command = [PYTHON.encode(), b"-m", b"cwb_metrics", b"portrait", b"--data-dir", str(store.root).encode(),
               b"--area", b"Ox\xffford\xfe"]  # fmt: skip
    result = subprocess.run(command, capture_output=True, cwd=REPO_ROOT, env=env, timeout=300)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "Traceback" not in stderr and stderr.startswith("error:")


def test_folders_made_by_a_write_can_be_used_by_a_second_analyst(shared_folder: Path) -> None:
    """Analyst A (root, umask 002) writes; analyst B (another user in the group) reads and writes after."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("SHARING TEST SKIPPED: needs root and setpriv to act as two users")
    folder = shared_folder / "data"
    code = (
        "import os, sys; os.umask(0o002); sys.path.insert(0, '.'); "
        "from tests.test_cli_errors import tiny_store; from pathlib import Path; "
        f"tiny_store(Path('{folder}'))"
    )
    subprocess.run([PYTHON, "-c", code], check=True, cwd=REPO_ROOT, timeout=120)
    for path in [folder, *folder.rglob("*")]:
        os.chown(path, 0, NOBODY)  # the team's group
    assert stat.S_IMODE((folder / "CURRENT").stat().st_mode) == 0o664
    prefix = ("setpriv", "--reuid=12345", f"--regid={NOBODY}", "--clear-groups", "--inh-caps=-all")
    first = DataStore(folder).history()[0]["version"]
    result = run("rollback", first, data_dir=folder, prefix=prefix)
    assert result.returncode == 0, result.stderr


def test_a_meta_record_with_yaml_aliases_is_refused_quickly(tmp_path: Path, fixtures_dir: Path) -> None:
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 10)}]\n" for n in range(8)
    )  # expands to 10^9 strings if aliases are followed
    meta = tmp_path / "meta.yaml"
    meta.write_text(laughs, encoding="utf-8")
    result = run("import", str(fixtures_dir / "local" / "local_sme_spend.csv"), "--meta", str(meta),
                 data_dir=tmp_path / "data")  # fmt: skip
    assert result.returncode == 1 and "aliases" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.integration
def test_when_no_version_is_intact_the_advised_refresh_rebuilds(built_store: DataStore, mirror: Path, tmp_path: Path):
    store = DataStore(tmp_path / "data")
    shutil.copytree(built_store.root, store.root)
    only = store.current_version()
    path = store.versions_dir / only / "indicators" / "gdhi_per_head.csv"
    path.write_bytes(path.read_bytes()[:-200])
    line = one_clear_line(run("portrait", "--area", "Oxford", data_dir=store.root), "No earlier version is intact")
    assert "python -m cwb_metrics refresh" in line
    result = run("refresh", "--mirror", str(mirror), data_dir=store.root)
    assert result.returncode == 0, result.stderr
    assert run("portrait", "--area", "Oxford", data_dir=store.root).returncode == 0
    assert "damaged" in DataStore(store.root).manifest()["note"]


def test_a_meta_file_that_is_a_device_is_refused_not_read_for_ever(tmp_path: Path, fixtures_dir: Path) -> None:
    result = run("import", str(fixtures_dir / "local" / "local_sme_spend.csv"), "--meta", "/dev/zero",
                 data_dir=tmp_path / "data")  # fmt: skip
    assert result.returncode == 1 and "not a regular file" in result.stderr and "Traceback" not in result.stderr
