"""The ONS Explore Local Statistics adapter: tidy CSV and JSON metadata."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.els import ELS_COLUMNS, metadata_for, read_els_csv, read_els_metadata

HEADER = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes"
GOOD_ROW = "E07000178,Oxford,Local Authority District,Claimant Count,2025-01-01/P1Y,2.4,Percentage,%,,,,"
OTHER_ROW = GOOD_ROW.replace("E07000178,Oxford", "E07000177,Cherwell")


@pytest.fixture
def els_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "els"


def write(tmp_path: Path, text: str, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list:
    with pytest.raises(DataValidationError) as caught:
        read_els_csv(path)
    return caught.value.problems


# --- reading good files ---------------------------------------------------------------------------


def test_reads_bom_crlf_observation_first(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_observation_first.csv")
    assert tuple(frame.columns) == ELS_COLUMNS
    assert frame.columns[0] == "areacd"  # the byte-order mark is not part of the first header
    oxford = frame[(frame.areacd == "E07000178") & (frame.period == "2025-04-01")]
    assert oxford["value"].item() == pytest.approx(10.40)
    assert frame["value"].dtype == "float64"


def test_thousands_separator_is_a_number(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_observation_first.csv")
    assert frame.loc[frame.areacd == "E07000179", "value"].item() == 1234.0


def test_suppressed_value_is_missing_with_status(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_observation_first.csv")
    cherwell = frame[frame.areacd == "E07000177"].iloc[0]
    assert math.isnan(cherwell["value"])
    assert cherwell["status"] == "x"


def test_itl_codes_are_accepted_on_itl_rows(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_observation_first.csv")
    assert "TLJ1" in set(frame.areacd)


def test_reads_measure_first_column_order(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_measure_first.csv")
    oxford = frame[(frame.areacd == "E07000178") & (frame.indicator == "Satisfaction")].iloc[0]
    assert oxford["value"] == pytest.approx(7.8)
    assert oxford["measure"].startswith("Mean")
    assert (oxford["lci_95"], oxford["uci_95"]) == (7.5, 8.1)


def test_same_area_at_two_levels_with_same_value_is_kept_once(els_dir: Path) -> None:
    frame = read_els_csv(els_dir / "tidy_measure_first.csv")
    assert (frame.areacd == "E47000001").sum() == 1


# --- problems ---------------------------------------------------------------------------------------


def test_renamed_column_names_the_expected_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("areacd", "area_code") + "\n" + GOOD_ROW + "\n")
    (only,) = problems_of(path)
    assert only.column == "areacd" and only.row == 1
    assert "area_code" in only.message


def test_missing_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace("period,", "")
    row = GOOD_ROW.replace("2025-01-01/P1Y,", "")
    (only,) = problems_of(write(tmp_path, f"{header}\n{row}\n"))
    assert only.column == "period"
    assert "missing" in only.message


@pytest.mark.parametrize(
    ("bad_row", "column", "words"),
    [
        (GOOD_ROW.replace("E07000178", "E0700017"), "areacd", "area code"),
        (GOOD_ROW.replace("E07000178", "X07000178"), "areacd", "area code"),
        (GOOD_ROW.replace("2025-01-01/P1Y", "2025/26"), "period", "ISO-8601"),
        (OTHER_ROW.replace(",2.4,", ",abc,"), "observation", "not a number"),
        (OTHER_ROW.replace(",,,,", ",oops,,,"), "lci_95", "not a number"),
        (OTHER_ROW.replace(",,,,", ",3,2,,"), "lci_95", "above"),
    ],
)
def test_bad_cell_is_reported_with_line_and_column(tmp_path: Path, bad_row: str, column: str, words: str) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_ROW}\n{bad_row}\n")
    (only,) = problems_of(path)
    assert (only.file, only.row, only.column) == ("bad.csv", 3, column)
    assert words in only.message


def test_duplicate_row_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD_ROW}\n{GOOD_ROW}\n")
    (only,) = problems_of(path)
    assert only.row == 3
    assert "duplicate of line 2" in only.message


def test_conflicting_values_at_two_levels_are_a_duplicate(tmp_path: Path) -> None:
    other = GOOD_ROW.replace("Local Authority District", "County or Unitary Authority").replace(",2.4,", ",2.5,")
    (only,) = problems_of(write(tmp_path, f"{HEADER}\n{GOOD_ROW}\n{other}\n"))
    assert "another geography level" in only.message


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "empty"), (f"{HEADER}\n", "no data rows"), (f"\ufeff{HEADER}\r\n", "no data rows")],
)
def test_empty_and_header_only_files(tmp_path: Path, text: str, words: str) -> None:
    (only,) = problems_of(write(tmp_path, text))
    assert words in only.message


def test_truncated_last_row(tmp_path: Path) -> None:
    cut = GOOD_ROW[: GOOD_ROW.index("2.4")]
    (only,) = problems_of(write(tmp_path, f"{HEADER}\n{GOOD_ROW}\n{cut}"))
    assert only.row == 3
    assert "truncated" in only.message


def test_every_problem_is_listed(tmp_path: Path) -> None:
    rows = [GOOD_ROW.replace(",2.4,", ",abc,"), GOOD_ROW.replace("2025-01-01/P1Y", "2024-01-01/P1Y").replace(
        "E07000178", "bad")]  # fmt: skip
    problems = problems_of(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert [(p.row, p.column) for p in problems] == [(2, "observation"), (3, "areacd")]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + "\n" + GOOD_ROW.replace("Oxford", "Oxf\xf8rd") + "\n").encode("latin-1"))
    (only,) = problems_of(path)
    assert "UTF-8" in only.message and only.row == 2


# --- metadata -------------------------------------------------------------------------------------


def test_flat_metadata_applies_to_any_indicator(els_dir: Path) -> None:
    metadata = read_els_metadata(els_dir / "metadata_flat.json")
    record = metadata_for(metadata, "Housing affordability ratio (residence-based)")
    assert record.source_date == dt.date(2026, 3, 26)
    assert record.source_org == "Office for National Statistics"
    assert "five years of earnings" in record.caveats
    assert record.decimal_places == 1 and not record.experimental


def test_shared_metadata_is_merged_per_indicator(els_dir: Path) -> None:
    metadata = read_els_metadata(els_dir / "metadata_shared.json")
    satisfaction = metadata_for(metadata, "Satisfaction")
    assert satisfaction.label == "Life satisfaction"
    assert satisfaction.source_urls == ("https://www.ons.gov.uk/a", "https://www.nisra.gov.uk/b")
    assert satisfaction.source_url == "https://www.ons.gov.uk/a"
    assert satisfaction.source_org == "Office for National Statistics"
    assert satisfaction.source_date == dt.date(2025, 12, 18)  # first of "18/12/2025|18/12/2025"
    assert satisfaction.caveats == "" and satisfaction.experimental
    assert metadata_for(metadata, "Anxiety").source_date == dt.date(2023, 11, 7)  # its own date wins
    with pytest.raises(KeyError):
        metadata_for(metadata, "Happiness")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"something": {}}', "ess-beta-metadata"),
        ('{"ess-beta-metadata": {"label": "x", "sourceURL": "u", "sourceOrg": "o"}}', "sourceDate"),
        ('{"ess-beta-metadata": {"label": "x", "sourceURL": "u", "sourceOrg": "o", "sourceDate": "2025"}}', "date"),
    ],
)
def test_bad_metadata(tmp_path: Path, text: str, words: str) -> None:
    path = write(tmp_path, text, "bad.json")
    with pytest.raises(DataValidationError) as caught:
        read_els_metadata(path)
    assert words in str(caught.value)


# --- the real files -----------------------------------------------------------------------------------

ELS = "indicators_raw/ons_explore_local_statistics"


@pytest.mark.integration
def test_every_els_file_in_the_mirror_is_valid(mirror: Path) -> None:
    files = sorted((mirror / ELS).glob("*.csv"))
    assert len(files) >= 20, f"expected the ELS files in {mirror / ELS}"
    for path in files:
        frame = read_els_csv(path)
        metadata = read_els_metadata(path.with_suffix(".json"))
        for indicator in frame.indicator.unique():
            assert metadata_for(metadata, indicator).source_url.startswith("https://")


@pytest.mark.integration
def test_housing_affordability_matches_published_values(mirror: Path) -> None:
    frame = read_els_csv(mirror / ELS / "housing-affordability-ratio.csv")
    latest = frame[frame.period == "2025-04-01"].set_index("areacd")["value"]
    # SOURCES.md quick cross-check values (residence-based, 2025).
    assert latest["E07000178"] == pytest.approx(10.40)
    assert latest["E10000025"] == pytest.approx(9.19)
    assert latest["E92000001"] == pytest.approx(7.64)
    caveats = metadata_for(read_els_metadata(mirror / ELS / "housing-affordability-ratio.json"), "").caveats
    assert "threshold of five years of earnings" in caveats
