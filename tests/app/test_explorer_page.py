"""The indicator explorer (AppTest) on the Oxfordshire data built from the mirror.

What the page shows is compared with the library's own results (``portrait_for``, the
league's rows) or with figures computed here from the built rows and the raw ONS file:
never with the explorer view's output.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cwb_metrics.compare.league import load_league
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.store import DataStore
from tests.app.apphelpers import PAGES, assert_clean, markdown_text, run_page

pytestmark = pytest.mark.integration

OXFORD, COUNTY = "E07000178", "E10000025"
#: The method's words (docs/METHOD.md), as the page should show them.
COMPARISON = {"similar": "Similar", "not_compared": "Not compared"}


def _compared(entry) -> str:
    """The table's words for an entry's comparison with England: a significant difference says its direction."""
    key = entry.england_comparison or "not_compared"
    if key in ("better", "worse"):
        return f"Significantly {'higher' if entry.value > entry.england else 'lower'} ({key})"
    return COMPARISON[key]


TREND = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no_significant_change": "No significant change",
    "not_compared": "Not compared",
}
BASIS = {
    "statutory_target": "Statutory target",
    "government_ambition": "Government ambition",
    "science_based": "Science-based",
    "official_definition": "Official definition",
    "comparator": "Comparator (not a target)",
    "illustrative": "Illustrative",
}
LENS = {
    "local_social": "Local social",
    "local_ecological": "Local ecological",
    "global_social": "Global social",
    "global_ecological": "Global ecological",
}
ROLE = {"scored": "Scored", "context": "Context: not scored"}


@pytest.fixture(scope="module")
def league(app_data_dir, built_store):
    """The league of councils, built before the page opens (the page offers a button to build it)."""
    return load_league(built_store)


def _table(at) -> pd.DataFrame:
    return at.dataframe[0].value.set_index("id")


def _filter(at, label: str):
    return next(m for m in at.multiselect if m.label == label)


def test_the_table_shows_the_portraits_tests_basis_lens_and_role(app_data_dir, built_store) -> None:
    at = run_page(PAGES["explorer"], area=OXFORD)
    assert_clean(at)
    table = _table(at)
    catalogue = load_catalogue()
    entries = [e for e in portrait_for(built_store, OXFORD).entries if e.id]
    assert set(table.index) == {e.id for e in entries}
    for e in entries:
        row = table.loc[e.id]
        assert row["Compared with England"] == _compared(e), e.id
        assert row["Trend"] == TREND[e.trend or "not_compared"], e.id
        assert bool(row["Red-red"]) == (e.england_comparison == "worse" and e.trend == "worsening"), e.id
        assert row["Threshold basis"] == BASIS[catalogue[e.id].threshold.basis], e.id
        assert row["Lens"] == LENS[catalogue[e.id].lens], e.id
        assert row["Role"] == ROLE[catalogue[e.id].role], e.id
    # Issue 10's cases: Oxford's fuel poverty 11.39% against England's 11.4% is similar, and the
    # relative IMD shares are context.
    assert table.loc["fuel_poverty", "Compared with England"] == "Similar"
    assert table.loc["imd_most_deprived_20pct", "Role"] == "Context: not scored"


def test_filtering_by_england_trend_basis_lens_and_role(app_data_dir, built_store) -> None:
    catalogue = load_catalogue()
    entries = [e for e in portrait_for(built_store, OXFORD).entries if e.id]
    at = run_page(PAGES["explorer"], area=OXFORD)
    _filter(at, "Compared with England").select("Significantly higher (better)").run()
    _filter(at, "Compared with England").select("Significantly lower (better)").run()
    assert_clean(at)
    better = {e.id for e in entries if e.england_comparison == "better"}
    assert better and set(_table(at).index) == better
    _filter(at, "Trend").select("No significant change").run()
    both = {e.id for e in entries if e.england_comparison == "better" and e.trend == "no_significant_change"}
    assert set(_table(at).index) == both

    at = run_page(PAGES["explorer"], area=OXFORD)
    _filter(at, "Role").select("Context: not scored").run()
    context = {i for i, m in catalogue.items() if m.role == "context"}
    assert context and set(_table(at).index) == context
    assert set(_table(at)["Status"]) == {"Context"}

    at = run_page(PAGES["explorer"], area=OXFORD)
    _filter(at, "Lens").select("Local ecological").run()
    _filter(at, "Threshold basis").select("Illustrative").run()
    wanted = {i for i, m in catalogue.items() if m.lens == "local_ecological" and m.threshold.basis == "illustrative"}
    assert wanted and set(_table(at).index) == wanted
    assert f"{len(wanted)} of {len(entries)} indicators" in at.caption[0].value


def test_the_table_csv_carries_the_new_columns(app_data_dir, built_store) -> None:
    """The download button's data is ``cached.table_csv`` (AppTest keeps no download files)."""
    from app_support import cached

    at = run_page(PAGES["explorer"], area=OXFORD)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download this table (CSV)" in labels
    ref = cached.data_ref()
    frame = pd.read_csv(io.BytesIO(cached.table_csv(ref, OXFORD)), keep_default_na=False).set_index("id")
    for e in portrait_for(built_store, OXFORD).entries:
        if e.id:
            assert frame.loc[e.id, "Compared with England"] == _compared(e)
            assert frame.loc[e.id, "Trend"] == TREND[e.trend or "not_compared"]
    assert {"Red-red", "Threshold basis", "Lens", "Role", "Area", "Data version"} <= set(frame.columns)
    assert set(frame["Area"]) == {"Oxford"}


def _midyear(period: str) -> float:
    return int(str(period)[:4]) + 0.5


def test_oxfords_ghg_pace_to_net_zero_computed_from_the_built_rows(app_data_dir, built_store) -> None:
    at = run_page(PAGES["explorer"], area=OXFORD, indicator="ghg_emissions_per_capita")
    assert_clean(at)
    rows = built_store.read_indicator("ghg_emissions_per_capita")
    own = rows[(rows["areacd"] == OXFORD) & rows["value"].notna()].sort_values("period")
    latest = float(own["value"].iloc[-1])
    year = int(str(own["period"].iloc[-1])[:4])
    # Net zero by 2050: the whole latest value over the years from mid-<year> to mid-2050.
    needed = latest / (2050.5 - (year + 0.5))
    last5 = own.tail(5)
    slope = float(np.polyfit([_midyear(p) for p in last5["period"]], last5["value"].astype(float), 1)[0])
    text = markdown_text(at)
    assert (
        f"To reach net zero by 2050, Oxford's figure ({latest:.2f} t CO2e in {year}) would need to fall by "
        f"{needed:.2f} tonnes CO2e per person a year"
    ) in text
    first = int(str(last5["period"].iloc[0])[:4])
    assert f"over {first} to {year} it {'fell' if slope < 0 else 'rose'} by {abs(slope):.2f} tonnes CO2e" in text
    pace = at.table[0].value.set_index("Target")
    assert pace.loc["Net zero", "Needed a year"] == f"fall {needed:.2f} t CO2e"
    assert pace.loc["Net zero", "Basis"] == "Statutory target"
    assert pace.loc["Ceiling 2.80 t CO2e", "Basis"] == "Illustrative"
    # The threshold: illustrative, no link for it; the statutory net zero links its Order.
    assert "**Threshold.** Ecological ceiling: 2.80 t CO2e by 2035. *Illustrative*: no authority sets" in text
    assert "(https://www.legislation.gov.uk/uksi/2019/1056/contents/made)" in text
    assert "(https://www.legislation.gov.uk/uksi/2021/750/made)" not in text
    # DESNZ publishes no confidence intervals: no comparison with England and no trend is claimed.
    assert "**Compared with England.** Not compared:" in text and "**Trend.** Not compared:" in text


def test_oxfords_fuel_poverty_is_similar_to_england_with_its_wilson_interval(app_data_dir, built_store) -> None:
    at = run_page(PAGES["explorer"], area=OXFORD, indicator="fuel_poverty")
    assert_clean(at)
    rows = built_store.read_indicator("fuel_poverty")
    latest = rows[(rows["areacd"] == OXFORD) & (rows["period"] == "2023")].iloc[0]
    england = rows[(rows["areacd"] == "E92000001") & (rows["period"] == "2023")].iloc[0]
    assert f"{latest['value']:.1f}" == f"{england['value']:.1f}"  # 11.4% and 11.4% at DESNZ's one decimal
    text = markdown_text(at)
    assert (
        f"**Compared with England.** Similar: Oxford {latest['value']:.1f}%, England {england['value']:.1f}% (2023), "
        "the same at the published 1 decimal place."
    ) in text
    assert f"({latest['lci_95']:.1f}% to {latest['uci_95']:.1f}%; a Wilson interval computed from the published" in text
    assert "**Comparability.** Not comparable over time:" in text
    assert "**Trend.** Not compared: the publisher advises against comparing these estimates over time." in text
    assert "No dated target" in "\n".join(c.value for c in at.caption)


def test_similar_councils_mean_and_range_beside_england(app_data_dir, built_store, mirror, league) -> None:
    at = run_page(PAGES["explorer"], area=OXFORD, indicator="fuel_poverty")
    assert_clean(at)
    raw = pd.read_csv(mirror / "indicators_raw/ons_els_similar_areas/global-neighbours.csv", dtype=str)
    raw.columns = [c.strip().lstrip("\ufeff") for c in raw.columns]
    similar = raw.set_index("AREACD").loc[OXFORD, [str(i) for i in range(1, 21)]].tolist()
    data = league.data
    at2023 = data[(data["indicator"] == "fuel_poverty") & (data["period"].astype(str) == "2023")]
    values = at2023.set_index("areacd")["value"]
    found = values.reindex(similar).dropna()
    summary = dict(at.table[-1].value.itertuples(index=False, name=None))
    assert summary["Oxford"] == f"{values[OXFORD]:.1f}%"
    assert summary[f"Similar areas: mean ({len(found)} of 20 with a figure)"] == f"{found.mean():.1f}%"
    assert summary["Similar areas: lowest to highest"] == f"{found.min():.1f}% to {found.max():.1f}%"
    assert summary["England"] == f"{values['E92000001']:.1f}%"
    at.toggle(key="neighbour_names").set_value(True).run()
    names = at.dataframe[-1].value
    assert names["Code"].tolist() == similar
    text = markdown_text(at) + "\n".join(c.value for c in at.caption)
    assert "not whether it is significantly better or worse" in text


def test_a_neighbourhood_has_no_similar_areas_and_says_why(app_data_dir) -> None:
    at = run_page(PAGES["explorer"], area="blackbird-leys", indicator="income_deprivation_rate")
    assert_clean(at)
    captions = "\n".join(c.value for c in at.caption)
    assert "ONS publishes similar areas for councils only" in captions
    # Its figure is computed from its LSOAs; the trend has no series for it and says so.
    assert "blackbird-leys" not in at.multiselect(key="compare").options
    assert "The chart has no series for Blackbird Leys" in captions
    assert "Wilson interval computed from the sum of its LSOAs' counts" in markdown_text(at)


def test_without_the_league_the_page_offers_to_build_it(app_data_dir, built_store, tmp_path, monkeypatch) -> None:
    copy = tmp_path / "data"
    shutil.copytree(built_store.root, copy, ignore=shutil.ignore_patterns("cache"))
    monkeypatch.setenv("CWB_DATA_DIR", str(copy))
    assert not (copy / "cache").exists()
    at = run_page(PAGES["explorer"], area=OXFORD, indicator="fuel_poverty")
    assert_clean(at)
    assert at.button(key="build_league").label == "Compare with similar councils"
    assert not any(t.value.columns[0] == "Compared" for t in at.table if len(t.value.columns))
    assert DataStore(Path(copy)).current_version() == built_store.current_version()


def test_a_context_indicator_is_labelled_on_its_chart(app_data_dir) -> None:
    import json

    at = run_page(PAGES["explorer"], area=OXFORD, indicator="imd_most_deprived_20pct")
    assert_clean(at)
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert spec["title"]["text"].endswith("(context)")
    assert "Context indicator: shown for reference, never scored." in spec["title"]["subtitle"]
    assert any("Context indicator" in i.value for i in at.info)


def test_both_charts_have_downloads_and_the_same_words_under_them_and_as_alt(app_data_dir, league) -> None:
    import html as html_module
    import re

    from tests.app.apphelpers import html_text

    at = run_page(PAGES["explorer"], area=OXFORD, indicator="ghg_emissions_per_capita")
    assert_clean(at)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2
    keys = {b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")}
    assert {"download_png_trend", "download_svg_trend", "download_png_neighbours", "download_svg_neighbours"} <= keys
    words = re.findall(r'<p class="cwb-alt"><strong>In words:</strong> (.*?)</p>', html_text(at), re.S)
    assert [c.proto.alt for c in charts] == [html_module.unescape(w) for w in words]
    assert words[1].startswith("Territorial greenhouse gas emissions per person (2023): Oxford 3.45 t CO2e; its ONS")


def test_the_similar_areas_chart_exports_with_its_frame(app_data_dir, league) -> None:
    import xml.etree.ElementTree as ET

    from app_support import cached
    from cwb_metrics.views.export import NeighbourChart

    run_page(PAGES["explorer"], area=OXFORD, indicator="fuel_poverty")
    svg = cached.chart_file(cached.data_ref(), NeighbourChart(OXFORD, "fuel_poverty"), "svg")
    words = " ".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "Households in fuel poverty: beside similar areas" in words
    assert "Oxford" in words and "Figures for 2023" in words and "ONS Explore Local Statistics" in words
