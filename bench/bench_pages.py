"""How fast each page of the app runs, and how many bytes each chart sends to the browser.

For every page (run on its own with Streamlit's ``AppTest``, as the smoke tests do):

* **cold**: the first run in a fresh process with empty caches (reads the data, builds the charts);
* **warm**: a new session when the caches are full (what the next visitor gets);
* **rerun**: the same session after a click (a widget change), which must not read files
  or rebuild geometry.

Then the payload of every chart the pages draw: the bytes of Vega-Lite JSON
(``json.dumps(chart.to_dict())``, the size a browser receives) and, as Streamlit sends
it, the spec plus its Arrow data sets. The Oxfordshire LSOA map must stay <= 400 KB.

Usage::

    CWB_DATA_DIR=DIR python bench/bench_pages.py      # data already built in DIR
    python bench/bench_pages.py --mirror ../shared/data  # build it first in a temporary folder

Prints a table; exits 1 when the map budget is exceeded.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

# AppTest runs pages without a server; Streamlit warns about that on every cache call.
os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
import streamlit.logger

streamlit.logger.set_log_level("ERROR")

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: Largest Vega-Lite JSON (bytes) allowed for the Oxfordshire LSOA map.
MAP_BUDGET = 400 * 1024
PAGES = {
    "portrait": REPO / "pages" / "portrait.py",
    "explorer": REPO / "pages" / "explorer.py",
    "deprivation_map": REPO / "pages" / "deprivation_map.py",
}


def kb(n: int) -> str:
    return f"{n / 1024:,.1f} KB"


def ensure_data(mirror: Path | None) -> Path:
    """Return a data folder with built data: ``$CWB_DATA_DIR`` if built, else refresh from the mirror."""
    from cwb_metrics.settings import data_dir
    from cwb_metrics.store import DataStore

    store = DataStore(data_dir())
    if store.current_version() is not None:
        return store.root
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.build.refresh import refresh

    mirror = mirror or (REPO.parent / "shared" / "data")
    target = Path(tempfile.mkdtemp(prefix="cwb-bench-data-"))
    print(f"no data in {store.root}: refreshing from {mirror} into {target} ...")
    started = time.perf_counter()
    refresh(DataStore(target), load_area_config(), mirror=mirror.resolve())
    print(f"  refreshed in {time.perf_counter() - started:.1f} s\n")
    return target


def clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def run(path: Path, **query: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(path), default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    started = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - started
    if at.exception:
        raise SystemExit(f"{path.name} raised: {at.exception[0].value}")
    return at, seconds


def click(name: str, at) -> None:
    """Change one widget, as a user would, on each page."""
    if name == "portrait":
        at.selectbox(key="area").select("E07000178")
    elif name == "explorer":
        options = at.selectbox(key="indicator").options
        at.selectbox(key="indicator").select_index(min(5, len(options) - 1))
    else:
        at.selectbox(key="district").select("E07000178")


def proto_bytes(at) -> list[tuple[str, int]]:
    """Per chart on the page: (key, spec JSON + Arrow data set bytes, as Streamlit sends them)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        proto = chart.proto
        size = len(proto.spec.encode("utf-8")) + len(proto.data.data)
        size += sum(len(d.data.data) for d in proto.datasets)
        out.append((proto.id.split("-")[-1][:24] or "chart", size))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, help="build the data from this folder when none is built")
    args = parser.parse_args()
    os.environ["CWB_DATA_DIR"] = str(ensure_data(args.mirror))

    from app_support import cached
    from cwb_metrics.charts.maps import payload_bytes
    from cwb_metrics.views.map_request import MapRequest

    print(f"data: {os.environ['CWB_DATA_DIR']}\n")
    print(
        f"{'page':<18}{'cold s':>8}{'warm s':>8}{'rerun s':>9}   charts sent by Streamlit (spec + Arrow data): "
        "first view -> after the click"
    )
    clear_caches()
    for name, path in PAGES.items():
        _, cold = run(path)
        at, warm = run(path)
        before = ", ".join(f"{kb(n)}" for _key, n in proto_bytes(at))
        click(name, at)
        started = time.perf_counter()
        at.run()
        rerun = time.perf_counter() - started
        sent = ", ".join(f"{kb(n)}" for _key, n in proto_bytes(at))
        print(f"{name:<18}{cold:>8.2f}{warm:>8.2f}{rerun:>9.2f}   {before} -> {sent}")

    print("\nVega-Lite JSON of each chart (json.dumps(chart.to_dict())):")
    ref = cached.data_ref()
    config = cached.area_config()
    rows: list[tuple[str, int, float]] = []

    def measure(label: str, build) -> int:
        started = time.perf_counter()
        chart = build()
        size = payload_bytes(chart) if hasattr(chart, "to_dict") else len(json.dumps(chart).encode("utf-8"))
        rows.append((label, size, time.perf_counter() - started))
        return size

    for area in (config.county_code, "E07000178", "blackbird-leys"):
        measure(f"doughnut, {area}", lambda a=area: cached.portrait_chart(ref, a, "latest", "doughnut"))
        measure(f"unrolled bars, {area}", lambda a=area: cached.portrait_chart(ref, a, "latest", "bars"))
    first = next(iter(cached.catalogue()))
    compare = [config.county_code, config.country_code, *(d.code for d in config.districts)]
    measure(f"trend, {first}, 7 areas", lambda: cached.trend_spec(ref, first, tuple(compare)))
    budget_ok = True
    for edition in (2019, 2025):
        size = measure(
            f"LSOA map, IMD {edition}, county", lambda e=edition: cached.lsoa_map(ref, MapRequest("imd", e, "imd"))
        )
        budget_ok &= size <= MAP_BUDGET
        measure(
            f"LSOA map, IMD {edition}, Oxford + Blackbird Leys",
            lambda e=edition: cached.lsoa_map(ref, MapRequest("imd", e, "imd", "E07000178", "blackbird-leys")),
        )
    size = measure(
        "LSOA map, change 2019 to 2025, county", lambda: cached.lsoa_map(ref, MapRequest("change", 2025, "imd"))
    )
    budget_ok &= size <= MAP_BUDGET
    for label, size, seconds in rows:
        print(f"  {label:<44}{kb(size):>12}   built and serialised in {seconds:.2f} s (cached after)")
    verdict = "within" if budget_ok else "OVER"
    print(f"\nOxfordshire LSOA map budget {kb(MAP_BUDGET)}: {verdict} budget.")
    return 0 if budget_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
