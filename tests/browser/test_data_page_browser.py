"""The Data page in a real browser: upload a CSV, see the preview, confirm, roll back; a bad file changes nothing.

`streamlit run` on a free port with ``CWB_DATA_DIR`` set to a private copy of the built data,
driven by Debian's Chromium (marker ``browser``; skips loudly without /usr/bin/chromium unless
``CWB_REQUIRE_BROWSER=1``). The upload goes through the uploader's real ``input[type=file]``.
Screenshots go to the git-ignored ``screenshots/`` folder.
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
from urllib.parse import quote_plus

import pytest

from cwb_metrics.store import DataStore
from tests.app.apphelpers import REPO_ROOT
from tests.browser.test_browser import (  # the shared browser fixtures and helpers
    RUN_TIMEOUT,
    _free_port,
    assert_no_errors,
    browser,  # noqa: F401 - a fixture
    chromium_path,  # noqa: F401 - a fixture
    screenshot,
    wait_until_run,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

INDICATOR = "housing_affordability"
IMPORT_TAB = "Import a CSV"
HISTORY_TAB = "History and rollback"


def _entry() -> tuple[str, str]:
    """The script to run and the Data page's path: through the router once app.py lists the page."""
    from app_support.layout import PAGES

    for name, (path, _title, _icon) in PAGES.items():
        if path == "pages/data.py":
            return "app.py", f"/{name}"
    return "pages/data.py", "/"


@pytest.fixture(scope="module")
def data_folder(built_store: DataStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the built data: this module's imports and rollbacks write into it."""
    folder = tmp_path_factory.mktemp("data_page") / "data"
    shutil.copytree(built_store.root, folder)
    return folder


@pytest.fixture(scope="module")
def data_page(data_folder: Path, chromium_path, tmp_path_factory) -> Iterator[str]:  # noqa: F811
    """`streamlit run` on a free port over the copy; yields the Data page's URL."""
    script, path = _entry()
    port = _free_port()
    env = {**os.environ, "CWB_DATA_DIR": str(data_folder), "PYTHONUNBUFFERED": "1"}
    env.pop("CWB_MIRROR", None)
    log = open(tmp_path_factory.mktemp("streamlit") / "server.log", "w")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.headless", "true",
               "--server.port", str(port), "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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
        yield url + path.rstrip("/")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def page(browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def current_csv(folder: Path) -> Path:
    version = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    return folder / "versions" / version / "indicators" / f"{INDICATOR}.csv"


def open_tab(page, url: str, tab: str) -> None:
    page.goto(f"{url}?tab={quote_plus(tab)}")
    page.get_by_role("tab", name=tab, selected=True).wait_for(timeout=RUN_TIMEOUT)
    wait_until_run(page, chart=False)


def upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(path))
    page.wait_for_timeout(500)
    wait_until_run(page, chart=False)


def grid_text(grid) -> str:
    """The text of an ``st.dataframe`` (its canvas has an accessible table of the rows in view)."""
    grid.scroll_into_view_if_needed()
    grid.locator("table tr td").first.wait_for(state="attached", timeout=RUN_TIMEOUT)
    return grid.text_content() or ""


def type_name(page, name: str) -> None:
    field = page.get_by_role("textbox", name="Your name")
    field.fill(name)
    field.press("Enter")
    page.wait_for_timeout(300)
    wait_until_run(page, chart=False)


def test_bad_file_shows_the_problems_and_changes_nothing(data_page: str, data_folder: Path, page, tmp_path) -> None:
    original = current_csv(data_folder).read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("E07000178,"))
    lines[line - 1] = lines[line - 1].replace("E07000178", "E07000999", 1)
    bad = tmp_path / "affordability-unknown-area.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    before = snapshot(data_folder)

    open_tab(page, data_page, IMPORT_TAB)
    upload(page, bad)
    page.get_by_text("1 problem in affordability-unknown-area.csv: nothing has changed").wait_for(timeout=RUN_TIMEOUT)
    text = grid_text(page.locator('[data-testid="stDataFrame"]').first)
    assert "areacd" in text and str(line) in text and "unknown area code" in text, text
    assert page.get_by_role("button", name="Confirm import").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "20-data-import-problems")
    assert snapshot(data_folder) == before, "a bad file changed the data folder"


def test_upload_preview_confirm_then_roll_back(data_page: str, data_folder: Path, page, tmp_path) -> None:
    import pandas as pd

    original_bytes = current_csv(data_folder).read_bytes()
    first = (data_folder / "CURRENT").read_text(encoding="utf-8").strip()
    rows = pd.read_csv(current_csv(data_folder), dtype={"period": str})
    latest = rows[rows["areacd"] == "E07000178"].sort_values("period").index[-1]
    old_value = float(rows.loc[latest, "value"])
    rows.loc[latest, "value"] = old_value + 2.5
    revised = tmp_path / "housing-affordability-revised.csv"
    rows.to_csv(revised, index=False)

    open_tab(page, data_page, IMPORT_TAB)
    screenshot(page, "21-data-import-empty")
    upload(page, revised)
    page.get_by_text("housing-affordability-revised.csv is valid").wait_for(timeout=RUN_TIMEOUT)
    assert page.get_by_text("Revised values (1)").count() == 1
    text = grid_text(page.locator('[data-testid="stDataFrame"]').first)
    assert "E07000178" in text and f"{old_value:g}" in text and f"{old_value + 2.5:g}" in text, text
    confirm = page.get_by_role("button", name="Confirm import")
    assert confirm.is_disabled(), "confirm needs a name"
    screenshot(page, "22-data-import-preview")

    type_name(page, "Browser Analyst")
    assert confirm.is_enabled()
    confirm.click()
    page.get_by_text("as data version").wait_for(timeout=RUN_TIMEOUT)
    wait_until_run(page, chart=False)
    assert_no_errors(page)
    imported = (data_folder / "CURRENT").read_text(encoding="utf-8").strip()
    assert imported != first
    assert page.get_by_text(imported).count() >= 1, "the new version is named on the page"
    manifest = DataStore(data_folder).manifest()
    assert manifest["kind"] == "import" and manifest["who"] == "Browser Analyst"
    assert current_csv(data_folder).read_bytes() != original_bytes
    screenshot(page, "23-data-import-done")

    page.get_by_role("tab", name=HISTORY_TAB).click()
    wait_until_run(page, chart=False)
    assert page.get_by_text("Data versions").count() == 1
    page.get_by_role("button", name="Roll back to this version").click()
    wait_until_run(page, chart=False)
    page.get_by_text(f"Make {first} current again?").wait_for(timeout=RUN_TIMEOUT)
    screenshot(page, "24-data-rollback-confirm")
    page.get_by_role("button", name="Yes, roll back").click()
    page.get_by_text("Rolled back: data version").wait_for(timeout=RUN_TIMEOUT)
    wait_until_run(page, chart=False)
    assert_no_errors(page)
    back = (data_folder / "CURRENT").read_text(encoding="utf-8").strip()
    assert back not in (first, imported)
    assert DataStore(data_folder).manifest()["based_on"] == first
    assert current_csv(data_folder).read_bytes() == original_bytes, "the rollback did not restore the original CSV"
    screenshot(page, "25-data-rolled-back")


def test_status_tab(data_page: str, page) -> None:
    page.goto(data_page)
    page.get_by_role("heading", name="Indicators").wait_for(timeout=RUN_TIMEOUT)
    wait_until_run(page, chart=False)
    assert_no_errors(page)
    assert page.get_by_role("heading", name="Source files").count() == 1
    screenshot(page, "26-data-status")
