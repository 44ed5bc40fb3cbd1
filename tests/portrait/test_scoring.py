"""Scoring rules, checked against hand-computed values (see PRODUCT.md, "The Doughnut method")."""

from __future__ import annotations

import math

import pytest

from cwb_metrics.portrait.scoring import CONTEXT, DRAW_CAP, Score, score_value


def test_lower_is_better_target_above_it_is_a_bounded_shortfall():
    # Housing affordability 10.4 against a target of 5: 1 - 5 / 10.4 = 5.4 / 10.4 = 0.519231 (by hand).
    score = score_value(10.4, 5.0, "target", "lower_is_better")
    assert score.status == "shortfall"
    assert score.score == pytest.approx(0.519231, abs=1e-6)
    assert score.ratio == pytest.approx(2.08)


def test_the_issue_example_smoking_and_child_poverty_are_now_comparable():
    # Issue 10: smoking 9.3% against 5% scored (9.3 - 5) / 5 = 0.86 on the old unbounded rule, child
    # poverty 22.9% against 0% scored 0.229. On the one 0-1 scale: 1 - 5 / 9.3 = 4.3 / 9.3 = 0.462366, and 0.229.
    smoking = score_value(9.3, 5.0, "target", "lower_is_better")
    poverty = score_value(22.9, 0.0, "zero_deprivation", "lower_is_better")
    assert smoking.score == pytest.approx(0.462366, abs=1e-6)
    assert poverty.score == pytest.approx(0.229)


@pytest.mark.parametrize("value", [5.01, 10.0, 50.0, 1e6])
def test_lower_is_better_shortfall_stays_below_one(value):
    assert 0 < score_value(value, 5.0, "target", "lower_is_better").score < 1


def test_higher_is_better_shortfall_is_capped_at_one():
    # A negative value (a net loss) is at most everyone short.
    assert score_value(-3.0, 12.0, "target", "higher_is_better").score == 1.0


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


def test_a_stock_ceiling_is_normalised_to_its_pre_industrial_baseline():
    # Doughnut 3.0's CO2 concentration: (v - 280) / (350 - 280); 420 ppm gives 140 / 70 = 2.0, overshoot 1.0.
    over = score_value(420.0, 350.0, "ceiling", "lower_is_better", baseline=280.0)
    assert over.ratio == pytest.approx(2.0)
    assert over.score == pytest.approx(1.0)
    assert score_value(300.0, 350.0, "ceiling", "lower_is_better", baseline=280.0).status == "within"


def test_context_is_never_scored():
    assert (CONTEXT.status, CONTEXT.score, CONTEXT.drawn_score, CONTEXT.capped) == ("context", None, None, False)


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
