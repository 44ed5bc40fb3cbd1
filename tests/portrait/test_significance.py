"""Significance of England comparisons and trends, on hand-computed cases (including the four of issue 10)."""

from __future__ import annotations

import pytest

from cwb_metrics.portrait.significance import (
    Observation,
    comparable,
    compare_with_benchmark,
    differ,
    red_red,
    same_when_rounded,
    trend_significance,
)


# ---- England comparisons -----------------------------------------------------------------------------------------
def test_oxford_fuel_poverty_is_not_better_than_england():
    # Issue 10: 11.39% against England's 11.4%. Both print as 11.4 at one decimal place: no difference to claim.
    assert compare_with_benchmark(11.39, None, None, 11.4, "lower_is_better", 1) == "similar"
    # Even shown to two decimals, England's 11.40 lies inside a Wilson interval of about +-0.25 points.
    assert compare_with_benchmark(11.39, 11.14, 11.64, 11.4, "lower_is_better", 2) == "similar"


def test_outside_the_interval_is_better_or_worse_by_polarity():
    assert compare_with_benchmark(20.3, 18.5, 22.3, 26.6, "lower_is_better") == "better"
    assert compare_with_benchmark(20.3, 18.5, 22.3, 26.6, "higher_is_better") == "worse"
    assert compare_with_benchmark(30.0, 28.0, 32.0, 26.6, "lower_is_better") == "worse"


def test_no_interval_means_not_compared():
    assert compare_with_benchmark(3.45, None, None, 4.78, "lower_is_better") == "not_compared"
    assert compare_with_benchmark(3.45, float("nan"), float("nan"), 4.78, "lower_is_better") == "not_compared"
    assert compare_with_benchmark(None, 1, 2, 4.78, "lower_is_better") == "not_compared"
    assert compare_with_benchmark(3.0, 2.0, 4.0, None, "lower_is_better") == "not_compared"


def test_rounding_rule():
    assert same_when_rounded(11.39, 11.4, 1) and not same_when_rounded(11.39, 11.4, 2)
    assert same_when_rounded(648.44, 648.4, 1)


# ---- trends ------------------------------------------------------------------------------------------------------
SMOKING = [  # Oxford, ONS adult smoking, five-year pools (ELS cigarette-smokers.csv)
    Observation("2019-01-01/P5Y", 10.0, 7.5, 12.5),
    Observation("2020-01-01/P5Y", 9.3, 6.9, 11.8),
]
OBESITY = [  # Oxford, OHID adult obesity (ELS adult-obesity-prevalence.csv), the last six years
    Observation("2019-11-16/P1Y", 16.96150, 14.15241, 19.90669),
    Observation("2020-11-16/P1Y", 14.80506, 11.48325, 18.18182),
    Observation("2021-11-16/P1Y", 15.12987, 11.90476, 18.61472),
    Observation("2022-11-16/P1Y", 16.16907, 12.58907, 19.71496),
    Observation("2023-11-16/P1Y", 16.16659, 12.64637, 19.67213),
    Observation("2024-11-16/P1Y", 17.72266, 13.71429, 21.71429),
]
GAS = [  # Oxford, DESNZ mean domestic gas (kWh per meter): no confidence intervals
    Observation("2022-05-15/P1Y", 10167.53),
    Observation("2023-05-15/P1Y", 10298.85),
    Observation("2024-05-15/P1Y", 10502.24),
]


def test_overlapping_smoking_pools_are_not_compared():
    result = trend_significance(SMOKING, "lower_is_better", 1)
    assert result.trend == "not_compared"
    assert "overlap" in result.reason


def test_obesity_inside_its_intervals_is_no_significant_change():
    # Earliest of the last five (2020/21, 14.81) against 2024/25 (17.72): se1 = (18.18 - 14.81) / 1.96 = 1.72,
    # se2 = (17.72 - 13.71) / 1.96 = 2.05, z = 2.92 / 2.67 = 1.09 < 1.96.
    result = trend_significance(OBESITY, "lower_is_better", 1)
    assert (result.trend, result.earlier, result.later) == (
        "no_significant_change",
        "2020-11-16/P1Y",
        "2024-11-16/P1Y",
    )


def test_gas_without_intervals_is_not_compared():
    # Issue 10: gas use was called "improved" while rising in the last two releases.
    assert trend_significance(GAS, "lower_is_better", 0).trend == "not_compared"


def test_significant_changes_have_a_direction():
    # 20.0 (19.0-21.0) to 15.0 (14.0-16.0): se = 1/1.96 each, z = 5 / 0.72 = 6.9.
    series = [Observation("2020", 20.0, 19.0, 21.0), Observation("2023", 15.0, 14.0, 16.0)]
    assert trend_significance(series, "lower_is_better").trend == "improving"
    assert trend_significance(series, "higher_is_better").trend == "worsening"


def test_the_z_test_is_stricter_than_eyeballing_and_looser_than_overlap():
    # 20 +- 1.96 and 16.5 +- 1.96: the intervals overlap (18.04 < 18.46), yet z = 3.5 / sqrt(2) = 2.47 > 1.96.
    a, b = Observation("2020", 20.0, 18.04, 21.96), Observation("2023", 16.5, 14.54, 18.46)
    assert differ(a, b)
    # 20 +- 1.96 and 17.5 +- 1.96: z = 2.5 / 1.414 = 1.77, not significant.
    assert not differ(a, Observation("2023", 17.5, 15.54, 19.46))


def test_a_series_break_stops_the_trend():
    # The IoD2025 income domain counts a wider group than IoD2019: 2019 and 2025 are not one series.
    series = [Observation("2019", 7.5, 7.4, 7.6), Observation("2025", 14.5, 14.3, 14.7)]
    result = trend_significance(series, "lower_is_better", 1, breaks=["2025"])
    assert result.trend == "not_compared" and "method changed" in result.reason
    assert [o.period for o in comparable(series, ["2025"])] == ["2025"]
    assert [o.period for o in comparable(series, ["2030"])] == ["2019", "2025"]  # a break after the data


def test_one_period_is_not_compared():
    assert trend_significance([Observation("2023", 5.0, 4.0, 6.0)], "lower_is_better").trend == "not_compared"


def test_no_polarity_is_not_compared():
    assert trend_significance(SMOKING, None).trend == "not_compared"


def test_a_change_invisible_at_the_shown_decimals_is_no_change():
    # 10.04 and 9.96 with tight intervals differ statistically but both print as 10.0.
    series = [Observation("2020", 10.04, 10.03, 10.05), Observation("2023", 9.96, 9.95, 9.97)]
    assert trend_significance(series, "lower_is_better", 1).trend == "no_significant_change"
    assert trend_significance(series, "lower_is_better", 2).trend == "improving"


def test_red_red():
    assert red_red("worse", "worsening")
    assert not red_red("worse", "no_significant_change")
    assert not red_red("similar", "worsening")


@pytest.mark.parametrize("earlier", ["2017-01-01/P3Y", "2018-01-01/P3Y"])
def test_three_year_pools_compare_with_the_first_that_does_not_overlap(earlier):
    series = [
        Observation(earlier, 30.0, 29.0, 31.0),
        Observation("2019-01-01/P3Y", 29.0, 28.0, 30.0),
        Observation("2020-01-01/P3Y", 28.0, 27.0, 29.0),
        Observation("2021-01-01/P3Y", 27.0, 26.0, 28.0),
    ]
    result = trend_significance(series, "lower_is_better", 1)
    # 2021-23 overlaps 2019-21 and 2020-22; the earliest non-overlapping of the last five is the first.
    assert result.earlier == earlier and result.trend == "improving"


def test_no_trend_where_the_publisher_advises_against_comparing_periods():
    # DESNZ: sub-regional fuel poverty "should not be used to identify detailed trends over time".
    series = [Observation("2020", 12.9, 11.6, 14.2), Observation("2023", 10.9, 9.8, 12.0)]
    assert trend_significance(series, "lower_is_better", 1).trend == "improving"
    result = trend_significance(series, "lower_is_better", 1, comparable_over_time=False)
    assert result.trend == "not_compared" and "publisher advises" in result.reason
