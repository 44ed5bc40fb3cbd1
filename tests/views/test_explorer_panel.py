"""The explorer's indicator panel: what it says about England, the trend, the threshold and the pace.

Entries are written out by hand (tests/views/viewhelpers.py); figures in the expected
sentences are worked out by hand in the comments, never taken from the view.
"""

from __future__ import annotations

import inspect

import pytest

from cwb_metrics.indicators.builders import get_builder, known_methods
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.views import explorer_panel as panel
from tests.views.viewhelpers import GHG, make_entry

CATALOGUE = load_catalogue()

#: Oxford's fuel poverty as DESNZ publishes it: 11.39% of households, England 11.4%.
FUEL = {
    "id": "fuel_poverty",
    "title": "Households in fuel poverty",
    "short_title": "Fuel poverty",
    "dimension": "energy",
    "unit": "% of households",
    "unit_short": "%",
    "decimals": 1,
    "polarity": "lower_is_better",
    "period": "2023",
    "period_label": "2023",
    "value": 11.39,
    "lci_95": 11.14,
    "uci_95": 11.65,
    "england": 11.4,
    "england_comparison": "similar",
    "trend": "not_compared",
    "trend_note": "the publisher advises against comparing these estimates over time",
}
OBESITY = {
    "id": "adult_obesity",
    "unit": "% of adults",
    "unit_short": "%",
    "decimals": 1,
    "polarity": "lower_is_better",
    "period": "2024-11-16/P1Y",
    "period_label": "2024/25",
    "value": 17.7,
    "lci_95": 13.7,
    "uci_95": 21.7,
    "england": 26.6,
    "england_comparison": "better",
    "trend": "no_significant_change",
    "trend_from": "2020-11-16/P1Y",
    "trend_note": "the change is within the 95% CIs",
    "series": [("2020-11-16/P1Y", 14.8), ("2024-11-16/P1Y", 17.7)],
}
#: Net zero by 2050 from 3.45 t in 2023: (0 - 3.45) / (2050.5 - 2023.5) = -0.1278 t a year;
#: a recent slope of -0.158 t a year reaches 0 at 2023.5 + 3.45 / 0.158 = 2045.3.
NET_ZERO = {
    "label": "Net zero",
    "target": 0.0,
    "by": 2050,
    "basis": "statutory_target",
    "source": "Climate Change Act 2008 (2050 Target Amendment) Order 2019",
    "latest_period": "2023-01-01/P1Y",
    "latest_value": 3.45,
    "years_left": 27.0,
    "needed_per_year": -3.45 / 27,
    "recent_per_year": -0.158,
    "recent_from": "2019-01-01/P1Y",
    "status": "on_track",
    "speed_up": (3.45 / 27) / 0.158,
    "reached_at_recent_pace": 2023.5 + 3.45 / 0.158,
}
GHG_ENTRY = {**GHG, "value": 3.45, "period": "2023-01-01/P1Y", "period_label": "2023", "pace": [NET_ZERO]}


# ----- amounts ------------------------------------------------------------------------------------
def test_a_change_a_year_is_in_the_indicators_unit_with_enough_decimals() -> None:
    ghg = make_entry(**GHG)  # 2 decimals, "tonnes CO2e per person per year", short "t CO2e"
    assert panel.change_amount(-3.45 / 27, ghg) == "0.13 tonnes CO2e per person"
    assert panel.change_amount(-3.45 / 27, ghg, short=True) == "0.13 t CO2e"
    assert panel.change_amount(0.004, ghg) == "0.004 tonnes CO2e per person"  # 0.00 at 2 d.p.: one more
    fuel = make_entry(**FUEL)
    assert panel.change_amount(-0.5375, fuel) == "0.5 percentage points"
    assert panel.change_amount(-0.5375, fuel, short=True) == "0.5 points"
    assert panel.change_amount(120.4, make_entry()) == "£120"  # GDHI: £, 0 decimals


# ----- England ------------------------------------------------------------------------------------
def test_better_than_england_names_the_published_interval_and_its_producer() -> None:
    meta = CATALOGUE["adult_obesity"]
    verdict = panel.england_verdict(make_entry(**OBESITY), meta, "Oxford", "district")
    assert (verdict.key, verdict.label) == ("better", "Significantly lower (better)")
    assert verdict.sentence.startswith(
        "Significantly lower than England: Oxford 17.7%, England 26.6% (2024/25). England's figure lies outside"
    )
    assert "(13.7% to 21.7%; published by Office for Health Improvement and Disparities, via ONS" in verdict.sentence
    assert verdict.sentence.endswith("a significant difference; lower is better, so Oxford's figure is better.")


def test_a_difference_gone_at_the_published_decimals_is_similar_and_names_the_wilson_interval() -> None:
    verdict = panel.england_verdict(make_entry(**FUEL), CATALOGUE["fuel_poverty"], "Oxford", "district")
    assert verdict.sentence.startswith(
        "Similar: Oxford 11.4%, England 11.4% (2023), the same at the published 1 decimal place."
    )
    assert "(11.1% to 11.7%; a Wilson interval computed from the published counts of households)" in verdict.sentence
    assert "better" not in verdict.sentence.lower()


def test_similar_inside_the_interval_and_not_compared_without_one() -> None:
    meta = CATALOGUE["adult_obesity"]
    inside = panel.england_verdict(
        make_entry(**{**OBESITY, "england": 20.0, "england_comparison": "similar"}), meta, "Oxford", "district"
    )
    assert "England's figure lies inside Oxford's 95% confidence interval" in inside.sentence
    assert inside.sentence.endswith("so the difference is not significant.")
    bare = {**OBESITY, "lci_95": None, "uci_95": None, "england_comparison": "not_compared"}
    verdict = panel.england_verdict(make_entry(**bare), meta, "Oxford", "district")
    assert verdict.label == "Not compared"
    assert "No confidence interval is published for Oxford's figure" in verdict.sentence
    no_england = panel.england_verdict(make_entry(**{**OBESITY, "england": None}), meta, "Oxford", "district")
    assert no_england.sentence == "Significantly better: England has no figure for 2024/25."


def test_intervals_are_named_by_how_they_were_made() -> None:
    assert panel.interval_method(CATALOGUE["fuel_poverty"], "ward").endswith("sum of its LSOAs' counts")
    assert "Wilson" in panel.interval_method(CATALOGUE["income_deprivation_rate"], "district")
    assert panel.interval_method(CATALOGUE["adult_obesity"], "county").startswith("published by Office for Health")


def test_every_builder_that_computes_wilson_intervals_is_listed() -> None:
    """A builder whose code makes intervals from counts must say so in the panel, and no other."""
    computed = {m for m in known_methods() if "wilson" in inspect.getsource(get_builder(m)).lower()}
    assert computed == set(panel.INTERVALS_FROM_COUNTS)


# ----- trend --------------------------------------------------------------------------------------
def test_no_significant_change_names_the_two_periods_and_their_values() -> None:
    verdict = panel.trend_verdict(make_entry(**OBESITY), CATALOGUE["adult_obesity"])
    assert verdict.sentence.startswith("No significant change: from 14.8% in 2020/21 to 17.7% in 2024/25.")
    assert "within what chance would give at 95%" in verdict.sentence


def test_improving_says_significant_and_why() -> None:
    entry = make_entry(trend="improving", trend_from="2021", period="2023", series=[("2021", 21000.0)])
    verdict = panel.trend_verdict(entry, CATALOGUE["gdhi_per_head"])
    assert verdict.sentence.startswith("Improving: from £21,000 in 2021 to £22,500 in 2023.")
    assert "significant at 95%" in verdict.sentence


@pytest.mark.parametrize(
    ("indicator", "note", "says"),
    [
        ("fuel_poverty", "the publisher advises against comparing these estimates over time", "publisher advises"),
        (
            "income_deprivation_rate",
            "the method changed, so earlier periods are not comparable",
            "series break in 2025",
        ),
        (
            "smoking_prevalence",
            "the earlier periods overlap the latest (pooled data share years)",
            "overlaps the latest",
        ),
        ("ghg_emissions_per_capita", "no confidence intervals, so no significance test", "no confidence intervals"),
    ],
)
def test_not_compared_says_why(indicator: str, note: str, says: str) -> None:
    entry = make_entry(**{**FUEL, "trend": "not_compared", "trend_note": note, "trend_from": None})
    verdict = panel.trend_verdict(entry, CATALOGUE[indicator])
    assert verdict.label == "Not compared" and says in verdict.sentence


def test_series_breaks_and_incomparable_periods_get_a_note() -> None:
    assert panel.comparability_note(CATALOGUE["income_deprivation_rate"]).startswith("Series break in 2025:")
    assert panel.comparability_note(CATALOGUE["fuel_poverty"]).startswith("Not comparable over time:")
    assert panel.comparability_note(CATALOGUE["gdhi_per_head"]) == ""


# ----- threshold ----------------------------------------------------------------------------------
def test_an_illustrative_threshold_has_no_link_and_a_statutory_target_has_one() -> None:
    meta = CATALOGUE["ghg_emissions_per_capita"]
    ceiling, net_zero = panel.threshold_infos(meta, make_entry(**GHG_ENTRY))
    assert ceiling.heading == "Ecological ceiling: 2.80 t CO2e by 2035"
    assert (ceiling.basis, ceiling.basis_note, ceiling.url) == ("Illustrative", "no authority sets this number", None)
    assert meta.threshold.source_url is not None  # the record links the Order, which does not set 2.8 t per person
    assert ceiling.source.startswith("The UK Sixth Carbon Budget")  # "Illustrative:" said once, by the basis
    assert net_zero.heading == "Net zero: 0.00 t CO2e by 2050"
    assert (net_zero.basis, net_zero.url) == (
        "Statutory target",
        "https://www.legislation.gov.uk/uksi/2019/1056/contents/made",
    )


def test_a_comparator_has_no_link_and_a_context_line_is_a_reference() -> None:
    gdhi = panel.threshold_infos(CATALOGUE["gdhi_per_head"], make_entry())[0]
    assert (gdhi.basis, gdhi.url) == ("Comparator (not a target)", None)
    context = panel.threshold_infos(CATALOGUE["imd_most_deprived_20pct"], make_entry(unit_short="%", decimals=1))[0]
    assert context.name == "Reference line (context, not scored)"


# ----- pace ---------------------------------------------------------------------------------------
def test_the_pace_row_and_sentence_of_net_zero() -> None:
    entry = make_entry(**GHG_ENTRY)
    row = panel.pace_row(NET_ZERO, entry)
    assert row == panel.PaceRow(
        target="Net zero",
        by="2050",
        basis="Statutory target",
        needed="fall 0.13 t CO2e",
        recent="fell 0.16 t CO2e",
        over="2019 to 2023",
        status="Fast enough",
    )
    assert panel.pace_sentence(NET_ZERO, entry, "Oxford") == (
        "To reach net zero by 2050, Oxford's figure (3.45 t CO2e in 2023) would need to fall by 0.13 tonnes CO2e "
        "per person a year; over 2019 to 2023 it fell by 0.16 tonnes CO2e per person a year: fast enough at that "
        "pace, reaching it around 2045."
    )


def test_the_pace_when_too_slow_met_past_due_or_without_a_recent_pace() -> None:
    entry = make_entry(**GHG_ENTRY)
    # Ceiling 2.8 t by 2035 from 3.45 t in 2023: needs -0.65 / 12 = -0.054 a year; recent -0.03 is too slow,
    # and 0.054 / 0.03 = 1.8 times as fast.
    slow = {**NET_ZERO, "label": "Ceiling", "target": 2.8, "by": 2035, "needed_per_year": -0.65 / 12}
    slow |= {"recent_per_year": -0.03, "status": "off_track", "speed_up": (0.65 / 12) / 0.03}
    assert panel.pace_sentence(slow, entry, "Oxford").endswith(
        "fell by 0.03 tonnes CO2e per person a year: too slow at that pace. It would need to change 1.8 times as fast."
    )
    assert panel.pace_row(slow, entry).target == "Ceiling 2.80 t CO2e"
    met = {**NET_ZERO, "label": "Ceiling", "target": 4.0, "status": "met", "needed_per_year": 0.0}
    assert panel.pace_sentence(met, entry, "Oxford") == (
        "Oxford's 3.45 t CO2e in 2023 already meets the ceiling of 4.00 t CO2e set for 2050."
    )
    assert panel.pace_row(met, entry).needed == ""
    late = {**NET_ZERO, "by": 2020, "status": "past_due"}
    assert (
        panel.pace_sentence(late, entry, "Oxford")
        == "2020 has passed and Oxford (3.45 t CO2e in 2023) has not reached net zero."
    )
    none = {**NET_ZERO, "recent_per_year": None, "recent_from": None, "status": "no_recent_trend"}
    assert "there is no recent pace to compare" in panel.pace_sentence(none, entry, "Oxford")
    assert (panel.pace_row(none, entry).recent, panel.pace_row(none, entry).status) == ("none", "No recent pace")
    wrong = {**NET_ZERO, "recent_per_year": 0.05, "status": "wrong_direction"}
    assert panel.pace_sentence(wrong, entry, "Oxford").endswith(
        "it rose by 0.05 tonnes CO2e per person a year: the wrong way."
    )


# ----- the panel ----------------------------------------------------------------------------------
def test_the_panel_flags_red_red_and_context_and_lists_the_pace() -> None:
    red = make_entry(**{**OBESITY, "england_comparison": "worse", "trend": "worsening", "red_red": True})
    shown = panel.indicator_panel(red, CATALOGUE["adult_obesity"], "Oxford", "district")
    assert shown.red_red == "Red-red: Oxford is worse than England and getting worse, both significant at 95%."
    assert shown.headline == "Oxford: 17.7% in 2024/25" and shown.context_note == ""
    context = make_entry(id="imd_most_deprived_20pct", status="context", role="context", unit_short="%", decimals=1)
    assert panel.indicator_panel(context, CATALOGUE["imd_most_deprived_20pct"], "Oxford", "district").context_note
    ghg = panel.indicator_panel(make_entry(**GHG_ENTRY), CATALOGUE["ghg_emissions_per_capita"], "Oxford", "district")
    assert len(ghg.pace) == 1 and len(ghg.pace_sentences) == 1
    empty = make_entry(**{**GHG_ENTRY, "value": None, "period": None, "period_label": None})
    nothing = panel.indicator_panel(empty, CATALOGUE["ghg_emissions_per_capita"], "Oxford", "district")
    assert nothing.headline == "Oxford: no data" and len(nothing.pace) == 0
