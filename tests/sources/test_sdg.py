"""ONS UK SDG platform CSVs (open-sdg format): hand-written fixtures, then the mirror."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.sdg import read_sdg_csv, sdg_period


@pytest.mark.parametrize(
    ("year", "iso"), [("2021", "2021"), ("2013/16", "2013-01-01/P4Y"), ("2019/20", "2019-01-01/P2Y")]
)
def test_years_and_spans_become_iso_periods(year: str, iso: str) -> None:
    assert sdg_period(year) == iso


@pytest.mark.parametrize("year", ["2013-16", "21", "2013/13", ""])
def test_other_years_are_refused(year: str) -> None:
    with pytest.raises(ValueError):
        sdg_period(year)


def test_reads_every_column_with_blanks_as_empty_text(fixtures_dir: Path) -> None:
    table = read_sdg_csv(fixtures_dir / "sdg" / "indicator_3-9-1_small.csv")
    expected = {"series", "local authority", "deprivation decile", "observation status", "geocode", "value", "period"}
    assert expected <= set(table.columns)
    assert len(table) == 7
    headline = table[(table["geocode"] == "E92000001") & (table["deprivation decile"] == "")]
    assert headline[["period", "value"]].values.tolist() == [["2020", 5.64], ["2021", 5.5]]
    missing = table[table["observation status"] == "Missing value"]
    assert missing["value"].isna().all()


def test_a_bad_value_or_year_names_the_row(tmp_path: Path, fixtures_dir: Path) -> None:
    text = (fixtures_dir / "sdg" / "indicator_3-9-1_small.csv").read_text()
    path = tmp_path / "bad.csv"
    path.write_text(text.replace(",E92000001,5.64", ",E92000001,n/a").replace("2016,", "2016-17,"))
    with pytest.raises(DataValidationError) as error:
        read_sdg_csv(path)
    messages = [str(p) for p in error.value.problems]
    assert any("row 2, column 'Value'" in m for m in messages)
    assert any("row 8, column 'Year'" in m for m in messages)


def test_mirror_3_9_1_and_11_3_1_match_plain_pandas(mirror: Path) -> None:
    folder = mirror / "indicators_raw" / "ons_sdg_uk"
    raw = pd.read_csv(folder / "indicator_3-9-1.csv")
    read = read_sdg_csv(folder / "indicator_3-9-1.csv")
    assert len(read) == len(raw)
    new = "Fraction of mortality attributable to particulate air pollution (new method)"
    expected = raw[(raw["GeoCode"] == "E07000178") & (raw["Series"] == new)].set_index("Year")["Value"]
    got = read[(read["geocode"] == "E07000178") & (read["series"] == new)].set_index("year")["value"]
    assert got.to_dict() == {str(y): v for y, v in expected.items()}
    assert got["2021"] == 5.75  # SOURCES.md section 19
    land = read_sdg_csv(folder / "indicator_11-3-1.csv")
    assert set(land["period"]) == {"2013-01-01/P4Y"}
