"""Concurrent viewers: N real browser sessions opening one page of one `streamlit run` server at once.

Each session is a WebSocket client speaking Streamlit's own protocol (the ``BackMsg`` /
``ForwardMsg`` protobufs the browser sends and receives): it asks for the page, as a browser
opening its URL does, and is timed until the server says the script run finished. No browser is
needed, so 20 sessions fit on two cores.

Two rounds on a freshly started server:

* **first viewers**: N sessions open the page at the same moment on a cold server;
* **next viewers**: N new sessions open it again (what everyone after them gets).

Run it against this checkout and, with ``--compare``, another (e.g. a worktree of ``main``) on
the same data, to print the medians before and after::

    CWB_DATA_DIR=DIR python bench/bench_sessions.py --page briefing --sessions 20 --compare /path/to/main

``--what-ifs N`` then opens the portrait with N distinct ``?whatif=`` thresholds (20 sessions at a
time) and prints the server's memory before and after: every cache is bounded and keyed on the
slider's grid, so it must level off (issue 9: 500 values grew the server from 439 to 565 MB).

Without ``CWB_DATA_DIR`` (or ``--data-dir``) it writes the fixture data version
(``tests/fixtures/version``) into a temporary folder and runs on that.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A ``streamlit run app.py`` process on a free port."""

    process: subprocess.Popen[bytes]
    port: int

    @classmethod
    def start(cls, app_dir: Path, env: dict[str, str]) -> Server:
        port = free_port()
        command = [
            sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
            "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        ]  # fmt: skip
        process = subprocess.Popen(command, cwd=app_dir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return cls(process, port)
            except OSError:
                time.sleep(0.3)
        process.kill()
        raise SystemExit(f"streamlit did not start in {app_dir}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def rss_mb(self) -> float:
        """The server's resident memory (MB), from /proc."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def open_page(port: int, page: str, query: str, timeout: float) -> float:
    """One session: connect, ask for the page, wait until its script run has finished; return seconds."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    origin = f"http://127.0.0.1:{port}"
    with connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        additional_headers={"Origin": origin},
        max_size=None,
        open_timeout=timeout,
    ) as websocket:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = page
        started = time.perf_counter()
        websocket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(websocket.recv(timeout=timeout))
            if forward.WhichOneof("type") == "script_finished":
                if forward.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - started
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError(f"{page}: the script did not compile")


def round_of(port: int, page: str, query: str, sessions: int, timeout: float) -> list[float]:
    """``sessions`` sessions opening the page at the same moment; their times, in seconds."""
    times: list[float] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(sessions)

    def viewer() -> None:
        barrier.wait()
        try:
            times.append(open_page(port, page, query, timeout))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=viewer) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} of {sessions} sessions failed: {errors[0]!r}")
    return sorted(times)


def what_if_memory(server: Server, count: int, timeout: float) -> str:
    """Open the portrait with ``count`` distinct what-if thresholds; the server's memory along the way."""
    marks = []
    done = 0
    while done < count:
        batch = min(20, count - done)
        threads = [
            threading.Thread(
                target=open_page,
                args=(server.port, "", f"whatif=gdhi_per_head:{13000 + 47.3 * (done + i):.1f}", timeout),
            )
            for i in range(batch)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        done += batch
        if done % 100 == 0 or done in (20, count):
            marks.append(f"{done}: {server.rss_mb():.0f} MB")
    return ", ".join(dict.fromkeys(marks))


def bench(
    app_dir: Path, env: dict[str, str], page: str, query: str, sessions: int, timeout: float, what_ifs: int
) -> dict[str, str]:
    server = Server.start(app_dir, env)
    try:
        started_mb = server.rss_mb()
        first = round_of(server.port, page, query, sessions, timeout)
        second = round_of(server.port, page, query, sessions, timeout)
        out = {
            "first viewers": f"median {statistics.median(first):6.2f} s, max {first[-1]:6.2f} s",
            "next viewers": f"median {statistics.median(second):6.2f} s, max {second[-1]:6.2f} s",
            "server memory": f"{started_mb:.0f} MB at start, {server.rss_mb():.0f} MB after",
        }
        if what_ifs:
            out["what-ifs"] = (
                f"server memory after N distinct ?whatif values: {what_if_memory(server, what_ifs, timeout)}"
            )
        return out
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page", default="briefing", help="the page's URL path (default: briefing)")
    parser.add_argument("--query", default="", help="its query string, e.g. area=E07000178")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds one session may wait")
    parser.add_argument("--data-dir", type=Path, help="the data folder (default: $CWB_DATA_DIR, else the fixture)")
    parser.add_argument("--compare", type=Path, help="another checkout to run the same bench on first ('before')")
    parser.add_argument("--what-ifs", type=int, default=0, help="then open the portrait with N distinct what-ifs")
    args = parser.parse_args()

    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    data = args.data_dir or (Path(env["CWB_DATA_DIR"]) if env.get("CWB_DATA_DIR") else None)
    if data is None:
        from tests.fixtures.version.build import AREAS, build_fixture_version

        data = Path(tempfile.mkdtemp(prefix="cwb-bench-fixture-"))
        build_fixture_version(data)
        env["CWB_AREAS"] = str(AREAS)
    env["CWB_DATA_DIR"] = str(Path(data).resolve())
    print(f"{args.sessions} concurrent sessions opening /{args.page}?{args.query} on {env['CWB_DATA_DIR']}")
    runs = [("before", args.compare.resolve())] if args.compare else []
    runs.append(("after" if args.compare else "this checkout", REPO))
    for label, app_dir in runs:
        result = bench(app_dir, env, args.page, args.query, args.sessions, args.timeout, args.what_ifs)
        print(f"\n{label} ({app_dir}):")
        for key, value in result.items():
            print(f"  {key:<14} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
