"""OS National Grid references, checked against positions worked out by hand from the grid's definition."""

from __future__ import annotations

import pytest

from cwb_metrics.sources.gridref import parse_grid_reference, square_origin


@pytest.mark.parametrize(
    ("letters", "origin"),
    [("SV", (0, 0)), ("TQ", (500_000, 100_000)), ("SP", (400_000, 200_000)), ("NZ", (400_000, 500_000)),
     ("HU", (400_000, 1_100_000)), ("SJ", (300_000, 300_000)), ("TA", (500_000, 400_000))],
)  # fmt: skip
def test_square_origins(letters: str, origin: tuple[int, int]) -> None:
    assert square_origin(letters) == origin


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("SP6419046470", (464_190.5, 246_470.5)),  # 10 figures: 1 m squares, centre half a metre in
        ("SJ 8873 4651", (388_735.0, 346_515.0)),  # 8 figures: 10 m squares
        ("SJ 39523 66604", (339_523.5, 366_604.5)),
        ("SP 5020076350", (450_200.5, 276_350.5)),
        ("TQ243883", (524_350.0, 188_350.0)),  # 6 figures: 100 m squares
        ("tq 30 80", (530_500.0, 180_500.0)),  # lower case, 4 figures
        ("NZ5047635589 / NZ5053835695", (450_476.5, 535_589.5)),  # two outlets: the first
        ("SK 38518 90505 Not from consents database", (438_518.5, 390_505.5)),
    ],
)
def test_references_give_the_centre_of_their_square(text: str, point: tuple[float, float]) -> None:
    assert parse_grid_reference(text) == pytest.approx(point)


NOT_REFERENCES = ["", None, "TBC", "N/A", "Not in Consents Database", "False", "123456 234567", "SI 12 34"]


@pytest.mark.parametrize("text", NOT_REFERENCES)
def test_cells_without_a_reference_give_none(text: object) -> None:
    assert parse_grid_reference(text) is None


@pytest.mark.parametrize("text", ["TA 12050 808010", "SP 123", "SP1234567"])
def test_malformed_references_are_errors(text: str) -> None:
    with pytest.raises(ValueError):
        parse_grid_reference(text)
