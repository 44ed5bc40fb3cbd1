"""Every page runs on the hand-written fixture data version, without the mirror.

The expected figures are worked out by hand from the fixture's files (tests/fixtures/README.md),
not read back from the library: ``CWB_MIRROR=/nonexistent make test-fast`` runs these.
"""

from __future__ import annotations

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from cwb_metrics.indicators.catalogue import load_catalogue
from tests.app.apphelpers import (
    APP,
    PAGES,
    TIMEOUT,
    TITLES,
    assert_clean,
    html_text,
    markdown_text,
    run_page,
    table_with,
)
from tests.fixtures.version.build import AREAS

COUNTY, NORTHDALE, SOUTHDALE = "E10099999", "E07099901", "E07099902"


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_on_the_fixture(on_fixture, name: str) -> None:
    at = run_page(PAGES[name])
    assert_clean(at)
    assert at.title[0].value == TITLES[name]
    assert not at.info or name == "explorer", [i.value for i in at.info]  # no notice: the default URL is valid
    if name not in ("briefing", "data"):
        assert at.get("vega_lite_chart"), "no chart drawn"
    footer = html_text(at)
    assert f"Data version <code>{on_fixture.current_version()}</code>" in footer


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_through_the_router(on_fixture, name: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.switch_page(str(PAGES[name].relative_to(APP.parent))).run()
    assert_clean(at)
    assert at.title[0].value == TITLES[name]


def test_the_portrait_offers_the_county_its_districts_and_neighbourhoods_with_data(on_fixture) -> None:
    at = run_page(PAGES["portrait"])
    assert at.selectbox(key="area").options == [
        "Testshire (county)", "Northdale", "Southdale",
        "Riverside (neighbourhood)", "The Flats (neighbourhood)", "Station Quarter (neighbourhood)",
    ]  # fmt: skip
    # periods: gdhi and ghg 2021-2023, life satisfaction 2022/23-2023/24, fuel poverty 2020 and 2023, IMD 2019 and 2025
    assert at.selectbox(key="period").options == [
        "Latest available", "2025", "2023", "2022", "2021", "2020", "2019",
    ]  # fmt: skip
    assert dict(at.query_params) == {"area": COUNTY, "period": "latest", "view": "doughnut"}


def test_the_score_table_shows_northdales_latest_figures(on_fixture) -> None:
    at = run_page(PAGES["portrait"], area=NORTHDALE)
    at.toggle(key="show_table").set_value(True).run()
    assert_clean(at)
    table = at.dataframe[-1].value.set_index("Indicator")
    titles = {i: m.title for i, m in load_catalogue().items()}
    gdhi, ghg, life = titles["gdhi_per_head"], titles["ghg_emissions_per_capita"], titles["life_satisfaction"]
    # £22,500 in 2023 against a £25,425 target: short; 4.60 t against a 2.80 t ceiling: over; 7.10 > 6.5: within.
    assert table.loc[gdhi, ["Value", "Threshold", "Status", "England"]].tolist() == [
        "£22,500", "£25,425", "Shortfall", "£25,425",
    ]  # fmt: skip
    assert table.loc[ghg, ["Value", "Status", "Period"]].tolist() == ["4.60 t CO2e", "Overshoot", "2023"]
    assert table.loc[life, ["Value", "Status"]].tolist() == ["7.10/10", "Within"]
    assert table.loc[titles["fuel_poverty"], "Value"] == "11.5%"  # 336 of 2,930 households in 2023


def test_a_what_if_link_redraws_the_portrait_with_that_threshold(on_fixture) -> None:
    at = run_page(PAGES["portrait"], area=NORTHDALE, whatif="gdhi_per_head:20000")
    assert_clean(at)
    assert at.slider(key="whatif_gdhi_per_head").value == 20000
    changes = at.dataframe[0].value
    assert changes[["Status now", "What-if status", "What-if threshold"]].iloc[0].tolist() == [
        "Shortfall", "Within", "£20,000",
    ]  # fmt: skip
    assert at.query_params["whatif"] == "gdhi_per_head:20000"


def test_the_explorer_draws_an_indicators_trend_and_table(on_fixture) -> None:
    at = run_page(PAGES["explorer"], indicator="gdhi_per_head", area=SOUTHDALE)
    assert_clean(at)
    assert len(at.dataframe[0].value) == len(load_catalogue())
    assert at.multiselect(key="compare").value == [SOUTHDALE, COUNTY, "E92000001"]
    at.toggle(key="trend_table").set_value(True).run()
    trend = at.dataframe[-1].value
    assert trend[trend["Area"] == "Southdale"]["Value"].tolist() == ["£27,000", "£28,500", "£29,900"]
    assert "**Definition.**" in markdown_text(at)


def test_the_explorer_tests_northdales_life_satisfaction_against_england(on_fixture) -> None:
    """Worked by hand from version/indicators/life_satisfaction.csv (2023/24, higher is better).

    Northdale 7.10 (6.85 to 7.35) against England 7.38: England lies outside the interval, so
    significantly lower (worse). 2022/23 7.20 (6.95 to 7.45) to 7.10: z = 0.10 / hypot(0.25, 0.25) x 1.96
    = 0.55, below 1.96, so no significant change; not red-red. Greenhouse gas rows have no
    intervals: not compared. Southdale 7.85 (7.65 to 8.05): significantly higher (better).
    """
    import io

    import pandas as pd

    from app_support import cached

    at = run_page(PAGES["explorer"], indicator="life_satisfaction", area=NORTHDALE)
    assert_clean(at)
    table = at.dataframe[0].value.set_index("id")
    row = table.loc["life_satisfaction"]
    assert (row["Compared with England"], row["Trend"], bool(row["Red-red"])) == (
        "Significantly lower (worse)",
        "No significant change",
        False,
    )
    assert (row["Threshold basis"], row["Lens"], row["Role"]) == ("Science-based", "Local social", "Scored")
    assert table.loc["ghg_emissions_per_capita", "Compared with England"] == "Not compared"
    assert table.loc["imd_most_deprived_20pct", "Role"] == "Context: not scored"
    text = markdown_text(at)
    assert "**Compared with England.** Significantly lower than England: Northdale 7.10" in text
    assert "(6.85" in text and "so Northdale's figure is worse." in text
    assert "**Trend.** No significant change: from 7.20" in text

    next(m for m in at.multiselect if m.label == "Compared with England").select("Significantly lower (worse)").run()
    assert_clean(at)
    assert at.dataframe[0].value["id"].tolist() == ["life_satisfaction"]
    csv = pd.read_csv(io.BytesIO(cached.table_csv(cached.data_ref(), NORTHDALE)), keep_default_na=False)
    assert set(csv["Area"]) == {"Northdale"} and len(csv) == len(load_catalogue())
    assert csv.set_index("id").loc["life_satisfaction", "Compared with England"] == "Significantly lower (worse)"

    south = run_page(PAGES["explorer"], indicator="life_satisfaction", area=SOUTHDALE)
    assert south.dataframe[0].value.set_index("id").loc["life_satisfaction", "Compared with England"] == (
        "Significantly higher (better)"
    )
    # The fixture's league is built from its England-wide files, which hold the claimant count only:
    # life satisfaction cannot be set beside Northdale's similar areas, and the page says why.
    captions = "\n".join(c.value for c in at.caption)
    assert "no England-wide figures for life satisfaction" in captions


def test_the_deprivation_map_counts_the_most_deprived_lsoas(on_fixture) -> None:
    # IMD 2025 deciles of the six 2021 LSOAs: 1, 3, 2, 4, 7, 10: one in the 10%, two in the 20%.
    at = run_page(PAGES["deprivation_map"])
    assert_clean(at)
    assert [(m.label, m.value) for m in at.metric] == [
        ("LSOAs", "6"), ("Most deprived 10%", "1"), ("Most deprived 20%", "2"),
    ]  # fmt: skip
    # IMD 2019 deciles of the six 2011 LSOAs: 1, 2, 3, 7, 10, 1: two in the 10%, three in the 20%.
    at = run_page(PAGES["deprivation_map"], edition="2019")
    assert [m.value for m in at.metric] == ["6", "2", "3"]
    # Riverside (2021 LSOAs 001A and 001B, deciles 1 and 3) from a link: its district and place are picked.
    at = run_page(PAGES["deprivation_map"], area="riverside")
    assert (at.selectbox(key="district").value, at.selectbox(key="place").value) == (NORTHDALE, "riverside")
    assert [m.value for m in at.metric] == ["2", "1", "1"]


def test_the_neighbourhood_page_sets_riverside_beside_northdale_and_the_county(on_fixture) -> None:
    at = run_page(PAGES["neighbourhoods"])
    assert_clean(at)
    assert at.selectbox(key="area").value == "riverside"
    # The three doughnuts and the legend they share (drawn once, beside the county).
    alts = [chart.proto.alt for chart in at.get("vega_lite_chart")]
    assert len(alts) == 4 and alts[-1].startswith("Legend of the three doughnuts")
    comparison = table_with(at, "Riverside").set_index("Indicator")
    row = comparison.loc[load_catalogue()["fuel_poverty"].title]
    # 2023: Riverside 204 of 1,350 households; Northdale 336 of 2,930; Testshire 453 of 4,230; England 13.0%.
    assert row[["Period", "Riverside", "Northdale", "Testshire", "England"]].tolist() == [
        "2023", "15.1%", "11.5%", "10.7%", "13.0%",
    ]  # fmt: skip


def test_the_change_page_counts_the_boundary_changes(on_fixture) -> None:
    at = run_page(PAGES["deprivation_change"])
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    # 2021 codes also in 2011: 01-04; 07 is part of 2011's 03; 09 is 05 and 06 merged.
    assert (metrics["Unchanged"], metrics["Split"], metrics["Merged"]) == ("4", "1", "1")
    # The county's LSOAs in the most deprived 20%: three of 2011 (2019), two of 2021 (2025).
    assert metrics["Most deprived 20%"] == "2"


def test_who_bears_pairs_each_edition_with_its_fuel_poverty_year(on_fixture) -> None:
    at = run_page(PAGES["who_bears"])
    assert_clean(at)
    assert at.selectbox(key="data").options == [
        "IMD 2025 deciles, fuel poverty 2023 (2021 LSOAs)", "IMD 2019 deciles, fuel poverty 2020 (2011 LSOAs)",
    ]  # fmt: skip
    table = at.dataframe[0].value.set_index("decile")
    assert table.loc[1, "rate"] == pytest.approx(18.0) and table.loc[10, "rate"] == pytest.approx(9.0)


def test_the_action_plan_is_the_configured_councils(on_fixture) -> None:
    at = run_page(PAGES["action_plan"])
    assert_clean(at)
    # tests/fixtures/actions/testshire_plan.yaml: three actions, one in progress, one complete, one not started.
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Actions"], metrics["In progress"], metrics["Complete"], metrics["Not yet started"]) == (
        "3", "1", "1", "1",
    )  # fmt: skip
    assert "Source: Testshire County Council, Community Wealth Building Plan 25/26" in html_text(at)
    assert "Oxfordshire" not in html_text(at) + markdown_text(at)


def test_a_council_without_an_action_plan_is_told_so(on_fixture, tmp_path, monkeypatch) -> None:
    record = yaml.safe_load(AREAS.read_text(encoding="utf-8"))
    del record["action_plan"]
    config = tmp_path / "testshire-without-plan.yaml"
    config.write_text(yaml.safe_dump(record), encoding="utf-8")
    monkeypatch.setenv("CWB_AREAS", str(config))
    at = run_page(PAGES["action_plan"])
    assert not at.exception and not at.error
    assert at.info[0].value.startswith("**Testshire has no action plan here yet.**")
    assert "Add `action_plan: FILE` to the area configuration" in at.info[0].value
    assert not at.metric and not at.get("vega_lite_chart")


def test_the_briefing_previews_the_county(on_fixture) -> None:
    at = run_page(PAGES["briefing"])
    assert_clean(at)
    assert "Testshire" in html_text(at)
    assert len(at.get("download_button")) == 4


def test_the_data_page_lists_the_fixture_version(on_fixture) -> None:
    at = run_page(PAGES["data"])
    assert_clean(at)
    assert f"**{on_fixture.current_version().split('-')[0]} (refresh by tests" in markdown_text(at)


def test_the_councils_page_ranks_the_fixture_councils_on_a_linked_indicator(on_fixture) -> None:
    at = run_page(PAGES["councils"])
    assert_clean(at)
    assert at.selectbox(key="council").value == COUNTY  # the configured council
    assert at.selectbox(key="measure").value.startswith("dimension:")
    # A county is ranked among upper-tier councils: Testshire is the fixture's only one.
    assert at.dataframe[1].value["Council"].tolist() == ["Testshire"]
    # Claimant count (tests/fixtures/version/national/claimant-count.csv), lower is better: Southdale 2.4% (2025),
    # Otherplace 3.1% (its latest is 2024), Northdale 4.5% (2025). Northdale's similar areas: Southdale, a Welsh
    # area and the county (tests/fixtures/similar_areas): only Southdale is a district of the ranking.
    at = run_page(PAGES["councils"], council=NORTHDALE, measure="indicator:claimant_count")
    assert_clean(at)
    ranking = at.dataframe[1].value
    assert ranking[["Rank", "Council", "Value", "Period", "Marked"]].values.tolist() == [
        [1, "Southdale", "2.4%", "2025", "similar area"],
        [2, "Otherplace", "3.1%", "2024", ""],
        [3, "Northdale", "4.5%", "2025", "chosen"],
    ]
    assert at.dataframe[0].value["Council"].tolist() == ["Southdale", "Northdale"]
    assert at.caption[0].value == "England 4.0% (2025)"
    assert "Northdale is 3 of 3 on people claiming unemployment-related benefits (lowest first): 4.5%." in html_text(at)
    assert [m.label for m in at.metric][-1] == "Indicators with data"
    spec = at.get("vega_lite_chart")[0].proto.spec
    for name in ("Northdale", "Southdale", "Otherplace"):
        assert f'"name":"{name}"' in spec.replace(" ", "")


def test_the_councils_page_explains_a_version_without_englands_files(fixture_copy) -> None:
    import shutil

    from cwb_metrics.compare.league import cache_dir

    shutil.rmtree(cache_dir(fixture_copy, fixture_copy.current_version()))  # the page must build it, and cannot
    at = run_page(PAGES["councils"])
    assert not at.exception and not at.error, [e.value for e in at.error]
    notice = at.info[0].value
    assert notice.startswith("**Councils cannot be compared on this data version.**")
    assert f"Data version {fixture_copy.current_version()} does not have them" in notice
    assert "lsoa11_wd19_lad19.csv: expected 34,753 data rows" in notice  # the truncated national lookup, named
    assert at.code[0].value == "python -m cwb_metrics refresh --mirror ../shared/data\npython -m cwb_metrics league"
    assert not at.get("vega_lite_chart") and not at.dataframe
