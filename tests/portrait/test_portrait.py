"""compute_portrait on a tiny hand-written catalogue and canonical rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cwb_metrics.models.indicator import DIMENSIONS, IndicatorMeta
from cwb_metrics.portrait.portrait import compute_portrait, score_indicator

AREA, OTHER, COUNTY, ENGLAND = "E07000178", "E07000177", "E10000025", "E92000001"


def meta(id_, dimension, kind, threshold, polarity="lower_is_better", **extra) -> IndicatorMeta:
    ring = DIMENSIONS[dimension][0]
    return IndicatorMeta(
        id=id_,
        title=extra.pop("title", id_.replace("_", " ").capitalize()),
        short_title=extra.pop("short_title", id_[:30]),
        definition="A hand-written test indicator definition.",
        unit=extra.pop("unit", "%"),
        unit_short=extra.pop("unit_short", "%"),
        polarity=polarity,
        ring=ring,
        dimension=dimension,
        lens="local_social" if ring == "social_foundation" else "local_ecological",
        why_this_proxy="Chosen for the test.",
        threshold={
            "kind": kind,
            "value": threshold,
            "source": extra.pop("source", "Test authority"),
            "rationale": "Because the test says so.",
            "basis": "comparator",
        },
        origin={
            "producer": "ONS",
            "title": "Test data",
            "url_main": "https://www.ons.gov.uk/",
            "licence": "OGL v3.0",
            "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "date_published": dt.date(2025, 1, 1),
            "citation": "ONS (2025)",
        },
        extract={"method": "test", "source": "test"},
        geographies=["district"],
        **extra,
    )


def row(indicator, area, period, value, name=None):
    return {
        "areacd": area, "areanm": name or area, "geography": "district", "indicator": indicator,
        "period": period, "value": value, "unit": "%", "lci_95": None, "uci_95": None, "status": None, "notes": "",
    }  # fmt: skip


CATALOGUE = {
    m.id: m
    for m in [
        meta("afford", "housing", "target", 5.0, unit="ratio", unit_short="×", decimals=2),
        meta("fuel_poverty", "energy", "zero_deprivation", 0.0),
        meta("hle", "health", "target", 70.0, "higher_is_better", unit="years", unit_short="years"),
        meta("ghg", "climate_change", "ceiling", 2.0, unit="tonnes CO2e per person", unit_short="t"),
        meta("no_rows", "air_pollution", "ceiling", 10.0),
    ]
}

ROWS = pd.DataFrame(
    [
        row("afford", AREA, "2023", 10.4),
        row("afford", AREA, "2021", 12.0),
        row("afford", AREA, "2022", 11.0),
        row("afford", ENGLAND, "2023", 7.7),
        row("afford", ENGLAND, "2022", 8.0),
        row("afford", COUNTY, "2023", 9.9),
        row("afford", OTHER, "2023", 3.0),
        # Financial years: 2022/23 is later than calendar 2022 but earlier than 2023/24.
        row("fuel_poverty", AREA, "2022-04-01/P1Y", 11.0),
        row("fuel_poverty", AREA, "2023-04-01/P1Y", 12.0),
        row("fuel_poverty", AREA, "2021-04-01/P1Y", 10.0),
        # HLE: the latest period has no value for the area, so the one before is used.
        row("hle", AREA, "2019-01-01/P3Y", 66.0),
        row("hle", AREA, "2020-01-01/P3Y", 64.0),
        row("hle", AREA, "2021-01-01/P3Y", None),
        row("ghg", AREA, "2022", 3.0),
        row("ghg", AREA, "2023", 6.0),
        row("ghg", ENGLAND, "2023", 4.0),
        row("no_rows", OTHER, "2023", 12.0),
    ]
)


def portrait(**kwargs):
    options = {"area_code": AREA, "area_name": "Oxford", "county_code": COUNTY} | kwargs
    return compute_portrait(CATALOGUE, ROWS, **options)


def entry(p, id_):
    return next(e for e in p.entries if e.id == id_)


def test_latest_period_is_chosen_per_indicator():
    p = portrait()
    assert entry(p, "afford").period == "2023"
    assert entry(p, "fuel_poverty").period == "2023-04-01/P1Y"
    assert entry(p, "fuel_poverty").period_label == "2023/24"
    assert entry(p, "hle").period == "2020-01-01/P3Y"  # the 2021-2023 row has no value
    assert entry(p, "ghg").period == "2023"


def test_scores_follow_the_rules():
    p = portrait()
    assert entry(p, "afford").status == "shortfall"
    assert entry(p, "afford").score == pytest.approx(0.519231, abs=1e-6)  # 1 - 5 / 10.4
    assert entry(p, "fuel_poverty").score == pytest.approx(0.12)  # 12%
    assert entry(p, "hle").score == pytest.approx(6 / 70, abs=1e-6)  # (70 - 64) / 70
    assert entry(p, "ghg").status == "overshoot"
    assert entry(p, "ghg").score == pytest.approx(2.0)  # 6 / 2 - 1
    assert entry(p, "ghg").ratio == pytest.approx(3.0)


def test_indicator_without_rows_for_the_area_is_missing_not_zero():
    e = entry(portrait(), "no_rows")
    assert e.status == "missing"
    assert e.value is None and e.score is None
    assert "No data" in e.note


def test_a_specific_period_by_year_label_or_iso_text():
    by_year = portrait(period="2022")
    assert entry(by_year, "afford").value == 11.0
    assert entry(by_year, "ghg").value == 3.0
    assert entry(by_year, "ghg").status == "overshoot"
    assert entry(by_year, "ghg").score == pytest.approx(0.5)
    # A year matches a financial year starting in it.
    assert entry(by_year, "fuel_poverty").period == "2022-04-01/P1Y"
    by_label = portrait(period="2021/22")
    assert entry(by_label, "fuel_poverty").value == 10.0
    by_iso = portrait(period="2019-01-01/P3Y")
    assert entry(by_iso, "hle").value == 66.0
    # A period with no data for an indicator makes it missing, saying which period.
    assert entry(portrait(period="2019"), "afford").status == "missing"
    assert "2019" in entry(portrait(period="2019"), "afford").note


def test_the_series_and_trend_stop_at_the_chosen_period():
    latest = entry(portrait(), "afford")
    assert [p for p, _ in latest.series] == ["2021", "2022", "2023"]
    # 12 -> 10.4 without confidence intervals: no significance test, so no claim of a trend.
    assert (latest.trend, latest.trend_from) == ("not_compared", "2021")
    assert [p for p, _ in entry(portrait(period="2022"), "afford").series] == ["2021", "2022"]
    assert entry(portrait(), "ghg").trend == "not_compared"
    # 2019-2021 and 2020-2022 share two years: never compared.
    assert "overlap" in entry(portrait(), "hle").trend_note


def test_comparators_england_and_county_for_the_same_period():
    e = entry(portrait(), "afford")
    assert e.england == 7.7
    assert e.county == 9.9
    assert entry(portrait(period="2022"), "afford").england == 8.0
    assert entry(portrait(period="2022"), "afford").county is None  # no county row for 2022
    assert entry(portrait(), "ghg").county is None


def test_no_comparator_with_itself():
    p = compute_portrait(CATALOGUE, ROWS, area_code=ENGLAND, area_name="England", county_code=COUNTY)
    assert entry(p, "afford").england is None
    assert entry(p, "afford").value == 7.7


def test_dimensions_without_an_indicator_are_missing_entries():
    p = portrait()
    covered = {m.dimension for m in CATALOGUE.values()}
    gaps = [e for e in p.entries if e.id is None]
    assert {e.dimension for e in gaps} == set(DIMENSIONS) - covered
    assert len(gaps) == 21 - 5
    assert all(e.status == "missing" and e.score is None for e in gaps)
    # The reason comes from dimensions.yaml (or a given mapping).
    noted = portrait(dimension_notes={"water": "No local water statistic."})
    assert next(e for e in noted.entries if e.dimension == "water").note == "No local water statistic."
    assert {e.dimension for e in p.entries} == set(DIMENSIONS)
    assert not [e for e in portrait(include_missing_dimensions=False).entries if e.id is None]


def test_entries_are_in_doughnut_order_social_first():
    p = portrait()
    order = list(DIMENSIONS)
    positions = [order.index(e.dimension) for e in p.entries]
    assert positions == sorted(positions)
    assert p.entries[0].dimension == "food" and p.entries[-1].dimension == "ozone_depletion"


def test_what_if_thresholds_change_status_without_touching_the_catalogue():
    p = portrait(thresholds={"afford": 12.0, "ghg": 8.0})
    assert entry(p, "afford").status == "within"
    assert entry(p, "afford").threshold == 12.0
    assert entry(p, "ghg").status == "within"
    stricter = portrait(thresholds={"hle": 80.0})
    assert entry(stricter, "hle").score == pytest.approx(16 / 80)
    assert CATALOGUE["afford"].threshold.value == 5.0
    assert entry(portrait(), "afford").status == "shortfall"


def test_frame_has_one_row_per_entry_and_the_drawing_columns():
    p = portrait()
    frame = p.frame()
    assert len(frame) == len(p.entries) == 5 + 16
    for column in ("id", "ring", "dimension", "status", "score", "drawn_score", "capped", "threshold_source"):
        assert column in frame.columns


def test_score_indicator_for_an_empty_frame_is_missing():
    e = score_indicator(CATALOGUE["ghg"], ROWS.iloc[0:0], AREA)
    assert e.status == "missing" and e.period is None and e.series == []


# ---- context, significance, red-red, pace and the JSON shape --------------------------------------------------------
def ci_row(indicator, area, period, value, lci, uci):
    return row(indicator, area, period, value) | {"lci_95": lci, "uci_95": uci}


SIG_CATALOGUE = {
    m.id: m
    for m in [
        meta("poverty", "income_work", "zero_deprivation", 0.0),
        meta("share", "peace_justice", "target", 20.0, role="context"),
        meta("smoking", "health", "target", 5.0, dated_targets=[]),
    ]
}
SIG_ROWS = pd.DataFrame(
    [
        ci_row("poverty", AREA, "2018", 10.0, 9.5, 10.5),
        ci_row("poverty", AREA, "2023", 14.0, 13.5, 14.5),
        ci_row("poverty", ENGLAND, "2023", 12.0, 11.99, 12.01),
        ci_row("share", AREA, "2025", 40.0, None, None),
        ci_row("smoking", AREA, "2021", 9.0, 7.0, 11.0),
        ci_row("smoking", AREA, "2023", 8.0, 6.0, 10.0),
        ci_row("smoking", ENGLAND, "2023", 11.6, 11.5, 11.7),
    ]
)


def sig_portrait():
    return compute_portrait(SIG_CATALOGUE, SIG_ROWS, area_code=AREA, area_name="Oxford", county_code=COUNTY,
                            dimension_notes={"peace_justice": "Only a relative measure is available."})  # fmt: skip


def test_context_indicators_are_shown_but_never_scored():
    e = entry(sig_portrait(), "share")
    assert (e.status, e.score, e.value, e.role) == ("context", None, 40.0, "context")
    # Its dimension has no scored indicator: a missing entry with the reason sits beside it.
    gap = next(x for x in sig_portrait().entries if x.id is None and x.dimension == "peace_justice")
    assert gap.note == "Only a relative measure is available."
    counts = sig_portrait().counts()
    assert counts["context"] == 1 and counts["shortfall"] == 2


def test_worse_than_england_and_worsening_is_red_red():
    e = entry(sig_portrait(), "poverty")
    # 14.0 (13.5-14.5) against England's 12.0: worse. 10.0 (9.5-10.5) in 2018 to 14.0: z = 4 / 0.36 = 11, worsening.
    assert (e.england_comparison, e.trend, e.red_red) == ("worse", "worsening", True)
    assert e.threshold_basis == "comparator" and e.lens == "local_social"


def test_better_than_england_inside_its_own_interval_is_not_an_improvement():
    e = entry(sig_portrait(), "smoking")
    # 8.0 (6.0-10.0) against 11.6: England is outside the interval, better. 9.0 -> 8.0 within the intervals.
    assert (e.england_comparison, e.trend, e.red_red) == ("better", "no_significant_change", False)


def test_json_shape_keeps_the_old_keys_and_adds_the_new():
    d = sig_portrait().as_dict()
    item = next(i for i in d["indicators"] if i["id"] == "poverty")
    for key in ("status", "score", "threshold", "threshold_source", "threshold_illustrative", "series", "trend"):
        assert key in item
    for key in ("threshold_basis", "england_comparison", "lens", "red_red", "pace", "role"):
        assert key in item
    assert d["counts"]["context"] == 1
    assert {x["dimension"] for x in d["dimensions_without_data"]} >= {"peace_justice", "water"}
    share = next(i for i in d["indicators"] if i["id"] == "share")
    assert (share["status"], share["score"]) == ("context", None)


def test_pace_in_the_portrait_for_a_dated_threshold():
    dated = {"ghg": meta("ghg", "climate_change", "ceiling", 2.0, unit="t", unit_short="t")}
    dated["ghg"] = dated["ghg"].model_copy(update={"threshold": dated["ghg"].threshold.model_copy(update={"by": 2030})})
    p = compute_portrait(dated, ROWS, area_code=AREA, area_name="Oxford")
    pace = entry(p, "ghg").pace
    # 6.0 in 2023 to 2.0 by 2030: (2 - 6) / 7 = -0.5714 a year; 2022 -> 2023 is too short a span for a recent pace.
    assert len(pace) == 1
    assert pace[0]["needed_per_year"] == pytest.approx(-4 / 7)
    assert (pace[0]["status"], pace[0]["recent_per_year"]) == ("no_recent_trend", None)
