"""The ONS lookup adapters: LSOA11->Ward19->LAD19, LSOA11->LSOA21 best fit, LSOA21->Ward25."""

from __future__ import annotations

from pathlib import Path

import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.lookups import read_lsoa11_lsoa21, read_lsoa11_ward19, read_lsoa21_ward25

LOOKUPS = Path(__file__).resolve().parents[1] / "fixtures" / "lookups"
WARD19 = LOOKUPS / "lsoa11_wd19_lad19.csv"
BESTFIT = LOOKUPS / "lsoa11_lsoa21_lad22_bestfit.csv"
WARD25 = LOOKUPS / "lsoa21_wd25_derived.csv"
OXFORDSHIRE_DISTRICTS = {"E07000177", "E07000178", "E07000179", "E07000180", "E07000181"}


def _spoil(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    target = tmp_path / source.name
    target.write_text(source.read_text(encoding="utf-8-sig").replace(old, new), encoding="utf-8")
    return target


def test_ward19_lookup_columns_and_rows_including_wales() -> None:
    frame = read_lsoa11_ward19(WARD19, expected_rows=None)
    assert list(frame.columns) == [
        "lsoa11_code", "lsoa11_name", "ward19_code", "ward19_name", "lad19_code", "lad19_name",
    ]  # fmt: skip
    assert len(frame) == 9
    row = frame.set_index("lsoa11_code").loc["E01099903"]
    assert (row["ward19_code"], row["ward19_name"], row["lad19_code"]) == ("E05099902", "Hilltop", "E07099901")
    assert "W01099901" in set(frame["lsoa11_code"])


def test_bestfit_lookup_maps_merged_lsoas_to_one_2021_code() -> None:
    frame = read_lsoa11_lsoa21(BESTFIT, expected_rows=None)
    merged = frame[frame["lsoa21_code"] == "E01099909"]
    assert sorted(merged["lsoa11_code"]) == ["E01099905", "E01099906"]
    assert set(frame["lad22_code"]) >= {"E07099901", "E07099902"}


def test_ward25_lookup_keeps_the_max_area_columns_of_the_derived_file() -> None:
    frame = read_lsoa21_ward25(WARD25)
    assert len(frame) == 6
    row = frame.set_index("lsoa21_code").loc["E01099907"]
    assert (row["ward25_name"], row["ward25_code_max_area"]) == ("Hilltop", "E05099901")
    assert row["share_area_in_max_area_ward"] == pytest.approx(0.512)


def test_lower_case_headers_are_accepted(tmp_path: Path) -> None:
    text = WARD19.read_text(encoding="utf-8-sig")
    header, body = text.split("\n", 1)
    path = tmp_path / "lower.csv"
    path.write_text(header.lower() + "\n" + body, encoding="utf-8")
    assert len(read_lsoa11_ward19(path, expected_rows=None)) == 9


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = _spoil(tmp_path, WARD19, "WD19NM", "WARDNAME")
    with pytest.raises(DataValidationError) as error:
        read_lsoa11_ward19(path, expected_rows=None)
    assert [(p.file, p.column) for p in error.value.problems] == [(path.name, "WD19NM")]


def test_bad_codes_and_repeated_lsoas_are_located_by_row(tmp_path: Path) -> None:
    path = _spoil(
        tmp_path, WARD25, "E01099902,Northdale 001B,E07099901,E05099901", "E01099901,Northdale 001B,E07099901,X05099901"
    )
    with pytest.raises(DataValidationError) as error:
        read_lsoa21_ward25(path)
    found = {(p.row, p.column) for p in error.value.problems}
    assert found == {(3, "WD25CD"), (3, "LSOA21CD")}


def test_the_england_and_wales_lookups_must_be_complete() -> None:
    with pytest.raises(DataValidationError, match="expected 34,753 data rows"):
        read_lsoa11_lsoa21(BESTFIT)


@pytest.mark.integration
def test_real_ward19_lookup_has_407_oxfordshire_lsoas_in_112_wards(mirror: Path) -> None:
    frame = read_lsoa11_ward19(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz")
    assert len(frame) == 34_753  # SOURCES.md
    county = frame[frame["lad19_code"].isin(OXFORDSHIRE_DISTRICTS)]
    assert len(county) == 407  # SOURCES.md
    blackbird = county[county["ward19_name"] == "Blackbird Leys"]
    assert len(blackbird) == 4  # the CLES report: "Blackbird Leys' four LSOAs"


@pytest.mark.integration
def test_real_bestfit_lookup_has_407_oxfordshire_lsoa11_and_21_code_changes(mirror: Path) -> None:
    frame = read_lsoa11_lsoa21(mirror / "lookups/lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv.gz")
    assert len(frame) == 34_753
    county = frame[frame["lad22_code"].isin(OXFORDSHIRE_DISTRICTS)]
    assert len(county) == 407  # SOURCES.md
    assert (county["lsoa11_code"] != county["lsoa21_code"]).sum() == 21  # SOURCES.md: "21 of them change code"


@pytest.mark.integration
def test_real_ward25_file_covers_the_428_oxfordshire_lsoa21(mirror: Path) -> None:
    frame = read_lsoa21_ward25(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    assert len(frame) == 428 and frame["lad25_code"].isin(OXFORDSHIRE_DISTRICTS).all()
    assert frame["ward25_code"].nunique() == 112  # SOURCES.md: 112 wards (May 2025)
    assert (frame["ward25_code"] != frame["ward25_code_max_area"]).sum() == 11  # SOURCES.md


@pytest.mark.integration
def test_district_names_of_iod2025_file10(mirror: Path) -> None:
    import csv

    from cwb_metrics.sources.lookups import read_lad_names

    frame = read_lad_names(mirror / "imd2025/imd2025_england_ltla24.csv")
    with open(mirror / "imd2025/imd2025_england_ltla24.csv", encoding="utf-8", newline="") as handle:
        expected = {r["ltla24_code"]: r["ltla24_name"] for r in csv.DictReader(handle)}
    assert dict(zip(frame["lad_code"], frame["lad_name"], strict=True)) == expected and len(expected) == 296
