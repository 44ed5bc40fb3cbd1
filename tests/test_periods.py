"""ONS period strings and their labels."""

import datetime as dt

import pytest

from cwb_metrics.periods import PeriodError, latest_period, parse_period, period_label


@pytest.mark.parametrize(
    ("text", "label", "months"),
    [
        ("2023", "2023", 12),
        ("2022-04-01/P1Y", "2022/23", 12),
        ("2021-01-01/P3Y", "2021-2023", 36),
        ("2019-01-01/P5Y", "2019-2023", 60),
        ("2021-04-01/P3Y", "2021/22-2023/24", 36),
        ("2026-04", "Apr 2026", 1),
        ("2025-04-30", "Apr 2025", 0),  # ASHE's reference date: a point in time
    ],
)
def test_labels(text: str, label: str, months: int) -> None:
    period = parse_period(text)
    assert period.label == label and period.months == months


@pytest.mark.parametrize("text", ["", "FY25", "2025-13-01", "1066", "2025/26", "2022-04-01/P0Y"])
def test_bad_periods(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_latest_uses_the_end_of_the_period() -> None:
    # 2021-2023 pooled ends after 2022 does; April 2025 is later than 2024 (calendar year)
    assert latest_period(["2022", "2021-01-01/P3Y"]) == "2021-01-01/P3Y"
    assert latest_period(["2024", "2025-04-01"]) == "2025-04-01"
    assert parse_period("2022-04-01/P1Y").end == dt.date(2023, 4, 1)
    assert period_label("not a period") == "not a period"
