"""The page 'How councils compare' in a real browser on the fixture data version (no mirror needed).

`streamlit run app.py` on a free port, on the fixture data version and its configuration
(Testshire; its hand-written league: tests/fixtures/README.md), driven by Debian's Chromium
(marker ``browser``). A smoke test: the page runs without an error, the district map draws
one shape per district of the league, and the ranking sentence names the chosen council.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.app.apphelpers import TITLES
from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    mark_count,
    page,  # noqa: F401 - a fixture
    query,
    streamlit_server,
    wait_until_run,
)
from tests.fixtures.version.build import AREAS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NORTHDALE = "E07099901"


@pytest.fixture(scope="module")
def fixture_server(fixture_store, chromium_path, tmp_path_factory) -> Iterator[str]:  # noqa: F811
    """`streamlit run app.py` on the fixture data version and Testshire's configuration; yields its base URL."""
    env = {"CWB_DATA_DIR": str(fixture_store.root), "CWB_AREAS": str(AREAS)}
    with streamlit_server(env, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


def test_the_councils_page_draws_the_fixture_league(fixture_server, page) -> None:  # noqa: F811
    page.goto(f"{fixture_server}/councils?council={NORTHDALE}&measure=indicator:claimant_count")
    wait_until_run(page)
    assert_no_errors(page)
    assert page.locator("h1").first.inner_text() == TITLES["councils"]
    assert query(page).get("council") == NORTHDALE
    # The fixture's league has three districts (Northdale, Southdale, Otherplace: tests/fixtures/README.md),
    # each one labelled shape on the district map.
    assert mark_count(page, 0, 'g.mark-shape path[aria-label*="Council: "]') == 3
    # Claimant count, lower is better: Southdale 2.4%, Otherplace 3.1%, Northdale 4.5% (the hand-written CSV).
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Northdale is 3 of 3" in text
