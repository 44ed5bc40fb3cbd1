"""Every page of the app for Cornwall, from ``init-area`` and one ``refresh --mirror`` (a council never tuned for).

The data folder (``cornwall_store``) and the configuration file init-area wrote
(``council_configs``) are built once per session (tests/conftest.py); each test points
``CWB_DATA_DIR`` and ``CWB_AREAS`` at them for itself, so the Oxfordshire page tests of the
same session keep their own. Expected figures come from the raw mirror files
(:mod:`tests.rawiod`, plain pandas), never from the library.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import rawiod
from tests.app.apphelpers import APP, PAGES, TIMEOUT, TITLES, assert_clean, html_text, markdown_text, run_page

pytestmark = pytest.mark.integration

CORNWALL = "E06000052"


@pytest.fixture(scope="session")
def cornwall_app(cornwall_store, council_configs, cornwall_league):
    """Cornwall's data version (with its league built) and its area configuration file."""
    return cornwall_store, council_configs[CORNWALL]


@pytest.fixture
def on_cornwall(cornwall_app, monkeypatch: pytest.MonkeyPatch):
    """Point the app at Cornwall's data version and configuration for one test."""
    store, config = cornwall_app
    monkeypatch.setenv("CWB_DATA_DIR", str(store.root))
    monkeypatch.setenv("CWB_AREAS", str(config))
    return store


def page_text(at: AppTest) -> str:
    """Everything a reader sees as text (not the charts' data, not the tables' cells, not every picker option)."""
    parts = [html_text(at), markdown_text(at)]
    for kind in ("title", "header", "subheader", "caption", "info", "warning", "success"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [str(s.format_func(s.value)) if s.value is not None else "" for s in at.selectbox]
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_runs_for_cornwall_and_names_it(on_cornwall, name: str) -> None:
    at = run_page(PAGES[name])
    assert_clean(at)
    assert at.title[0].value == TITLES[name]
    text = page_text(at)
    assert "Cornwall" in text, name
    for other in ("Oxfordshire", "Blackbird Leys", "Banbury", "Cherwell", "Thames Valley"):
        assert other not in text, (name, other, text[max(0, text.find(other) - 200) : text.find(other) + 100])
    assert f"Data version <code>{on_cornwall.current_version()}</code>" in html_text(at)


def test_the_router_names_cornwall_in_the_sidebar(on_cornwall) -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert at.sidebar.caption[0].value == "Cornwall · Community Wealth Building"
    assert at.title[0].value == TITLES["portrait"]


def test_the_portrait_opens_on_cornwall(on_cornwall) -> None:
    at = run_page(PAGES["portrait"])
    assert at.selectbox(key="area").value == CORNWALL
    assert dict(at.query_params)["area"] == CORNWALL


def test_the_deprivation_map_counts_cornwalls_lsoas_as_the_raw_files_do(on_cornwall, mirror: Path) -> None:
    for edition in (2025, 2019):
        at = run_page(PAGES["deprivation_map"], edition=str(edition))
        assert_clean(at)
        count, tenth, fifth = rawiod.deprived_counts(mirror, CORNWALL, edition)
        assert [m.value for m in at.metric] == [str(count), str(tenth), str(fifth)]
    # Cornwall's LSOAs 2021 are in May 2019 wards (no current-ward lookup in the mirror): the caption says so.
    assert "IMD 2025 uses 2021 LSOAs and May 2019 wards" in html_text(at)
    assert "Ward outlines are May 2019 wards" in html_text(at)


def test_a_cornwall_ward_beside_the_council_and_england(on_cornwall) -> None:
    at = run_page(PAGES["neighbourhoods"])
    assert_clean(at)
    ward = at.selectbox(key="area").format_func(at.selectbox(key="area").value)
    assert ward.endswith(" ward, Cornwall")
    # Two doughnuts (the ward and Cornwall: a unitary has no separate district) and the legend they share.
    assert len(at.get("vega_lite_chart")) == 3
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Indicator",
        "Period",
        ward.removesuffix(" ward, Cornwall"),
        "Cornwall",
        "England",
        "Scored or context",
        "Census 2021",
    ]
    assert at.header[0].value.endswith(" beside Cornwall and England")


def test_cornwall_has_no_action_plan_and_is_told_so(on_cornwall) -> None:
    at = run_page(PAGES["action_plan"])
    assert at.info[0].value.startswith("**Cornwall has no action plan here yet.**")
    assert not at.metric


def test_the_councils_page_ranks_cornwall_among_the_districts_with_its_ons_similar_areas(
    on_cornwall, cornwall_league, mirror: Path
) -> None:
    at = run_page(PAGES["councils"])
    assert_clean(at)
    assert at.selectbox(key="council").value == CORNWALL
    dimension = at.selectbox(key="measure").value.split(":", 1)[1]
    table = at.dataframe[1].value
    assert len(table) == sum(1 for a in cornwall_league.areas if a.kind != "county")  # a unitary: the lower tier
    chosen = table[table["Marked"] == "chosen"]
    assert chosen["Council"].tolist() == ["Cornwall"]
    assert int(chosen["Rank"].iloc[0]) == cornwall_league.area(CORNWALL).dimensions[dimension].rank
    with (mirror / "indicators_raw/ons_els_similar_areas/global-neighbours.csv").open(encoding="utf-8-sig") as handle:
        listed = next(row[1:] for row in csv.reader(handle) if row[0] == CORNWALL)
    districts = {a.code: a.name for a in cornwall_league.areas if a.kind != "county"}
    expected = sorted(districts[c] for c in listed if c in districts)  # Welsh areas are not in the league
    assert sorted(table.loc[table["Marked"] == "similar area", "Council"]) == expected
    assert "Cornwall is " in html_text(at)
