"""Map payloads and geometry build time, on the real boundary files of the mirror.

Prints the bytes of Vega-Lite JSON each map sends to the browser (``json.dumps`` of
``chart.to_dict()``, as Streamlit sends it) for:

* the naive ``alt.Chart(geodataframe).mark_geoshape()`` of Oxfordshire's 407 LSOAs;
* our LSOA 2011 map (IMD 2019 deciles), LSOA 2021 map (IMD 2025 deciles) and ward map;

plus the time ``build_geometry`` takes at refresh and the time to build each chart and
turn it into a spec (what every Streamlit rerun pays).

Usage::

    python bench/bench_map_payload.py [--mirror DIR] [--png DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import altair as alt
import geopandas as gpd
import pandas as pd
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cwb_metrics.charts import theme  # noqa: E402
from cwb_metrics.charts.maps import choropleth, payload_bytes  # noqa: E402
from cwb_metrics.geo.tables import GEOMETRY_TABLES, build_geometry  # noqa: E402
from cwb_metrics.models.area import AreaConfig  # noqa: E402
from cwb_metrics.settings import AREAS_DIR, area_config_id, mirror_dir  # noqa: E402
from cwb_metrics.sources.context import BuildContext  # noqa: E402
from cwb_metrics.sources.fetch import from_mirror  # noqa: E402
from cwb_metrics.sources.registry import load_sources  # noqa: E402


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, default=mirror_dir() or (REPO.parent / "shared" / "data"))
    parser.add_argument("--png", type=Path, help="also render each map to PNG in this folder (vl-convert)")
    args = parser.parse_args()
    mirror = args.mirror.resolve()
    sources = load_sources()
    areas = AreaConfig.model_validate(yaml.safe_load((AREAS_DIR / f"{area_config_id()}.yaml").read_text()))
    print(f"mirror: {mirror}\narea:   {areas.county_name} ({len(areas.districts)} districts)\n")

    # --- geometry at refresh -------------------------------------------------------------
    files = {t.source: from_mirror(sources[t.source], mirror) for t in GEOMETRY_TABLES}
    start = time.perf_counter()
    outputs = build_geometry(BuildContext(files=files, areas=areas))
    elapsed = time.perf_counter() - start
    topologies = {o.relative: o.payload for o in outputs}
    print(f"build_geometry (refresh): {elapsed:.2f} s")
    for output in outputs:
        raw = files[output.built_from[0]].bytes
        size = len(json.dumps(output.payload, separators=(",", ":")))
        print(f"  {output.relative:26} {kb(size):>8}  (source file {kb(raw)})")
    print()

    # --- naive map -----------------------------------------------------------------------
    lsoa11_path = files["boundaries/lsoa11"].path
    gdf = gpd.read_file(lsoa11_path)
    naive = alt.Chart(gdf).mark_geoshape().encode(color="LSOA11CD:N")
    rows = [("naive alt.Chart(gdf).mark_geoshape(), 407 LSOAs", naive)]

    # --- our maps ------------------------------------------------------------------------
    imd19 = pd.read_csv(from_mirror(sources["imd/2019/file1"], mirror).path, encoding="utf-8-sig")
    imd19 = imd19.iloc[:, [0, 4, 5]].set_axis(["code", "imd_rank", "imd_decile"], axis=1)
    imd25 = pd.read_csv(from_mirror(sources["imd/2025/file7"], mirror).path, encoding="utf-8-sig")
    imd25 = imd25[["lsoa21_code", "IMD_rank", "IMD_decile"]].set_axis(["code", "imd_rank", "imd_decile"], axis=1)
    credits = [theme.OS_ONS_CREDIT, theme.IMD_CREDIT]
    for name, imd, year in (("lsoa11", imd19, 2019), ("lsoa21", imd25, 2025)):
        topo = topologies[f"geo/{name}.topo.json"]
        # The page sends the county's rows only: filter before drawing.
        codes = {m["properties"]["code"] for m in topo["objects"][name]["geometries"]}
        start = time.perf_counter()
        chart = choropleth(
            topo,
            name,
            imd[imd["code"].isin(codes)],
            value_field="imd_decile",
            title=f"IMD {year} deciles",
            outlines=[(topo, "district_lines")],
            credits=credits,
        )
        rows.append((f"our {name.upper()} map, IMD {year} (+ district lines)", chart, time.perf_counter() - start))
    wards = topologies["geo/wards25.topo.json"]
    ward_codes = [m["properties"]["code"] for m in wards["objects"]["wards25"]["geometries"]]
    ward_values = pd.DataFrame({"code": ward_codes, "value": range(len(ward_codes))})
    start = time.perf_counter()
    ward_chart = choropleth(
        wards,
        "wards25",
        ward_values,
        value_field="value",
        scale="sequential",
        legend_title="Example value",
        outlines=[(wards, "district_lines")],
    )
    rows.append(("our ward map, May 2025 (+ district lines)", ward_chart, time.perf_counter() - start))

    print(f"{'map':55} {'payload':>10} {'build+to_dict':>14}")
    for row in rows:
        label, chart = row[0], row[1]
        start = time.perf_counter()
        size = payload_bytes(chart)
        to_dict = time.perf_counter() - start
        built = row[2] if len(row) > 2 else 0.0
        print(f"{label:55} {kb(size):>10} {built + to_dict:>12.2f} s")
        if len(row) == 2:
            print(f"{'  (as chart.to_json(), indented)':55} {kb(len(chart.to_json().encode('utf-8'))):>10}")
        if args.png and len(row) > 2:
            import vl_convert

            args.png.mkdir(parents=True, exist_ok=True)
            target = args.png / f"{label.split(',')[0].replace(' ', '_')}.png"
            target.write_bytes(vl_convert.vegalite_to_png(chart.to_json(), scale=1.5))
            print(f"{'':55} -> {target}")


if __name__ == "__main__":
    main()
