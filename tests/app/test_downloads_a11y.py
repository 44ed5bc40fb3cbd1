"""Every chart of the app: PNG and SVG downloads, a text alternative, and its data as a table.

AppTest runs each chart page on its own over data built from the real files. The text
alternatives are checked against the library's own descriptions of the same data; the
exported files are real vl-convert renders read back as SVG text.
"""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.briefing import chart_text_alternative
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.charts.describe import (
    change_map_description,
    decile_map_description,
    decile_rate_description,
    decile_shares_description,
    progress_description,
)
from cwb_metrics.charts.theme import OS_ONS_CREDIT
from cwb_metrics.deprivation.change import lsoa_change
from cwb_metrics.deprivation.distribution import shortfall_by_decile
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.views.export import (
    DecileChart,
    MapChart,
    PortraitChart,
    ProgressChart,
    SmallDoughnutChart,
    TrendChart,
)
from cwb_metrics.views.lens_view import local_portrait
from cwb_metrics.views.map_request import MapRequest
from cwb_metrics.views.who_bears import DecileData
from tests.app.apphelpers import PAGES, assert_clean, html_text, run_page

pytestmark = pytest.mark.integration

OXFORD, COUNTY = "E07000178", "E10000025"
SVG_NS = "{http://www.w3.org/2000/svg}"
GLOBAL_LENSES = {"global_social", "global_ecological"}

#: Chart page -> (query, the download keys of its charts, in drawing order).
CHART_PAGES: dict[str, tuple[dict[str, str], list[str]]] = {
    "portrait": ({}, ["portrait"]),
    # A neighbourhood has no similar areas: only the trend (tests/app/test_explorer_page.py has both charts).
    "explorer": ({"indicator": "fuel_poverty", "area": "blackbird-leys"}, ["trend"]),
    "deprivation_map": ({"area": OXFORD}, ["map"]),
    "deprivation_change": ({}, ["change_map"]),
    "neighbourhoods": ({"area": "blackbird-leys"}, ["neighbourhood", "district", "county"]),
    "who_bears": ({}, ["shares", "rates"]),
    "action_plan": ({}, ["progress"]),
}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def buttons(at) -> dict[str, object]:
    """Download buttons by key (the end of their element id)."""
    return {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}


def in_words(at) -> list[str]:
    """The text alternatives drawn under the charts (the "In words:" paragraphs), unescaped."""
    found = re.findall(r'<p class="cwb-alt"><strong>In words:</strong> (.*?)</p>', html_text(at), re.S)
    return [html.unescape(text) for text in found]


@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_every_chart_has_png_and_svg_downloads_and_a_text_alternative(app_data_dir, name) -> None:
    query, keys = CHART_PAGES[name]
    at = run_page(PAGES[name], **query)
    assert_clean(at)
    drawn = at.get("vega_lite_chart")
    # A legend shared by several charts draws no data: it has its alt text but no downloads.
    legends = [chart for chart in drawn if chart.proto.alt.startswith("Legend of")]
    assert all(len(legend.proto.alt) > 80 for legend in legends)
    charts = [chart for chart in drawn if not chart.proto.alt.startswith("Legend of")]
    assert len(legends) == (1 if name == "neighbourhoods" else 0)
    assert len(charts) == len(keys), f"{name}: one download pair per chart"
    found = buttons(at)
    for key in keys:
        for fmt in ("png", "svg"):
            proto = found.get(f"download_{fmt}_{key}")
            assert proto is not None, f"{name}: no {fmt.upper()} download for the {key} chart"
            assert proto.label.endswith(f"({fmt.upper()})")
            assert proto.HasField("deferred_file_id"), "the file is drawn on click, not on every run"
            assert proto.ignore_rerun, "a download must not rerun the page"
    # Each chart says what it shows, under it and to screen readers (the chart's alt), in the same words.
    words = in_words(at)
    assert len(words) == len(keys)
    for chart, text in zip(charts, words, strict=True):
        assert len(text) > 80
        assert chart.proto.alt == text


def test_the_portraits_text_alternative_is_the_librarys(app_data_dir, built_store) -> None:
    # The one doughnut and the bars draw the two local lenses: the global-lens indicators are left out.
    county = portrait_for(built_store, COUNTY, catalogue=catalogue_for(built_store))
    local = local_portrait(county)
    assert any(e.lens in GLOBAL_LENSES for e in county.entries)  # the fair-share emissions, for one
    assert not any(e.lens in GLOBAL_LENSES for e in local.entries)
    assert in_words(run_page(PAGES["portrait"])) == [chart_text_alternative(local)]
    oxford = portrait_for(built_store, OXFORD, catalogue=catalogue_for(built_store))
    bars = chart_text_alternative(local_portrait(oxford), "bars")
    assert in_words(run_page(PAGES["portrait"], area=OXFORD, view="bars")) == [bars]
    assert bars.startswith("Bar chart of Oxford (latest available figures), the Doughnut unrolled")


def test_the_neighbourhood_doughnuts_are_each_described(app_data_dir, built_store) -> None:
    catalogue = catalogue_for(built_store)
    expected = [
        chart_text_alternative(local_portrait(portrait_for(built_store, code, catalogue=catalogue)))
        for code in ("blackbird-leys", OXFORD, COUNTY)
    ]
    assert in_words(run_page(PAGES["neighbourhoods"], area="blackbird-leys")) == expected


def test_the_maps_are_described_from_their_lsoas(app_data_dir, built_store) -> None:
    oxford = resolve_area(OXFORD, built_store, load_area_config())
    table = built_store.read_table("lsoa/imd2025.parquet")
    deciles = table.loc[table["lsoa_code"].isin(set(oxford.lsoas(2025))), "imd_decile"]
    expected = decile_map_description(deciles, area_name="Oxford", what="IMD 2025 decile")
    assert in_words(run_page(PAGES["deprivation_map"], area=OXFORD)) == [expected]
    assert "Map of Oxford's 84 neighbourhoods (LSOAs)" in expected
    assert f"LSOAs by decile: 1: {int((deciles == 1).sum())}, 2: {int((deciles == 2).sum())}," in expected

    change = lsoa_change(built_store, index="imd").rename(columns={"lsoa21_name": "name"})
    county = change_map_description(change, area_name="Oxfordshire", what="overall deprivation (IMD)")
    assert in_words(run_page(PAGES["deprivation_change"])) == [county]
    worse, better = int((change["decile_change"] < 0).sum()), int((change["decile_change"] > 0).sum())
    assert f"{worse} moved towards the more deprived end, {better} towards the less deprived end" in county


def test_who_bears_and_the_action_plan_describe_their_charts(app_data_dir, built_store) -> None:
    table = shortfall_by_decile(built_store, "fuel_poverty", 2025, domain="imd")
    assert in_words(run_page(PAGES["who_bears"])) == [decile_shares_description(table), decile_rate_description(table)]
    from cwb_metrics.actions.load import load_actions
    from cwb_metrics.actions.tracker import progress_by_theme

    progress = progress_by_theme(load_actions(built_store))
    assert in_words(run_page(PAGES["action_plan"])) == [progress_description(progress)]
    assert f"All {int(progress['actions'].iloc[-1])} actions:" in progress_description(progress)


@pytest.mark.parametrize(
    ("name", "query", "key", "first", "rows"),
    [
        ("portrait", {}, "show_table", "Ring", None),
        ("explorer", {"indicator": "fuel_poverty", "compare": f"{COUNTY},{OXFORD}"}, "trend_table", "Area", None),
        ("deprivation_map", {"area": OXFORD}, "map_table", "LSOA", 84),
        ("deprivation_map", {"area": OXFORD, "edition": "change"}, "map_table", "LSOA 2021", 84),
        ("deprivation_change", {"district": OXFORD}, "map_table", "LSOA 2021", 84),
        ("neighbourhoods", {"area": "blackbird-leys"}, "doughnuts_table", "Dimension", None),
    ],
)
def test_the_data_behind_each_chart_is_a_toggle_away(app_data_dir, built_store, name, query, key, first, rows) -> None:
    at = run_page(PAGES[name], **query)
    before = len(at.dataframe)
    toggle = at.toggle(key=key)
    assert toggle.label == "Show the data as a table" and toggle.value is False
    toggle.set_value(True).run()
    assert_clean(at)
    assert len(at.dataframe) == before + 1
    shown = next(d.value for d in at.dataframe if d.value.columns[0] == first)
    if name == "explorer":
        rows = int(
            built_store.read_indicator("fuel_poverty")
            .query("areacd in @codes and value.notna()", local_dict={"codes": [COUNTY, OXFORD]})
            .shape[0]
        )
        assert set(shown["Area"]) == {"Oxfordshire", "Oxford"}
    if name == "neighbourhoods":
        assert list(shown.columns)[2:] == ["Blackbird Leys", "Oxford", "Oxfordshire"]
        rows = len(portrait_for(built_store, "blackbird-leys").entries)
    if name == "portrait":
        rows = len(portrait_for(built_store, COUNTY).entries)
    if rows is not None:
        assert len(shown) == rows
    if name == "deprivation_map" and "edition" not in query:
        assert shown["Decile"].is_monotonic_increasing or shown["Rank in England"].is_monotonic_increasing


# ----- the exported files ------------------------------------------------------------------
def svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return squash(" ".join(t.text or "" for t in root.iter(f"{SVG_NS}text")))


@pytest.mark.parametrize(
    ("chart", "title", "area_period", "credit"),
    [
        (
            PortraitChart(COUNTY, "latest", "doughnut"),
            "The Doughnut",
            "Oxfordshire · Latest available figures",
            "Licences: Open Government Licence v3.0;",
        ),
        (
            PortraitChart(OXFORD, "2023", "bars"),
            "Shortfall and overshoot: the Doughnut unrolled",
            "Oxford · Figures for 2023",
            "Sources: ONS Explore Local Statistics",
        ),
        (
            TrendChart("fuel_poverty", (COUNTY, "E92000001"), COUNTY),
            "Households in fuel poverty",
            "Oxfordshire and England · 20",
            "Source: Department for Energy Security and Net Zero",
        ),
        (
            MapChart(MapRequest("imd", 2025, "imd", OXFORD)),
            "Index of Multiple Deprivation: decile in England of each neighbourhood (LSOA)",
            "Oxford · IMD 2025 (2021 LSOAs)",
            OS_ONS_CREDIT + " MHCLG English Indices of Deprivation 2025, OGL v3.0.",
        ),
        (
            MapChart(MapRequest("change", 2025, "income", None, "the-leys")),
            "Income domain: change in decile of each neighbourhood (LSOA)",
            "Oxfordshire, The Leys outlined · IMD 2019 to IMD 2025 (2021 LSOAs)",
            "MHCLG English Indices of Deprivation 2019/2025, OGL v3.0.",
        ),
        (
            SmallDoughnutChart("blackbird-leys", "2019", "Neighbourhood"),
            "The Doughnut",
            "Blackbird Leys (neighbourhood) · Figures for 2019",
            "Licence: Open Government Licence v3.0.",
        ),
        (
            DecileChart("fuel_poverty", DecileData(2025, 2023), "imd", "shares"),
            "Who bears the shortfall: households in fuel poverty by deprivation decile (2023)",
            "Oxfordshire · IMD 2025 deciles; data for 2023",
            "MHCLG English Indices of Deprivation 2025",
        ),
        (
            ProgressChart(),
            "CWB action plan 24/25: progress by theme",
            "Oxfordshire County Council · Statuses in data version v",
            "Source: ",
        ),
    ],
)
def test_an_exported_svg_draws_the_title_area_period_and_credit(
    app_data_dir, built_store, chart, title, area_period, credit
) -> None:
    from app_support import cached

    ref = cached.data_ref()
    png, svg = (function() for function in cached.chart_files(ref, chart))
    text = svg_text(svg)
    assert text.startswith(title), text[:200]
    assert area_period in text
    assert credit in text
    assert f"Data version {ref.version}." in text or isinstance(chart, ProgressChart)
    assert text.count(title) == 1, "the chart's own title is not drawn a second time"
    image = Image.open(io.BytesIO(png))
    root = ET.fromstring(svg)
    assert image.format == "PNG"
    assert image.size[0] / image.size[1] == pytest.approx(
        float(root.get("width")) / float(root.get("height")), rel=0.01
    )
    assert root.find(f"{SVG_NS}title").text.startswith(title)
