"""The one strict schema of a data row: every cell read exactly as written, or refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cwb_metrics.models.row import IndicatorRow
from cwb_metrics.periods import PeriodError


def row_errors(error: ValidationError) -> list[tuple[str | None, str]]:
    from cwb_metrics.models.row import row_errors as errors_of

    return errors_of(error)


def canonical_period(text: str) -> str:
    from cwb_metrics.periods import canonical_period as canonical

    return canonical(text)


ROW = {
    "areacd": "E07000181",
    "areanm": "West Oxfordshire",
    "geography": "district",
    "indicator": "gdhi_per_head",
    "period": "2023",
    "value": "32220",
    "unit": "GBP",
}


def errors(**change: object) -> list[tuple[str | None, str]]:
    with pytest.raises(ValidationError) as caught:
        IndicatorRow.model_validate({**ROW, **change})
    return row_errors(caught.value)


# ----- numbers: plain decimals only ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1_000", "underscores"),  # float() reads 1000, pandas reads nothing: both wrong
        ("١٢", "0-9"),  # Arabic-Indic digits
        ("۱۲", "0-9"),  # Extended Arabic-Indic (Persian) digits
        ("１２", "0-9"),  # full-width digits
        ("१२", "0-9"),  # Devanagari digits
        ("1,000", "thousands separator"),
        ("NaN", "leave the cell empty"),
        ("nan", "leave the cell empty"),
        ("inf", "leave the cell empty"),
        ("-Infinity", "not a number"),
        ("N/A", "leave the cell empty"),
        ("0x1A", "plain decimal"),
        ("1e400", "too large"),
        ("-1e400", "too large"),
        ("12abc", "plain decimal"),
        ("1.2.3", "plain decimal"),
        ("1 000", "plain decimal"),
        ("−5", "plain decimal"),  # U+2212 minus sign
        ("5%", "plain decimal"),
        ("++5", "plain decimal"),
        ("e5", "plain decimal"),
        (".", "plain decimal"),
    ],
)
def test_a_value_that_is_not_a_plain_decimal_is_refused_by_name(text: str, words: str) -> None:
    found = errors(value=text)
    assert [column for column, _ in found] == ["value"]
    assert words.lower() in found[0][1].lower(), found


@pytest.mark.parametrize(
    ("text", "number"),
    [("+5", 5.0), (".5", 0.5), ("5.", 5.0), ("-0", 0.0), ("1.2E3", 1200.0), ("  7 ", 7.0), ("-3.25e-2", -0.0325)],
)
def test_plain_decimals_are_read_exactly(text: str, number: float) -> None:
    row = IndicatorRow.model_validate({**ROW, "value": text})
    assert row.value == number
    assert str(row.value) == str(number)  # -0 is stored as 0.0, not -0.0


def test_every_number_column_uses_the_same_parser() -> None:
    assert [c for c, _ in errors(lci_95="1_000")] == ["lci_95"]
    assert [c for c, _ in errors(uci_95="١٢")] == ["uci_95"]
    from cwb_metrics.models.cells import parse_decimal

    assert parse_decimal(float("nan")) is None  # a DataFrame's empty cell
    with pytest.raises(ValueError, match="finite"):
        parse_decimal(float("inf"))
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(True)


def test_an_empty_value_needs_a_status() -> None:
    assert [c for c, _ in errors(value="")] == ["value"]
    row = IndicatorRow.model_validate({**ROW, "value": "", "status": "x"})
    assert row.value is None and row.status == "x"


# ----- text: stripped, no control characters, no formulas ----------------------------------
def test_surrounding_whitespace_is_stripped_from_every_text_field() -> None:
    padded = {k: f" \t{v}\u00a0 " if k != "value" else v for k, v in ROW.items()}
    row = IndicatorRow.model_validate(padded)
    assert row.areacd == "E07000181" and row.areanm == "West Oxfordshire" and row.period == "2023"
    assert row.geography == "district" and row.indicator == "gdhi_per_head" and row.unit == "GBP"


@pytest.mark.parametrize(
    "name",
    [
        "West\r\nOxfordshire",
        "West\nOxfordshire",
        "West\rOxfordshire",
        "West\tOxfordshire",
        "West\x00Oxfordshire",
        "West\x1bOxfordshire",
        "\ufeffWest Oxfordshire",  # a byte-order mark inside the file
        "West\u200bOxfordshire",  # zero-width space
        "West \u202eeriyshdrofxO",  # right-to-left override
        "West\u2028Oxfordshire",  # line separator
        "West\x85Oxfordshire",  # next line (C1 control)
    ],
)
def test_control_and_invisible_characters_are_refused(name: str) -> None:
    found = errors(areanm=name)
    assert found[0][0] == "areanm" and "control or invisible character" in found[0][1]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_text_starting_like_a_formula_is_refused(start: str) -> None:
    for column in ("areanm", "unit", "status", "notes"):
        found = errors(**{column: f"{start}HYPERLINK(1)"})
        assert found[0][0] == column and "formula" in found[0][1]


def test_too_long_text_is_refused() -> None:
    found = errors(notes="n" * 2001)
    assert found[0][0] == "notes" and "at most 2,000" in found[0][1]


def test_only_the_project_geographies_are_allowed() -> None:
    found = errors(geography="region")  # validate_records once accepted it; nothing else did
    assert found[0][0] == "geography" and "region" in found[0][1]


# ----- periods: one canonical spelling ------------------------------------------------------
@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (["2023", "2023-01-01/P1Y", "2023-01-01/P12M", "2023-01/P1Y", " 2023 "], "2023"),
        (["2023-06", "2023-06-01/P1M"], "2023-06"),
        (["2022-04-01/P1Y", "2022-04-01/P12M"], "2022-04-01/P1Y"),
        (["2021-01-01/P3Y", "2021-01-01/P36M"], "2021-01-01/P3Y"),
        (["2023-01-01/P18M", "2023-01-01/P1Y6M"], "2023-01-01/P1Y6M"),
        (["2025-04-30"], "2025-04-30"),
    ],
)
def test_every_spelling_of_a_period_has_one_canonical_form(spellings: list[str], canonical: str) -> None:
    assert {canonical_period(s) for s in spellings} == {canonical}
    assert canonical_period(canonical) == canonical
    for spelling in spellings:
        assert IndicatorRow.model_validate({**ROW, "period": spelling}).period == canonical


def test_periods_in_other_digits_are_refused() -> None:
    with pytest.raises(PeriodError):
        canonical_period("٢٠٢٣")
    assert errors(period="٢٠٢٣")[0][0] == "period"


def test_interval_rules_name_their_column() -> None:
    assert errors(lci_95="5", uci_95="1") == [("lci_95", "lower bound 5 is above upper bound 1")]
    assert errors(lci_95="1", uci_95="2", value="3") == [("value", "value 3 lies outside its interval [1, 2]")]
    assert errors(unit="%", value="101")[0][0] == "value"
