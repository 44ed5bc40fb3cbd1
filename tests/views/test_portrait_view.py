"""The portrait page's view: score table, sentences, area choices and the what-if slider's maths."""

from __future__ import annotations

import math

import pytest

from cwb_metrics.views import portrait as view
from cwb_metrics.views.query import Ignored
from tests.views.viewhelpers import GHG, MISSING, make_entry, northdale


def test_the_score_table_has_one_row_per_wedge_with_units() -> None:
    first = make_entry(lens="local_social", threshold_basis="comparator")
    table = view.portrait_table(northdale(first, make_entry(**GHG), make_entry(**MISSING)))
    frame = table.frame()
    assert list(frame.columns) == [
        "Ring", "Dimension", "Indicator", "Period", "Value", "Threshold", "Status", "Score", "England", "Trend",
        "Lens", "Threshold basis", "id",
    ]  # fmt: skip
    assert frame.to_dict("records")[0] == {
        "Ring": "Social foundation",
        "Dimension": "Income & work",
        "Indicator": "Gross disposable household income per head",
        "Period": "2023",
        "Value": "£22,500",
        "Threshold": "£25,425",
        "Status": "Shortfall",
        "Score": 0.115,
        "England": "£25,425",
        "Trend": "Improving",
        "Lens": "Local social",
        "Threshold basis": "Comparator (not a target)",
        "id": "gdhi_per_head",
    }
    assert frame["Value"].tolist() == ["£22,500", "4.60 t CO2e", "no data"]
    assert frame["Indicator"].tolist()[2] == "No indicator yet"
    assert frame["Status"].tolist() == ["Shortfall", "Overshoot", "No data"]


def test_status_counts_leave_out_dimensions_without_an_indicator() -> None:
    assert view.status_counts(northdale()) == (("shortfall", 1), ("overshoot", 1))
    portrait = northdale(make_entry(), make_entry(id="x", status="context", score=None))
    assert view.status_counts(portrait) == (("shortfall", 1), ("context", 1))


def test_the_sentence_of_a_wedge_within_its_foundation() -> None:
    within = make_entry(value=26000.0, status="within", score=0.0)
    text = view.indicator_sentence(northdale(within), "gdhi_per_head")
    assert text == (
        "Northdale meets the foundation on gross disposable household income per head: £26,000 (2023), "
        "against £25,425. England: £25,425."
    )
    missing = make_entry(value=None, status="missing", note="")
    assert view.indicator_sentence(northdale(missing), "gdhi_per_head") == "There is no data for Northdale."
    with pytest.raises(KeyError):
        view.indicator_sentence(northdale(), "nope")


def test_a_clicked_wedge_is_read_from_the_chart_event() -> None:
    event = {"selection": {"wedge": [{"id": "ghg_emissions_per_capita", "x": 1}]}}
    assert view.selected_indicator(event, "wedge", {"ghg_emissions_per_capita"}) == "ghg_emissions_per_capita"
    assert view.selected_indicator(event, "wedge", {"other"}) is None
    assert view.selected_indicator({"selection": {"wedge": []}}, "wedge", {"x"}) is None
    assert view.selected_indicator(None, "wedge", {"x"}) is None
    assert view.selected_indicator({"selection": "garbage"}, "wedge", {"x"}) is None


def test_the_what_if_slider_spans_half_to_one_and_a_half_times_the_threshold() -> None:
    # threshold 25,425, value 22,500, whole pounds: 12,712.5 .. 38,137.5 is 25,425 steps of £1, too fine;
    # 25,425 / 300 = 84.75, so a step of 100; the ends rounded out to the step.
    slider = view.what_if_range(northdale(), "gdhi_per_head")
    assert (slider.min, slider.max, slider.step, slider.value) == (12700, 38200, 100, 25425)
    assert slider.format == "%.0f" and slider.unit == "£"
    assert slider.threshold_text == "£25,425" and slider.value_text == "£22,500"
    assert slider.illustrative is True


def test_a_zero_deprivation_slider_starts_at_zero() -> None:
    fuel = make_entry(
        id="fuel_poverty", unit_short="%", decimals=1, value=10.7, threshold=0.0, threshold_kind="zero_deprivation"
    )
    slider = view.what_if_range(northdale(fuel), "fuel_poverty")
    assert slider.min == 0 and slider.max == pytest.approx(21.4) and slider.step == pytest.approx(0.1)
    assert slider.format == "%.1f"


def test_slider_values_are_snapped_to_the_grid_the_caches_are_keyed_on() -> None:
    slider = view.what_if_range(northdale(), "gdhi_per_head")
    assert slider.snap(20049.9) == 20000 and slider.snap(20050.1) == 20100
    assert slider.snap(1e12) == 38200 and slider.snap(-5) == 12700
    assert slider.snap(math.nan) == 25425
    keys = {slider.request(12700 + i * 0.731).value for i in range(5000)}
    assert len(keys) <= (slider.max - slider.min) / slider.step + 1
    assert slider.request(20040).value == 20000
    assert not slider.active(25425 + 40) and slider.active(25425 + 60)
    assert slider.contains(20000) and not slider.contains(40000) and not slider.contains(math.inf)


def test_a_what_if_link_is_checked_for_indicator_number_and_range() -> None:
    portrait = northdale()
    options = view.what_if_options(portrait)
    assert options.keys == ["gdhi_per_head", "ghg_emissions_per_capita"]
    assert options.label("gdhi_per_head") == "Disposable income (Income & work)"

    def range_of(indicator: str) -> view.WhatIfRange:
        return view.what_if_range(portrait, indicator)

    assert view.what_if_seed("gdhi_per_head:20000", options, range_of) == view.WhatIf("gdhi_per_head", 20000)
    for text, reason in (
        ("gdhi_per_head:nan", "not a finite number"),
        ("gdhi_per_head:inf", "not a finite number"),
        ("gdhi_per_head:1e999", "not a finite number"),
        ("gdhi_per_head:lots", "not a number"),
        ("gdhi_per_head", "expected an indicator and a threshold"),
        ("nope:3", "not an indicator with a threshold"),
        ("gdhi_per_head:99999", "outside the range"),
        ("gdhi_per_head:-1", "outside the range"),
    ):
        seed = view.what_if_seed(text, options, range_of)
        assert isinstance(seed, Ignored) and reason in seed.reason, text
        assert seed.param == "whatif" and seed.value == text
    assert "£12,700 to £38,200" in view.what_if_seed("gdhi_per_head:1", options, range_of).reason  # type: ignore[union-attr]


def test_the_what_if_panel_opens_on_the_selected_wedge_else_an_indicator_with_data() -> None:
    portrait = northdale(make_entry(value=None), make_entry(**GHG), make_entry(**MISSING))
    options = view.what_if_options(portrait)
    assert view.default_what_if(portrait, options, "gdhi_per_head") == "gdhi_per_head"
    assert view.default_what_if(portrait, options, None) == "ghg_emissions_per_capita"
    assert view.default_what_if(portrait, options, "nope") == "ghg_emissions_per_capita"


def test_what_if_changes_say_what_moves() -> None:
    from cwb_metrics.portrait.what_if import ThresholdChange

    change = ThresholdChange("gdhi_per_head", "shortfall", "within", 0.115, 0.0)
    row = view.what_if_changes(northdale(), [change], 20000).rows[0]
    assert (row.threshold_now, row.what_if_threshold) == ("£25,425", "£20,000")
    assert (row.status_now, row.what_if_status, row.status_changes) == ("Shortfall", "Within", True)


def test_only_indicators_built_from_the_imd_link_to_the_map() -> None:
    from cwb_metrics.indicators.catalogue import load_catalogue

    catalogue = load_catalogue()
    link = view.map_link(catalogue["imd_income_most_deprived_20pct"], "E07000178")
    assert link is not None
    assert link.query_params() == {"edition": "2025", "domain": "income", "area": "E07000178"}
    assert view.map_link(catalogue["gdhi_per_head"], "E07000178") is None
    assert view.map_link(None, "E07000178") is None


def test_area_choices_offer_neighbourhoods_with_small_area_data(fixture_store, monkeypatch) -> None:
    from cwb_metrics.areas.config import load_area_config
    from cwb_metrics.areas.resolve import resolve_area
    from tests.fixtures.version.build import AREAS

    monkeypatch.setenv("CWB_AREAS", str(AREAS))
    config = load_area_config(path=AREAS)
    choices = view.area_choices(fixture_store, config, lambda code: resolve_area(code, fixture_store, config))
    assert choices.items == (
        ("E10099999", "Testshire (county)"),
        ("E07099901", "Northdale"),
        ("E07099902", "Southdale"),
        ("riverside", "Riverside (neighbourhood)"),
        ("the-flats", "The Flats (neighbourhood)"),
        ("station-quarter", "Station Quarter (neighbourhood)"),
    )
