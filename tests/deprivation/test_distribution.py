"""Who bears the shortfall: fuel poverty across the county's IMD deciles."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.deprivation.distribution import available_years, distribution_sentences, shortfall_by_decile
from cwb_metrics.errors import CwbError
from tests.deprivation.smallhelpers import make_small_store, raw_fuel_poverty_lsoa, raw_imd2025, raw_ward25


@pytest.fixture(scope="module")
def small_store(testshire_store, tmp_path_factory):
    return make_small_store(testshire_store, tmp_path_factory.mktemp("distribution"))


def test_shortfall_by_decile_on_the_fixtures(small_store) -> None:
    table = shortfall_by_decile(small_store, edition=2025).set_index("decile")
    # 2025 fixture deciles: 901 -> 1, 902 -> 3, 903 -> 2, 907 -> 4, 904 -> 7, 909 -> 10.
    # Made-up 2023 fuel poverty: 10/100, 90/300, 50/500, 20/400, 40/400, 50/1000 (260 of 2,700 households).
    assert table.index.tolist() == [1, 2, 3, 4, 7, 10]
    assert table.at[3, "rate"] == pytest.approx(30.0)
    assert table.at[3, "share_of_count"] == pytest.approx(100 * 90 / 260)
    assert table.at[3, "share_of_base"] == pytest.approx(100 * 300 / 2700)
    assert table.at[1, "county_rate"] == pytest.approx(100 * 260 / 2700)
    assert table.at[3, "rate_ratio"] == pytest.approx(30.0 / (100 * 260 / 2700))
    assert table["share_of_count"].sum() == pytest.approx(100)


def test_each_edition_pairs_with_its_own_lsoas(small_store) -> None:
    assert available_years(small_store, edition=2019) == [2020]
    assert available_years(small_store, edition=2025) == [2023]
    table = shortfall_by_decile(small_store, edition=2019)
    assert table.attrs["year"] == 2020 and table["lsoas"].sum() == 6
    with pytest.raises(CwbError, match="2023"):
        shortfall_by_decile(small_store, edition=2019, year=2023)
    with pytest.raises(CwbError):
        shortfall_by_decile(small_store, indicator="housing_affordability")


def test_a_domain_can_group_the_lsoas(small_store) -> None:
    table = shortfall_by_decile(small_store, edition=2025, domain="barriers")
    # Barriers deciles in the 2025 fixture: 5, 7, 2, 1, 1, 9.
    assert table["decile"].tolist() == [1, 2, 5, 7, 9]
    assert table.set_index("decile").at[1, "count"] == 20 + 40


def test_sentences_give_the_shares_and_rates() -> None:
    table = pd.DataFrame(
        {
            "decile": [1, 2, 9, 10],
            "lsoas": [1, 1, 1, 1],
            "base": [100.0, 100.0, 400.0, 400.0],
            "count": [30.0, 10.0, 20.0, 20.0],
        }
    )
    table.attrs.update(
        indicator="fuel_poverty",
        edition=2025,
        year=2023,
        domain="imd",
        county_rate=8.0,
        count_label="households in fuel poverty",
        base_label="households",
    )
    sentences = distribution_sentences(table, area_name="Testshire")
    assert sentences[0] == (
        "Households in Testshire's most deprived LSOAs (IMD 2025 deciles 1-2) are 20.0% of households but "
        "50.0% of the households in fuel poverty (2023)."
    )
    assert "20.0% of households are in fuel poverty, against 8.0%" in sentences[1]
    assert "(deciles 9-10), 5.0% of households are in fuel poverty" in sentences[2]


def test_sentences_when_the_county_has_no_lsoas_in_the_lowest_deciles() -> None:
    table = pd.DataFrame({"decile": [5], "lsoas": [3], "base": [10.0], "count": [1.0]})
    table.attrs.update(edition=2019, year=2020, county_rate=10.0)
    assert distribution_sentences(table)[0].startswith("None of the county's LSOAs is in IMD 2019 deciles 1-2")


@pytest.mark.integration
def test_oxfordshire_fuel_poverty_by_imd_2025_decile_from_the_raw_files(built_store, mirror: Path) -> None:
    table = shortfall_by_decile(built_store, "fuel_poverty", 2025)
    assert table.attrs["year"] == 2023
    county = raw_ward25(mirror)["LSOA21CD"]
    raw = raw_fuel_poverty_lsoa(
        mirror / "indicators_raw/desnz_fuel_poverty/Sub-regional_fuel_poverty_statistics_2023.xlsx"
    )
    raw = raw[raw["code"].isin(county)]
    deciles = raw_imd2025(mirror).set_index("lsoa21_code")["IMD_decile"]
    raw = raw.assign(decile=raw["code"].map(deciles))
    low = raw[raw["decile"] <= 2]
    assert table["lsoas"].sum() == len(raw) == 428
    assert table["count"].sum() == raw["fuel_poor"].sum()
    got = table[table["decile"] <= 2]
    assert got["base"].sum() == low["households"].sum()
    assert 100 * got["count"].sum() / table["count"].sum() == pytest.approx(
        100 * low["fuel_poor"].sum() / raw["fuel_poor"].sum()
    )
    sentence = distribution_sentences(table, area_name="Oxfordshire")[0]
    assert f"{100 * low['households'].sum() / raw['households'].sum():.1f}% of households" in sentence
