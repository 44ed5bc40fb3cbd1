"""Interacting with the pages shows what the library computes on the real data.

Each test changes a widget (or the URL) and compares the numbers and sentences on the
page with the library's own results for the same choice (``portrait_for``,
``deprivation_profile``), called directly on the same built data.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from urllib.parse import parse_qs

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.deprivation.change import area_change
from cwb_metrics.deprivation.profile import deprivation_profile, profile_sentences
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.sentences import entry_value_text, format_value, portrait_sentences
from cwb_metrics.portrait.side_by_side import side_by_side
from cwb_metrics.store import REFRESH_HINT
from tests.app.apphelpers import APP, PAGES, TIMEOUT, assert_clean, html_text, markdown_text, run_page, table_with

pytestmark = pytest.mark.integration

CHERWELL, OXFORD, COUNTY = "E07000177", "E07000178", "E10000025"


def sentences_on(at: AppTest) -> list[str]:
    """The plain-English sentences drawn on the page, unescaped."""
    block = re.search(r'<ul class="cwb-sentences">(.*?)</ul>', html_text(at), flags=re.S)
    assert block, "no sentences on the page"
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1), flags=re.S)]


def metrics(at: AppTest) -> dict[str, int]:
    return {m.label: int(m.value) for m in at.metric}


# ----- Doughnut portrait ------------------------------------------------------------------------
def test_choosing_an_area_shows_its_portrait(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"])
    at.selectbox(key="area").select(CHERWELL).run()
    assert_clean(at)
    expected = portrait_for(built_store, CHERWELL)
    assert at.header[0].value == "Cherwell in brief"
    assert sentences_on(at) == portrait_sentences(expected)
    assert 3 <= len(sentences_on(at)) <= 6
    assert at.query_params["area"] == CHERWELL


def test_choosing_a_period_shows_that_years_portrait(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"], area=OXFORD)
    years = [p for p in at.selectbox(key="period").options if p != "Latest available"]
    assert years, "the period picker offers no years"
    year = years[min(2, len(years) - 1)]
    at.selectbox(key="period").select(year).run()
    assert_clean(at)
    assert sentences_on(at) == portrait_sentences(portrait_for(built_store, OXFORD, period=year))
    assert at.query_params["period"] == year


def test_the_headline_counts_context_apart_from_the_shortfalls(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"], area=OXFORD)
    assert_clean(at)
    entries = [e for e in portrait_for(built_store, OXFORD).entries if e.id]  # indicators, not empty dimensions
    count = Counter(e.status for e in entries)
    headline = next(h.proto.body for h in at.get("html") if "cwb-headline" in h.proto.body)
    chips = re.findall(r'<span class="cwb-chip cwb-(\w+)">(\d+) ', html_text(at))[:4]
    assert chips == [(s, str(count[s])) for s in ("shortfall", "overshoot", "within", "missing")]
    assert count["context"] > 0 and f"<strong>{count['context']} context indicators</strong> shown beside" in headline
    scored = count["shortfall"] + count["overshoot"] + count["within"]
    assert f"{scored + count['context']} indicators with data: {scored} scored, {count['context']} context" in headline


def test_the_url_selects_the_area(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"], area=CHERWELL)
    assert_clean(at)
    assert at.selectbox(key="area").value == CHERWELL
    assert sentences_on(at) == portrait_sentences(portrait_for(built_store, CHERWELL))


def test_a_neighbourhood_portrait_sits_beside_its_district(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"], area="blackbird-leys")
    assert_clean(at)
    assert at.selectbox(key="area").value == "blackbird-leys"
    assert sentences_on(at) == portrait_sentences(portrait_for(built_store, "blackbird-leys"))
    expected = side_by_side(built_store, "blackbird-leys")["comparison"]
    # Scored indicators first, then context ones, each group in the library's order.
    expected = pd.concat([expected[expected["status"] != "context"], expected[expected["status"] == "context"]])
    table = table_with(at, "Blackbird Leys")
    assert list(table.columns) == [
        "Indicator", "Period", "Blackbird Leys", "Oxford", "Oxfordshire", "England", "Scored or context",
        "Census 2021",
    ]  # fmt: skip
    assert list(table["Indicator"]) == list(expected["title"])
    assert list(table["Scored or context"]) == [
        "Context" if status == "context" else "Scored" for status in expected["status"]
    ]
    for shown, record in zip(table["Blackbird Leys"], expected.to_dict("records"), strict=True):
        assert shown == format_value(record["area"], int(record["decimals"]), record["unit_short"])


def test_an_unknown_area_in_the_url_falls_back_to_the_county(app_data_dir) -> None:
    at = run_page(PAGES["portrait"], area="E07999999")
    assert_clean(at)
    assert at.selectbox(key="area").value == COUNTY


def test_the_score_table_is_the_portraits_text_alternative(app_data_dir, built_store) -> None:
    at = run_page(PAGES["portrait"], area=OXFORD)
    at.toggle(key="show_table").set_value(True).run()
    assert_clean(at)
    table = table_with(at, "Status")
    portrait = portrait_for(built_store, OXFORD)
    with_data = [e for e in portrait.entries if e.id and e.value is not None]
    shown = dict(zip(table["Indicator"], table["Value"], strict=True))
    for entry in with_data:
        assert shown[entry.title] == entry_value_text(entry)
    assert (table["Status"] == "Shortfall").sum() == len(portrait.by_status("shortfall"))
    assert (table["Status"] == "Overshoot").sum() == len(portrait.by_status("overshoot"))


def test_the_view_toggle_draws_unrolled_bars(app_data_dir) -> None:
    at = run_page(PAGES["portrait"])
    at.segmented_control(key="view").set_value("bars").run()
    assert_clean(at)
    assert [c.key for c in at.get("vega_lite_chart")] == ["portrait_chart_bars"]
    assert at.query_params["view"] == "bars"


def test_a_selected_indicator_links_to_the_explorer(app_data_dir, built_store) -> None:
    portrait = portrait_for(built_store, OXFORD)
    entry = next(e for e in portrait.entries if e.id and e.value is not None)
    at = run_page(APP, area=OXFORD, indicator=entry.id)
    assert_clean(at)
    links = [link for link in at.page_link if link.proto.label == "Open in the indicator explorer"]
    assert links, "no link to the explorer"
    assert f"indicator={entry.id}" in links[0].proto.query_string
    assert html.escape(entry_value_text(entry)) in html_text(at)


def test_an_imd_indicator_links_to_its_map(app_data_dir) -> None:
    at = run_page(APP, area=OXFORD, indicator="imd_health_most_deprived_20pct")
    assert_clean(at)
    links = [link for link in at.page_link if link.proto.label == "See it on the deprivation map"]
    assert links, "no link from the IMD indicator to the map"
    query = {k: v[0] for k, v in parse_qs(links[0].proto.query_string).items()}
    assert query == {"edition": "2025", "domain": "health", "area": OXFORD}
    on_map = run_page(PAGES["deprivation_map"], **query)
    assert_clean(on_map)
    assert on_map.selectbox(key="domain").value == "health"
    assert on_map.selectbox(key="district").value == OXFORD


# ----- Indicator explorer -----------------------------------------------------------------------
def test_choosing_an_indicator_shows_its_definition_threshold_and_source(app_data_dir) -> None:
    catalogue = load_catalogue()
    at = run_page(PAGES["explorer"])
    chosen = list(catalogue)[3]
    at.selectbox(key="indicator").select(chosen).run()
    assert_clean(at)
    meta = catalogue[chosen]
    assert at.query_params["indicator"] == chosen
    assert any(s.value == meta.title for s in at.header)
    text = markdown_text(at)
    assert meta.definition in text and meta.threshold.rationale in text and meta.origin.producer in text
    assert str(meta.origin.url_main) in text and meta.origin.licence in text


def test_the_url_selects_the_indicator_and_compared_areas(app_data_dir, built_store) -> None:
    catalogue = load_catalogue()
    chosen = list(catalogue)[-1]
    at = run_page(PAGES["explorer"], indicator=chosen, area=OXFORD)
    assert_clean(at)
    assert at.selectbox(key="indicator").value == chosen
    rows = built_store.read_indicator(chosen)
    expected = [c for c in (OXFORD, COUNTY, "E92000001") if c in set(rows["areacd"])]
    assert at.multiselect(key="compare").value == expected


def test_status_filter_matches_the_portrait(app_data_dir, built_store) -> None:
    at = run_page(PAGES["explorer"], area=OXFORD)
    status = next(m for m in at.multiselect if m.label == "Status")
    status.select("Shortfall").run()
    assert_clean(at)
    table = at.dataframe[0].value
    portrait = portrait_for(built_store, OXFORD)
    assert set(table["id"]) == {e.id for e in portrait.by_status("shortfall")}
    assert set(table["Status"]) <= {"Shortfall"}


def test_latest_values_in_the_table_are_the_portraits(app_data_dir, built_store) -> None:
    at = run_page(PAGES["explorer"], area=CHERWELL)
    assert_clean(at)
    table = at.dataframe[0].value.set_index("id")
    for entry in portrait_for(built_store, CHERWELL).entries:
        if entry.id and entry.value is not None:
            assert table.loc[entry.id, "Latest"] == entry_value_text(entry)


# ----- Deprivation map --------------------------------------------------------------------------
def _library_profile(store, area: str, edition: int):
    return deprivation_profile(resolve_area(area, store), edition, store)


def test_blackbird_leys_2019_through_the_pickers(app_data_dir, built_store) -> None:
    at = run_page(PAGES["deprivation_map"])
    at.segmented_control(key="edition").set_value("2019").run()
    at.selectbox(key="district").select(OXFORD).run()
    at.selectbox(key="place").select("blackbird-leys").run()
    assert_clean(at)
    profile = _library_profile(built_store, "Blackbird Leys", 2019)
    assert metrics(at) == {"LSOAs": 4, "Most deprived 10%": profile.summary.most_deprived_10pct, "Most deprived 20%": 3}
    assert profile.summary.most_deprived_20pct == 3
    sentences = sentences_on(at)
    assert sentences == profile_sentences(profile)
    assert (
        "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among England's 20% most deprived (IMD 2019)." in sentences
    )
    assert dict(at.query_params) == {"edition": "2019", "domain": "imd", "area": "blackbird-leys"}


def test_changing_the_edition_shows_imd_2025(app_data_dir, built_store) -> None:
    at = run_page(PAGES["deprivation_map"], area="blackbird-leys", edition="2019")
    at.segmented_control(key="edition").set_value("2025").run()
    assert_clean(at)
    profile = _library_profile(built_store, "blackbird-leys", 2025)
    summary = profile.summary
    assert metrics(at) == {
        "LSOAs": summary.lsoa_count,
        "Most deprived 10%": summary.most_deprived_10pct,
        "Most deprived 20%": summary.most_deprived_20pct,
    }
    assert sentences_on(at) == profile_sentences(profile)


def test_change_since_2019_matches_the_library(app_data_dir, built_store) -> None:
    at = run_page(PAGES["deprivation_map"], area="blackbird-leys")
    at.segmented_control(key="edition").set_value("change").run()
    assert_clean(at)
    moved = area_change(built_store, resolve_area("blackbird-leys", built_store))
    values = {m.label: (int(m.value), int(m.delta)) for m in at.metric}
    assert values["Most deprived 20%"] == (
        moved.most_deprived_20pct_2025,
        moved.most_deprived_20pct_2025 - moved.most_deprived_20pct_2019,
    )
    assert moved.most_deprived_20pct_2019 == 3
    assert sentences_on(at) == moved.sentences()
    assert at.query_params["edition"] == "change"
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "decile_change" in spec


def test_banbury_2019_from_the_url(app_data_dir, built_store) -> None:
    at = run_page(PAGES["deprivation_map"], area="banbury", edition="2019")
    assert_clean(at)
    assert at.selectbox(key="district").value == CHERWELL and at.selectbox(key="place").value == "banbury"
    assert metrics(at)["Most deprived 20%"] == 6  # CLES: six LSOAs in the 20% most deprived
    domains = at.dataframe[0].value.set_index("Measure")
    assert domains.loc["Education, Skills and Training", "Most deprived 10%"].startswith("7 ")


def test_choosing_an_lsoa_shows_its_deciles(app_data_dir, built_store) -> None:
    at = run_page(PAGES["deprivation_map"], area="blackbird-leys", edition="2019")
    lsoa = at.selectbox(key="lsoa").options[1]
    code = re.search(r"\((E01\d{6})\)", lsoa).group(1)
    at.selectbox(key="lsoa").select(code).run()
    assert_clean(at)
    assert at.query_params["lsoa"] == code
    table = at.dataframe[-1].value.set_index("Measure")
    imd = built_store.read_table("lsoa/imd2019.parquet").set_index("lsoa_code").loc[code]
    assert table.loc["Overall (IMD)", "Decile"] == imd["imd_decile"]
    assert table.loc["Education, Skills and Training", "Decile"] == imd["education_decile"]


def test_choosing_a_domain_recolours_the_map(app_data_dir) -> None:
    at = run_page(PAGES["deprivation_map"])
    at.selectbox(key="domain").select("education").run()
    assert_clean(at)
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "education_decile" in spec and "Education, Skills and Training" in spec
    assert at.query_params["domain"] == "education"


def test_an_lsoa_in_the_url_opens_its_ward(app_data_dir, built_store) -> None:
    area = resolve_area("Blackbird Leys", built_store)
    code = area.lsoa21[0]
    at = run_page(PAGES["deprivation_map"], area=code)
    assert_clean(at)
    assert at.selectbox(key="district").value == OXFORD
    assert at.selectbox(key="lsoa").value == code


# ----- No data yet ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [APP, *PAGES.values()], ids=["app", *PAGES])
def test_an_empty_data_folder_shows_the_refresh_command(empty_data_dir, path) -> None:
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.info and "No data has been built" in at.info[0].value
    assert any(REFRESH_HINT in c.value for c in at.code)
