"""A canonical CSV is read cell by cell as text: nothing half-parsed, nothing silently dropped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cwb_metrics.indicators.validate import validate_canonical_file, validate_frame


def parse_canonical_file(path: Path, **kwargs: object):
    from cwb_metrics.indicators.validate import parse_canonical_file as parse  # new: the rows checked are the rows kept

    return parse(path, **kwargs)


HEADER = "areacd,areanm,geography,indicator,period,value,unit,lci_95,uci_95,status,notes\n"
KNOWN = {"E07000178", "E07000181", "E10000025", "E92000001"}


def write(tmp_path: Path, text: str | bytes, name: str = "upload.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def row(value: str = "32220", *, code: str = "E07000181", name: str = "West Oxfordshire", period: str = "2023") -> str:
    return f"{code},{name},district,gdhi_per_head,{period},{value},GBP,,,,\n"


@pytest.mark.parametrize("value", ["1_000", "١٢", "1e400", "NaN", "inf", "0x10", "1,000", "12 000"])
def test_a_value_pandas_would_half_parse_is_a_problem_not_an_empty_value(tmp_path: Path, value: str) -> None:
    quoted = f'"{value}"' if "," in value else value
    frame, problems = parse_canonical_file(write(tmp_path, HEADER + row() + row(quoted, period="2022")))
    assert frame.empty
    assert [(p.file, p.row, p.column) for p in problems] == [("upload.csv", 3, "value")], problems


def test_accepted_numbers_are_stored_as_written(tmp_path: Path) -> None:
    text = HEADER + row("+5") + row(".5", period="2022") + row("5.", period="2021") + row("-0", period="2020")
    frame, problems = parse_canonical_file(write(tmp_path, text))
    assert problems == []
    assert frame["value"].tolist() == [5.0, 0.5, 5.0, 0.0]
    assert [str(v) for v in frame["value"]] == ["5.0", "0.5", "5.0", "0.0"]


def test_blank_value_with_status_is_missing_but_nan_text_is_refused(tmp_path: Path) -> None:
    blank = HEADER + "E07000181,West Oxfordshire,district,gdhi_per_head,2023,,GBP,,,x,\n"
    frame, problems = parse_canonical_file(write(tmp_path, blank))
    assert problems == [] and frame["value"].isna().tolist() == [True] and frame["status"].tolist() == ["x"]
    literal = HEADER + "E07000181,West Oxfordshire,district,gdhi_per_head,2023,NaN,GBP,,,x,\n"
    problems = validate_canonical_file(write(tmp_path, literal))
    assert [(p.row, p.column) for p in problems] == [(2, "value")] and "empty" in problems[0].message


def test_padded_text_is_stored_without_its_spaces(tmp_path: Path) -> None:
    text = HEADER + '" E07000181 ", West Oxfordshire ,district , gdhi_per_head, 2023 ,32220, GBP,,,,\n'
    frame, problems = parse_canonical_file(write(tmp_path, text), known_areas=KNOWN)
    assert problems == []
    assert frame.iloc[0][["areacd", "areanm", "geography", "indicator", "period", "unit"]].tolist() == [
        "E07000181",
        "West Oxfordshire",
        "district",
        "gdhi_per_head",
        "2023",
        "GBP",
    ]


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ('"West\r\nOxfordshire"', "areanm"),
        ('"West\nOxfordshire"', "areanm"),
        ("West\tOxfordshire", "areanm"),
        ("West Ox\x00fordshire", "areanm"),
    ],
)
def test_control_characters_in_a_name_are_refused(tmp_path: Path, cell: str, column: str) -> None:
    # 100 good rows first: a NUL byte near the start of a file marks it as binary instead
    good = "".join(row(code=f"E07000{n:03d}", name="Somewhere") for n in range(100))
    problems = validate_canonical_file(write(tmp_path, HEADER + good + row(name=cell)))
    assert [(p.row, p.column) for p in problems] == [(102 + cell.count("\n"), column)], problems
    assert "control" in problems[0].message


def test_one_period_written_two_ways_is_a_duplicate(tmp_path: Path) -> None:
    text = HEADER + row("32220", period="2023") + row("31000", period="2023-01-01/P1Y")
    problems = validate_canonical_file(write(tmp_path, text))
    assert [(p.row, p.column) for p in problems] == [(3, "period")] and "duplicate of row 2" in problems[0].message


def test_periods_are_stored_in_canonical_form(tmp_path: Path) -> None:
    text = HEADER + row(period="2023-01-01/P1Y") + row(period="2022-04-01/P12M")
    frame, problems = parse_canonical_file(write(tmp_path, text))
    assert problems == [] and frame["period"].tolist() == ["2023", "2022-04-01/P1Y"]


def test_a_byte_order_mark_in_the_middle_of_the_file_is_refused(tmp_path: Path) -> None:
    # Two files pasted together: the second one's BOM and header land in the data.
    text = "\ufeff" + HEADER + row() + "\ufeff" + HEADER + row(period="2022")
    problems = validate_canonical_file(write(tmp_path, text))
    assert {p.row for p in problems} == {3}
    assert any("U+FEFF" in p.message for p in problems)


def test_empty_lines_are_skipped_and_mixed_line_endings_read(tmp_path: Path) -> None:
    text = HEADER.replace("\n", "\r\n") + row() + "\n" + ",,,,,,,,,,\r\n" + row(period="2022").replace("\n", "\r")
    text += row(period="2021")
    frame, problems = parse_canonical_file(write(tmp_path, text))
    assert problems == []
    assert frame["period"].tolist() == ["2023", "2022", "2021"]
    bad = HEADER + row() + "\n\r\n" + row("oops", period="2022")
    assert [p.row for p in validate_canonical_file(write(tmp_path, bad))] == [5]


def test_a_very_long_cell_is_named(tmp_path: Path) -> None:
    huge = HEADER + row(name="W" * (csv.field_size_limit() + 10))
    problems = validate_canonical_file(write(tmp_path, huge))
    assert problems[0].row == 2 and "longer than" in problems[0].message
    long_name = HEADER + row(name="W" * 500)
    problems = validate_canonical_file(write(tmp_path, long_name))
    assert problems[0].column == "areanm" and "characters long" in problems[0].message


def test_duplicate_header_names_are_refused(tmp_path: Path) -> None:
    text = HEADER.replace("notes", "value") + row()
    problems = validate_canonical_file(write(tmp_path, text))
    assert any(p.column == "value" and "more than once" in p.message for p in problems)


def test_a_workbook_saved_with_a_csv_name_is_named(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(row().strip().split(","))
    path = tmp_path / "upload.csv"
    book.save(path)
    problems = validate_canonical_file(path)
    assert len(problems) == 1 and "Excel workbook" in problems[0].message


def test_a_folder_or_unreadable_path_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "upload.csv").mkdir()
    assert "is a folder, not a CSV file" in validate_canonical_file(tmp_path / "upload.csv")[0].message
    assert "not found" in validate_canonical_file(tmp_path / "nothing.csv")[0].message


def test_a_region_row_is_refused(tmp_path: Path) -> None:
    text = HEADER + "E12000008,South East,region,gdhi_per_head,2023,30000,GBP,,,,\n"
    problems = validate_canonical_file(write(tmp_path, text))
    assert [(p.row, p.column) for p in problems] == [(2, "geography")]


def test_builder_output_is_checked_by_the_same_schema() -> None:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "areacd": ["E07000181", "E07000181"],
            "areanm": ["West Oxfordshire", "West Oxfordshire"],
            "geography": ["district", "district"],
            "indicator": ["x", "x"],
            "period": ["2023", "2023-01-01/P1Y"],
            "value": [1.0, float("inf")],
            "unit": ["GBP", "GBP"],
        }
    )
    problems = validate_frame(frame, "built x")
    assert [(p.row, p.column) for p in problems] == [(3, "value")]
    problems = validate_frame(frame.assign(value=[1.0, 2.0]), "built x")
    assert [(p.row, p.column) for p in problems] == [(3, "period")] and "duplicate" in problems[0].message


def test_a_number_too_small_to_store_is_refused_not_turned_into_zero(tmp_path: Path) -> None:
    problems = validate_canonical_file(write(tmp_path, HEADER + row("1e-400")))
    assert [(p.row, p.column) for p in problems] == [(2, "value")] and "too small" in problems[0].message


def test_a_header_of_a_million_columns_gives_a_short_list(tmp_path: Path) -> None:
    header = HEADER.strip() + "," + ",".join(f"c{n}" for n in range(200_000)) + "\n"
    problems = validate_canonical_file(write(tmp_path, header + row()))
    assert 0 < len(problems) <= 25 and "more unexpected columns" in problems[-1].message


def test_an_unclosed_quote_is_named_not_swallowed(tmp_path: Path) -> None:
    text = HEADER + row() + 'E07000181,"West Oxfordshire,district,gdhi_per_head,2022,1,GBP,,,,\n' + row(period="2021")
    problems = validate_canonical_file(write(tmp_path, text))
    assert problems and all(p.row is not None and p.row >= 3 for p in problems)


@pytest.mark.timeout(30)
def test_a_device_or_pipe_given_as_the_file_is_refused_not_read_for_ever(tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "upload.csv"
    os.mkfifo(pipe)
    assert "not a regular file" in validate_canonical_file(pipe)[0].message
    assert "not a regular file" in validate_canonical_file(Path("/dev/zero"))[0].message
