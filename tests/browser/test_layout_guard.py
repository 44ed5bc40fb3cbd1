"""The layout guard: a page's URL opened first on a fresh server still goes through the router.

Streamlit treats ``pages/`` beside ``app.py`` as an old-style multipage app until some session
has run ``st.navigation``: the first request for ``/explorer`` would run ``pages/explorer.py`` on
its own, with file names in the sidebar. ``app_support.layout`` switches that mode off and reruns
(``_leave_pages_directory_mode``). Each test starts its own ``streamlit run`` on a free port (so
the page's URL is the server's very first request), on the fixture data version, and opens it in
Debian's Chromium (marker ``browser``; no mirror needed).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from app_support.layout import PAGES
from cwb_metrics.areas.config import load_area_config
from tests.app.apphelpers import TITLES
from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    streamlit_server,
    wait_until_run,
)
from tests.fixtures.version.build import AREAS

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def fresh_server(fixture_store, chromium_path, tmp_path: Path) -> Iterator[Callable[[], str]]:  # noqa: F811
    """Start a new ``streamlit run app.py`` (on the fixture data) when called; yields its base URL."""
    env = {"CWB_DATA_DIR": str(fixture_store.root), "CWB_AREAS": str(AREAS)}
    with contextlib.ExitStack() as servers:  # each started server stops when the test ends
        yield lambda: servers.enter_context(streamlit_server(env, tmp_path))


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("name", ["explorer", "deprivation_map", "data"])
def test_a_page_url_opened_first_on_a_fresh_server_runs_through_the_router(fresh_server, page, name) -> None:
    url = fresh_server()
    page.goto(f"{url}/{name}")
    wait_until_run(page, chart=name != "data")
    assert_no_errors(page)
    assert page.locator("h1").first.inner_text() == TITLES[name]
    links = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    shown = [text.strip().splitlines()[-1].strip() for text in links]  # the icon's ligature comes first
    assert shown == [title for _path, title, _icon in PAGES.values()]  # the router's titles, not file names
    assert urlparse(page.url).path == f"/{name}"
    # The caption names the council of the configuration this server runs on (CWB_AREAS=AREAS).
    council = load_area_config(AREAS).county_name
    assert f"{council} · Community Wealth Building" in page.locator('[data-testid="stSidebar"]').inner_text()
