"""What the views share: picker choices, labels and numbers read from table cells."""

from __future__ import annotations

import numpy as np

from cwb_metrics.views import common


def test_choices_keep_order_and_label_each_key() -> None:
    choices = common.Choices.of([("b", "Bee"), ("a", "Ay"), ("b", "Bee again")])
    assert choices.keys == ["b", "a"] and list(choices) == ["b", "a"] and len(choices) == 2
    assert choices.label("b") == "Bee again" and choices.label("zz") == "zz"
    assert "a" in choices and "zz" not in choices
    assert not common.Choices(())


def test_labels() -> None:
    assert common.status_label("missing") == "No data" and common.status_label("some_new") == "Some new"
    assert common.ring_label("ecological_ceiling") == "Ecological ceiling"
    assert common.measure_label("imd") == "Overall deprivation (IMD)"
    assert common.measure_label("income") == "Income domain" and common.index_label("income") == "Income domain"
    assert common.index_label("imd") == "Index of Multiple Deprivation"
    assert common.period_choice("latest") == "Latest available" and common.period_choice("2023") == "2023"


def test_numbers_from_table_cells() -> None:
    assert common.cell_float(np.int64(3)) == 3.0 and common.cell_float(2.5) == 2.5
    assert common.cell_float(np.nan) is None and common.cell_float(None) is None and common.cell_float("3") is None
    assert common.cell_float(True) is None
    assert common.cell_int(np.float64(7.0)) == 7 and common.cell_int(float("nan")) is None
