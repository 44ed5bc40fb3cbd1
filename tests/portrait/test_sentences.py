"""Plain-English sentences from hand-made portraits."""

from __future__ import annotations

import re

import pytest

from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import format_value, join_words, lower_first, portrait_sentences


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
    "housing_affordability", "housing", "shortfall", value=10.4, score=1.08, threshold=5.0,
    title="Housing affordability", short_title="Housing affordability",
    unit="ratio of median house price to median annual earnings", unit_short="×",
    threshold_source="ONS's broad affordability level", period_label="2025", england=7.7, trend="improving",
    decimals=2,
)  # fmt: skip
FUEL = make(
    "fuel_poverty", "energy", "shortfall", value=11.3, score=0.113, threshold=0.0, kind="zero_deprivation",
    title="Households in fuel poverty", short_title="Fuel poverty", england=13.1, trend="worsening",
)  # fmt: skip
GHG = make(
    "ghg", "climate_change", "overshoot", value=6.6, score=1.87, threshold=2.3, kind="ceiling", ratio=6.6 / 2.3,
    title="Greenhouse gas emissions per person", short_title="Greenhouse gases", unit="tonnes CO2e per person",
    unit_short="t CO2e", threshold_source="Tyndall Centre carbon budget", england=4.5, trend="worsening",
)  # fmt: skip
HLE = make(
    "hle", "health", "within", value=71.0, score=0.0, threshold=70.0, polarity="higher_is_better",
    title="Healthy life expectancy", unit="years", unit_short="years", england=62.0,
)  # fmt: skip
NO2 = make("no2", "air_pollution", "within", value=9.0, score=0.0, threshold=10.0, kind="ceiling", england=12.0)
MISSING_INDICATOR = make("water_use", "freshwater_withdrawals", "missing", kind="ceiling", threshold=110.0)

COVERED = {"housing", "energy", "climate_change", "health", "air_pollution"}
ENTRIES = [AFFORD, FUEL, GHG, HLE, NO2, MISSING_INDICATOR] + [
    gap(d) for d in DIMENSIONS if d not in COVERED | {"freshwater_withdrawals"}
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
    assert "England's figure is 7.70×, so Oxford does worse than England." in text


def test_overshoot_uses_the_full_unit_and_a_multiple_of_the_ceiling():
    text = " ".join(portrait_sentences(oxford()))
    assert "Oxford overshoots the ecological ceiling on greenhouse gas emissions per person" in text
    assert "6.6 tonnes CO2e per person (2023) against a ceiling of 2.3 tonnes CO2e per person" in text
    assert "2.9 times the ceiling" in text  # 6.6 / 2.3 = 2.87


def test_the_largest_shortfall_comes_first():
    sentences = portrait_sentences(oxford())
    shortfall = [s for s in sentences if "below the social foundation" in s]
    assert "housing affordability" in shortfall[0]  # score 1.08 beats fuel poverty's 0.113


def test_trends_and_england_comparison_are_mentioned():
    text = " ".join(portrait_sentences(oxford(), max_sentences=10))
    assert re.search(r"greenhouse gases and fuel poverty have moved the wrong way", text)
    assert "housing affordability has improved" in text
    # Better than England on fuel poverty (11.3 < 13.1), HLE (71 > 62), NO2 (9 < 12); worse on two.
    assert "does better on 3 of the 5 indicators that have an England figure" in text


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
    assert "1.08" not in text and "0.113" not in text


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
