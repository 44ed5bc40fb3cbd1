"""The 'beyond the anchors' pages in a real browser: each opens, finishes running and shows no error.

`streamlit run` on a free port over a private copy of the built data, driven by Debian's
Chromium (marker ``browser``; skips loudly without /usr/bin/chromium unless
``CWB_REQUIRE_BROWSER=1``). A page runs through the router (``app.py``) once
``app_support.layout.PAGES`` lists it, and on its own before that. Full-page screenshots go
to the git-ignored ``screenshots/`` folder (``60-...`` to ``69-...``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cwb_metrics.store import DataStore
from tests.app.apphelpers import REPO_ROOT
from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    RUN_TIMEOUT,
    _free_port,
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    page,  # noqa: F401 - a fixture
    query,
    screenshot,
    wait_until_run,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

PAGE_FILES = {
    "neighbourhoods": "pages/neighbourhoods.py",
    "deprivation_change": "pages/deprivation_change.py",
    "who_bears": "pages/who_bears.py",
    "action_plan": "pages/action_plan.py",
    "portrait": "pages/portrait.py",
}


def _entry(name: str) -> tuple[str, str]:
    """``(script, url path)``: through the router when app.py lists the page, else the page on its own."""
    from app_support.layout import PAGES

    for url_path, (path, _title, _icon) in PAGES.items():
        if path == PAGE_FILES[name]:
            return "app.py", "/" if url_path == "portrait" else f"/{url_path}"
    return PAGE_FILES[name], "/"


def _start(script: str, data: Path, log_path: Path) -> tuple[subprocess.Popen, str, object]:
    port = _free_port()
    env = {**os.environ, "CWB_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    env.pop("CWB_MIRROR", None)
    log = open(log_path, "w")  # noqa: SIM115 - closed by the fixture
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process, url, log
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.close()
            raise RuntimeError(f"streamlit did not start for {script}; see {log_path}")
        time.sleep(0.3)


@pytest.fixture(scope="module")
def data(built_store: DataStore, tmp_path_factory) -> Path:
    """A private copy of the built data for this module's servers."""
    folder = tmp_path_factory.mktemp("issue6_pages") / "data"
    shutil.copytree(built_store.root, folder)
    return folder


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture(scope="module")
def open_url(data: Path, chromium_path, tmp_path_factory) -> Iterator:  # noqa: F811
    """``open_url(name, query)`` -> the URL of a page; servers start on first use, one per script."""
    logs = tmp_path_factory.mktemp("streamlit_issue6")
    running: dict[str, tuple[subprocess.Popen, str, object]] = {}

    def url_of(name: str, query: str = "") -> str:
        script, path = _entry(name)
        if script not in running:
            running[script] = _start(script, data, logs / f"{Path(script).stem}.log")
        return running[script][1] + path + (f"?{query}" if query else "")

    yield url_of
    for process, _url, log in running.values():
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _visible(locator) -> None:
    expect(locator.first).to_be_visible(timeout=RUN_TIMEOUT)


def _heading(tab, name: str) -> None:
    _visible(tab.get_by_role("heading", name=name))


def test_neighbourhood_portraits_blackbird_leys(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("neighbourhoods", "area=blackbird-leys"))
    wait_until_run(page)
    assert_no_errors(page)
    _heading(page, "Neighbourhood portraits")
    # three doughnuts, two a row, drawn one after the other, and the legend they share: wait for all four
    expect(page.locator('[data-testid="stVegaLiteChart"]')).to_have_count(4, timeout=RUN_TIMEOUT)
    _visible(page.get_by_text("How these figures are made, and what they cannot say"))
    screenshot(page, "60-neighbourhoods-blackbird-leys")


def test_neighbourhood_portraits_a_ward_in_2019(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("neighbourhoods", "area=E05013106&period=2019"))
    wait_until_run(page)
    assert_no_errors(page)
    _heading(page, "Holywell beside its district, the county and England")
    screenshot(page, "61-neighbourhoods-holywell-2019")


def test_deprivation_change(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("deprivation_change"))
    wait_until_run(page)
    assert_no_errors(page)
    _heading(page, "IMD 2019 → 2025")
    _visible(page.get_by_text("Read this first."))
    _visible(page.get_by_text("IMD ranks are relative: an LSOA can fall in rank"))
    assert page.locator('[data-testid="stVegaLiteChart"] path[aria-label*="Code: E01"]').count() > 400
    screenshot(page, "62-deprivation-change-county")


def test_deprivation_change_zoomed_to_oxford_on_income(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("deprivation_change", "district=E07000178&domain=income"))
    wait_until_run(page)
    assert_no_errors(page)
    assert query(page).get("district") == "E07000178"
    screenshot(page, "63-deprivation-change-oxford-income")


def test_who_bears_the_shortfall(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("who_bears"))
    wait_until_run(page)
    assert_no_errors(page)
    _heading(page, "Who bears the shortfall")
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 2
    _visible(page.get_by_text("Download the table (CSV)"))
    screenshot(page, "64-who-bears-2025")


def test_who_bears_the_shortfall_2019(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("who_bears", "data=2019-2020"))
    wait_until_run(page)
    assert_no_errors(page)
    assert query(page).get("data") == "2019-2020"
    screenshot(page, "65-who-bears-2019")


def test_action_plan(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("action_plan"))
    wait_until_run(page)
    assert_no_errors(page)
    _heading(page, "CWB action plan")
    _visible(page.get_by_text("Actions with no measure"))
    _visible(page.get_by_text("Measures with no action"))
    assert page.locator('a[href*="explorer?indicator="]').count() > 10, "indicator links to the explorer"
    screenshot(page, "66-action-plan")


def test_portrait_what_if_slider(open_url, page) -> None:  # noqa: F811
    page.goto(open_url("portrait", "area=E07000178"))
    wait_until_run(page)
    assert_no_errors(page)
    page.get_by_text("Try another threshold").click()
    _visible(page.locator('[data-testid="stSlider"]'))
    page.locator('[data-testid="stSlider"] input[type="range"]').first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_until_run(page)
    assert_no_errors(page)
    assert ":" in query(page).get("whatif", ""), "moving the slider puts the what-if in the URL"
    _visible(page.locator('[data-testid="stVegaLiteChart"] text', has_text="(not saved)"))
    screenshot(page, "67-portrait-what-if")


def test_action_plan_a_bad_status_csv_shows_problems_and_changes_nothing(open_url, data, page, tmp_path) -> None:  # noqa: F811
    bad = tmp_path / "statuses.csv"
    bad.write_text("number,status\n1.1.1,Done\n9.9.9,In progress\n", encoding="utf-8")
    before = snapshot(data)
    page.goto(open_url("action_plan"))
    wait_until_run(page)
    page.get_by_role("radio", name="Upload a CSV").click()
    wait_until_run(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(bad))
    wait_until_run(page)
    page.get_by_role("button", name="Check changes").click()
    wait_until_run(page)
    _visible(page.get_by_text("statuses.csv: 2 problem(s); nothing has changed."))
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "68-action-plan-bad-status-csv")
    assert snapshot(data) == before
