"""The app in a real browser: `streamlit run` on a free port, driven by Debian's Chromium.

Opt-in with the ``browser`` marker (CI runs it). Skips loudly when /usr/bin/chromium is
missing, unless ``CWB_REQUIRE_BROWSER=1`` (then it fails). Full-page screenshots go to
the git-ignored ``screenshots/`` folder.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.app.apphelpers import REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: Milliseconds to wait for a page to finish running (the first run reads the data).
RUN_TIMEOUT = 90_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = (
            f"BROWSER TESTS SKIPPED: Debian's Chromium is not installed at {CHROMIUM}. "
            "Install it with `sudo apt-get install chromium` (or `make browser`)."
        )
        if os.environ.get("CWB_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "REQUIRED (CWB_REQUIRE_BROWSER=1) BUT"))
        pytest.skip(message)
    return CHROMIUM


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], log_folder: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with ``env`` added to the environment; yields its base URL."""
    port = _free_port()
    log = open(log_folder / f"server-{port}.log", "w")  # noqa: SIM115 - closed below
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env={**os.environ, **env, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def server(built_store, chromium_path, tmp_path_factory) -> Iterator[str]:
    """`streamlit run app.py` on a free port, on the built data; yields its base URL."""
    with streamlit_server({"CWB_DATA_DIR": str(built_store.root)}, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()


def wait_until_run(page, chart: bool = True) -> None:
    """Wait for the script run to end (no 'Running' status) and, if asked, a drawn chart."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=RUN_TIMEOUT)
    page.wait_for_function(
        """() => {
            const status = document.querySelector('[data-testid="stStatusWidget"]');
            return !status || !/running/i.test(status.innerText);
        }""",
        timeout=RUN_TIMEOUT,
    )
    page.wait_for_timeout(300)
    page.wait_for_function(
        """() => {
            const status = document.querySelector('[data-testid="stStatusWidget"]');
            const stale = document.querySelector('[data-stale="true"]');
            return (!status || !/running/i.test(status.innerText)) && !stale;
        }""",
        timeout=RUN_TIMEOUT,
    )
    if chart:
        page.wait_for_selector(
            '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas',
            state="visible",
            timeout=RUN_TIMEOUT,
        )
        page.wait_for_timeout(500)


def assert_no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator('[data-testid="stException"]')
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot (the viewport grown to the app's full height, which can grow as it lays out)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    measure = """() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.body;
        return Math.max(main.scrollHeight, document.body.scrollHeight);
    }"""
    height = 0
    for _ in range(4):
        now = int(page.evaluate(measure))
        if now <= height:
            break
        height = now
        page.set_viewport_size({"width": 1440, "height": min(max(height + 40, 900), 6000)})
        page.wait_for_timeout(700)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 1000})
    return path


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


#: Finds a point inside an SVG mark that is not covered by another element; returns page coordinates.
_CLICKABLE_POINT = """([chartIndex, selector, pick]) => {
    const chart = document.querySelectorAll('[data-testid="stVegaLiteChart"]')[chartIndex];
    const marks = [...chart.querySelectorAll(selector)];
    const mark = marks[pick];
    if (!mark) return null;
    const svg = mark.ownerSVGElement;
    const box = mark.getBBox();
    const matrix = mark.getScreenCTM();
    for (let i = 1; i < 12; i++) {
        for (let j = 1; j < 12; j++) {
            const point = svg.createSVGPoint();
            point.x = box.x + (box.width * i) / 12;
            point.y = box.y + (box.height * j) / 12;
            if (!mark.isPointInFill(point)) continue;
            const screen = point.matrixTransform(matrix);
            if (document.elementFromPoint(screen.x, screen.y) === mark) {
                return {x: screen.x, y: screen.y, label: mark.getAttribute('aria-label') || '', count: marks.length};
            }
        }
    }
    return {x: null, y: null, label: mark.getAttribute('aria-label') || '', count: marks.length};
}"""


def mark_count(page, chart_index: int, selector: str) -> int:
    chart = page.locator('[data-testid="stVegaLiteChart"]').nth(chart_index)
    return chart.locator(selector).count()


def click_mark(page, chart_index: int, selector: str, pick: int = 0) -> str | None:
    """Click inside the ``pick``-th SVG mark matching ``selector``; return its label, or None if it is covered."""
    page.locator('[data-testid="stVegaLiteChart"]').nth(chart_index).scroll_into_view_if_needed()
    found = page.evaluate(_CLICKABLE_POINT, [chart_index, selector, pick])
    assert found is not None, f"no mark {pick} matches {selector!r}"
    if found["x"] is None:
        return None
    page.mouse.click(found["x"], found["y"])
    return found["label"]


def test_portrait_page_draws_the_doughnut(server, page) -> None:
    page.goto(server)
    wait_until_run(page)
    assert_no_errors(page)
    assert page.get_by_role("heading", name="Doughnut portrait").is_visible()
    assert query(page).get("area") == "E10000025"
    screenshot(page, "01-portrait-oxfordshire")


def test_clicking_a_wedge_selects_an_indicator_and_opens_the_explorer(server, page) -> None:
    page.goto(f"{server}/?area=E07000178")
    wait_until_run(page)
    wedges = 'g.mark-arc path[aria-label*="Indicator:"][aria-label*="Status: Shortfall"]'
    assert mark_count(page, 0, wedges) > 0, "no shortfall wedges on Oxford's doughnut"
    indicator_id = None
    for pick in range(mark_count(page, 0, wedges)):
        label = click_mark(page, 0, wedges, pick)
        if label is None:
            continue
        wait_until_run(page)
        indicator_id = query(page).get("indicator")
        if indicator_id:
            break
    assert indicator_id, "clicking the doughnut's wedges selected no indicator"
    assert_no_errors(page)
    screenshot(page, "02-portrait-wedge-selected")
    page.get_by_role("link", name="Open in the indicator explorer").click()
    page.wait_for_url("**/explorer**", timeout=RUN_TIMEOUT)
    wait_until_run(page)
    assert_no_errors(page)
    assert query(page).get("indicator") == indicator_id
    screenshot(page, "03-explorer-from-wedge")


def test_unrolled_bars_view(server, page) -> None:
    page.goto(f"{server}/?area=E07000177&view=bars")
    wait_until_run(page)
    assert_no_errors(page)
    screenshot(page, "04-portrait-bars-cherwell")


def test_neighbourhood_portrait(server, page) -> None:
    page.goto(f"{server}/?area=blackbird-leys")
    wait_until_run(page)
    assert_no_errors(page)
    assert page.get_by_role("heading", name="Blackbird Leys beside its district, the county and England").count()
    screenshot(page, "04b-portrait-blackbird-leys")


def test_explorer_page(server, page) -> None:
    page.goto(f"{server}/explorer")
    wait_until_run(page)
    assert_no_errors(page)
    assert page.get_by_role("heading", name="Indicator explorer").is_visible()
    assert page.get_by_text("Download the data behind this chart (CSV)").is_visible()
    screenshot(page, "05-explorer")


def test_clicking_the_map_selects_an_lsoa(server, page) -> None:
    page.goto(f"{server}/deprivation_map?area=E07000178&edition=2019")
    wait_until_run(page)
    assert_no_errors(page)
    screenshot(page, "06-map-oxford-2019")
    assert "lsoa" not in query(page)
    areas = 'g.mark-shape path[aria-label*="Code: E01"]'
    label = None
    for pick in range(20, mark_count(page, 0, areas)):
        label = click_mark(page, 0, areas, pick)
        if label is not None:
            break
    assert label, "no LSOA on the map could be clicked"
    wait_until_run(page)
    chosen = query(page).get("lsoa")
    assert chosen and chosen.startswith("E01"), f"no LSOA selected after clicking {label!r}"
    assert_no_errors(page)
    panel = page.locator(".st-key-lsoa_panel")
    assert panel.count() == 1 and chosen in panel.inner_text(), "the side panel does not show the clicked LSOA"
    screenshot(page, "07-map-lsoa-clicked")


def test_map_blackbird_leys_2019_panel(server, page) -> None:
    page.goto(f"{server}/deprivation_map?area=blackbird-leys&edition=2019")
    wait_until_run(page)
    assert_no_errors(page)
    assert page.get_by_text(
        "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among England's 20% most deprived"
    ).count()
    screenshot(page, "08-map-blackbird-leys-2019")


def test_map_change_since_2019(server, page) -> None:
    page.goto(f"{server}/deprivation_map?area=the-leys&edition=change")
    wait_until_run(page)
    assert_no_errors(page)
    assert page.get_by_text("IMD 2019 to IMD 2025").count()
    screenshot(page, "09-map-change-the-leys")


def test_chart_downloads_are_drawn_on_click(server, page) -> None:
    """The PNG and SVG buttons give files drawn when clicked, with the title, area, period and credit."""
    import xml.etree.ElementTree as ET

    page.goto(f"{server}/deprivation_map?area=E07000178&edition=2019")
    wait_until_run(page)
    with page.expect_download(timeout=RUN_TIMEOUT) as svg_download:
        page.get_by_role("button", name="Download the map (SVG)").click()
    download = svg_download.value
    assert download.suggested_filename == "imd-2019-imd-oxford.svg"
    root = ET.fromstring(Path(download.path()).read_bytes())
    text = " ".join(" ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")).split())
    assert text.startswith("Index of Multiple Deprivation: decile in England of each neighbourhood (LSOA)")
    assert "Oxford · IMD 2019 (2011 LSOAs)" in text
    assert "Contains OS data © Crown copyright" in text and "English Indices of Deprivation 2019" in text
    with page.expect_download(timeout=RUN_TIMEOUT) as png_download:
        page.get_by_role("button", name="Download the map (PNG)").click()
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_no_errors(page)
