"""Neighbourhood portraits: indicator rows rebuilt from LSOAs, the CLI, and side by side.

Unit tests use the Testshire fixtures and made-up fuel poverty (tests/deprivation/smallhelpers.py);
integration tests compute their expectations from the mirror's raw files with plain pandas.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.portrait.side_by_side import side_by_side
from cwb_metrics.portrait.small_area import METHOD_NOTE, small_area_indicator_rows
from tests.deprivation.smallhelpers import (
    make_small_store,
    raw_fuel_poverty_lsoa,
    raw_imd2019,
    raw_imd2025,
    raw_ward19,
    raw_ward25,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def small_store(testshire_store, tmp_path_factory):
    return make_small_store(testshire_store, tmp_path_factory.mktemp("small_area"))


def _value(rows: pd.DataFrame, indicator: str, period: str) -> float:
    chosen = rows[(rows["indicator"] == indicator) & (rows["period"] == period)]
    assert len(chosen) == 1, f"{indicator} {period}: {len(chosen)} rows"
    return float(chosen["value"].iloc[0])


# ----- Testshire (hand-written fixtures) ---------------------------------------------------------
def test_imd_shares_of_a_ward_in_each_edition(small_store, testshire) -> None:
    area = resolve_area("Riverside", small_store, testshire)
    rows = small_area_indicator_rows(small_store, area, load_catalogue())
    assert list(rows.columns) == list(CANONICAL_COLUMNS)
    assert set(rows["areacd"]) == {"riverside"} and set(rows["geography"]) == {"neighbourhood"}
    # Fixture File 2: Riverside's 2011 LSOAs are in IMD deciles 1 and 2; 2025 extract: deciles 1 and 3.
    assert _value(rows, "imd_most_deprived_20pct", "2019") == 100.0
    assert _value(rows, "imd_most_deprived_20pct", "2025") == 50.0
    assert (
        "1 of 2 LSOAs (2021)"
        in rows.loc[(rows["indicator"] == "imd_most_deprived_20pct") & (rows["period"] == "2025"), "notes"].iloc[0]
    )


def test_fuel_poverty_is_households_weighted_not_a_mean_of_rates(small_store, testshire) -> None:
    rows = small_area_indicator_rows(small_store, resolve_area("Riverside", small_store, testshire), load_catalogue())
    # 2023: 10 of 100 and 90 of 300 households -> 100 of 400 = 25% (the mean of 10% and 30% would be 20%).
    assert _value(rows, "fuel_poverty", "2023") == pytest.approx(25.0)
    # 2020 on LSOA 2011: 20 of 200 and 60 of 200 -> 20%.
    assert _value(rows, "fuel_poverty", "2020") == pytest.approx(20.0)


def test_each_fuel_poverty_year_uses_its_own_lsoa_vintage(small_store, testshire) -> None:
    area = resolve_area("Station Quarter", small_store, testshire)  # E01099906 (2011) and E01099909 (2021)
    rows = small_area_indicator_rows(small_store, area, load_catalogue())
    assert _value(rows, "fuel_poverty", "2020") == pytest.approx(100 * 90 / 600)
    assert _value(rows, "fuel_poverty", "2023") == pytest.approx(100 * 50 / 1000)


def test_districts_are_refused(small_store, testshire) -> None:
    with pytest.raises(CwbError, match="district"):
        small_area_indicator_rows(small_store, resolve_area("Northdale", small_store, testshire))


def test_method_note_states_the_limits() -> None:
    for phrase in ("only indicators published by LSOA", "25 points", "approximate", "relative"):
        assert phrase in METHOD_NOTE


# ----- the real data (integration) -------------------------------------------------------------
@pytest.mark.integration
def test_blackbird_leys_imd_share_from_the_raw_files(built_store, mirror: Path) -> None:
    rows = small_area_indicator_rows(built_store, resolve_area("Blackbird Leys", built_store))
    ward19 = raw_ward19(mirror)
    lsoa11 = ward19.loc[(ward19["WD19NM"] == "Blackbird Leys") & (ward19["LAD19CD"] == "E07000178"), "LSOA11CD"]
    imd19 = raw_imd2019(mirror)
    deciles19 = imd19.loc[imd19["code"].isin(lsoa11), "imd_decile"]
    assert len(deciles19) == 4
    expected19 = 100 * (deciles19 <= 2).sum() / len(deciles19)
    assert expected19 == 75.0  # the CLES report: three of Blackbird Leys' four LSOAs
    assert _value(rows, "imd_most_deprived_20pct", "2019") == expected19

    ward25 = raw_ward25(mirror)
    lsoa21 = ward25.loc[(ward25["WD25NM"] == "Blackbird Leys") & (ward25["LAD25CD"] == "E07000178"), "LSOA21CD"]
    imd25 = raw_imd2025(mirror)
    deciles25 = imd25.loc[imd25["lsoa21_code"].isin(lsoa21), "IMD_decile"]
    assert _value(rows, "imd_most_deprived_20pct", "2025") == pytest.approx(100 * (deciles25 <= 2).mean())
    education = imd19.loc[imd19["code"].isin(lsoa11), "education_decile"]
    assert _value(rows, "imd_education_most_deprived_20pct", "2019") == pytest.approx(100 * (education <= 2).mean())


@pytest.mark.integration
def test_banbury_fuel_poverty_2023_from_the_raw_workbook(built_store, mirror: Path) -> None:
    rows = small_area_indicator_rows(built_store, resolve_area("Banbury", built_store))
    ward25 = raw_ward25(mirror)
    lsoa21 = ward25.loc[ward25["WD25NM"].str.startswith("Banbury ") & (ward25["LAD25CD"] == "E07000177"), "LSOA21CD"]
    raw = raw_fuel_poverty_lsoa(
        mirror / "indicators_raw/desnz_fuel_poverty/Sub-regional_fuel_poverty_statistics_2023.xlsx"
    )
    chosen = raw[raw["code"].isin(lsoa21)]
    assert len(chosen) == len(set(lsoa21)) > 20
    assert _value(rows, "fuel_poverty", "2023") == pytest.approx(
        100 * chosen["fuel_poor"].sum() / chosen["households"].sum()
    )
    assert set(rows.loc[rows["indicator"] == "fuel_poverty", "period"]) == {"2020", "2021", "2023"}


@pytest.mark.integration
def test_portrait_cli_json_for_a_neighbourhood_has_the_district_shape(built_store) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CWB_DATA_DIR", "CWB_MIRROR")}

    def run(area: str) -> dict:
        command = [
            sys.executable,
            "-m",
            "cwb_metrics",
            "portrait",
            "--data-dir",
            str(built_store.root),
            "--area",
            area,
            "--json",
        ]
        result = subprocess.run(command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    leys, oxford = run("Blackbird Leys"), run("Oxford")
    assert leys["area"] == {"code": "blackbird-leys", "name": "Blackbird Leys", "kind": "neighbourhood"}
    assert list(leys) == list(oxford)
    assert [i["id"] for i in leys["indicators"]] == [i["id"] for i in oxford["indicators"]]
    assert all(list(a) == list(b) for a, b in zip(leys["indicators"], oxford["indicators"], strict=True))
    by_id = {i["id"]: i for i in leys["indicators"]}
    imd = by_id["imd_most_deprived_20pct"]
    # A relative share is context (issue 10): shown, never a shortfall.
    assert imd["period"] == "2025" and (imd["status"], imd["score"]) == ("context", None)
    assert imd["series"][0]["value"] == 75.0  # 2019 first: 3 of 4 LSOAs
    assert by_id["fuel_poverty"]["period"] == "2023" and by_id["fuel_poverty"]["value"] is not None
    # Indicators not published by LSOA are missing for the neighbourhood, never the district's value.
    assert by_id["housing_affordability"]["status"] == "missing"
    assert by_id["housing_affordability"]["value"] is None


@pytest.mark.integration
def test_side_by_side_sets_the_district_and_county_beside_the_neighbourhood(built_store) -> None:
    result = side_by_side(built_store, "The Leys")
    assert result["area"].area_code == "the-leys"
    assert result["district"].area_code == "E07000178"
    assert result["county"].area_code == "E10000025"
    assert result["method_note"] == METHOD_NOTE
    table = result["comparison"].set_index("id")
    assert "fuel_poverty" in table.index and "housing_affordability" not in table.index
    data = built_store.read_indicator("fuel_poverty")
    period = table.at["fuel_poverty", "period"]
    oxford = data[(data["areacd"] == "E07000178") & (data["period"].astype(str) == period)]["value"].iloc[0]
    assert table.at["fuel_poverty", "district"] == pytest.approx(oxford)
    assert not math.isnan(table.at["imd_most_deprived_20pct", "county"])
