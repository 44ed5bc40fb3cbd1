"""Plain-English sentences from hand-made portraits."""

from __future__ import annotations

import re

import pytest

from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import (
    basis_sentence,
    format_value,
    join_words,
    lower_first,
    pace_sentence,
    portrait_sentences,
)


def make(id_, dimension, status, *, value=None, score=None, threshold=None, kind="target", **extra) -> PortraitEntry:
    ring, label = DIMENSIONS[dimension]
    name = str(id_).replace("_", " ").capitalize()
    fields = {
        "id": id_, "title": name, "short_title": name,
        "ring": ring, "dimension": dimension, "dimension_label": label, "cwb_theme": None, "unit": "%",
        "unit_short": "%", "decimals": 1, "polarity": "lower_is_better", "period": "2023", "period_label": "2023",
        "value": value, "lci_95": None, "uci_95": None, "threshold": threshold, "threshold_kind": kind,
        "threshold_source": "Test authority", "threshold_illustrative": False, "status": status, "score": score,
        "drawn_score": score, "capped": False, "ratio": None, "england": None, "county": None, "trend": None,
    }  # fmt: skip
    fields.update(extra)
    return PortraitEntry(**fields)


def gap(dimension) -> PortraitEntry:
    return make(None, dimension, "missing", kind=None, period=None, period_label=None, title="x", short_title="x")


AFFORD = make(
    "housing_affordability", "housing", "shortfall", value=10.4, score=0.519231, threshold=5.0,
    title="Housing affordability", short_title="Housing affordability",
    unit="ratio of median house price to median annual earnings", unit_short="×",
    threshold_source="ONS's broad affordability level", period_label="2025", england=7.7, trend="improving",
    decimals=2, england_comparison="worse",
)  # fmt: skip
FUEL = make(
    "fuel_poverty", "energy", "shortfall", value=11.3, score=0.113, threshold=0.0, kind="zero_deprivation",
    title="Households in fuel poverty", short_title="Fuel poverty", england=13.1, trend="worsening",
    england_comparison="better",
)  # fmt: skip
GHG = make(
    "ghg", "climate_change", "overshoot", value=6.6, score=1.87, threshold=2.3, kind="ceiling", ratio=6.6 / 2.3,
    title="Greenhouse gas emissions per person", short_title="Greenhouse gases", unit="tonnes CO2e per person",
    unit_short="t CO2e", threshold_source="Tyndall Centre carbon budget", england=4.5, trend="worsening",
    england_comparison="worse", red_red=True,
)  # fmt: skip
HLE = make(
    "hle", "health", "within", value=71.0, score=0.0, threshold=70.0, polarity="higher_is_better",
    title="Healthy life expectancy", unit="years", unit_short="years", england=62.0, england_comparison="better",
)  # fmt: skip
NO2 = make(
    "no2", "air_pollution", "within", value=9.0, score=0.0, threshold=10.0, kind="ceiling", england=12.0,
    england_comparison="better",
)  # fmt: skip
MISSING_INDICATOR = make("water_use", "freshwater_disruption", "missing", kind="ceiling", threshold=110.0)

COVERED = {"housing", "energy", "climate_change", "health", "air_pollution"}
ENTRIES = [AFFORD, FUEL, GHG, HLE, NO2, MISSING_INDICATOR] + [
    gap(d) for d in DIMENSIONS if d not in COVERED | {"freshwater_disruption"}
]


def oxford(entries=ENTRIES, name="Oxford") -> Portrait:
    return Portrait("E07000178", name, "district", "latest", list(entries))


def test_between_three_and_six_sentences():
    sentences = portrait_sentences(oxford())
    assert 3 <= len(sentences) <= 6
    assert all(s.endswith(".") for s in sentences)
    assert all(s[0].isupper() for s in sentences)


def test_summary_counts_within_and_missing_dimensions():
    summary = portrait_sentences(oxford())[0]
    # 5 indicators with data, 2 within; 21 dimensions, 5 covered by data -> 16 without.
    assert "2 of 5 indicators with data are within the safe and just space" in summary
    assert "16 dimensions of the Doughnut have no data yet" in summary
    assert "2 fall short of the social foundation" in summary
    assert "one overshoots the ecological ceiling" in summary


def test_biggest_shortfall_named_with_value_period_threshold_and_source():
    text = " ".join(portrait_sentences(oxford()))
    assert (
        "Oxford is below the social foundation on housing affordability: 10.40 ratio of median house price "
        "to median annual earnings (2025), against a threshold of 5.00× set by ONS's broad affordability level."
    ) in text
    assert "England's figure is 7.70×, so Oxford does worse than England (significant at 95%)." in text


def test_overshoot_uses_the_full_unit_and_a_multiple_of_the_ceiling():
    text = " ".join(portrait_sentences(oxford()))
    assert "Oxford overshoots the ecological ceiling on greenhouse gas emissions per person" in text
    assert "6.6 tonnes CO2e per person (2023) against a ceiling of 2.3 tonnes CO2e per person" in text
    assert "2.9 times the ceiling" in text  # 6.6 / 2.3 = 2.87


def test_the_largest_shortfall_comes_first():
    sentences = portrait_sentences(oxford())
    shortfall = [s for s in sentences if "below the social foundation" in s]
    assert "housing affordability" in shortfall[0]  # 0.52 on the 0-1 scale beats fuel poverty's 0.113


def test_trends_and_england_comparison_are_mentioned():
    text = " ".join(portrait_sentences(oxford(), max_sentences=10))
    assert re.search(r"greenhouse gases and fuel poverty have got worse", text)
    assert "housing affordability has improved (changes significant at 95%)" in text
    assert "greenhouses gases" not in text and "greenhouse gases is also worse than England (red-red)" in text
    # Significantly better than England on fuel poverty, HLE and NO2; worse on two.
    assert "does significantly better on 3 and worse on 2 of the 5 indicators that can be tested (0 similar)" in text


def test_zero_deprivation_threshold_is_explained():
    only_fuel = oxford([FUEL])
    text = " ".join(portrait_sentences(only_fuel))
    assert "11.3% (2023), against a foundation of 0% (nobody deprived)" in text


def test_max_sentences_is_respected_and_summary_kept():
    assert len(portrait_sentences(oxford(), max_sentences=2)) == 2
    assert portrait_sentences(oxford(), max_sentences=0)[0].startswith("In Oxford")


def test_no_unexplained_scores():
    text = " ".join(portrait_sentences(oxford(), max_sentences=10)).lower()
    assert "score" not in text
    assert "0.52" not in text and "0.113" not in text


def test_a_portrait_with_no_data_says_so():
    sentences = portrait_sentences(oxford([gap(d) for d in DIMENSIONS], name="Blackbird Leys"))
    assert sentences == ["There is no data yet for Blackbird Leys: 21 dimensions of the Doughnut have no data yet."]


def test_none_within_and_every_dimension_covered():
    everywhere = [
        make(f"i_{d}", d, "shortfall", value=50.0, score=0.5, threshold=0.0, kind="zero_deprivation")
        for d in DIMENSIONS
        if DIMENSIONS[d][0] == "social_foundation"
    ]
    everywhere += [make(f"i_{d}", d, "overshoot", value=2.0, score=1.0, threshold=1.0, kind="ceiling", ratio=2.0)
                   for d in DIMENSIONS if DIMENSIONS[d][0] == "ecological_ceiling"]  # fmt: skip
    summary = portrait_sentences(oxford(everywhere))[0]
    assert "none of the 21 indicators with data are within the safe and just space" in summary
    assert "(12 fall short of the social foundation and 9 overshoot the ecological ceiling)" in summary
    assert "every dimension of the Doughnut has data" in summary


def test_a_source_already_saying_illustrative_is_not_repeated():
    gas = make(
        "gas", "climate_change", "overshoot", value=10502.0, score=0.4, threshold=7500.0, kind="ceiling", ratio=1.4,
        decimals=0, unit="kWh per meter per year (median, weather-corrected)", unit_short="kWh",
        threshold_source="Illustrative: Ofgem typical domestic consumption", threshold_illustrative=True,
        title="Typical household gas use",
    )  # fmt: skip
    text = portrait_sentences(oxford([gas]))[1]
    assert (
        "10,502 kWh per meter per year (2023) against an illustrative ceiling of 7,500 kWh per meter per year, "
        "after Ofgem typical domestic consumption" in text
    )
    assert text.lower().count("illustrative") == 1


def test_illustrative_thresholds_are_flagged():
    illustrative = make(
        "land", "land_conversion", "overshoot", value=12.0, score=0.5, threshold=8.0, kind="ceiling",
        ratio=1.5, threshold_source="Illustrative", threshold_illustrative=True, title="Built-up land",
    )  # fmt: skip
    text = " ".join(portrait_sentences(oxford([illustrative])))
    assert "an illustrative ceiling of 8.0%, 1.5 times the ceiling" in text


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (12.345, 1, "%", "12.3%"),
        (31200, 0, "£", "£31,200"),
        (-5.5, 1, "£", "-£5.5"),
        (6.62, 1, "t CO2e", "6.6 t CO2e"),
        (10.4, 2, "×", "10.40×"),
        (-0.04, 1, "", "0.0"),
        (None, 1, "%", "no data"),
        (float("nan"), 1, "%", "no data"),
    ],
)
def test_format_value(value, decimals, unit, expected):
    assert format_value(value, decimals, unit) == expected


@pytest.mark.parametrize(
    ("unit", "unit_short", "value", "expected"),
    [
        ("% of adults", "%", 12.34, "12.3% of adults"),
        ("£ per week", "£", 648.4, "£648.4 per week"),
        ("years", "years", 71.0, "71.0 years"),
        ("a unit far too long to write out in full in a sentence", "u", 3.0, "3.0 u"),
        ("/10", "/10", 7.5, "7.5/10"),
    ],
)
def test_sentence_value_writes_short_full_units(unit, unit_short, value, expected):
    from cwb_metrics.portrait.sentences import sentence_value

    assert sentence_value(make("x", "food", "within", value=value, unit=unit, unit_short=unit_short)) == expected


def test_small_word_helpers():
    assert lower_first("Housing affordability") == "housing affordability"
    assert lower_first("GCSE attainment") == "GCSE attainment"
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b", "c"]) == "a, b and c"


# ---- honest claims (issue 10) ---------------------------------------------------------------------------------------
def test_oxford_fuel_poverty_is_the_same_as_england_at_the_figures_shown():
    # 11.39% against 11.4%: both print as 11.4%, so no better or worse is claimed.
    fuel = make(
        "fuel_poverty", "energy", "shortfall", value=11.39, score=0.1139, threshold=0.0, kind="zero_deprivation",
        title="Households in fuel poverty", england=11.4, england_comparison="similar",
    )  # fmt: skip
    text = " ".join(portrait_sentences(oxford([fuel]), max_sentences=10))
    assert "That is the same as England (11.4%) at the figures shown." in text
    assert "better than England" not in text and "worse than England" not in text


def test_an_untested_difference_is_stated_without_better_or_worse():
    ghg = make(
        "ghg", "climate_change", "overshoot", value=3.45, score=0.23, threshold=2.8, kind="ceiling", ratio=1.23,
        title="Greenhouse gas emissions per person", unit="t", unit_short="t", england=4.78,
        england_comparison="not_compared",
    )  # fmt: skip
    text = " ".join(portrait_sentences(oxford([ghg]), max_sentences=10))
    assert "England's figure is 4.8 t (no confidence interval is published, so the difference is not tested)." in text
    assert "does better" not in text


def test_a_similar_value_says_not_significant():
    obesity = make(
        "obesity", "food", "shortfall", value=17.7, score=0.177, threshold=0.0, kind="zero_deprivation",
        title="Adults living with obesity", england=26.6, england_comparison="similar",
    )  # fmt: skip
    assert "the difference is not statistically significant" in " ".join(portrait_sentences(oxford([obesity])))


def test_no_trend_sentence_without_a_significant_change():
    flat = [make("obesity", "food", "shortfall", value=17.7, score=0.177, threshold=0.0, kind="zero_deprivation",
                 trend="no_significant_change"),
            make("gas", "climate_change", "overshoot", value=10502.0, score=0.4, threshold=7500.0, kind="ceiling",
                 trend="not_compared", ratio=1.4)]  # fmt: skip
    text = " ".join(portrait_sentences(oxford(flat), max_sentences=10))
    assert "improved" not in text and "got worse" not in text


def test_context_is_not_counted_as_a_shortfall():
    share = make("imd_share", "peace_justice", "context", value=40.0, score=None, threshold=20.0, role="context")
    text = portrait_sentences(oxford([FUEL, share]))[0]
    assert "one falls short of the social foundation" in text
    assert "one context measure is not scored" in text


def test_the_number_of_shortfalls_on_comparator_or_illustrative_thresholds():
    comparator = make(
        "pay",
        "income_work",
        "shortfall",
        value=600.0,
        score=0.07,
        threshold=648.4,
        polarity="higher_is_better",
        threshold_basis="comparator",
        threshold_illustrative=True,
    )
    illustrative = make(
        "jobless",
        "income_work",
        "shortfall",
        value=3.0,
        score=0.03,
        threshold=0.0,
        kind="zero_deprivation",
        threshold_basis="illustrative",
        threshold_illustrative=True,
    )
    fuel = make("fuel", "energy", "shortfall", value=11.3, score=0.113, threshold=0.0, kind="zero_deprivation",
                threshold_basis="science_based")  # fmt: skip
    sentence = basis_sentence(oxford([comparator, illustrative, fuel]))
    assert (
        sentence == "Of the 3 shortfalls, 2 rest on no authority's target: one on England's average and one on an "
        "illustrative level."
    )
    assert basis_sentence(oxford([fuel])).startswith("All 1 shortfalls are measured against thresholds set by")


def test_pace_sentence_gives_needed_and_recent_change():
    pace = [{"label": "Net zero", "target": 0.0, "by": 2050, "needed_per_year": -3.45 / 27, "recent_per_year": -0.158,
             "recent_from": "2019-01-01/P1Y", "status": "on_track"}]  # fmt: skip
    ghg = make(
        "ghg", "climate_change", "overshoot", value=3.45, score=0.23, threshold=2.8, kind="ceiling", ratio=1.23,
        title="Greenhouse gas emissions per person", short_title="GHG emissions per person", unit="t CO2e per person",
        unit_short="t", period_label="2023", pace=pace,
    )  # fmt: skip
    sentence = pace_sentence(ghg, "Oxford")
    assert sentence == (
        "To reach net zero by 2050, GHG emissions per person in Oxford (3.5 t CO2e per person in 2023) must fall by "
        "0.13 t CO2e per person a year; since 2019 it has fallen by 0.16 t CO2e per person a year, fast enough."
    )


def test_money_trends_are_said_in_cash_terms():
    pay = make(
        "pay", "income_work", "within", value=689.6, score=0.0, threshold=648.4, polarity="higher_is_better",
        title="Median weekly pay", short_title="Median weekly pay", unit_short="£", trend="improving",
    )  # fmt: skip
    text = " ".join(portrait_sentences(oxford([pay]), max_sentences=10))
    assert "median weekly pay (in cash terms) has improved" in text
