"""The explorer's view: its table and filters, the trend's areas and comparators, the indicator card."""

from __future__ import annotations

import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.views import explorer as view
from tests.views.viewhelpers import northdale


def test_the_table_has_every_indicator_but_no_empty_dimension() -> None:
    table = view.explorer_table(northdale())
    assert [r.id for r in table.rows] == ["gdhi_per_head", "ghg_emissions_per_capita"]
    first = table.frame().iloc[0].to_dict()
    assert first == {
        "id": "gdhi_per_head",
        "Indicator": "Gross disposable household income per head",
        "Ring": "Social foundation",
        "Dimension": "Income & work",
        "CWB theme": "Fair employment",
        "Unit": "£ per person per year",
        "Latest": "£22,500",
        "Period": "2023",
        "Threshold": "£25,425",
        "Threshold basis": "",
        "Status": "Shortfall",
        "Role": "Scored",
        "Lens": "",
        "England": "£25,425",
        "Compared with England": "Not compared",
        "Trend": "Improving",
        "Red-red": False,
    }


def test_filters_keep_rows_matching_every_chosen_value() -> None:
    table = view.explorer_table(northdale())
    assert len(view.filtered(table, view.ExplorerFilter())) == 2
    assert [r.id for r in view.filtered(table, view.ExplorerFilter(rings=("Ecological ceiling",))).rows] == [
        "ghg_emissions_per_capita"
    ]
    both = view.ExplorerFilter(rings=("Social foundation",), statuses=("Overshoot",))
    assert len(view.filtered(table, both)) == 0
    options = view.filter_options(table)
    assert options.rings == ("Ecological ceiling", "Social foundation")
    assert options.dimensions == ("Income & work", "Climate change")
    assert options.themes == ("Fair employment",)
    assert options.statuses == ("Shortfall", "Overshoot", "Within", "No data")
    assert options.comparisons == (
        "Significantly higher (better)",
        "Significantly lower (better)",
        "Similar",
        "Significantly higher (worse)",
        "Significantly lower (worse)",
        "Not compared",
    )
    assert options.trends == ("Improving", "Worsening", "No significant change", "Not compared")
    assert options.roles == ("Scored", "Context: not scored")
    assert options.lenses == ("Local social", "Local ecological", "Global social", "Global ecological")


def test_the_explorer_opens_on_the_first_indicator_with_a_figure() -> None:
    from tests.views.viewhelpers import make_entry

    table = view.explorer_table(northdale(make_entry(id="a", value=None), make_entry(id="b"), make_entry(id="c")))
    assert view.first_with_data(table, ["a", "b", "c"]) == "b"
    assert view.first_with_data(view.explorer_table(northdale(make_entry(id="a", value=None))), ["a", "z"]) == "a"


def test_period_years_are_the_start_years_newest_first() -> None:
    rows = pd.DataFrame({"period": ["2021-04-01/P1Y", "2023", "2019-01-01/P3Y", "not a period", None]})
    assert view.period_years(rows) == ["2023", "2021", "2019"]


def test_trend_areas_come_country_county_district_then_smaller() -> None:
    rows = pd.DataFrame(
        {
            "areacd": ["E07099902", "E92000001", "E10099999", "E07099901", "E92000001"],
            "areanm": ["Southdale", "England", "Testshire", "Northdale", "England"],
            "geography": ["district", "country", "county", "district", "country"],
        }
    )
    choices = view.trend_area_choices(rows)
    assert choices.keys == ["E92000001", "E10099999", "E07099901", "E07099902"]
    config = load_area_config("oxfordshire")
    assert view.default_compare("E07099901", config, choices) == ["E07099901", "E92000001"]


def test_england_and_the_county_are_dashed_unless_the_page_is_about_them() -> None:
    config = load_area_config("oxfordshire")
    meta = load_catalogue()["gdhi_per_head"]
    setup = view.trend_setup(meta, config, ("E07000178", "E10000025", "E92000001"), "E07000178")
    assert setup.drawn == ("E07000178",) and setup.comparators == ("E92000001", "E10000025")
    own = view.trend_setup(meta, config, ("E10000025", "E92000001"), "E10000025")
    assert own.drawn == ("E10000025",) and own.comparators == ("E92000001",)
    assert meta.threshold.basis == "comparator"  # England's average: said so, not "illustrative"
    assert setup.threshold_label == f"Foundation £{meta.threshold.value:,.0f} (comparator)"


def test_the_trend_and_its_table_come_from_the_rows(fixture_store) -> None:
    config = load_area_config("oxfordshire")
    rows = fixture_store.read_indicator("gdhi_per_head")
    setup = view.trend_setup(load_catalogue()["gdhi_per_head"], config, ("E07099901", "E92000001"), "E07099901")
    table = view.trend_table(view.trend_points(rows, setup))
    assert [(r.area, r.period, r.value) for r in table.rows] == [
        ("Northdale", "2021", "£21,000"),
        ("Northdale", "2022", "£21,900"),
        ("Northdale", "2023", "£22,500"),
        ("England", "2021", "£23,500"),
        ("England", "2022", "£24,600"),
        ("England", "2023", "£25,425"),
    ]
    spec = view.trend_spec(rows, setup)
    resolve = spec["resolve"]
    assert isinstance(resolve, dict) and resolve["legend"] == {"fill": "independent", "stroke": "independent"}
    csv = view.indicator_csv(rows, ["E07099901"]).decode()
    assert csv.count("\n") == 4 and "Southdale" not in csv


def test_the_card_names_definition_source_and_licence() -> None:
    meta = load_catalogue()["gdhi_per_head"]
    card = view.indicator_card(meta, "shortfall", "v0001")
    assert card.definition == f"**Definition.** {meta.definition}"
    assert card.unit == f"**Unit.** {meta.unit}. Higher is better."
    assert card.placement == "Income & work · Social foundation · Local social lens · Economic development"
    assert f"Licence: [{meta.origin.licence}]" in card.source
    assert card.citation.endswith("Data version v0001.")
