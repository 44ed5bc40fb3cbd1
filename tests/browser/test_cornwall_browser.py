"""Cornwall in a real browser: the portrait, the deprivation map and "How councils compare".

`streamlit run app.py` on a free port, on Cornwall's data version (init-area, then one
refresh from the mirror: tests/conftest.py) and its configuration file, driven by Debian's
Chromium (marker ``browser``). Full-page screenshots go to ``screenshots/cornwall-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    mark_count,
    query,
    screenshot,
    streamlit_server,
    wait_until_run,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

CORNWALL = "E06000052"


@pytest.fixture(scope="module")
def cornwall_server(cornwall_store, council_configs, cornwall_league, chromium_path, tmp_path_factory) -> Iterator[str]:  # noqa: F811
    """`streamlit run app.py` on Cornwall's data and configuration; yields its base URL."""
    env = {"CWB_DATA_DIR": str(cornwall_store.root), "CWB_AREAS": str(council_configs[CORNWALL])}
    with streamlit_server(env, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_cornwalls_portrait(cornwall_server, page) -> None:
    page.goto(cornwall_server)
    wait_until_run(page)
    assert_no_errors(page)
    assert query(page).get("area") == CORNWALL
    assert page.get_by_text("Cornwall · Community Wealth Building").is_visible()
    assert mark_count(page, 0, 'g.mark-arc path[aria-label*="Indicator:"]') > 10  # the doughnut's wedges
    text = _main_text(page)
    assert "Cornwall" in text and "Oxfordshire" not in text
    screenshot(page, "cornwall-01-portrait")


def test_cornwalls_deprivation_map_draws_every_lsoa(cornwall_store, cornwall_server, page) -> None:
    page.goto(f"{cornwall_server}/deprivation_map")
    wait_until_run(page)
    assert_no_errors(page)
    lsoas = len(cornwall_store.read_table("lsoa/imd2025.parquet"))
    # Each LSOA is one labelled shape ("LSOA: Cornwall 001A; Code: E01 ...").
    assert mark_count(page, 0, 'g.mark-shape path[aria-label*="Code: E01"]') == lsoas
    text = _main_text(page)
    # The place picker names the whole council (its chosen option is the combobox input's value).
    place = page.get_by_role("combobox", name="Ward or neighbourhood").input_value()
    assert place == "All of Cornwall" and "Whole county" not in text
    assert "Ward outlines are May 2019 wards" in text
    screenshot(page, "cornwall-02-deprivation-map")


def test_cornwall_among_englands_councils(cornwall_server, cornwall_league, page) -> None:
    page.goto(f"{cornwall_server}/councils")
    wait_until_run(page)
    assert_no_errors(page)
    assert query(page).get("council") == CORNWALL
    districts = sum(1 for a in cornwall_league.areas if a.kind != "county")
    assert mark_count(page, 0, 'g.mark-shape path[aria-label*="Council: "]') == districts
    assert "Cornwall is " in _main_text(page)
    screenshot(page, "cornwall-03-councils")
