"""The trend chart of one indicator: lines, confidence bands, comparators, threshold."""

from __future__ import annotations

import pandas as pd
import pytest

from cwb_metrics.charts.trends import trend_chart, trend_rows

OXFORD, CHERWELL, COUNTY, ENGLAND = "E07000178", "E07000177", "E10000025", "E92000001"


def row(code, name, period, value, lci=None, uci=None):
    return {"areacd": code, "areanm": name, "period": period, "value": value, "lci_95": lci, "uci_95": uci}


ROWS = pd.DataFrame(
    [
        row(OXFORD, "Oxford", "2021", 7.0, 6.5, 7.5),
        row(OXFORD, "Oxford", "2022", 6.0, 5.4, 6.6),
        row(OXFORD, "Oxford", "2023-04-01/P1Y", 5.0, 4.6, 5.4),
        row(CHERWELL, "Cherwell", "2021", 9.0),
        row(CHERWELL, "Cherwell", "2022", None),
        row(CHERWELL, "Cherwell", "2023", 8.0),
        row(ENGLAND, "England", "2021", 6.5),
        row(ENGLAND, "England", "2023", 5.5),
        row(COUNTY, "Oxfordshire", "2022", 7.1),
        row("E07000179", "South Oxfordshire", "2022", 99.0),
        row(OXFORD, "Oxford", "not a period", 1.0),
    ]
)


def chart(**kwargs):
    options = {
        "areas": [OXFORD, CHERWELL], "threshold": 2.3, "threshold_label": "Ceiling 2.3 t (carbon budget)",
        "unit": "t CO2e", "title": "Emissions", "comparators": [ENGLAND, COUNTY],
    } | kwargs  # fmt: skip
    return trend_chart(ROWS, **options)


def mark(layer):
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def test_rows_have_midpoint_dates_labels_and_roles():
    data = trend_rows(ROWS, [OXFORD, CHERWELL], [ENGLAND, COUNTY])
    assert set(data["areacd"]) == {OXFORD, CHERWELL, ENGLAND, COUNTY}  # South Oxfordshire not asked for
    oxford = data[data["areacd"] == OXFORD]
    assert oxford["period_label"].tolist() == ["2021", "2022", "2023/24"]  # unreadable period dropped
    # 2021 runs 1 Jan 2021 to 1 Jan 2022: midpoint 2 July; 2023/24 midpoint is 1 October 2023.
    assert oxford["date"].dt.strftime("%Y-%m-%d").tolist() == ["2021-07-02", "2022-07-02", "2023-10-01"]
    assert data[data["areacd"] == CHERWELL]["value"].tolist() == [9.0, 8.0]  # missing value dropped
    assert set(data[data["areacd"].isin([ENGLAND, COUNTY])]["role"]) == {"comparator"}
    assert set(data[data["areacd"].isin([OXFORD, CHERWELL])]["role"]) == {"area"}


def test_layers_bands_comparator_dashes_lines_and_threshold():
    spec = chart().to_dict()
    layers = spec["layer"]
    marks = [mark(x) for x in layers]
    assert marks[:3] == ["area", "line", "line"]
    band = layers[0]
    assert band["encoding"]["y"]["field"] == "lci_95" and band["encoding"]["y2"]["field"] == "uci_95"
    assert "isValid(datum.lci_95)" in band["transform"][0]["filter"]
    comparator = layers[1]
    assert comparator["mark"]["strokeDash"] == [6, 4]
    assert "comparator" in comparator["transform"][0]["filter"]
    assert "strokeDash" not in layers[2]["mark"]
    (rule,) = [x for x in layers if mark(x) == "rule"]
    assert spec["datasets"][rule["data"]["name"]] == [{"value": 2.3, "label": "Ceiling 2.3 t (carbon budget)"}]
    assert any(mark(x) == "text" and x["encoding"]["text"]["field"] == "label" for x in layers)


def test_temporal_x_axis_labelled_with_period_labels():
    spec = chart().to_dict()
    x = spec["layer"][2]["encoding"]["x"]
    assert x["type"] == "temporal"
    assert x["scale"]["type"] == "utc"
    assert "'2023-10-01': '2023/24'" in x["axis"]["labelExpr"]
    assert x["scale"]["domain"] == ["2021-01-01", "2024-04-01"]


def test_comparators_coloured_black_and_grey_after_the_areas():
    spec = chart().to_dict()
    scale = spec["layer"][2]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Oxford", "Cherwell", "England", "Oxfordshire"]
    assert scale["range"][2:] == ["#1F1F1F", "#6B6B6B"]


def test_tooltip_gives_period_label_value_and_interval():
    spec = chart().to_dict()
    fields = {t["field"] for t in spec["layer"][2]["encoding"]["tooltip"]}
    assert {"area", "period_label", "value_text", "ci_text"} <= fields
    data = trend_rows(ROWS, [OXFORD], [], decimals=1, unit="t")
    assert data["ci_text"].tolist()[0] == "6.5 t to 7.5 t"
    assert data["value_text"].tolist()[-1] == "5.0 t"


def test_only_england_is_a_comparator_unless_the_caller_names_the_county():
    spec = trend_chart(ROWS, areas=[OXFORD], threshold=None, threshold_label="", unit="t", title="Emissions").to_dict()
    assert spec["layer"][2]["encoding"]["color"]["scale"]["domain"] == ["Oxford", "England"]


def test_no_threshold_no_rule():
    spec = chart(threshold=None).to_dict()
    assert not [x for x in spec["layer"] if mark(x) == "rule"]


def test_an_area_listed_as_area_is_not_also_a_comparator():
    data = chart(areas=[OXFORD, ENGLAND]).to_dict()
    assert data["layer"][2]["encoding"]["color"]["scale"]["domain"] == ["Oxford", "England", "Oxfordshire"]


def test_empty_rows_still_build():
    empty = trend_chart(ROWS.iloc[0:0], areas=[OXFORD], threshold=None, threshold_label="", unit="%", title="None")
    assert empty.to_dict()["layer"]


def test_renders_with_vl_convert():
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(chart().to_json())
    assert "Ceiling 2.3 t (carbon budget)" in svg
    assert "2023/24" in svg
    assert "Oxfordshire" in svg
