"""Validation of canonical indicator CSVs: each kind of bad input named by row and column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.indicators.validate import MAX_FILE_BYTES, validate_canonical_file, validate_frame

HEADER = "areacd,areanm,geography,indicator,period,value,unit,lci_95,uci_95,status,notes\n"
GOOD = "E07000178,Oxford,district,housing_affordability,2025,10.4,ratio,,,,\n"
KNOWN = {"E07000178", "E10000025", "E92000001"}


def write(tmp_path: Path, text: str | bytes, name: str = "upload.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_hand_written_valid_file_passes(fixtures_dir: Path) -> None:
    assert validate_canonical_file(fixtures_dir / "canonical" / "valid.csv", known_areas=KNOWN) == []


BAD_INPUTS = {
    # name: (file text, expected row, expected column, words in the message)
    "renamed column": (
        HEADER.replace("value", "observation_value") + GOOD.replace("10.4", "10.4"),
        1,
        "value",
        "renamed",
    ),
    "missing column": (
        HEADER.replace(",unit", "") + "E07000178,Oxford,district,x,2025,10.4,,,,\n",
        1,
        "unit",
        "missing",
    ),
    "thousands separator": (
        HEADER + 'E07000178,Oxford,district,gdhi,2023,"29,199",GBP,,,,\n',
        2,
        "value",
        "thousands separator",
    ),
    "not a number": (HEADER + "E07000178,Oxford,district,gdhi,2023,n/a,GBP,,,,\n", 2, "value", "not a number"),
    "unknown area": (
        HEADER + GOOD + "E07000999,Nowhere,district,housing_affordability,2025,1,ratio,,,,\n",
        3,
        "areacd",
        "unknown area code",
    ),
    "outside England": (
        HEADER + "W06000015,Cardiff,district,housing_affordability,2025,7,ratio,,,,\n",
        2,
        "areacd",
        "outside England",
    ),
    "not a GSS code": (
        HEADER + "OXF,Oxford,district,housing_affordability,2025,7,ratio,,,,\n",
        2,
        "areacd",
        "not a GSS area code",
    ),
    "bad period": (
        HEADER + "E07000178,Oxford,district,housing_affordability,Q3 twenty,7,ratio,,,,\n",
        2,
        "period",
        "ISO-8601",
    ),
    "impossible date": (
        HEADER + "E07000178,Oxford,district,housing_affordability,2025-13-01,7,ratio,,,,\n",
        2,
        "period",
        "impossible",
    ),
    "duplicate": (HEADER + GOOD + GOOD, 3, "period", "duplicate of row 2"),
    "percentage above 100": (
        HEADER + "E07000178,Oxford,district,claimant,2025,104,%,,,,\n",
        2,
        "value",
        "not a possible percentage",
    ),
    "negative percentage": (
        HEADER + "E07000178,Oxford,district,claimant,2025,-3,%,,,,\n",
        2,
        "value",
        "not a possible percentage",
    ),
    "half-written row": (HEADER + GOOD + "E07000178,Oxford,district,housing_aff", 3, None, "truncated"),
    "formula injection": (
        HEADER + 'E07000178,"=HYPERLINK(""http://x"")",district,housing_affordability,2025,1,ratio,,,,\n',
        2,
        "areanm",
        "formula",
    ),
    "interval inverted": (
        HEADER + "E07000178,Oxford,district,wellbeing,2025,7,score,7.5,6.5,,\n",
        2,
        "lci_95",
        "above upper bound",
    ),
    "empty value without status": (
        HEADER + "E07000178,Oxford,district,wellbeing,2025,,score,,,,\n",
        2,
        "value",
        "status",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_named_by_row_and_column(tmp_path: Path, case: str) -> None:
    text, row, column, words = BAD_INPUTS[case]
    problems = validate_canonical_file(write(tmp_path, text), known_areas=KNOWN)
    assert problems, f"{case}: no problem reported"
    matching = [p for p in problems if words.lower() in p.message.lower()]
    assert matching, f"{case}: expected {words!r} in {[str(p) for p in problems]}"
    assert matching[0].file == "upload.csv"
    assert matching[0].row == row
    assert matching[0].column == column


def test_wrong_encoding_is_reported(tmp_path: Path) -> None:
    text = (HEADER + "E07000178,Oxford,district,x,2025,1,ratio,,,,Café note\n").encode("cp1252")
    problems = validate_canonical_file(write(tmp_path, text), known_areas=KNOWN)
    assert len(problems) == 1 and "not UTF-8" in problems[0].message and problems[0].row == 2


def test_utf16_file_is_reported(tmp_path: Path) -> None:
    problems = validate_canonical_file(write(tmp_path, (HEADER + GOOD).encode("utf-16")))
    assert "UTF-16" in problems[0].message


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    assert validate_canonical_file(write(tmp_path, "\ufeff" + HEADER + GOOD), known_areas=KNOWN) == []


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    assert "empty" in validate_canonical_file(write(tmp_path, b"", "a.csv"))[0].message
    assert "no data rows" in validate_canonical_file(write(tmp_path, HEADER, "b.csv"))[0].message


def test_file_far_larger_than_any_release(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    assert "far larger" in validate_canonical_file(path)[0].message


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    text = HEADER + "OXF,Oxford,district,x,never,abc,%,,,,\n" + "E07000178,,district,x,2025,500,%,,,,\n"
    problems = validate_canonical_file(write(tmp_path, text))
    assert {(p.row, p.column) for p in problems} >= {
        (2, "areacd"),
        (2, "period"),
        (2, "value"),
        (3, "areanm"),
        (3, "value"),
    }


def test_validate_frame_uses_the_same_rules() -> None:
    frame = pd.DataFrame(
        [
            {
                "areacd": "E07000178",
                "areanm": "Oxford",
                "geography": "district",
                "indicator": "x",
                "period": "2025",
                "value": 140.0,
                "unit": "%",
                "lci_95": None,
                "uci_95": None,
                "status": "",
                "notes": "",
            }
        ]
    )
    problems = validate_frame(frame, "built x")
    assert len(problems) == 1 and problems[0].column == "value" and problems[0].row == 2
