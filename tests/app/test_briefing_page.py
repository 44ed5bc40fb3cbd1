"""The councillor briefing page, run on its own with AppTest on data built from the real files."""

from __future__ import annotations

import re

import pytest

from tests.app.apphelpers import REPO_ROOT, assert_clean, html_text, run_page

pytestmark = pytest.mark.integration

PAGE = REPO_ROOT / "pages" / "briefing.py"
FORMATS = ("pdf", "png", "svg", "html")


def preview(at) -> str:
    """The briefing's HTML preview (the block holding the article)."""
    blocks = [h.proto.body for h in at.get("html") if 'class="cwb-briefing"' in h.proto.body]
    assert len(blocks) == 1, "no briefing preview"
    return blocks[0]


def test_page_shows_pickers_downloads_and_preview(app_data_dir) -> None:
    at = run_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "Councillor briefing"
    assert at.selectbox(key="area").value == "E10000025"
    assert at.selectbox(key="period").value == "latest"
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b.proto for b in at.get("download_button")}
    assert sorted(buttons) == sorted(f"download_{fmt}" for fmt in FORMATS)
    for proto in buttons.values():
        assert proto.ignore_rerun, "a download must not rerun the page"
    html = preview(at)
    assert "<h1>Oxfordshire</h1>" in html and "In brief" in html
    # The Doughnut is an image of SVG (st.html strips inline SVG) with the text alternative as alt.
    image = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert image and image.group(1).startswith("Doughnut chart of Oxfordshire")
    footer = html_text(at)
    assert "Data version" in footer and "Open Government Licence" in footer
    assert dict(at.query_params) == {"area": "E10000025", "period": "latest"}


def test_choosing_a_neighbourhood_redraws_the_briefing(app_data_dir) -> None:
    at = run_page(PAGE)
    at.selectbox(key="area").set_value("blackbird-leys").run()
    assert_clean(at)
    html = preview(at)
    assert "<h1>Blackbird Leys</h1>" in html
    # CLES Framework for Action: three of Blackbird Leys' four LSOAs are in England's most deprived 20% (IMD 2019).
    assert "3 of Blackbird Leys&#x27; 4 neighbourhoods (LSOAs) are among England&#x27;s 20% most deprived" in html
    assert dict(at.query_params) == {"area": "blackbird-leys", "period": "latest"}


def test_a_link_with_area_and_period_opens_that_briefing(app_data_dir) -> None:
    at = run_page(PAGE, area="E07000177", period="2023")
    assert_clean(at)
    assert at.selectbox(key="area").value == "E07000177"
    assert at.selectbox(key="period").value == "2023"
    assert "<h1>Cherwell</h1>" in preview(at) and "Figures for 2023" in preview(at)


def test_no_data_yet_is_a_message_not_a_traceback(empty_data_dir) -> None:
    at = run_page(PAGE)
    assert not at.exception
    assert at.info and "No data has been built yet" in at.info[0].value
    assert not at.get("download_button")
