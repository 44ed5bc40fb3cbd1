"""Pace: the annual change needed to reach a dated target beside the recent change, by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.pace import pace_to, paces, period_midpoint, recent_slope
from cwb_metrics.portrait.significance import Observation

GHG = [  # Oxford, GHG per person (t CO2e), 2019-2023 (ELS greenhouse-gas-emissions.csv)
    Observation("2019-01-01/P1Y", 4.22),
    Observation("2020-01-01/P1Y", 3.85),
    Observation("2021-01-01/P1Y", 4.19),
    Observation("2022-01-01/P1Y", 3.81),
    Observation("2023-01-01/P1Y", 3.45),
]


def test_period_midpoints():
    assert period_midpoint("2023") == 2023.5
    assert period_midpoint("2021-01-01/P3Y") == 2022.5
    assert period_midpoint("2022-04-01/P1Y") == pytest.approx(2022.75)  # April 2022 + 6 months


def test_recent_slope_is_least_squares():
    # x = 2019.5 .. 2023.5 (mean 2021.5), y mean = 3.904; sum dx dy = -2(0.316) - 1(-0.054) + 0 + 1(-0.094) + 2(-0.454)
    # = -0.632 + 0.054 - 0.094 - 0.908 = -1.58; sum dx^2 = 10 -> -0.158 t a year.
    slope, since = recent_slope(GHG)
    assert slope == pytest.approx(-0.158)
    assert since == "2019-01-01/P1Y"


def test_net_zero_by_2050_needs_faster_cuts_than_recent():
    # Needed: (0 - 3.45) / (2050.5 - 2023.5) = -3.45 / 27 = -0.12778 t a year; recent -0.158: on track.
    pace = pace_to(GHG, target=0.0, by=2050, polarity="lower_is_better", label="Net zero")
    assert pace.needed_per_year == pytest.approx(-0.127778, abs=1e-6)
    assert pace.status == "on_track"
    # At -0.158 a year, 3.45 t reaches 0 after 21.84 years: 2023.5 + 21.84 = 2045.3.
    assert pace.reached_at_recent_pace == pytest.approx(2045.335, abs=1e-3)
    assert pace.speed_up == pytest.approx(0.127778 / 0.158, abs=1e-4)


def test_a_nearer_ceiling_is_off_track():
    # The sixth carbon budget level 2.8 t by 2035: (2.8 - 3.45) / 12 = -0.054167 a year; recent -0.158 is faster.
    assert pace_to(GHG, target=2.8, by=2035, polarity="lower_is_better").status == "on_track"
    # 1.0 t by 2026: (1.0 - 3.45) / 3 = -0.8167 a year, five times the recent pace.
    pace = pace_to(GHG, target=1.0, by=2026, polarity="lower_is_better")
    assert pace.status == "off_track"
    assert pace.needed_per_year == pytest.approx(-0.816667, abs=1e-6)


def test_met_wrong_direction_past_due_and_no_trend():
    assert pace_to(GHG, target=5.0, by=2035, polarity="lower_is_better").status == "met"
    rising = [Observation("2021", 10.0), Observation("2023", 12.0)]
    assert pace_to(rising, target=5.0, by=2030, polarity="lower_is_better").status == "wrong_direction"
    assert pace_to(rising, target=5.0, by=2020, polarity="lower_is_better").status == "past_due"
    pooled = [Observation("2019-01-01/P5Y", 10.0), Observation("2020-01-01/P5Y", 9.3)]
    assert pace_to(pooled, target=5.0, by=2030, polarity="lower_is_better").status == "no_recent_trend"
    assert pace_to([], target=5.0, by=2030, polarity="lower_is_better") is None
    # Two counts three months apart (EV chargers, January and April 2026) give no annual pace.
    months = [Observation("2026-01", 160.0), Observation("2026-04", 168.0)]
    assert pace_to(months, target=440.0, by=2030, polarity="higher_is_better").status == "no_recent_trend"


def test_higher_is_better_targets():
    # 70% in 2023 to 80% by 2030: (80 - 70) / 7 = 1.4286 points a year.
    series = [Observation("2021", 68.0), Observation("2023", 70.0)]
    pace = pace_to(series, target=80.0, by=2030, polarity="higher_is_better")
    assert pace.needed_per_year == pytest.approx(10 / 7)
    assert pace.recent_per_year == pytest.approx(1.0)
    assert pace.status == "off_track"


def _meta(**threshold) -> IndicatorMeta:
    return IndicatorMeta.model_validate(
        {
            "id": "ghg", "title": "GHG per person", "short_title": "GHG",
            "definition": "Territorial greenhouse gas emissions per person.", "unit": "t CO2e",
            "polarity": "lower_is_better",
            "ring": "ecological_ceiling", "dimension": "climate_change", "lens": "local_ecological",
            "why_this_proxy": "Chosen for the test.",
            "threshold": {"kind": "ceiling", "value": 2.8, "basis": "illustrative", "source": "Illustrative: test",
                          "rationale": "Because the test says so.", **threshold},
            "dated_targets": [{"label": "Net zero", "value": 0, "by": 2050, "basis": "statutory_target",
                               "source": "Climate Change Act", "source_url": "https://www.legislation.gov.uk/"}],
            "origin": {"producer": "DESNZ", "title": "Test", "url_main": "https://www.gov.uk/",
                       "licence": "OGL v3.0", "licence_url": "https://www.nationalarchives.gov.uk/",
                       "date_published": dt.date(2025, 1, 1), "citation": "DESNZ (2025)"},
            "extract": {"method": "test", "source": "test"}, "geographies": ["district"],
        }
    )  # fmt: skip


def test_paces_of_a_record_cover_the_dated_threshold_and_targets():
    found = paces(_meta(by=2035), GHG)
    assert [(p.label, p.target, p.by) for p in found] == [("Ceiling", 2.8, 2035), ("Net zero", 0.0, 2050)]
    assert [p.label for p in paces(_meta(), GHG)] == ["Net zero"]  # an undated threshold has no pace
    assert paces(_meta(by=2035), GHG, threshold=2.0)[0].target == 2.0  # a what-if threshold keeps the date
