"""Paths and helpers shared by the app tests, the browser tests and the page benchmark."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "app.py"
PAGES = {
    "portrait": REPO_ROOT / "pages" / "portrait.py",
    "explorer": REPO_ROOT / "pages" / "explorer.py",
    "deprivation_map": REPO_ROOT / "pages" / "deprivation_map.py",
    "neighbourhoods": REPO_ROOT / "pages" / "neighbourhoods.py",
    "deprivation_change": REPO_ROOT / "pages" / "deprivation_change.py",
    "who_bears": REPO_ROOT / "pages" / "who_bears.py",
    "action_plan": REPO_ROOT / "pages" / "action_plan.py",
    "briefing": REPO_ROOT / "pages" / "briefing.py",
    "data": REPO_ROOT / "pages" / "data.py",
    "councils": REPO_ROOT / "pages" / "councils.py",
}
TITLES = {
    "portrait": "Doughnut portrait",
    "explorer": "Indicator explorer",
    "deprivation_map": "Deprivation map",
    "neighbourhoods": "Neighbourhood portraits",
    "deprivation_change": "IMD 2019 → 2025",
    "who_bears": "Who bears the shortfall",
    "action_plan": "CWB action plan",
    "briefing": "Councillor briefing",
    "data": "Data",
    "councils": "How councils compare",
}
#: Seconds an AppTest run may take (the first run reads the data; later runs hit the caches).
TIMEOUT = 90


def run_page(path: Path, **query: str) -> AppTest:
    """Run a page (or the router) once, with query parameters as if they were in the URL."""
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def html_text(at: AppTest) -> str:
    """All the HTML blocks of the page (sentences, chips, footer), joined."""
    return "\n".join(h.proto.body for h in at.get("html"))


def markdown_text(at: AppTest) -> str:
    """All the Markdown of the page, joined."""
    return "\n".join(str(m.value) for m in at.markdown)


def assert_clean(at: AppTest) -> None:
    """No exception, no error box, no traceback on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert "Traceback" not in markdown_text(at) + html_text(at)


def table_with(at: AppTest, column: str):
    """The first table (``st.dataframe``) of the page with ``column``, as a DataFrame.

    Tables without a selection have no key to find them by; a column name is as stable.
    """
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a {column!r} column on the page")
