"""Adapters of the IoD denominators (File 6, File 7: national or extract) and district summaries (File 10).

Unit tests on tiny hand-written fixtures (tests/fixtures/README.md) in each layout, and
integration tests against the mirror's real files, checked with plain pandas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources import imd
from cwb_metrics.sources.iod_denominators import DENOMINATOR_COLUMNS, read_iod_denominators
from cwb_metrics.sources.iod_summaries import read_iod_summaries, summary_columns

IOD = Path(__file__).resolve().parents[1] / "fixtures" / "iod"


@pytest.fixture
def eight_lsoas(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixtures' England has eight LSOAs."""
    monkeypatch.setattr(imd, "EXPECTED_ROWS", {2019: 8, 2025: 8})


def write_file10_2019(path: Path, *, drop_scale: bool = False) -> Path:
    """A File 10 workbook in MHCLG's 2019 layout: a notes sheet, then one sheet per measure."""
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["The English Indices of Deprivation 2019: local authority district summaries"])
    lads = [("E07099901", "Northdale"), ("E07099902", "Southdale"), ("E07099999", "Otherplace")]
    sheets = {
        "IMD": (["IMD - Average score "], [[30.0], [5.0], [40.0]]),
        "Income": (["Income - Average score ", "Income scale", "Rank of Income Scale"],
                   [[0.138, 900, 2], [0.038, 120, 3], [0.255, 600, 1]]),
        "Employment": (["Employment - Average score ", "Employment scale ", "Rank of Employment Scale"],
                       [[0.097, 400, 1], [0.030, 60, 3], [0.168, 250, 2]]),
        "IDACI": (["IDACI - Average score "], [[0.250], [0.050], [0.400]]),
        "IDAOPI": (["IDAOPI - Average score "], [[0.150], [0.040], [0.300]]),
    }  # fmt: skip
    for name, (headers, values) in sheets.items():
        sheet = book.create_sheet(name)
        if name == "Income" and drop_scale:
            headers, values = headers[:1], [v[:1] for v in values]
        sheet.append(["Local Authority District code (2019)", "Local Authority District name (2019)", *headers])
        for (code, lad), row in zip(lads, values, strict=True):
            sheet.append([code, lad, *row])
    book.save(path)
    return path


# ---- File 6 / File 7 -----------------------------------------------------------------------------------------------
def test_official_national_file7_layout(eight_lsoas) -> None:
    frame = read_iod_denominators(IOD / "iod2025_file7_national.csv", 2025, require=("children", "idaci_score"))
    assert list(frame.columns) == list(DENOMINATOR_COLUMNS)
    assert frame.attrs["layout"] == "national"
    first = frame.set_index("lsoa_code").loc["E01099901"]
    # Quoted thousands ("1,540") are read as numbers; File 7 has no 16-59 column.
    assert (first["population"], first["children"], first["older"], first["working_age"]) == (1540, 300, 340, 1000)
    assert pd.isna(first["aged_16_59"])
    assert (first["idaci_score"], first["idaopi_score"]) == pytest.approx((0.300, 0.200))


def test_the_mirror_style_extract_is_an_extract(eight_lsoas) -> None:
    frame = read_iod_denominators(IOD / "iod2025_file7_oxfordshire_style_extract.csv", 2025)
    assert frame.attrs["layout"] == "extract"
    assert len(frame) == 5 and set(frame["lad_code"]) == {"E07099901"}
    assert frame["children"].sum() == 300 + 320 + 200 + 190 + 400


def test_file6_checks_the_age_groups_add_up(eight_lsoas, tmp_path: Path) -> None:
    frame = read_iod_denominators(IOD / "iod2025_file6_national.csv", 2025)
    assert frame.attrs["layout"] == "national"
    assert (frame["children"] + frame["aged_16_59"] + frame["older"] == frame["population"]).all()
    assert frame["idaci_score"].isna().all()
    bad = tmp_path / "file6.csv"
    text = (IOD / "iod2025_file6_national.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("E01099901,Northdale 001A,E07099901,Northdale,1540", "E01099901,Northdale 001A,"
                                "E07099901,Northdale,1541"), encoding="utf-8")  # fmt: skip
    with pytest.raises(DataValidationError) as error:
        read_iod_denominators(bad, 2025)
    (problem,) = error.value.problems
    assert (problem.file, problem.row) == ("file6.csv", 2)
    assert "does not add up" in problem.message


def test_a_missing_required_column_is_named(eight_lsoas) -> None:
    with pytest.raises(DataValidationError, match="idaci score"):
        read_iod_denominators(IOD / "iod2025_file6_national.csv", 2025, require=("idaci_score",))


def test_a_rate_outside_zero_to_one_is_rejected(eight_lsoas, tmp_path: Path) -> None:
    bad = tmp_path / "file7.csv"
    text = (IOD / "iod2025_file7_oxfordshire_style_extract.csv").read_text(encoding="utf-8")
    bad.write_text(text.replace("Northdale,0.300,", "Northdale,30.0,"), encoding="utf-8")
    with pytest.raises(DataValidationError, match="between 0 and 1"):
        read_iod_denominators(bad, 2025)


def test_iod2019_file6_on_lsoa_2011(eight_lsoas) -> None:
    frame = read_iod_denominators(IOD / "iod2019_file6_population.csv", 2019)
    assert frame.attrs["layout"] == "national"
    assert frame.loc[frame["lsoa_code"] == "E01099904", "population"].item() == 2010


# ---- File 10 -------------------------------------------------------------------------------------------------------
def test_file10_workbook_one_sheet_per_measure(tmp_path: Path) -> None:
    frame = read_iod_summaries(write_file10_2019(tmp_path / "file10.xlsx"), 2019)
    assert list(frame.columns) == summary_columns()
    north = frame.set_index("lad_code").loc["E07099901"]
    assert (north["income_scale"], north["income_average_score"]) == pytest.approx((900, 0.138))
    assert (north["employment_scale"], north["idaci_average_score"], north["idaopi_average_score"]) == pytest.approx(
        (400, 0.250, 0.150)
    )
    assert pd.isna(north["idaci_scale"])


def test_file10_renamed_csv_has_no_idaci() -> None:
    frame = read_iod_summaries(IOD / "iod2025_file10_renamed.csv", 2025).set_index("lad_code")
    assert frame.loc["E07099999", "employment_scale"] == pytest.approx(296.5)
    assert frame["idaci_average_score"].isna().all()


def test_file10_without_the_income_scale_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="income scale"):
        read_iod_summaries(write_file10_2019(tmp_path / "file10.xlsx", drop_scale=True), 2019)


# ---- the real files ------------------------------------------------------------------------------------------------
@pytest.mark.integration
def test_real_file10_2019_matches_pandas(mirror: Path) -> None:
    path = mirror / "imd2019/xlsx/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx"
    frame = read_iod_summaries(path, 2019).set_index("lad_code")
    expected = pd.read_excel(path, sheet_name="Income", engine="openpyxl").set_index(
        "Local Authority District code (2019)"
    )
    assert len(frame) == 317
    assert frame["income_scale"].astype(float).to_dict() == expected["Income scale"].astype(float).to_dict()
    idaopi = pd.read_excel(path, sheet_name="IDAOPI", engine="openpyxl").set_index(
        "Local Authority District code (2019)"
    )
    assert frame.loc["E07000178", "idaopi_average_score"] == pytest.approx(
        idaopi.loc["E07000178", "IDAOPI - Average score "]
    )


@pytest.mark.integration
def test_real_extracts_agree_and_are_extracts(mirror: Path) -> None:
    file7 = read_iod_denominators(
        mirror / "imd2025/File_7_IoD2025_oxfordshire_extract_IDACI_IDAOPI_denominators.csv", 2025
    )
    file6 = read_iod_denominators(
        mirror / "imd2025/File_6_IoD2025_Population_Denominators_oxfordshire_extract.csv", 2025
    )
    assert file7.attrs["layout"] == file6.attrs["layout"] == "extract"
    assert len(file7) == len(file6) == 428
    # SOURCES.md: mid-2022, Oxfordshire has 737,795 people, 132,473 aged 0-15, 175,915 aged 60+, 468,668 aged 18-66.
    assert (file6["population"].sum(), file6["children"].sum(), file6["older"].sum(), file6["working_age"].sum()) == (
        737_795, 132_473, 175_915, 468_668,
    )  # fmt: skip
    merged = file7.merge(file6, on="lsoa_code", suffixes=("_7", "_6"))
    for column in ("population", "children", "older", "working_age"):
        assert (merged[f"{column}_7"] == merged[f"{column}_6"]).all()
