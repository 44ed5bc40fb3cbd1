"""Typed tables: rows of a dataclass drawn with their display headers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pandas as pd
import pytest

from cwb_metrics.views.tables import Table, WideTable


@dataclass(frozen=True)
class Row:
    code: str
    value: float | None

    LABELS: ClassVar[dict[str, str]] = {"code": "Code"}


def test_a_table_draws_its_rows_under_their_labels() -> None:
    table = Table(Row, (Row("a", 1.5), Row("b", None)))
    assert table.columns == ["Code", "value"]
    frame = table.frame()
    assert list(frame.columns) == ["Code", "value"] and frame["Code"].tolist() == ["a", "b"]
    assert frame["value"].iloc[0] == 1.5 and pd.isna(frame["value"].iloc[1])
    assert len(table) == 2


def test_an_empty_table_keeps_its_headers() -> None:
    frame = Table(Row, ()).frame()
    assert list(frame.columns) == ["Code", "value"] and frame.empty


def test_a_wide_table_checks_every_row_has_a_cell_per_column() -> None:
    table = WideTable(("Indicator", "Oxford", "England"), (("Pay", "£1", "£2"),))
    assert table.column("England") == ["£2"] and list(table.frame().columns) == ["Indicator", "Oxford", "England"]
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        WideTable(("a", "b", "c"), (("x", "y"),))
