"""The unrolled Doughnut (bars): shortfall left, overshoot right, grouped in Doughnut order."""

from __future__ import annotations

import json

import pytest

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.bars import unrolled_bars, unrolled_rows
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.scoring import DRAW_CAP


def make(id_, dimension, status, score=None, value=None, **extra) -> PortraitEntry:
    ring, label = DIMENSIONS[dimension]
    fields = {
        "id": id_, "title": f"Title of {id_}", "short_title": f"Short {id_}", "ring": ring, "dimension": dimension,
        "dimension_label": label, "cwb_theme": None, "unit": "%", "unit_short": "%", "decimals": 1,
        "polarity": "lower_is_better", "period": "2023", "period_label": "2023", "value": value, "lci_95": None,
        "uci_95": None, "threshold": 10.0, "threshold_kind": "ceiling" if ring != "social_foundation" else "target",
        "threshold_source": f"Source for {id_}", "threshold_illustrative": False, "status": status, "score": score,
        "drawn_score": None if score is None else min(score, DRAW_CAP), "capped": (score or 0) > DRAW_CAP,
        "ratio": None, "england": None, "county": None, "trend": None,
    }  # fmt: skip
    fields.update(extra)
    return PortraitEntry(**fields)


ENTRIES = [
    make("housing_gap", "housing", "shortfall", 0.3, 6.5),
    make("food_gap", "food", "shortfall", 0.12, 12.0),
    make("health_ok", "health", "within", 0.0, 71.0),
    make("ghg", "climate_change", "overshoot", 1.5, 5.0),
    make("huge", "air_pollution", "overshoot", 9.0, 100.0),
    make("nodata", "biodiversity_breakdown", "missing"),
    make(
        "with_ci",
        "education",
        "shortfall",
        0.3,
        30.0,
        lci_95=20.0,
        uci_95=40.0,
        threshold=0.0,
        threshold_kind="zero_deprivation",
    ),
]


def frame(entries=ENTRIES):
    return Portrait("E07000178", "Oxford", "district", "latest", list(entries)).frame()


@pytest.fixture(scope="module")
def spec():
    return unrolled_bars(frame(), title="Oxford unrolled").to_dict()


def find_layers(node, found=None):
    """Every unit view (a dict with a mark) anywhere in a composed spec."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if "mark" in node:
            found.append(node)
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in node.get(key, []):
                find_layers(child, found)
    return found


def mark(layer):
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def rows_of(spec, layer):
    return spec["datasets"][layer["data"]["name"]]


def bar_layer(spec):
    (layer,) = [x for x in find_layers(spec) if mark(x) == "bar"]
    return layer


def test_shortfall_is_negative_overshoot_positive(spec):
    bars = {r["id"]: r for r in rows_of(spec, bar_layer(spec))}
    assert bars["housing_gap"]["x"] == pytest.approx(-0.3)
    assert bars["food_gap"]["x"] == pytest.approx(-0.12)
    assert bars["ghg"]["x"] == pytest.approx(1.5)
    assert all(r["x0"] == 0 for r in bars.values())
    assert bars["housing_gap"]["fill"] == style.SHORTFALL
    assert bars["ghg"]["fill"] == style.OVERSHOOT
    assert "health_ok" not in bars and "nodata" not in bars


def test_bars_are_capped_at_draw_cap_with_the_true_value_labelled(spec):
    bars = {r["id"]: r for r in rows_of(spec, bar_layer(spec))}
    assert bars["huge"]["x"] == pytest.approx(DRAW_CAP)
    (labels,) = [x for x in find_layers(spec) if mark(x) == "text" and x["encoding"]["text"]["field"] == "label"]
    texts = [r["label"] for r in rows_of(spec, labels)]
    assert "100.0% (off scale)" in texts
    assert "6.5%" in texts


def test_within_is_a_marker_at_zero_and_missing_says_no_data(spec):
    (points,) = [x for x in find_layers(spec) if mark(x) == "point"]
    (within,) = rows_of(spec, points)
    assert within["id"] == "health_ok" and within["x"] == 0
    rows = unrolled_rows(frame())
    missing = rows[rows["status"] == "missing"]
    assert set(missing["label"]) == {"no data"}
    # The missing indicator, plus every dimension with no indicator at all.
    assert len(missing) == 1 + (21 - 7)  # seven dimensions have an entry


def test_confidence_interval_is_a_rule_between_the_scores_of_its_bounds(spec):
    (rule,) = [x for x in find_layers(spec) if mark(x) == "rule" and "x2" in x["encoding"]]
    (line,) = rows_of(spec, rule)
    # 20% and 40% deprived: shortfalls of 0.2 and 0.4, drawn to the left.
    assert (line["ci_lo"], line["ci_hi"]) == (pytest.approx(-0.4), pytest.approx(-0.2))
    assert "Thin black lines: 95% confidence intervals, where published." in json.dumps(spec)
    without = unrolled_bars(frame(ENTRIES[:-1]), title="x").to_dict()
    assert not [x for x in find_layers(without) if mark(x) == "rule" and "x2" in x["encoding"]]
    assert "confidence intervals" not in json.dumps(without)


def test_rows_are_grouped_by_dimension_in_doughnut_order():
    rows = unrolled_rows(frame())
    headings = rows[rows["kind"] == "dimension"]["name"].tolist()
    assert headings == [label for label, _ in ((v[1], k) for k, v in DIMENSIONS.items())]
    names = rows["name"].tolist()
    assert names.index("Food") < names.index("Short food_gap") < names.index("Health") < names.index("Short health_ok")
    assert names.index("Housing") < names.index("Short housing_gap") < names.index("Connectivity")
    rings = rows[rows["kind"] == "ring"]["name"].tolist()
    assert rings[0].startswith("Social foundation") and rings[1].startswith("Ecological ceiling")
    assert list(rows["row"]) == list(range(len(rows)))


def test_social_rows_sit_left_and_ecological_right():
    rows = unrolled_rows(frame())
    social = rows[rows["name"].isin(["Short food_gap", "Short housing_gap", "Short health_ok"])]
    ecological = rows[rows["name"].isin(["Short ghg", "Short huge", "Short nodata"])]
    assert set(social["side"]) == {-1}
    assert set(ecological["side"]) == {1}


def test_axis_shows_both_directions_as_positive_percentages(spec):
    x = bar_layer(spec)["encoding"]["x"]
    low, high = x["scale"]["domain"]
    assert low < -0.3 and high > DRAW_CAP - 0.01
    assert "abs(" in x["axis"]["labelExpr"]


def test_same_click_selection_as_the_doughnut(spec):
    params = [p for layer in find_layers(spec) for p in layer.get("params", [])] + spec.get("params", [])
    (param,) = params
    assert param["name"] == "wedge"
    assert param["select"]["fields"] == ["id"]
    assert param["select"]["on"] == "click"


def test_tooltips_include_threshold_source(spec):
    fields = {t["field"] for t in bar_layer(spec)["encoding"]["tooltip"]}
    assert {"threshold_source", "value_text", "period_label", "status_text"} <= fields


def test_payload_small_and_renders():
    vl_convert = pytest.importorskip("vl_convert")
    chart = unrolled_bars(frame(), title="Oxford unrolled", credit="Source: test credit")
    assert len(json.dumps(chart.to_dict(), separators=(",", ":"))) < 40_000
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    for text in ("Housing", "Climate change", "no data", "Short ghg", "Source: test credit"):
        assert text in svg
