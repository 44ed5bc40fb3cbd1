"""Councils other than Oxfordshire: refresh, league and map payloads, against the raw-read floor.

Prints, on the mirror's real files:

* the **raw-read floor**: the time to only read and parse every source file the refresh
  reads (CSV with pandas, XLSX with calamine, JSON/GeoJSON with ``json``), the least any
  build from these files can take;
* ``init-area`` and a full **refresh** for a second council (Cornwall by default; ``--code``
  for another), with its time, its stages, and peak memory (tracemalloc, in a separate run);
* a **league** build (every English council, from the data version's files), with time and
  peak memory, and the England district map (time and bytes);
* the **map payloads** the deprivation map page sends (IMD 2025, IMD 2019 and the change,
  with ward outlines and tooltips, measured on an AppTest run: the spec JSON with the geometry
  plus the values as Arrow) for Cornwall (326 LSOAs 2011 / 336 LSOAs 2021) and Leeds
  (482 / 488), and the league map; the target is at most 400 KB, the aim 150 KB. Streamlit
  also keeps every element over 10 KB in the browser by hash, so a rerun that leaves a map
  unchanged sends a reference, not the map again.

Usage::

    python bench/bench_councils.py [--mirror DIR] [--code E06000052] [--also E08000035]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cwb_metrics.areas.config import load_area_config  # noqa: E402
from cwb_metrics.areas.init_area import WARD_SOURCES, build_area_config, write_area_config  # noqa: E402
from cwb_metrics.areas.national import NATIONAL_SOURCES, national_geography  # noqa: E402
from cwb_metrics.build.local_meta import catalogue_for  # noqa: E402
from cwb_metrics.build.refresh import refresh  # noqa: E402
from cwb_metrics.charts.maps import payload_bytes  # noqa: E402
from cwb_metrics.compare.lad_map import load_lad_topology  # noqa: E402
from cwb_metrics.compare.league import build_league  # noqa: E402
from cwb_metrics.settings import mirror_dir  # noqa: E402
from cwb_metrics.sources.registry import load_sources  # noqa: E402
from cwb_metrics.store import DataStore  # noqa: E402
from cwb_metrics.views.councils import councils_view, map_chart, measures  # noqa: E402

TARGET_KB, AIM_KB = 400, 150


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


def raw_read_floor(mirror: Path) -> float:
    """Seconds to read and parse every source file of data/sources.yaml that the mirror has."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    for source in load_sources().values():
        path = mirror / source.mirror_path
        if not path.is_file():
            continue
        if source.format in ("csv", "csv.gz"):
            pd.read_csv(path, encoding="utf-8-sig", dtype=str, encoding_errors="replace")
        elif source.format in ("xlsx", "xls"):
            book = CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
        else:
            raw = path.read_bytes()
            json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    return time.perf_counter() - started


def peak_mb(function, *args, **kwargs) -> float:
    """Peak Python memory (tracemalloc) of one call, in MB."""
    tracemalloc.start()
    function(*args, **kwargs)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


MAPS = {"IMD 2025": {}, "IMD 2019": {"edition": "2019"}, "change 2019-2025": {"edition": "change"}}


def imd_payloads(store: DataStore, config_path: Path, label: str) -> None:
    """The deprivation map page's maps for a refreshed council, as the page draws them and Streamlit sends them.

    Two figures per map: the chart's Vega-Lite JSON (``payload_bytes``: geometry and values
    as JSON) and the bytes of the element Streamlit sends (the spec JSON with the geometry,
    plus the values as Arrow), from an AppTest run of ``pages/deprivation_map.py``.
    """
    import os

    from streamlit.testing.v1 import AppTest

    from cwb_metrics.geo.tables import read_topology
    from cwb_metrics.views import deprivation_map as view
    from cwb_metrics.views.map_request import MapRequest

    os.environ["CWB_DATA_DIR"], os.environ["CWB_AREAS"] = str(store.root), str(config_path)
    for name, query in MAPS.items():
        request = MapRequest.of(query.get("edition", "2025"), "imd")
        layers = view.map_layers(request, lambda n: read_topology(store, n))
        if request.kind == "change":
            from cwb_metrics.deprivation.change import lsoa_change

            table = lsoa_change(store, index="imd")
        else:
            table = store.read_table(f"lsoa/imd{request.edition}.parquet")
        json_size = payload_bytes(view.lsoa_map(request, layers, view.map_values(request, table), ()))
        at = AppTest.from_file(str(REPO / "pages" / "deprivation_map.py"), default_timeout=300)
        for key, value in query.items():
            at.query_params[key] = value
        proto = at.run().get("vega_lite_chart")[0].proto
        sent = len(proto.spec.encode("utf-8")) + len(proto.data.data) + sum(len(d.data.data) for d in proto.datasets)
        areas = len(layers.lsoas["objects"][request.object_name]["geometries"])
        verdict = "aim met" if sent <= AIM_KB * 1024 else ("under the limit" if sent <= TARGET_KB * 1024 else "OVER")
        print(f"  {label} {name} ({areas} LSOAs): sent {kb(sent)} ({verdict}; aim {AIM_KB} KB, limit {TARGET_KB} KB);"
              f" as Vega-Lite JSON {kb(json_size)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, default=mirror_dir() or (REPO.parent / "shared" / "data"))
    parser.add_argument("--code", default="E06000052", help="the council refreshed (default Cornwall)")
    parser.add_argument("--also", default="E08000035", help="a second council whose map payload is measured (Leeds)")
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    sources = load_sources()
    print(f"mirror: {mirror}")

    floor = raw_read_floor(mirror)
    print(f"raw-read floor (read and parse every source file once): {floor:.1f} s\n")

    paths = {s: mirror / sources[s].mirror_path for s in (*NATIONAL_SOURCES, *WARD_SOURCES)}
    paths = {s: p for s, p in paths.items() if p.is_file()}
    started = time.perf_counter()
    geo = national_geography(paths)
    print(f"national lookups read (every LSOA in its current district): {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        stores = {}
        for code in (args.code, args.also):
            started = time.perf_counter()
            config_path = write_area_config(build_area_config(code, paths, geo=geo), root / f"{code}.yaml")
            made = time.perf_counter() - started
            config = load_area_config(path=config_path)
            store = DataStore(root / code)
            started = time.perf_counter()
            result = refresh(store, config, mirror=mirror)
            seconds = time.perf_counter() - started
            stores[code] = store
            print(f"\n{config.county_name} ({code}): init-area {made:.1f} s; refresh {seconds:.1f} s "
                  f"({seconds / floor:.1f} x the raw-read floor)")  # fmt: skip
            for stage, spent in result.seconds.items():
                print(f"  stage {stage:<26} {spent:6.2f} s")
            if code == args.code:
                memory = peak_mb(refresh, DataStore(root / f"{code}-memory"), config, mirror=mirror)
                print(f"  peak Python memory during the refresh (tracemalloc): {memory:.0f} MB")

        store = stores[args.code]
        started = time.perf_counter()
        league = build_league(store)
        seconds = time.perf_counter() - started
        print(f"\nleague of {len(league.areas)} councils: {seconds:.1f} s ({seconds / floor:.1f} x the raw-read floor)")
        print(f"  peak Python memory during the league build (tracemalloc): {peak_mb(build_league, store):.0f} MB")
        started = time.perf_counter()
        topology = load_lad_topology(store)
        print(f"  England district map (dissolved from LSOAs 2021, cached): {time.perf_counter() - started:.1f} s, "
              f"{kb(len(json.dumps(topology, separators=(',', ':'))))}")  # fmt: skip
        print(f"  maximum resident memory of this process so far: "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip

        print("\nmap payloads (the deprivation map page, whole council, overall IMD):")
        for code in (args.code, args.also):
            config_path = root / f"{code}.yaml"
            imd_payloads(stores[code], config_path, load_area_config(path=config_path).county_name)
        first = measures(league, catalogue_for(store))[0]
        view = councils_view(league, first, args.code, [])
        chart = map_chart(topology, view)
        print(f"  league map, {len(view.map_values)} districts: {kb(payload_bytes(chart))} as Vega-Lite JSON")


if __name__ == "__main__":
    main()
