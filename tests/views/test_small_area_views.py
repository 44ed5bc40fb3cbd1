"""Views of the neighbourhood, IMD 2019 -> 2025 and who-bears pages, on hand-made inputs and the fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, list_areas, resolve_area
from cwb_metrics.views import deprivation_change as change_view
from cwb_metrics.views import neighbourhoods as hoods
from cwb_metrics.views import who_bears
from tests.fixtures.version.build import AREAS
from tests.views.viewhelpers import BASE, GHG, make_entry, northdale


@pytest.fixture
def testshire(fixture_store, monkeypatch):
    monkeypatch.setenv("CWB_AREAS", str(AREAS))
    return load_area_config(path=AREAS)


def test_featured_neighbourhoods_come_first_then_the_rest_then_wards(fixture_store, testshire) -> None:
    choices = hoods.neighbourhood_choices(testshire, list_areas(fixture_store, testshire))
    assert choices.keys[:3] == ["riverside", "the-flats", "station-quarter"]
    assert choices.label("riverside") == "Riverside (neighbourhood, Northdale)"
    assert {"E05099901", "E05099912", "E05099913"} <= set(choices.keys)
    assert choices.label("E05099913") == "Market Town ward, Southdale"


def test_three_doughnuts_the_area_its_district_and_the_county(fixture_store, testshire) -> None:
    trio = hoods.trio(resolve_area("riverside", fixture_store, testshire), testshire)
    assert trio == (
        hoods.Doughnut("riverside", "Neighbourhood"),
        hoods.Doughnut("E07099901", "District"),
        hoods.Doughnut("E10099999", "County"),
    )
    assert hoods.small_subtitle("Ward", "2019") == "Ward · data for 2019"


def test_doughnuts_side_by_side_table() -> None:
    from cwb_metrics.portrait.portrait import Portrait

    one = northdale()
    entries = [make_entry(value=29900.0, status="within"), make_entry(**{**GHG, "value": 7.0}), one.entries[2]]
    other = Portrait("E07099902", "Southdale", "district", "latest", entries)
    table = hoods.doughnuts_table([one, other])
    assert table.columns == ("Dimension", "Indicator", "Northdale", "Southdale")
    assert table.rows[0] == ("Income & work", BASE["title"], "£22,500 (shortfall)", "£29,900 (within)")
    assert table.rows[1][2:] == ("4.60 t CO2e (overshoot)", "7.00 t CO2e (overshoot)")
    assert table.rows[2][1:] == ("No indicator yet", "no data", "no data")


def test_the_comparison_takes_district_county_and_england_in_the_areas_own_period(fixture_store, testshire) -> None:
    from cwb_metrics.indicators.catalogue import load_catalogue

    data = fixture_store.read_all_indicators()
    catalogue = load_catalogue()
    riverside = resolve_area("riverside", fixture_store, testshire)
    table = hoods.comparison_table(fixture_store, riverside, "latest", data, catalogue=catalogue)
    assert table.columns == ("Indicator", "Period", "Riverside", "Northdale", "Testshire", "England",
                             "Scored or context", "Census 2021")  # fmt: skip
    fuel = next(row for row in table.rows if row[0] == catalogue["fuel_poverty"].title)
    # Riverside's LSOAs of 2021 (001A, 001B) in 2023: 126 + 78 fuel-poor of 700 + 650 households = 15.1%;
    # Northdale 336 of 2,930 = 11.5%; Testshire 453 of 4,230 = 10.7%; England 13.0% (the fixture's rows).
    assert fuel[1:] == ("2023", "15.1%", "11.5%", "10.7%", "13.0%", "Scored", "")
    roles = table.column("Scored or context")
    assert "Context" in roles and roles == sorted(roles, key=lambda role: role == "Context")  # scored rows first
    share = next(row for row in table.rows if row[0] == catalogue["imd_most_deprived_20pct"].title)
    assert share[-2:] == ("Context", "")  # a relative share: context, and not from the Census


def test_one_lsoas_change_and_how_it_was_matched() -> None:
    change = pd.DataFrame(
        [
            {
                "lsoa21_code": "E01099909",
                "decile_2019": 10.0, "decile_2025": 10, "decile_change": 0.0,
                "rank_2019": 30000.0, "rank_2025": 31000, "rank_change": 1000.0,
                "percentile_2019": 91.3, "percentile_2025": 91.8, "percentile_change": 0.5,
                "match": "merged", "note": "compared with the mean rank of E01099905 and E01099906",
            }
        ]
    )  # fmt: skip
    table = change_view.lsoa_change_table(change, "E01099909")
    assert table.rows == (
        ("Decile", "10", "10", "+0"),
        ("Rank in England", "30,000", "31,000", "+1,000"),
        ("Percentile", "91", "92", "+0"),
    )
    assert change_view.lsoa_change_table(change, "nope").rows == ()
    assert change_view.lsoa_change_note(change, "E01099909").startswith("Merged: compared with the mean rank")


def test_boundary_sentences_and_ward_links() -> None:
    summary = {"unchanged": 4, "split": 1, "merged": 1, "complex": 0, "unmatched": 0, "lsoa11_split": 1,
               "lsoa11_merged": 2}  # fmt: skip
    lines = change_view.boundary_sentences(summary)
    assert lines[0] == "Of the county's 6 LSOAs (2021), 4 kept their 2011 code and are compared directly."
    assert lines[1].startswith("1 LSOAs of 2011 were split into 1 LSOAs of 2021")
    assert lines[2].startswith("2 LSOAs of 2011 were merged into 1 of 2021")
    assert len(lines) == 3
    wards = pd.DataFrame(
        [
            {"ward_code": "E05099913", "ward_name": "Market Town", "district_name": "Southdale", "lsoas_2019": 2,
             "lsoas_2025": 1, "mean_decile_2019": 5.5, "mean_decile_2025": 10.0, "mean_decile_change": 4.5,
             "most_deprived_20pct_2019": 1, "most_deprived_20pct_2025": 0, "approximate": False}
        ]
    )  # fmt: skip
    row = change_view.moved_wards(wards, "income").rows[0]
    assert row.map == "/deprivation_map?edition=change&domain=income&area=E05099913"
    assert row.mean_decile_change == 4.5


def test_who_bears_pairs_editions_with_data_years() -> None:
    data = who_bears.DecileData.parse("2025-2023")
    assert (data.edition, data.year, data.key) == (2025, 2023, "2025-2023")
    assert data.label == "IMD 2025 deciles, fuel poverty 2023 (2021 LSOAs)"
    choices = who_bears.decile_choices([(2025, 2023), (2019, 2020)])
    assert choices.keys == ["2025-2023", "2019-2020"]
    assert choices.label("2019-2020") == "IMD 2019 deciles, fuel poverty 2020 (2011 LSOAs)"
    assert who_bears.table_file_name(data, "income") == "fuel-poverty-2023-by-imd2025-income-decile.csv"


def test_who_bears_charts_are_described(fixture_store) -> None:
    from cwb_metrics.deprivation.distribution import shortfall_by_decile

    table = shortfall_by_decile(fixture_store, "fuel_poverty", 2025, year=2023)
    charts = who_bears.decile_charts(table)
    assert charts.shares.to_dict() and charts.rates.to_dict()
    assert charts.shares_text and charts.rates_text


def _single_tier(testshire, method: str = "best_fit_via_lsoa2011", vintage: str = "May 2019"):
    """Testshire recast as a unitary council (its own only district), wards as init-area would write them."""
    from cwb_metrics.models.area import AreaConfig

    record = testshire.model_dump()
    record.update(
        county_code="E06099901", county_name="Unitown", geography_kind="unitary", neighbourhoods=[],
        featured_neighbourhoods=[], districts=[{"code": "E06099901", "name": "Unitown"}], action_plan=None,
    )  # fmt: skip
    wards = [{"code": "E05099901", "name": "Riverside", "district": "E06099901", "lsoas": ["E01099901"]}]
    record["geography"] = {
        "lsoa11": {"lsoa_vintage": 2011, "ward_vintage": "May 2019", "method": "official_lookup", "source": "x",
                   "wards": wards},
        "lsoa21": {"lsoa_vintage": 2021, "ward_vintage": vintage, "method": method, "source": "x", "wards": wards},
    }  # fmt: skip
    return AreaConfig.model_validate(record)


def test_a_single_tier_council_is_not_its_own_district_twice(testshire) -> None:
    unitown = _single_tier(testshire)
    ward = ResolvedArea(code="E05099901", name="Riverside", kind="ward", district_code="E06099901")
    assert hoods.trio(ward, unitown) == (
        hoods.Doughnut("E05099901", "Ward"), hoods.Doughnut("E06099901", "Unitary authority"),
    )  # fmt: skip
    assert hoods.Doughnut("E06099901", "Unitary authority").key == "unitary_authority"
    assert hoods.comparison_heading("Riverside", unitown) == "Riverside beside Unitown and England"
    assert hoods.comparison_heading("Riverside", testshire) == "Riverside beside its district, the county and England"
    assert hoods.lede(unitown) == "A ward set beside Unitown, on the indicators that are published for small areas."
    assert hoods.lede(testshire) == (
        "A ward or named neighbourhood (Riverside, The Flats) set beside its district and Testshire, on the "
        "indicators that are published for small areas."
    )


def test_ward_wording_follows_the_configurations_ward_method(testshire) -> None:
    from cwb_metrics.views.common import current_wards, wards_note

    unitown = _single_tier(testshire)
    assert current_wards(unitown) == "May 2019"
    assert wards_note(unitown) == (
        "IMD 2019 uses 2011 LSOAs and May 2019 wards; IMD 2025 uses 2021 LSOAs and May 2019 wards (each LSOA "
        "2021 in the ward of its best-fit LSOA 2011, as no current-ward lookup or ward boundaries were available). "
        "Ward outlines are May 2019 wards (their LSOAs 2021, dissolved)."
    )
    official = _single_tier(testshire, "official_lookup", "May 2025")
    assert wards_note(official).endswith(
        "IMD 2025 uses 2021 LSOAs and May 2025 wards. Ward outlines are May 2025 wards."
    )
    assert current_wards(testshire) == "May 2025"  # no geography section: the lookups' current wards
