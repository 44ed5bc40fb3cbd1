"""The "How councils compare" page (AppTest), on the Oxfordshire data built from the mirror."""

from __future__ import annotations

import json

import pytest

from cwb_metrics.compare.league import load_league
from cwb_metrics.indicators.catalogue import load_catalogue
from tests.app.apphelpers import REPO_ROOT, assert_clean, html_text, run_page

pytestmark = pytest.mark.integration
PAGE = REPO_ROOT / "pages" / "councils.py"


@pytest.fixture(scope="module")
def league(app_data_dir, built_store):
    """The league built before the page opens (the page builds it itself when it is missing)."""
    return load_league(built_store)


def test_page_ranks_every_council_with_oxfordshire_and_its_neighbours_marked(league) -> None:
    at = run_page(PAGE)
    assert_clean(at)
    assert at.title[0].value == "How councils compare"
    assert at.selectbox(key="council").value == "E10000025"  # the configured council
    measure = at.selectbox(key="measure").value
    assert measure.startswith("dimension:")
    table = at.dataframe[1].value
    # A county is ranked among the upper-tier councils: the 21 counties and the 132 single-tier councils.
    upper = [a for a in league.areas if a.kind == "county" or a.code[:3] in ("E06", "E08", "E09")]
    assert len(table) == len(upper) == 153
    chosen = table[table["Marked"] == "chosen"]
    assert chosen["Council"].tolist() == ["Oxfordshire"]
    dimension = measure.split(":", 1)[1]
    assert int(chosen["Rank"].iloc[0]) == league.area("E10000025").dimensions[dimension].rank
    # Context indicators (the catalogue's role "context": shown, never scored) get their own tile once any
    # council has a value for one; Oxfordshire's count is its league entries of those indicators with a value.
    context_ids = {i for i, meta in load_catalogue().items() if meta.role == "context"}
    entries = league.entries
    with_context = entries[entries["indicator"].isin(context_ids) & entries["value"].notna()]
    labels = ["Shortfall", "Overshoot", "Within", "No data", *(["Context"] if len(with_context) else [])]
    assert [m.label for m in at.metric] == [*labels, "Indicators with data"]
    if len(with_context):
        context = int((with_context["area_code"] == "E10000025").sum())
        assert [m.value for m in at.metric if m.label == "Context"] == [f"{context:,}"]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert "Contains OS data © Crown copyright and database right" in json.dumps(spec, ensure_ascii=False)
    assert "Oxfordshire is" in html_text(at)


def test_choosing_a_district_and_an_indicator(league) -> None:
    at = run_page(PAGE, council="E07000178", measure="indicator:fuel_poverty")
    assert_clean(at)
    table = at.dataframe[1].value
    assert len(table) == 296  # every district and unitary, once
    oxford = table[table["Council"] == "Oxford"]
    assert oxford["Marked"].tolist() == ["chosen"]
    entries = league.entries
    value = entries[(entries["area_code"] == "E07000178") & (entries["indicator"] == "fuel_poverty")]["value"].iloc[0]
    better = entries[
        (entries["indicator"] == "fuel_poverty") & entries["area_code"].str[:3].isin(["E06", "E07", "E08", "E09"])
    ]
    # Fuel poverty: lower is better, so the rank is 1 + the number of districts with a lower value.
    assert int(oxford["Rank"].iloc[0]) == 1 + int((better["value"] < value).sum())
    assert (table["Marked"] == "similar area").sum() >= 15
    near = at.dataframe[0].value
    assert near["Council"].tolist() == table.loc[table["Marked"] != "", "Council"].tolist()
    assert at.caption and at.caption[0].value.startswith("England ")
