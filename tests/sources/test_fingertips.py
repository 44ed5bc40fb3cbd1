"""OHID Fingertips all-data CSV: the API's header and R's re-saved form, on hand-written fixtures and the mirror."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.fingertips import FINGERTIPS_COLUMNS, fingertips_period, read_fingertips_csv


@pytest.fixture(scope="module")
def api(fixtures_dir: Path) -> pd.DataFrame:
    return read_fingertips_csv(fixtures_dir / "fingertips" / "api_export.csv")


@pytest.fixture(scope="module")
def resaved(fixtures_dir: Path) -> pd.DataFrame:
    return read_fingertips_csv(fixtures_dir / "fingertips" / "resaved_r.csv")


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2019", "2019"), ("2019/20", "2019-04-01/P1Y"), ("2017 - 19", "2017-01-01/P3Y"), ("2019/20 ", "2019-04-01/P1Y")],
)
def test_fingertips_periods_become_ons_iso_periods(text: str, iso: str) -> None:
    assert fingertips_period(text) == iso


@pytest.mark.parametrize("text", ["2019/21", "Q1 2019", "2019 - 2021", ""])
def test_other_periods_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        fingertips_period(text)


def test_the_api_export_is_read_by_its_own_header(api: pd.DataFrame) -> None:
    assert tuple(api.columns) == FINGERTIPS_COLUMNS
    # 8 rows in the file; Riverton is listed under two area types with the same value: kept once.
    assert len(api) == 7
    northdale = api[api["areacd"] == "E07099901"].iloc[0]
    assert (northdale["indicator_id"], northdale["value"], northdale["period"]) == (93861, 5.6, "2021")
    assert northdale["area_type"] == "Districts & UAs (from Apr 2023)"
    blank = api[api["areacd"] == "E07099902"].iloc[0]
    assert math.isnan(blank["value"]) and blank["value_note"] == "Value missing in source data"
    england_fy = api[api["period"] == "2022-04-01/P1Y"].iloc[0]
    assert england_fy[["value", "lci_95", "uci_95", "count", "denominator"]].tolist() == [4.8, 4.1, 5.5, 120, 2500]
    decile = api[api["category_type"] != ""]
    assert decile["category"].tolist() == ["Most deprived decile (IMD2019)"]


def test_r_resaved_form_reads_the_same_values(api: pd.DataFrame, resaved: pd.DataFrame) -> None:
    columns = ["indicator_id", "areacd", "period", "value", "lci_95", "uci_95", "count", "denominator", "value_note",
               "category_type", "category", "sex", "age"]  # fmt: skip
    pd.testing.assert_frame_equal(api[columns], resaved[columns])
    # R wrote NA for blanks: they are blank text and NaN numbers, not the string "NA".
    assert not (resaved == "NA").any().any()


def test_a_missing_column_is_named(tmp_path: Path, fixtures_dir: Path) -> None:
    text = (fixtures_dir / "fingertips" / "api_export.csv").read_text().replace("Area Code,", "Area,", 1)
    path = tmp_path / "no_code.csv"
    path.write_text(text)
    with pytest.raises(DataValidationError, match="no column 'Area Code'"):
        read_fingertips_csv(path)


def _edited(tmp_path: Path, fixtures_dir: Path, edits: dict[int, tuple[str, str]]) -> Path:
    lines = (fixtures_dir / "fingertips" / "api_export.csv").read_text().splitlines()
    for index, (old, new) in edits.items():
        assert old in lines[index]
        lines[index] = lines[index].replace(old, new)
    path = tmp_path / "edited.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_bad_numbers_and_periods_are_problems_naming_row_and_column(tmp_path: Path, fixtures_dir: Path) -> None:
    path = _edited(tmp_path, fixtures_dir, {4: (",2021,5.6,", ",2021,five,"), 8: (",2022/23,", ",2022/24,")})
    with pytest.raises(DataValidationError) as error:
        read_fingertips_csv(path)
    messages = [str(p) for p in error.value.problems]
    assert any("row 5, column 'Value': 'five': not a number" in m for m in messages)
    assert any("row 9, column 'Time period'" in m and "2022/24" in m for m in messages)


def test_an_area_repeated_with_a_different_value_is_a_problem(tmp_path: Path, fixtures_dir: Path) -> None:
    path = _edited(tmp_path, fixtures_dir, {7: (",2021,6.1,", ",2021,6.3,")})  # Riverton's second listing
    with pytest.raises(DataValidationError, match=r"row 8.*different value"):
        read_fingertips_csv(path)


def test_an_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(DataValidationError, match="empty"):
        read_fingertips_csv(path)


# ----- the mirror: values checked against plain pandas on the raw files -------------------------------------
@pytest.mark.parametrize("name", ["new_series_from_stable_link.csv", "old_series_from_stable_link.csv"])
def test_mirror_exports_match_plain_pandas(mirror: Path, name: str) -> None:
    path = mirror / "indicators_raw" / "ohid_fingertips_air_pollution" / name
    raw = pd.read_csv(path, index_col=0)
    raw = raw[raw["Category.Type"].isna()]
    read = read_fingertips_csv(path)
    read = read[read["category_type"] == ""]
    for code in ("E07000177", "E07000178", "E10000025", "E92000001"):
        expected = raw[raw["Area.Code"] == code].set_index("Time.period")["Value"].sort_index()
        got = read[read["areacd"] == code].set_index("period")["value"].sort_index()
        assert got.index.tolist() == [str(y) for y in expected.index]
        assert got.to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-12)
    # Published check values (SOURCES.md, section 18): Oxford 2019 new method 7.63, England 7.10.
    if name.startswith("new"):
        oxford_2019 = read.query("areacd == 'E07000178' and period == '2019'")["value"].iloc[0]
        assert oxford_2019 == pytest.approx(7.63, abs=0.005)
