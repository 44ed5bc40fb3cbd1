"""Scoring rules, checked against hand-computed values (see PRODUCT.md, "The Doughnut method")."""

from __future__ import annotations

import math

import pytest

from cwb_metrics.portrait.scoring import DRAW_CAP, Score, score_value, trend_direction


def test_lower_is_better_target_above_it_is_a_relative_shortfall():
    # Housing affordability 10.4 against a target of 5: (10.4 - 5) / 5 = 1.08.
    score = score_value(10.4, 5.0, "target", "lower_is_better")
    assert score.status == "shortfall"
    assert score.score == pytest.approx(1.08)
    assert score.ratio == pytest.approx(2.08)


def test_lower_is_better_target_below_it_is_within():
    score = score_value(4.0, 5.0, "target", "lower_is_better")
    assert (score.status, score.score) == ("within", 0.0)


def test_higher_is_better_target_below_it_is_a_relative_shortfall():
    # 80 against a target of 100: (100 - 80) / 100 = 0.2.
    score = score_value(80.0, 100.0, "target", "higher_is_better")
    assert score.status == "shortfall"
    assert score.score == pytest.approx(0.2)


def test_higher_is_better_target_met_or_beaten_is_within():
    assert score_value(100.0, 100.0, "target", "higher_is_better").status == "within"
    assert score_value(130.0, 100.0, "target", "higher_is_better").score == 0.0


def test_ceiling_below_is_within_and_above_is_overshoot():
    within = score_value(3.0, 4.0, "ceiling", "lower_is_better")
    assert (within.status, within.score) == ("within", 0.0)
    assert within.ratio == pytest.approx(0.75)
    over = score_value(6.0, 4.0, "ceiling", "lower_is_better")
    assert over.status == "overshoot"
    assert over.score == pytest.approx(0.5)  # 6 / 4 - 1


def test_zero_deprivation_shortfall_is_the_share_deprived():
    score = score_value(12.0, 0.0, "zero_deprivation", "lower_is_better")
    assert score.status == "shortfall"
    assert score.score == pytest.approx(0.12)
    assert score.ratio is None  # no ratio against a zero foundation


def test_zero_deprivation_of_nobody_is_within():
    assert score_value(0.0, 0.0, "zero_deprivation", "lower_is_better").status == "within"


@pytest.mark.parametrize("kind", ["zero_deprivation", "target", "ceiling"])
@pytest.mark.parametrize("missing", [None, float("nan"), math.nan])
def test_missing_is_missing_never_zero(kind, missing):
    score = score_value(missing, 5.0, kind, "lower_is_better")
    assert score.status == "missing"
    assert score.score is None
    assert score.drawn_score is None
    assert score.capped is False


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown threshold kind"):
        score_value(1.0, 1.0, "cap", "lower_is_better")  # type: ignore[arg-type]


def test_large_overshoot_is_capped_for_drawing_only():
    # 30 against a ceiling of 2 is an overshoot of 14: drawn at the cap, kept true.
    score = score_value(30.0, 2.0, "ceiling", "lower_is_better")
    assert score.score == pytest.approx(14.0)
    assert score.drawn_score == DRAW_CAP
    assert score.capped is True


def test_overshoot_just_below_the_cap_is_not_capped():
    score = Score("overshoot", DRAW_CAP - 0.1, None)
    assert score.drawn_score == pytest.approx(DRAW_CAP - 0.1)
    assert score.capped is False
    assert Score("overshoot", DRAW_CAP, None).capped is False


def test_draw_cap_follows_doughnut_3_ratio_near_4_9():
    assert round(DRAW_CAP + 1, 6) == 4.9


@pytest.mark.parametrize(
    ("values", "polarity", "expected"),
    [
        ([("2021", 10.0), ("2022", 9.0), ("2023", 8.0)], "lower_is_better", "improving"),
        ([("2021", 10.0), ("2022", 11.0), ("2023", 12.0)], "lower_is_better", "worsening"),
        ([("2021", 60.0), ("2023", 66.0)], "higher_is_better", "improving"),
        ([("2021", 66.0), ("2023", 60.0)], "higher_is_better", "worsening"),
        # A 1% change is within the 2% tolerance.
        ([("2021", 100.0), ("2023", 101.0)], "higher_is_better", "flat"),
        ([("2021", 100.0), ("2023", 99.0)], "lower_is_better", "flat"),
        # A base of zero does not divide by zero.
        ([("2021", 0.0), ("2023", 0.5)], "lower_is_better", "worsening"),
    ],
)
def test_trend_direction(values, polarity, expected):
    assert trend_direction(values, polarity) == expected


def test_trend_needs_two_periods():
    assert trend_direction([], "lower_is_better") is None
    assert trend_direction([("2023", 5.0)], "lower_is_better") is None


def test_trend_looks_at_the_last_five_periods_only():
    # An old high value (2015) falls outside the window: 2019 -> 2023 rises.
    values = [("2015", 50.0), ("2019", 10.0), ("2020", 10.5), ("2021", 11.0), ("2022", 11.5), ("2023", 12.0)]
    assert trend_direction(values, "lower_is_better") == "worsening"
