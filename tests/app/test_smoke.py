"""Every page runs, on its own and through the router, on data built from the real files."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.apphelpers import APP, PAGES, TIMEOUT, TITLES, assert_clean, html_text, markdown_text
from tests.app.apphelpers import run_page as run

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_on_its_own(app_data_dir, name: str) -> None:
    at = run(PAGES[name])
    assert_clean(at)
    assert at.title[0].value == TITLES[name]
    if name not in ("briefing", "data"):  # the briefing previews its page as HTML; the Data page has tables
        assert at.get("vega_lite_chart"), "no chart drawn"
    footer = html_text(at)
    assert "Data version" in footer and "Open Government Licence" in footer


def test_portrait_shows_picker_chart_and_sentences(app_data_dir) -> None:
    at = run(PAGES["portrait"])
    assert_clean(at)
    assert at.selectbox(key="area").value == "E10000025"
    assert at.selectbox(key="period").value == "latest"
    assert at.segmented_control(key="view").value == "doughnut"
    chart = at.get("vega_lite_chart")[0]
    assert list(chart.proto.selection_mode) == ["wedge"]
    sentences = html_text(at).split('<ul class="cwb-sentences">')[1].split("</ul>")[0]
    assert 3 <= sentences.count("<li>") <= 6
    assert at.toggle(key="show_table").value is False
    assert dict(at.query_params) == {"area": "E10000025", "period": "latest", "view": "doughnut"}


def test_explorer_shows_table_trend_metadata_and_download(app_data_dir) -> None:
    at = run(PAGES["explorer"])
    assert_clean(at)
    table = at.dataframe[0].value
    assert {"Indicator", "Dimension", "Ring", "Status", "Unit"} <= set(table.columns)
    assert len(table) >= 20
    assert at.selectbox(key="indicator").value in set(table["id"])
    assert at.get("download_button"), "no CSV download"
    text = markdown_text(at)
    for label in ("**Definition.**", "**Threshold.**", "**Source.**", "Licence"):
        assert label in text


def test_map_shows_choropleth_pickers_and_profile(app_data_dir) -> None:
    at = run(PAGES["deprivation_map"])
    assert_clean(at)
    assert at.segmented_control(key="edition").value == "2025"
    assert at.selectbox(key="domain").value == "imd"
    assert [s.key for s in at.selectbox] == ["domain", "district", "place", "lsoa"]
    chart = at.get("vega_lite_chart")[0]
    assert list(chart.proto.selection_mode) == ["lsoa"]
    assert [m.label for m in at.metric] == ["LSOAs", "Most deprived 10%", "Most deprived 20%"]
    footer = html_text(at)
    assert "Contains OS data © Crown copyright and database right 2025" in footer
    assert "English Indices of Deprivation 2025" in footer


def test_router_runs_the_portrait_first(app_data_dir) -> None:
    at = run(APP)
    assert_clean(at)
    assert at.title[0].value == "Doughnut portrait"


@pytest.mark.parametrize("name", list(TITLES))
def test_router_runs_each_page(app_data_dir, name: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page(str(PAGES[name].relative_to(APP.parent))).run()
    assert_clean(at)
    assert at.title[0].value == TITLES[name]
