"""The IoD adapter: MHCLG's CSV/XLSX layouts, renamed 2025 headers, and row-level problems."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.imd import DOMAINS, imd_columns, read_imd, read_imd_population

IOD = Path(__file__).resolve().parents[1] / "fixtures" / "iod"
FILE1, FILE2 = IOD / "iod2019_file1_imd.csv", IOD / "iod2019_file2_domains.csv"
FILE3, FILE6 = IOD / "iod2019_file3_supplementary.csv", IOD / "iod2019_file6_population.csv"
F7_OFFICIAL, F7_RENAMED = IOD / "iod2025_file7_official.csv", IOD / "iod2025_lsoa21_renamed.csv"
OXFORDSHIRE_DISTRICTS = {"E07000177", "E07000178", "E07000179", "E07000180", "E07000181"}


def _problems(error: pytest.ExceptionInfo[DataValidationError]) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in error.value.problems]


def _rewrite(tmp_path: Path, source: Path, edit, name: str | None = None) -> Path:
    text = source.read_text(encoding="utf-8-sig")
    target = tmp_path / (name or source.name)
    target.write_text(edit(text), encoding="utf-8")
    return target


# ----- the official layouts ------------------------------------------------------------------
def test_file2_gives_the_standard_columns_with_every_domain() -> None:
    frame = read_imd(FILE2, 2019, expected_rows=None)
    assert list(frame.columns) == imd_columns()
    assert len(frame) == 8
    row = frame.set_index("lsoa_code").loc["E01099906"]
    # Values as written in the fixture's row for E01099906.
    assert (row["imd_rank"], row["imd_decile"]) == (3000, 1)
    assert (row["employment_rank"], row["employment_decile"]) == (3284, 1)
    assert (row["education_rank"], row["education_decile"]) == (3285, 2)
    assert (row["living_environment_rank"], row["living_environment_decile"]) == (9854, 4)
    assert row["lsoa_name"] == "Southdale 001B" and row["lad_code"] == "E07099902"
    assert frame[[f"{d}_decile" for d in DOMAINS]].notna().all().all()
    assert frame["imd_score"].isna().all() and frame["population"].isna().all()


def test_files_1_and_3_give_the_same_imd_as_file_2_despite_their_number_formats() -> None:
    file2 = read_imd(FILE2, 2019, expected_rows=None)
    for other in (FILE1, FILE3):  # "1,200" with a thousands separator; "1200.00" as floats
        frame = read_imd(other, 2019, expected_rows=None)
        pd.testing.assert_series_equal(frame["imd_rank"], file2["imd_rank"])
        pd.testing.assert_series_equal(frame["imd_decile"], file2["imd_decile"])
        assert frame["income_rank"].isna().all(), "File 1 and File 3 carry no domain ranks"


def test_file3_idaci_columns_are_not_taken_for_the_income_domain() -> None:
    frame = read_imd(FILE3, 2019, expected_rows=None)
    assert frame["income_rank"].isna().all()


def test_population_from_file6_is_joined_and_parsed_from_quoted_thousands() -> None:
    frame = read_imd(FILE2, 2019, population=FILE6, expected_rows=None)
    by_code = frame.set_index("lsoa_code")["population"]
    assert by_code["E01099904"] == 2010
    assert by_code.sum() == 1500 + 1620 + 1380 + 2010 + 1450 + 1700 + 1100 + 1250
    people = read_imd_population(FILE6, 2019, expected_rows=None)
    assert list(people.columns) == ["lsoa_code", "population"]


def test_gzipped_csv_reads_the_same_as_plain(tmp_path: Path) -> None:
    packed = tmp_path / "file2.csv.gz"
    packed.write_bytes(gzip.compress(FILE2.read_bytes()))
    pd.testing.assert_frame_equal(read_imd(packed, 2019, expected_rows=None), read_imd(FILE2, 2019, expected_rows=None))


def test_xlsx_with_a_notes_sheet_reads_the_same_as_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    source = pd.read_csv(FILE1, encoding="utf-8-sig", thousands=",")
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["English Indices of Deprivation 2019"])
    notes.append(["Some notes about the file."])
    sheet = book.create_sheet("IMD2019")
    sheet.append(list(source.columns))
    for row in source.itertuples(index=False):
        sheet.append([v.item() if hasattr(v, "item") else v for v in row])
    path = tmp_path / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx"
    book.save(path)
    frame = read_imd(path, 2019, expected_rows=None)
    pd.testing.assert_frame_equal(frame, read_imd(FILE1, 2019, expected_rows=None))


def test_2025_official_and_renamed_headers_give_the_same_ranks_deciles_and_scores() -> None:
    official = read_imd(F7_OFFICIAL, 2025, expected_rows=None)
    renamed = read_imd(F7_RENAMED, 2025, expected_rows=None)
    measures = [c for c in imd_columns() if c.endswith(("_rank", "_decile", "_score"))]
    pd.testing.assert_frame_equal(official[measures], renamed[measures])
    assert renamed["lsoa_name"].isna().all() and renamed["lad_code"].isna().all()
    assert official.set_index("lsoa_code").loc["E01099909", "lad_name"] == "Southdale"
    assert official.set_index("lsoa_code").loc["E01099909", "population"] == 3230
    assert official.set_index("lsoa_code").loc["E01099901", "income_score"] == pytest.approx(0.31)
    assert renamed.set_index("lsoa_code").loc["E01099904", "barriers_rank"] == 2500


# ----- problems named by file, row and column ---------------------------------------------------
def test_a_renamed_domain_column_is_named_in_the_problem(tmp_path: Path) -> None:
    path = _rewrite(tmp_path, FILE2, lambda t: t.replace("Crime Rank (where", "Crime Rnk (where"))
    with pytest.raises(DataValidationError) as error:
        read_imd(path, 2019, expected_rows=None)
    problems = error.value.problems
    assert [p.column for p in problems] == ["Crime Rank (where 1 is most deprived)"]
    assert problems[0].file == path.name and "missing column" in problems[0].message


def test_a_missing_imd_rank_in_a_renamed_2025_file_is_reported(tmp_path: Path) -> None:
    path = _rewrite(tmp_path, F7_RENAMED, lambda t: t.replace("IMD_rank", "IMD_rnk"))
    with pytest.raises(DataValidationError) as error:
        read_imd(path, 2025, expected_rows=None)
    assert [p.column for p in error.value.problems] == [
        "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
    ]


def test_bad_code_duplicate_and_out_of_range_cells_are_located_by_row(tmp_path: Path) -> None:
    def spoil(text: str) -> str:
        lines = text.splitlines()
        lines[2] = lines[2].replace("E01099902", "E0109990X")  # file row 3
        lines[4] = lines[4].replace("E01099904", "E01099903")  # file row 5 repeats row 4's code
        lines[6] = lines[6].replace(",3000,1,", ",40000,1,", 1)  # file row 7: IMD rank beyond 32,844
        lines[7] = lines[7].replace("Otherplace,100,1,", "Otherplace,100,11,")  # file row 8: decile 11
        return "\n".join(lines) + "\n"

    path = _rewrite(tmp_path, FILE2, spoil)
    with pytest.raises(DataValidationError) as error:
        read_imd(path, 2019, expected_rows=None)
    found = _problems(error)
    imd_rank = "Index of Multiple Deprivation (IMD) Rank (where 1 is most deprived)"
    imd_decile = "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
    assert (3, "LSOA code (2011)") in [(r, c) for r, c, _ in found]
    assert any(r == 5 and c == "LSOA code (2011)" and "twice" in m for r, c, m in found)
    assert any(r == 7 and c == imd_rank and "outside 1..32,844" in m for r, c, m in found)
    assert any(r == 8 and c == imd_decile and "outside 1..10" in m for r, c, m in found)


def test_a_decile_that_contradicts_its_rank_is_reported(tmp_path: Path) -> None:
    # Rank 5,000 is in decile 2 (ranks 3,285-6,568 in IoD2019); the spoiled row says 1.
    path = _rewrite(
        tmp_path,
        FILE2,
        lambda t: t.replace("Northdale 001B,E07099901,Northdale,5000,2,", "Northdale 001B,E07099901,Northdale,5000,1,"),
    )
    with pytest.raises(DataValidationError) as error:
        read_imd(path, 2019, expected_rows=None)
    assert [(r, "does not match" in m) for r, _c, m in _problems(error)] == [(3, True)]


def test_a_full_england_file_must_have_every_lsoa() -> None:
    with pytest.raises(DataValidationError) as error:
        read_imd(FILE2, 2019)
    assert any("expected 32,844 data rows" in m and "truncated" in m for _r, _c, m in _problems(error))


def test_a_2019_file_read_as_2025_says_so() -> None:
    with pytest.raises(DataValidationError) as error:
        read_imd(FILE2, 2025, expected_rows=None)
    assert any("LSOA 2011" in m and c == "LSOA code (2011)" for _r, c, m in _problems(error))


def test_empty_header_only_and_truncated_files_give_clear_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DataValidationError, match="empty"):
        read_imd(empty, 2019)

    header_only = _rewrite(tmp_path, FILE2, lambda t: t.splitlines()[0] + "\n", "header_only.csv")
    with pytest.raises(DataValidationError, match=r"expected 32,844 data rows.*found 0"):
        read_imd(header_only, 2019)

    cut_gzip = tmp_path / "cut.csv.gz"
    cut_gzip.write_bytes(gzip.compress(FILE2.read_bytes())[:-30])
    with pytest.raises(DataValidationError, match="truncated or corrupt"):
        read_imd(cut_gzip, 2019, expected_rows=None)

    cut_line = _rewrite(tmp_path, FILE2, lambda t: t.rstrip("\n")[:-40], "cut_line.csv")
    with pytest.raises(DataValidationError) as error:
        read_imd(cut_line, 2019, expected_rows=None)
    assert {r for r, _c, m in _problems(error) if "cut short" in m} == {9}


def test_a_file_that_is_not_an_iod_table_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("areacd,areanm,value\nE07000177,Cherwell,1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="header row"):
        read_imd(other, 2019)


# ----- the real files (integration) -------------------------------------------------------------
IMD2019 = "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz"
POP2019 = "imd2019/csv/File_6_-_IoD2019_Population_Denominators.csv.gz"


@pytest.fixture(scope="module")
def real_file2(mirror: Path) -> pd.DataFrame:
    return read_imd(mirror / IMD2019, 2019, population=mirror / POP2019)


@pytest.mark.integration
def test_real_file2_has_every_english_lsoa_and_407_in_oxfordshire(real_file2: pd.DataFrame) -> None:
    frame = real_file2
    assert len(frame) == 32_844 and frame["lsoa_code"].is_unique
    assert frame["lad_code"].isin(OXFORDSHIRE_DISTRICTS).sum() == 407  # SOURCES.md
    for index in ("imd", *DOMAINS):
        # Ranks run from 1 to 32,844 (LSOAs with tied scores share a rank); a tenth in each decile.
        assert (frame[f"{index}_rank"].min(), frame[f"{index}_rank"].max()) == (1, 32_844)
        assert frame[f"{index}_decile"].value_counts().between(3250, 3320).all()
    assert frame["population"].notna().all()


@pytest.mark.integration
@pytest.mark.parametrize(
    "path",
    [
        "imd2019/csv/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
        "imd2019/xlsx/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
        "imd2019/csv/File_3_-_IoD2019_Supplementary_Indices_-_IDACI_and_IDAOPI.csv.gz",
        "imd2019/xlsx/File_3_-_IoD2019_Supplementary_Indices_-_IDACI_and_IDAOPI.xlsx",
    ],
)
def test_real_files_1_and_3_in_csv_and_xlsx_agree_with_file2(mirror: Path, real_file2: pd.DataFrame, path: str) -> None:
    file2 = real_file2.set_index("lsoa_code")
    other = read_imd(mirror / path, 2019).set_index("lsoa_code").loc[file2.index]
    assert (other["imd_rank"] == file2["imd_rank"]).all()
    assert (other["imd_decile"] == file2["imd_decile"]).all()


@pytest.mark.integration
def test_real_file6_csv_and_xlsx_agree(mirror: Path) -> None:
    csv = read_imd_population(mirror / POP2019, 2019).set_index("lsoa_code")["population"]
    xlsx = read_imd_population(mirror / "imd2019/xlsx/File_6_-_IoD2019_Population_Denominators.xlsx", 2019)
    assert (xlsx.set_index("lsoa_code")["population"].loc[csv.index] == csv).all()


@pytest.mark.integration
def test_real_2025_file_has_every_english_lsoa21_with_scores(mirror: Path) -> None:
    frame = read_imd(mirror / "imd2025/imd2025_england_lsoa21.csv.gz", 2025)
    assert len(frame) == 33_755 and frame["lsoa_code"].is_unique  # SOURCES.md
    # SOURCES.md: decile 1 is the most deprived, ranks 1-3,375.
    assert frame.loc[frame["imd_decile"] == 1, "imd_rank"].max() == 3375
    assert frame[[f"{d}_score" for d in ("imd", *DOMAINS)]].notna().all().all()
