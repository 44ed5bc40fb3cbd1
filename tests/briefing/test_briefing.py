"""Councillor briefings on the real data: content, the four formats, reproducibility, the command.

Everything is rendered for real (vl-convert, pypdf); expected figures come from the data
tables or the published evidence, never from an earlier run of the renderer.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.briefing import (
    build_briefing,
    chart_text_alternative,
    export_chart,
    portrait_table,
    render,
    render_html,
    render_pdf,
    render_png,
    render_svg,
)
from cwb_metrics.briefing.fonts import text_width, wrap
from cwb_metrics.briefing.render_image import briefing_page
from cwb_metrics.charts.doughnut import doughnut_chart
from cwb_metrics.errors import CwbError
from cwb_metrics.portrait.for_area import portrait_for

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
A4_RATIO = 297 / 210
#: Fewest and most plain-English sentences a briefing may have (the issue asks for 4 to 8).
MIN, MAX = 4, 8
SVG_NS = "{http://www.w3.org/2000/svg}"


def squash(text: str) -> str:
    """Text with every run of white space as one space (PDF lines break inside sentences)."""
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def county(built_store):
    return build_briefing(built_store, "Oxfordshire")


@pytest.fixture(scope="module")
def leys(built_store):
    return build_briefing(built_store, "Blackbird Leys")


@pytest.fixture(scope="module")
def county_pdf(county) -> bytes:
    return render_pdf(county)


@pytest.fixture(scope="module")
def leys_pdf(leys) -> bytes:
    return render_pdf(leys)


@pytest.fixture(scope="module")
def leys_png(leys) -> bytes:
    return render_png(leys)


# ----- what a briefing says ------------------------------------------------------------
def test_blackbird_leys_deprivation_matches_the_published_evidence(built_store, leys) -> None:
    # CLES Framework for Action (Oxfordshire): three of Blackbird Leys' four LSOAs are among
    # England's 20% most deprived in IMD 2019.
    by_edition = {h.edition: h for h in leys.deprivation}
    assert sorted(by_edition) == [2019, 2025]
    assert (by_edition[2019].most_deprived_20pct, by_edition[2019].lsoa_count) == (3, 4)
    assert "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among England's 20% most deprived (IMD 2019)." in (
        leys.sentences
    )
    # IMD 2025 straight from the LSOA table of the data version: deciles 1 and 2 of the area's 2021 LSOAs.
    area = resolve_area("Blackbird Leys", built_store, load_area_config())
    table = built_store.read_table("lsoa/imd2025.parquet")
    rows = table[table["lsoa_code"].isin(area.lsoa21)]
    assert by_edition[2025].lsoa_count == len(rows) > 0
    assert by_edition[2025].most_deprived_20pct == int((rows["imd_decile"] <= 2).sum())
    assert by_edition[2025].most_deprived_10pct == int((rows["imd_decile"] == 1).sum())


def test_county_and_districts_have_both_deprivation_editions(built_store) -> None:
    config = load_area_config()
    table = built_store.read_table("lsoa/imd2019.parquet")
    for code in [config.county_code, *(d.code for d in config.districts)]:
        briefing = build_briefing(built_store, code)
        assert [h.edition for h in briefing.deprivation] == [2019, 2025]
        own = table if code == config.county_code else table[table["lad_code"] == code]
        assert briefing.deprivation[0].lsoa_count == len(own)
        assert briefing.deprivation[0].most_deprived_20pct == int((own["imd_decile"] <= 2).sum())


def test_key_figures_are_the_three_largest_gaps(built_store, county) -> None:
    portrait = portrait_for(built_store, "Oxfordshire")
    for status, figures in (("shortfall", county.shortfalls), ("overshoot", county.overshoots)):
        scored = [(e.score, e.id) for e in portrait.entries if e.status == status]
        largest = [i for _, i in sorted(scored, reverse=True)[:3]]
        assert [f.indicator_id for f in figures] == largest
        for figure in figures:
            entry = next(e for e in portrait.entries if e.id == figure.indicator_id)
            assert figure.status == status
            assert figure.period_label == entry.period_label
            assert figure.trend == entry.trend
            assert re.sub(r"[^\d.]", "", figure.value_text.split()[0]) != ""
            word = "Ceiling" if status == "overshoot" else "Foundation"
            assert figure.threshold_text.startswith(word)


def test_briefing_header_facts_come_from_the_data_version(built_store, county) -> None:
    manifest = built_store.manifest()
    assert county.data_version == built_store.current_version() == manifest["version"]
    assert county.date == dt.datetime.fromisoformat(manifest["created"]).date()
    assert county.area_name == "Oxfordshire" and county.area_kind == "county"
    assert MIN <= len(county.sentences) <= MAX
    assert any("Open Government Licence" in line for line in county.footer)
    assert any(county.data_version in line for line in county.footer)


@pytest.mark.parametrize("area", ["Oxfordshire", "Cherwell", "Oxford", "South Oxfordshire", "Vale of White Horse",
                                  "West Oxfordshire", "Blackbird Leys", "The Leys", "Banbury", "England"])  # fmt: skip
def test_every_configured_area_fits_one_page(built_store, area: str) -> None:
    briefing = build_briefing(built_store, area)
    assert MIN <= len(briefing.sentences) <= MAX
    page = briefing_page(briefing)
    assert page.fits, (
        f"{area}: content ends at {page.content_bottom:.0f} pt, the footer starts at {page.footer_top:.0f}"
    )
    # Every sentence is on the page in full (wrapped, never cut).
    texts = squash(" ".join(t.text or "" for t in ET.fromstring(page.svg).iter(f"{SVG_NS}text")))
    for sentence in briefing.sentences:
        assert sentence in texts


def test_an_area_without_indicators_of_its_own_shows_its_district(built_store) -> None:
    # Neighbourhood figures exist for a few years only (IMD editions, LSOA fuel poverty); find a year
    # in which Blackbird Leys has none of its own and Oxford has some.
    def has_data(area: str, year: str) -> bool:
        return any(e.id and e.status != "missing" for e in portrait_for(built_store, area, period=year).entries)

    years = [str(y) for y in range(2010, 2027)]
    year = next((y for y in years if not has_data("blackbird-leys", y) and has_data("Oxford", y)), None)
    if year is None:
        pytest.skip("every year with Oxford data also has Blackbird Leys data")
    briefing = build_briefing(built_store, "Blackbird Leys", period=year)
    assert briefing.portrait.area_name == "Oxford"
    assert briefing.context_note and "Blackbird Leys" in briefing.context_note and "Oxford" in briefing.context_note
    assert briefing.doughnut_heading.endswith("Oxford (district)")
    assert briefing.deprivation[0].most_deprived_20pct == 3  # still Blackbird Leys' own
    assert briefing_page(briefing).fits


# ----- text alternatives -----------------------------------------------------------------
def test_text_alternative_and_table_say_what_the_chart_shows(built_store) -> None:
    portrait = portrait_for(built_store, "Oxford")
    text = chart_text_alternative(portrait)
    with_data = [e for e in portrait.entries if e.id and e.status in ("within", "shortfall", "overshoot")]
    assert "Oxford" in text
    assert f"Of {len(with_data)} indicators with data" in text
    context = sum(e.id is not None and e.status == "context" for e in portrait.entries)
    assert f"{context} relative measures are listed as context and not drawn" in text
    assert f"{sum(e.status == 'shortfall' for e in with_data)} short of the social foundation" in text
    largest = max((e for e in with_data if e.status == "shortfall"), key=lambda e: e.score)
    assert largest.short_title.lower()[:12] in text.lower()

    table = portrait_table(portrait)
    assert len(table) == len(portrait.entries)
    assert {"Ring", "Dimension", "Indicator", "Value", "Threshold", "Status", "Trend"} <= set(table.columns)
    missing = table[table["Status"] == "No data"]
    assert len(missing) == sum(e.status == "missing" for e in portrait.entries) > 0
    assert set(missing["Value"]) == {"no data"}, "missing values must never read as zero"
    assert table.map(lambda v: isinstance(v, str)).all().all()


# ----- PDF ---------------------------------------------------------------------------
def test_pdf_is_one_a4_page_with_real_text(county, county_pdf) -> None:
    reader = PdfReader(io.BytesIO(county_pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(595.28, abs=1) and float(box.height) == pytest.approx(841.89, abs=1)
    text = squash(reader.pages[0].extract_text())
    assert "Oxfordshire" in text
    for sentence in county.sentences:
        assert sentence in text
    assert "Open Government Licence" in text
    assert county.data_version in text
    for figure in county.shortfalls + county.overshoots:
        assert figure.value_text in text


def test_pdf_metadata_is_dated_from_the_data_version(built_store, leys, leys_pdf) -> None:
    reader = PdfReader(io.BytesIO(leys_pdf))
    info = reader.metadata
    created = dt.datetime.fromisoformat(built_store.manifest()["created"]).astimezone(dt.UTC)
    assert info["/CreationDate"] == created.strftime("D:%Y%m%d%H%M%SZ")
    assert info["/ModDate"] == info["/CreationDate"]
    assert "Blackbird Leys" in info["/Title"]
    assert leys.data_version in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    text = squash(reader.pages[0].extract_text())
    assert "3 of 4" in text and "Blackbird Leys" in text


def test_same_data_area_and_period_give_identical_files(built_store, county, county_pdf) -> None:
    again = build_briefing(built_store, "Oxfordshire", period="latest")
    assert again.sentences == county.sentences
    assert render_pdf(again) == county_pdf
    assert render_svg(again) == render_svg(county)
    assert render_html(again) == render_html(county)


# ----- PNG and SVG -------------------------------------------------------------------
def test_png_is_an_a4_page_with_ink(leys_png) -> None:
    image = Image.open(io.BytesIO(leys_png))
    assert image.format == "PNG"
    width, height = image.size
    assert width >= 1200
    assert height / width == pytest.approx(A4_RATIO, abs=0.005)
    grey = image.convert("L")
    histogram = grey.histogram()
    non_white = sum(histogram[:250]) / (width * height)
    dark = sum(histogram[:80]) / (width * height)
    assert non_white > 0.10, "the page is (almost) blank"
    assert dark > 0.02, "no dark ink (header band, headings, text)"


def test_png_keeps_the_layout_in_greyscale(leys_png) -> None:
    # The header band (dark) and the page (white) stay far apart when printed in grey.
    grey = Image.open(io.BytesIO(leys_png)).convert("L")
    width, _ = grey.size
    band = grey.getpixel((width - 20, 20))
    page = grey.getpixel((width - 20, grey.size[1] // 2))
    assert band < 90 and page > 240


def test_svg_is_xml_with_the_credit_as_text(leys) -> None:
    svg = render_svg(leys)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert float(root.get("width")) == pytest.approx(595.28, abs=1)
    assert float(root.get("height")) == pytest.approx(841.89, abs=1)
    assert "Blackbird Leys" in (root.find(f"{SVG_NS}title").text or "")
    texts = squash(" ".join(t.text or "" for t in root.iter(f"{SVG_NS}text")))
    assert "Open Government Licence v3.0" in texts
    assert "Sources:" in texts and "English Indices of Deprivation" in texts
    assert leys.data_version in texts
    doughnut = [e for e in root.iter(f"{SVG_NS}svg") if e.get("role") == "img"]
    assert doughnut and "Doughnut chart of Blackbird Leys" in doughnut[0].get("aria-label")


# ----- HTML --------------------------------------------------------------------------
class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("h1", "h2", "h3"):
            self._open, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.headings.append((tag, squash("".join(self._text))))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


def test_html_is_self_contained_with_headings_alt_text_and_a_table(leys) -> None:
    page = render_html(leys)
    outline = _Outline()
    outline.feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert [h for h in outline.headings if h[0] == "h1"] == [("h1", "Blackbird Leys")]
    h2 = [text for tag, text in outline.headings if tag == "h2"]
    assert {"In brief", "Largest shortfalls", "Largest overshoots"} <= set(h2)
    svgs = [attrs for tag, attrs in outline.tags if tag == "svg" and attrs.get("role") == "img"]
    assert len(svgs) == 1 and svgs[0].get("aria-labelledby")
    desc = re.search(r'<desc id="b-doughnut-desc">([^<]+)</desc>', page)
    assert desc and "Doughnut chart of Blackbird Leys" in desc.group(1)
    assert all(attrs.get("alt") for tag, attrs in outline.tags if tag == "img")
    assert sum(tag == "table" for tag, _ in outline.tags) >= 2
    assert any(tag == "th" and attrs.get("scope") == "col" for tag, attrs in outline.tags)
    for sentence in leys.sentences:
        assert sentence.replace("'", "&#x27;") in page
    assert "@page {size: A4" in page
    assert not re.search(r'<(script|link|iframe)\b|\b(src|href)="https?://', page), "the file must not fetch anything"


def test_html_fragment_scopes_its_styles(leys) -> None:
    fragment = render_html(leys, fragment=True)
    assert fragment.startswith("<style>") and "<html" not in fragment and "@page" not in fragment
    # Hosts that sanitise HTML drop inline SVG: the fragment's Doughnut is an image with alt text.
    image = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', fragment)
    assert image and "Doughnut chart of Blackbird Leys" in image.group(2)
    assert ET.fromstring(base64.b64decode(image.group(1))).tag == f"{SVG_NS}svg"
    assert "<svg" not in fragment
    css = fragment.split("</style>")[0].removeprefix("<style>")
    selectors = [s for s in re.findall(r"(?:^|[{}])\s*([^{}]+?)\s*\{", css) if not s.startswith("@")]
    assert len(selectors) > 10
    for selector in selectors:
        assert all(part.strip().startswith(".cwb-briefing") for part in selector.split(",")), selector


# ----- chart exports -------------------------------------------------------------------
def test_export_chart_draws_title_area_period_and_credit(built_store) -> None:
    portrait = portrait_for(built_store, "Cherwell")
    chart = doughnut_chart(portrait.frame(), title="Cherwell", width=480)
    credit = "Source: ONS Explore Local Statistics; Open Government Licence v3.0"
    svg = export_chart(chart, "svg", title="The Doughnut", area="Cherwell", period="2023", credit=credit)
    root = ET.fromstring(svg)
    texts = [t.text or "" for t in root.iter(f"{SVG_NS}text")]
    assert "The Doughnut" in texts and "Cherwell · 2023" in texts
    assert credit in squash(" ".join(texts))
    width, height = float(root.get("width")), float(root.get("height"))
    png = Image.open(io.BytesIO(export_chart(chart, "png", title="The Doughnut", area="Cherwell", period="latest",
                                             credit=credit)))  # fmt: skip
    assert png.format == "PNG"
    assert png.size[0] / png.size[1] == pytest.approx(width / height, rel=0.01)
    assert png.size[0] > 480 and png.convert("L").getextrema()[0] < 60
    with pytest.raises(CwbError):
        export_chart(chart, "pdf", title="t", area="a", period="latest", credit="c")  # type: ignore[arg-type]


# ----- the command line ----------------------------------------------------------------
MAGIC = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "svg": b"<svg", "html": b"<!DOCTYPE html>"}


def _run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}
    command = [sys.executable, "-m", "cwb_metrics", "briefing", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300)


@pytest.mark.parametrize("fmt", ["pdf", "png", "svg", "html"])
def test_cli_writes_each_format(built_store, tmp_path: Path, fmt: str) -> None:
    output = tmp_path / f"leys.{fmt}"
    result = _run("--area", "Blackbird Leys", "--format", fmt, "-o", str(output), data_dir=built_store.root)
    assert result.returncode == 0, result.stderr
    assert output.read_bytes().startswith(MAGIC[fmt])
    assert "Blackbird Leys" in result.stdout and str(output) in result.stdout
    assert [p.name for p in tmp_path.iterdir()] == [output.name], "no temporary file left behind"


def test_cli_takes_the_format_from_the_file_name_and_repeats_itself(built_store, tmp_path: Path) -> None:
    first, second = tmp_path / "county.pdf", tmp_path / "again.pdf"
    for output in (first, second):
        result = _run("--area", "E10000025", "--period", "2023", "-o", str(output), data_dir=built_store.root)
        assert result.returncode == 0, result.stderr
    assert len(PdfReader(first).pages) == 1
    assert first.read_bytes() == second.read_bytes(), "two processes wrote different PDFs from the same data"


def test_cli_unknown_area_is_one_clear_message(built_store, tmp_path: Path) -> None:
    output = tmp_path / "nowhere.pdf"
    result = _run("--area", "Nowhere-on-Thames", "-o", str(output), data_dir=built_store.root)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "Nowhere-on-Thames" in lines[0]
    assert "Traceback" not in result.stderr
    assert not output.exists()


def test_render_rejects_an_unknown_format(leys) -> None:
    with pytest.raises(CwbError, match="docx"):
        render(leys, "docx")


# ----- text measurement ------------------------------------------------------------------
def test_wrapped_lines_fit_and_keep_every_word() -> None:
    text = "Oxfordshire overshoots the ecological ceiling on territorial greenhouse gas emissions per person: " * 3
    for width in (80, 200, 523):
        lines = wrap(text, width, 9)
        assert all(text_width(line, 9) <= width or " " not in line for line in lines)
        assert " ".join(lines).split() == text.split()
    # Helvetica/Arial metrics: "Hello world" at 10 pt is 49.5 pt wide (AFM widths, thousandths of an em).
    assert text_width("Hello world", 10) == pytest.approx(49.45, abs=0.05)


# ----- issue 10: honest claims, bases, pace ------------------------------------------------------------------
def test_the_briefing_counts_shortfalls_on_comparator_or_illustrative_thresholds(county) -> None:
    shortfalls = [e for e in county.portrait.entries if e.status == "shortfall"]
    weak = [e for e in shortfalls if e.threshold_basis in ("comparator", "illustrative")]
    assert county.counts["shortfall"] == len(shortfalls) > 0
    assert county.counts["shortfalls_on_comparator_or_illustrative"] == len(weak) > 0
    sentence = next(s for s in county.sentences if s.startswith(f"Of the {len(shortfalls)} shortfalls"))
    assert f"{len(weak)} rest on no authority's target" in sentence


def test_relative_shares_are_context_not_shortfalls(county) -> None:
    context = [e for e in county.portrait.entries if e.status == "context"]
    assert {e.id for e in context} >= {"imd_most_deprived_20pct", "imd_income_most_deprived_20pct"}
    assert county.counts["context"] == len(context)
    assert not any(f.indicator_id.startswith("imd_") for f in county.shortfalls)
    # The relative shares stay on the briefing's deprivation tiles.
    assert [h.edition for h in county.deprivation] == [2019, 2025]


def test_the_largest_shortfalls_are_ranked_on_the_zero_to_one_scale(county) -> None:
    scores = [f for f in county.portrait.by_status("shortfall")]
    assert all(0 < e.score <= 1 for e in scores)
    assert [f.indicator_id for f in county.shortfalls] == [e.id for e in scores[:3]]


def test_oxford_is_not_said_to_beat_england_on_fuel_poverty(built_store) -> None:
    oxford = build_briefing(built_store, "Oxford")
    fuel = next(e for e in oxford.portrait.entries if e.id == "fuel_poverty")
    # DESNZ 2023: Oxford 11.39%, England 11.4%: the same at the figures shown.
    assert (round(fuel.value, 2), fuel.england, fuel.england_comparison) == (11.39, 11.4, "similar")
    text = " ".join(oxford.sentences)
    assert "fuel poverty" not in text.lower() or "better than England" not in text


def test_the_county_briefing_gives_the_pace_to_net_zero(county) -> None:
    ghg = next(e for e in county.portrait.entries if e.id == "ghg_emissions_per_capita")
    net_zero = next(p for p in ghg.pace if p["label"] == "Net zero")
    # Oxfordshire 5.11 t in 2023: (0 - 5.11) / (2050.5 - 2023.5) = -0.189 t a year.
    assert net_zero["needed_per_year"] == pytest.approx(-5.11 / 27, abs=1e-3)
    assert any(s.startswith("To reach net zero by 2050") for s in county.sentences)
