"""Wilson and Byar intervals against values computed by hand (PHE's technical guide formulas)."""

from __future__ import annotations

import math

import pytest

from cwb_metrics.intervals import byar_interval, wilson_interval


def test_wilson_matches_a_hand_computation():
    # p = 10/100, z = 1.96: centre = 0.1 + 1.96^2/200 = 0.119208; half = 1.96 sqrt(0.0009 + 3.8416/40000) = 0.061975;
    # denominator 1.038416 -> (0.057113 / 1.038416, 0.181183 / 1.038416) = (0.0552, 0.1745).
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(5.5229, abs=1e-3)
    assert high == pytest.approx(17.4367, abs=1e-3)


def test_wilson_of_zero_and_of_all_stay_inside_zero_to_hundred():
    low, high = wilson_interval(0, 50)
    assert low == 0.0 and 0 < high < 10
    low, high = wilson_interval(50, 50)
    assert 90 < low < 100 and high == pytest.approx(100.0)


def test_wilson_narrows_with_the_base():
    narrow = wilson_interval(1_139, 10_000)
    wide = wilson_interval(114, 1_000)
    assert narrow[1] - narrow[0] < wide[1] - wide[0]


@pytest.mark.parametrize(("count", "base"), [(1, 0), (5, 4), (-1, 10)])
def test_wilson_rejects_impossible_counts(count, base):
    with pytest.raises(ValueError):
        wilson_interval(count, base)


def test_byar_matches_a_hand_computation():
    # O = 50: lower = 50 (1 - 1/450 - 1.96/(3 sqrt 50))^3 = 37.108; upper = 51 (1 - 1/459 + 1.96/(3 sqrt 51))^3 = 65.92.
    low, high = byar_interval(50, 100_000)
    assert low == pytest.approx(37.108, abs=0.01)
    assert high == pytest.approx(65.92, abs=0.01)


def test_byar_of_no_events_starts_at_zero():
    low, high = byar_interval(0, 1_000, scale=1_000)
    assert low == 0.0
    # upper = 1 (1 - 1/9 + 1.96/3)^3 = 1.5424^3 = 3.6681 events per 1,000.
    assert high == pytest.approx(3.6681, abs=1e-3)
    assert math.isfinite(high)
