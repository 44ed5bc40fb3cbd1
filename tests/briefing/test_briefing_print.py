"""The HTML briefing printed by a real browser (Debian's Chromium): one A4 sheet.

Opt-in with the ``browser`` marker, like ``tests/browser``; skips loudly without Chromium
(fails instead when ``CWB_REQUIRE_BROWSER=1``, as in CI).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from cwb_metrics.briefing import build_briefing, render_html

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.exists():
        message = f"BROWSER TEST SKIPPED: Debian's Chromium is not installed at {CHROMIUM} (make browser)."
        if os.environ.get("CWB_REQUIRE_BROWSER") == "1":
            pytest.fail(message.replace("SKIPPED", "REQUIRED (CWB_REQUIRE_BROWSER=1) BUT"))
        pytest.skip(message)
    return CHROMIUM


@pytest.mark.parametrize("area", ["Oxfordshire", "Blackbird Leys"])
def test_html_prints_on_one_a4_page(built_store, chromium: Path, tmp_path: Path, area: str) -> None:
    briefing = build_briefing(built_store, area)
    page = tmp_path / "briefing.html"
    page.write_text(render_html(briefing), encoding="utf-8")
    pdf = tmp_path / "printed.pdf"
    command = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", page.as_uri()]  # fmt: skip
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert pdf.is_file(), "Chromium wrote no PDF"
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1, f"the printed briefing of {area} runs to {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595, abs=2) and float(box.height) == pytest.approx(842, abs=2)
    text = " ".join(reader.pages[0].extract_text().split())
    assert briefing.area_name in text and "Open Government Licence" in text
