"""Benchmark: a full refresh from the mirror, and portrait computations; prints figures and peak memory.

Usage: python bench/bench_refresh.py [--mirror DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.build.refresh import refresh
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.settings import mirror_dir
from cwb_metrics.store import DataStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mirror", default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mirror = mirror_dir(args.mirror) or (Path(__file__).resolve().parents[2] / "shared" / "data")
    print(f"mirror: {mirror}")

    with tempfile.TemporaryDirectory() as folder:
        store = DataStore(Path(folder))
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = refresh(store, load_area_config(), mirror=mirror)
            timings.append(time.perf_counter() - started)
        # Memory is traced in a separate run: tracing slows Python several times over.
        tracemalloc.start()
        refresh(store, load_area_config(), mirror=mirror)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"refresh from mirror: best {min(timings):.2f} s, worst {max(timings):.2f} s over {args.repeat} runs")
        for stage, seconds in result.seconds.items():
            print(f"  stage {stage:<22} {seconds:6.2f} s")
        print(
            f"  {len(result.indicators)} indicators, {sum(result.indicators.values()):,} rows, "
            f"{len(result.tables)} tables"
        )
        print(f"  peak Python memory during refresh (tracemalloc): {peak / 1e6:.1f} MB")

        catalogue = load_catalogue()
        data = store.read_all_indicators()
        for area in ("Oxfordshire", "Oxford", "Cherwell", "Blackbird Leys", "Banbury"):
            started = time.perf_counter()
            runs = 10
            for _ in range(runs):
                portrait = portrait_for(store, area, catalogue=catalogue, data=data)
            per = (time.perf_counter() - started) / runs
            with_data = sum(1 for e in portrait.entries if e.status != "missing")
            print(
                f"portrait {area:<15} {per * 1000:7.1f} ms  ({with_data} of {len(portrait.entries)} entries with data)"
            )
    print(f"peak resident memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
