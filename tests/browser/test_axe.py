"""Accessibility: every page of the app checked with axe-core in a real browser.

One `streamlit run app.py` on a free port over the built data (the shared browser fixtures),
Debian's Chromium; each page in ``app_support.layout.PAGES`` is opened at its URL path,
left to finish running (charts drawn), then axe-core (``make axe`` installs it from the npm
registry) is injected and run. A page passes when axe finds no violation of impact
"serious" or "critical". The full results go to ``screenshots/axe-<page>.json`` (git-ignored).

Marker ``browser``: skips loudly when /usr/bin/chromium or axe-core is missing, unless
``CWB_REQUIRE_BROWSER=1`` (then it fails).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app_support.layout import PAGES
from tests.app.apphelpers import REPO_ROOT
from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    RUN_TIMEOUT,
    SCREENSHOTS,
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    page,  # noqa: F401 - a fixture
    server,  # noqa: F401 - a fixture (one streamlit server for this module)
    wait_until_run,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

AXE = REPO_ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
#: Impacts that fail the test.
BLOCKING = ("serious", "critical")
#: Pages without a Vega-Lite chart to wait for.
NO_CHART = {"briefing", "data"}

AXE_OPTIONS: dict = {"resultTypes": ["violations"]}
#: ``(selector, reason)``: parts of the page axe is told to leave out. Only Streamlit's own
#: framework markup that the app's code cannot change may go here, never a whole rule. None is
#: needed with axe-core 4.14 and Streamlit 1.67: every page passes as it is.
AXE_EXCLUDE: list[tuple[str, str]] = []


@pytest.fixture(scope="module")
def axe_path() -> Path:
    if not AXE.is_file():
        message = (
            f"ACCESSIBILITY TESTS SKIPPED: axe-core is not installed at {AXE}. "
            "Install it with `make axe` (npm install axe-core@4)."
        )
        if os.environ.get("CWB_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "REQUIRED (CWB_REQUIRE_BROWSER=1) BUT"))
        pytest.skip(message)
    return AXE


def settle(tab, name: str) -> None:
    """Wait until the page has run to its end (its footer is the last thing it draws) and stopped moving."""
    wait_until_run(tab, chart=name not in NO_CHART)
    tab.wait_for_selector(".cwb-footer", state="attached", timeout=RUN_TIMEOUT)
    # Streamlit fades elements in: colours are only final once no animation or transition runs.
    tab.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')", timeout=10_000)
    tab.wait_for_timeout(300)


def run_axe(tab, axe: Path) -> dict:
    """Inject axe-core into the page and run it; return its results."""
    tab.add_script_tag(path=str(axe))
    exclude = [selector for selector, _reason in AXE_EXCLUDE]
    return tab.evaluate(
        "async ([exclude, options]) => await axe.run(exclude.length ? {exclude} : document, options)",
        [exclude, AXE_OPTIONS],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"][:4]]
        lines.append(
            f"- {v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}\n    " + "\n    ".join(targets)
        )
    return "\n".join(lines)


def url_path(name: str) -> str:
    """A page's URL path: its key in PAGES, except the default page (the portrait), which is the root.

    Streamlit serves the default page at ``/`` only: ``/portrait`` answers "Page not found" in a
    modal dialog (and runs the default page behind it).
    """
    return "/" if name == "portrait" else f"/{name}"


def check(tab, axe: Path, name: str, url: str) -> None:
    """Run axe on the page as it is now, save the results, fail on serious or critical violations."""
    results = run_axe(tab, axe)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"axe-{name}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    violations = results["violations"]
    engine = results.get("testEngine", {}).get("version", "?")
    print(f"\naxe-core {engine} on {url}: {len(violations)} violation(s)\n{describe(violations)}")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{url}: serious or critical accessibility violations:\n{describe(blocking)}"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_serious_accessibility_violations(name, server, page, axe_path) -> None:  # noqa: F811
    page.goto(server + url_path(name))
    settle(page, name)
    assert_no_errors(page)
    assert page.get_by_text("Page not found").count() == 0
    check(page, axe_path, name, url_path(name))


#: Other views of the chart pages, with their data tables shown: ``name -> (page, query)``.
VIEWS = {
    "portrait-bars-table": ("portrait", "area=E07000177&view=bars"),
    "explorer-table": ("explorer", "indicator=fuel_poverty"),
    "deprivation_map-change-table": ("deprivation_map", "edition=change&area=the-leys"),
    "neighbourhoods-table": ("neighbourhoods", "area=blackbird-leys"),
    "deprivation_change-table": ("deprivation_change", "district=E07000178"),
}


@pytest.mark.parametrize("name", list(VIEWS))
def test_other_views_with_tables_shown(name, server, page, axe_path) -> None:  # noqa: F811
    path, query = VIEWS[name]
    page.goto(f"{server}{url_path(path)}?{query}")
    settle(page, path)
    tables = page.locator('[data-testid="stDataFrame"]').count()
    page.get_by_text("Show the data as a table").first.click()
    page.wait_for_function(
        f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {tables}", timeout=RUN_TIMEOUT
    )
    settle(page, path)
    assert_no_errors(page)
    check(page, axe_path, name, f"{url_path(path)}?{query}")
