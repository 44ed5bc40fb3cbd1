"""Election adapters: Electoral Commission ward data and Commons Library results (fixtures, errors, mirror)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.elections import GE_COLUMNS, LOCAL_WARD_COLUMNS, read_ec_local_wards, read_hoc_ge_results

EC_FILE = "indicators_raw/electoral_commission_local_2022/2022 England Electoral data_0.xlsx"
GE_FILE = "indicators_raw/hoc_ge2024_results/HoC-GE2024-results-by-constituency.csv"


def test_ward_data_turnout_is_ballots_over_electorate(fixtures_dir: Path) -> None:
    wards = read_ec_local_wards(fixtures_dir / "elections" / "ec_ward_data.csv")
    assert list(wards.columns) == list(LOCAL_WARD_COLUMNS)
    row = wards.set_index("ward").loc["Riverside"]
    assert (row["council"], row["electorate"], row["ballots"]) == ("Northdale District Council", 3000, 900)
    assert row["turnout"] == pytest.approx(30.0)


def test_ward_data_errors_name_row_and_column(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / "elections" / "ec_ward_data.csv").read_text()
    bad = tmp_path / "wards.csv"
    bad.write_text(text.replace("3000,900", "800,900").replace(",2000,700,", ",two thousand,700,"))
    with pytest.raises(DataValidationError) as error:
        read_ec_local_wards(bad)
    messages = [str(p) for p in error.value.problems]
    assert any("row 2" in m and "more ballots than electors" in m for m in messages)
    assert any("row 4" in m and "'Electorate'" in m and "not a number" in m for m in messages)
    missing = tmp_path / "missing.csv"
    missing.write_text(text.replace("Ballot papers at the count", "Ballots"))
    with pytest.raises(DataValidationError, match="missing column 'Ballot papers at the count'"):
        read_ec_local_wards(missing)
    twice = tmp_path / "twice.csv"
    twice.write_text(text + text.splitlines()[1] + "\n")
    with pytest.raises(DataValidationError, match="listed twice"):
        read_ec_local_wards(twice)


def test_general_election_thousands_and_votes(fixtures_dir: Path) -> None:
    results = read_hoc_ge_results(fixtures_dir / "elections" / "hoc_ge_results.csv")
    assert list(results.columns) == list(GE_COLUMNS)
    row = results.set_index("pcon_code").loc["E14099902"]
    assert (row["electorate"], row["votes"]) == (80_000, 48_200)
    assert row["turnout"] == pytest.approx(60.25)


def test_general_election_bad_code(fixtures_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "ge.csv"
    bad.write_text((fixtures_dir / "elections" / "hoc_ge_results.csv").read_text().replace("W07099901", "W0799"))
    with pytest.raises(DataValidationError, match=r"row 4.*not a Westminster constituency code"):
        read_hoc_ge_results(bad)


# ----- the mirror ----------------------------------------------------------------------------------
def test_ward_sums_equal_the_commissions_council_totals(mirror: Path) -> None:
    wards = read_ec_local_wards(mirror / EC_FILE)
    assert len(wards) == 2850
    councils = pd.read_excel(mirror / EC_FILE, sheet_name="All local authorities", header=1, engine="calamine")
    councils = councils.rename(columns={councils.columns[0]: "council"}).set_index("council")
    for council in ("Cherwell District Council", "Oxford City Council", "West Oxfordshire District Council"):
        own = wards[wards["council"] == council]
        assert own["electorate"].sum() == councils.loc[council, "Electorate"]
        assert own["ballots"].sum() == councils.loc[council, "Ballot papers at the count"]


def test_general_election_england_and_banbury(mirror: Path) -> None:
    results = read_hoc_ge_results(mirror / GE_FILE)
    raw = pd.read_csv(mirror / GE_FILE, thousands=",")
    assert len(results) == len(raw) == 650
    england = raw[raw["Country name"] == "England"]
    ours = results[results["country"] == "England"]
    expected = 100 * (england["Valid votes"] + england["Invalid votes"]).sum() / england["Electorate"].sum()
    assert 100 * ours["votes"].sum() / ours["electorate"].sum() == pytest.approx(expected)
    assert round(results.set_index("pcon_name").loc["Banbury", "turnout"], 1) == 66.0
