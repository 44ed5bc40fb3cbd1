"""What the portrait page says beside the doughnut: headline, context, dimensions without data, largest.

Expected values are counted or written out by hand from the hand-made entries.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cwb_metrics.views import portrait as view
from cwb_metrics.views import portrait_summary as summary
from tests.views.viewhelpers import GHG, MISSING, make_entry, northdale

REPO = Path(__file__).resolve().parents[2]

SHORT = make_entry(lens="local_social", threshold_basis="comparator")  # 0.115
DEEP = make_entry(
    id="children_income_deprived", short_title="Child income deprivation (IDACI)", unit_short="%", decimals=1,
    value=29.9, threshold=0.0, threshold_kind="zero_deprivation", score=0.299, threshold_basis="science_based",
    lens="local_social",
)  # fmt: skip
WITHIN = make_entry(id="employment_rate", status="within", score=0.0, value=81.0, threshold=80.0)
OVER = make_entry(**GHG, lens="local_ecological", threshold_basis="illustrative")
RENT = make_entry(
    id="census_private_rented", title="Households renting privately", dimension="housing",
    dimension_label="Housing", unit_short="%", decimals=1, value=32.16, england=20.46, status="context",
    score=None, role="context", period_label="2021",
)  # fmt: skip
TURNOUT = make_entry(
    id="ge2024_turnout", short_title="General election turnout", dimension="political_voice",
    dimension_label="Political voice", status="missing", value=None, score=None,
    note="No data for this area: published by constituency only.",
)  # fmt: skip
PEACE_SHARE = make_entry(
    id="imd_crime_most_deprived_20pct", dimension="peace_justice", dimension_label="Peace & justice",
    status="context", score=None, role="context",
)  # fmt: skip
HOMICIDE = make_entry(
    id="homicide_rate", short_title="Homicide rate", dimension="peace_justice", dimension_label="Peace & justice",
    status="missing", value=None, score=None, note="No data for this area.",
)  # fmt: skip


def portrait():
    return northdale(SHORT, DEEP, WITHIN, RENT, TURNOUT, PEACE_SHARE, HOMICIDE, OVER, make_entry(**MISSING))


def test_the_headline_counts_every_status_and_keeps_context_apart() -> None:
    headline = summary.Headline.of(portrait())
    # shortfall: GDHI, IDACI; overshoot: GHG; within: employment; no data: turnout, homicide; context: 2.
    # Dimensions with a scored indicator with data: income & work, climate change -> 19 of 21 without.
    assert (headline.shortfall, headline.overshoot, headline.within, headline.no_data) == (2, 1, 1, 2)
    assert (headline.context, headline.scored, headline.dimensions_without_data) == (2, 4, 19)
    assert headline.chips == (("shortfall", 2), ("overshoot", 1), ("within", 1), ("missing", 2))
    assert headline.context_text == "2 context indicators shown beside, not scored"
    assert headline.with_data_text == "6 indicators with data: 4 scored, 2 context"
    assert headline.dimensions_text == "19 of the 21 Doughnut dimensions have no data"
    one = summary.Headline.of(northdale(RENT))
    assert one.context_text == "1 context indicator shown beside, not scored"


def test_context_rows_carry_value_england_and_the_records_reason() -> None:
    from cwb_metrics.indicators.catalogue import load_catalogue

    record = yaml.safe_load((REPO / "data/indicators/census_private_rented.yaml").read_text(encoding="utf-8"))
    table = summary.context_table(portrait(), load_catalogue())
    assert [row.id for row in table.rows] == ["census_private_rented", "imd_crime_most_deprived_20pct"]
    row = table.rows[0]
    assert (row.dimension, row.indicator, row.period, row.value, row.england) == (
        "Housing", "Households renting privately", "2021", "32.2%", "20.5%",
    )  # fmt: skip
    assert row.why == record["threshold"]["rationale"]
    assert summary.context_table(portrait(), {}).rows[0].why == "Illustrative: England average"  # no record: its source


def test_dimensions_without_data_give_a_reason_each() -> None:
    table = summary.dimensions_without_data(portrait())
    reasons = {row.dimension: row.reason for row in table.rows}
    assert len(table) == 19  # as many as the headline's count
    assert "Income & work" not in reasons and "Climate change" not in reasons
    assert reasons["Political voice"] == "General election turnout: published by constituency only"
    assert reasons["Peace & justice"] == (
        "Homicide rate: not published for this area. 1 context indicator shown, not scored"
    )
    assert reasons["Ocean acidification"] == "No indicator has data here."  # the hand-made entry has no note
    assert reasons["Food"] == "No indicator has data here."
    assert table.rows[0].ring == "Social foundation"


def test_the_largest_shortfalls_are_ranked_on_the_one_scale_with_their_basis() -> None:
    shortfalls = summary.largest(portrait(), "shortfall")
    assert [row.id for row in shortfalls.rows] == ["children_income_deprived", "gdhi_per_head"]  # 0.299 > 0.115
    top = shortfalls.rows[0]
    assert (top.indicator, top.value, top.threshold, top.gap, top.basis, top.lens) == (
        "Child income deprivation (IDACI)", "29.9%", "Foundation 0% (nobody deprived)", "30% short",
        "Science-based", "Local social",
    )  # fmt: skip
    over = summary.largest(portrait(), "overshoot").rows[0]
    assert (over.gap, over.basis, over.threshold) == ("1.6 × the ceiling", "Illustrative", "Ceiling 2.80 t CO2e")
    assert len(summary.largest(portrait(), "shortfall", count=1)) == 1


def test_what_if_leaves_out_context_and_says_the_basis() -> None:
    options = view.what_if_options(portrait())
    assert "census_private_rented" not in options and "imd_crime_most_deprived_20pct" not in options
    assert "gdhi_per_head" in options
    slider = view.what_if_range(portrait(), "gdhi_per_head")
    assert slider.threshold_caption == (
        "Threshold now: £25,425. Basis: comparator (not a target). Source: Illustrative: England average"
    )


def test_a_click_in_any_of_the_four_doughnuts_is_read() -> None:
    event = {"selection": {"wedge_local_social": [], "wedge_global_ecological": [{"id": "ghg_fair"}]}}
    names = ["wedge_local_social", "wedge_local_ecological", "wedge_global_ecological"]
    assert view.selected_indicator(event, names, {"ghg_fair"}) == "ghg_fair"
    assert view.selected_indicator(event, "wedge", {"ghg_fair"}) is None
