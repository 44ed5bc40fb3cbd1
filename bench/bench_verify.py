"""What the integrity check of a data version costs: the first read of a version, and every read after.

Every file of a version is checked against the SHA-256 its manifest recorded the first
time the version is read in a process (see ``cwb_metrics.store``). This prints, for a
built data folder:

* the version's size and file count;
* the first ``version_dir()`` (checks every file), and the median of later calls (cached);
* ``read_all_indicators()`` with a cold and with a warm verdict.

Usage::

    python bench/bench_verify.py --data-dir DIR      # a folder built by `refresh`
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cwb_metrics import store as store_module  # noqa: E402
from cwb_metrics.settings import data_dir  # noqa: E402
from cwb_metrics.store import DataStore  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="a built data folder (default: $CWB_DATA_DIR or ./data)")
    args = parser.parse_args()
    store = DataStore(data_dir(args.data_dir))
    version = store.current_version()
    if version is None:
        sys.exit(f"No data in {store.root}: build it with python -m cwb_metrics refresh")
    files = [p for p in (store.versions_dir / version).rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    print(f"data version {version}: {len(files)} files, {size / 1e6:.2f} MB")

    store_module._VERDICTS.clear()
    started = time.perf_counter()
    store.version_dir()
    first = time.perf_counter() - started
    later = []
    for _ in range(200):
        started = time.perf_counter()
        store.version_dir()
        later.append(time.perf_counter() - started)
    print(f"first version_dir() (checks every file): {first * 1000:.1f} ms")
    print(f"later version_dir() (kept verdict), median of 200: {statistics.median(later) * 1e6:.0f} µs")

    for label, clear in (("cold", True), ("warm", False)):
        if clear:
            store_module._VERDICTS.clear()
        started = time.perf_counter()
        frame = store.read_all_indicators()
        print(f"read_all_indicators() {label}: {(time.perf_counter() - started) * 1000:.1f} ms ({len(frame)} rows)")


if __name__ == "__main__":
    main()
