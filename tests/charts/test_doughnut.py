"""The doughnut's Vega-Lite spec, checked on a hand-made portrait, and rendered for real."""

from __future__ import annotations

import json
import math

import pytest

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.doughnut import doughnut_chart
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.scoring import DRAW_CAP

TAU = 2 * math.pi


def make(id_, dimension, status, score=None, value=None, **extra) -> PortraitEntry:
    ring, label = DIMENSIONS[dimension]
    fields = {
        "id": id_, "title": f"Title of {id_}", "short_title": str(id_), "ring": ring, "dimension": dimension,
        "dimension_label": label, "cwb_theme": None, "unit": "%", "unit_short": "%", "decimals": 1,
        "polarity": "lower_is_better", "period": "2023", "period_label": "2023", "value": value, "lci_95": None,
        "uci_95": None, "threshold": 10.0, "threshold_kind": "ceiling" if ring != "social_foundation" else "target",
        "threshold_source": f"Source for {id_}", "threshold_illustrative": False, "status": status, "score": score,
        "drawn_score": None if score is None else min(score, DRAW_CAP), "capped": (score or 0) > DRAW_CAP,
        "ratio": None, "england": 12.5, "county": 11.0, "trend": "improving",
    }  # fmt: skip
    fields.update(extra)
    return PortraitEntry(**fields)


ENTRIES = [
    make("deprived_20", "food", "shortfall", 0.2, 20.0),
    make("deprived_40", "health", "shortfall", 0.4, 40.0),
    make("hle_ok", "health", "within", 0.0, 71.0),
    make("afford", "housing", "shortfall", 1.08, 10.4, unit_short="×", decimals=2),
    make("ghg_half", "climate_change", "overshoot", 0.5, 3.0),
    make("ghg_one", "climate_change", "overshoot", 1.0, 4.0),
    make("big", "air_pollution", "overshoot", 10.0, 55.0),
    make("land_ok", "land_conversion", "within", 0.0, 5.0),
    make("sssi", "biodiversity_breakdown", "missing", None, None, period=None, period_label=None),
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
COVERED = {e.dimension for e in ENTRIES}


def frame(entries=ENTRIES):
    return Portrait("E07000178", "Oxford", "district", "latest", list(entries)).frame()


@pytest.fixture(scope="module")
def spec():
    return doughnut_chart(frame(), title="Oxford", subtitle="Latest data (2023)").to_dict()


def data(spec, layer):
    return spec["datasets"][layer["data"]["name"]]


def mark(layer):
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def wedge_layer(spec):
    (layer,) = [x for x in spec["layer"] if mark(x) == "arc" and "tooltip" in x.get("encoding", {})]
    return layer


def wedges(spec):
    return {w["id"]: w for w in data(spec, wedge_layer(spec)) if w["id"] is not None}


def band(spec):
    (layer,) = [x for x in spec["layer"] if mark(x) == "arc" and x["mark"].get("fill") == style.SAFE_SPACE]
    (row,) = data(spec, layer)
    return row


def texts(spec):
    (layer,) = [x for x in spec["layer"] if mark(x) == "text"]
    return data(spec, layer)


def test_layers_are_arcs_with_theta_and_radius_as_data(spec):
    arcs = [x for x in spec["layer"] if mark(x) == "arc"]
    assert len(arcs) >= 3  # band, wedges, stripes (and guides)
    for layer in arcs:
        enc = layer["encoding"]
        assert enc["theta"] == {"field": "t0", "type": "quantitative", "scale": None}
        assert enc["theta2"] == {"field": "t1"}
        assert enc["radius"] == {"field": "r_out", "type": "quantitative", "scale": None}
        assert enc["radius2"] == {"field": "r_in"}
    assert {"text", "rect"} <= {mark(x) for x in spec["layer"]}


def test_band_is_the_safe_and_just_space_between_foundation_and_ceiling(spec):
    row = band(spec)
    assert row["t0"] == 0 and row["t1"] == pytest.approx(TAU)
    assert 0 < row["r_in"] < row["r_out"]


def test_shortfall_runs_inward_from_the_foundation_in_proportion_to_score(spec):
    foundation = band(spec)["r_in"]
    w = wedges(spec)
    for key in ("deprived_20", "deprived_40", "afford"):
        assert w[key]["r_out"] == foundation
        assert w[key]["r_in"] < foundation
    short, long = foundation - w["deprived_20"]["r_in"], foundation - w["deprived_40"]["r_in"]
    assert long / short == pytest.approx(2.0, abs=0.02)  # 0.4 is twice 0.2
    assert w["deprived_20"]["fill"] == style.SHORTFALL


def test_a_shortfall_beyond_100_percent_is_cut_at_the_hole_and_labelled(spec):
    foundation = band(spec)["r_in"]
    w = wedges(spec)
    full = foundation - w["afford"]["r_in"]
    # 1.08 is drawn as 1.0: five times the 0.2 wedge, not 5.4 times.
    assert full / (foundation - w["deprived_20"]["r_in"]) == pytest.approx(5.0, abs=0.05)
    assert w["afford"]["r_in"] > 0
    assert any("10.40×" in t["text"] for t in texts(spec))


def test_overshoot_runs_outward_from_the_ceiling_in_proportion_to_score(spec):
    ceiling = band(spec)["r_out"]
    w = wedges(spec)
    for key in ("ghg_half", "ghg_one", "big"):
        assert w[key]["r_in"] == ceiling
        assert w[key]["r_out"] > ceiling
        assert w[key]["fill"] == style.OVERSHOOT
    half, one = w["ghg_half"]["r_out"] - ceiling, w["ghg_one"]["r_out"] - ceiling
    assert one / half == pytest.approx(2.0, abs=0.02)


def test_a_huge_overshoot_is_drawn_at_the_cap_and_labelled_with_its_true_value(spec):
    ceiling = band(spec)["r_out"]
    w = wedges(spec)
    capped = w["big"]["r_out"] - ceiling
    assert capped / (w["ghg_one"]["r_out"] - ceiling) == pytest.approx(DRAW_CAP, abs=0.02)
    assert any("55.0%" in t["text"] for t in texts(spec))


def test_within_is_a_green_tick_on_its_boundary(spec):
    foundation, ceiling = band(spec)["r_in"], band(spec)["r_out"]
    w = wedges(spec)
    assert w["hle_ok"]["fill"] == w["land_ok"]["fill"] == style.WITHIN
    assert w["hle_ok"]["r_out"] == foundation and 0 < foundation - w["hle_ok"]["r_in"] < 15
    assert w["land_ok"]["r_in"] == ceiling and 0 < w["land_ok"]["r_out"] - ceiling < 15


def test_missing_data_is_a_grey_striped_labelled_wedge_on_the_boundary(spec):
    ceiling = band(spec)["r_out"]
    rows = data(spec, wedge_layer(spec))
    missing = [r for r in rows if r["status"] == "missing"]
    # One indicator with no value, plus every dimension with no indicator at all.
    assert len(missing) == 1 + (21 - len(COVERED))
    assert {r["fill"] for r in missing} == {style.MISSING}
    sssi = wedges(spec)["sssi"]
    assert sssi["r_in"] == ceiling and sssi["r_out"] > ceiling
    assert "No data" in sssi["status_text"]
    assert sum(t["text"] == "no data" for t in texts(spec)) >= 10
    # Stripes: white arcs lying inside a missing wedge.
    white = [x for x in spec["layer"] if mark(x) == "arc" and x["mark"].get("fill") == style.MISSING_STRIPE]
    (stripes,) = [x for x in white if all(row["t1"] - row["t0"] < 1 for row in data(spec, x))]
    assert len(data(spec, stripes)) >= 3 * len(missing)
    for stripe in data(spec, stripes):
        assert any(
            m["t0"] == stripe["t0"] and m["r_in"] <= stripe["r_in"] < stripe["r_out"] <= m["r_out"] for m in missing
        )


def test_white_circles_mark_the_foundation_and_the_ceiling(spec):
    foundation, ceiling = band(spec)["r_in"], band(spec)["r_out"]
    (edges,) = [x for x in spec["layer"] if mark(x) == "arc" and x["mark"].get("fill") == style.EDGE
                and all(row["t1"] == pytest.approx(TAU, abs=1e-3) for row in data(spec, x))]  # fmt: skip
    middles = sorted((row["r_in"] + row["r_out"]) / 2 for row in data(spec, edges))
    assert middles == [pytest.approx(foundation), pytest.approx(ceiling)]
    # Drawn above the wedges.
    assert spec["layer"].index(edges) > spec["layer"].index(wedge_layer(spec))


def test_confidence_interval_is_a_thin_line_from_the_lower_to_the_upper_bound(spec):
    w = wedges(spec)
    layer = [x for x in spec["layer"] if mark(x) == "arc" and x["mark"].get("fill") == style.INK]
    (line,) = data(spec, layer[0])
    # 20% and 40% deprived: the same radii as the 0.2 and 0.4 shortfall wedges.
    assert line["r_out"] == pytest.approx(w["deprived_20"]["r_in"], abs=0.2)
    assert line["r_in"] == pytest.approx(w["deprived_40"]["r_in"], abs=0.2)
    assert w["with_ci"]["t0"] < line["t0"] < line["t1"] < w["with_ci"]["t1"]
    assert "95% CI 20.0% to 40.0%" in w["with_ci"]["value_text"]
    no_ci = doughnut_chart(frame(ENTRIES[:-1]), title="x").to_dict()
    assert not [x for x in no_ci["layer"] if mark(x) == "arc" and x["mark"].get("fill") == style.INK]


def test_wedges_share_their_dimension_slice_in_doughnut_order(spec):
    w = wedges(spec)
    social, ecological = TAU / 12, TAU / 9
    assert 0 <= w["deprived_20"]["t0"] < w["deprived_20"]["t1"] <= social  # food is first
    health = sorted([w["deprived_40"], w["hle_ok"]], key=lambda r: r["t0"])
    assert social <= health[0]["t0"] and health[1]["t1"] <= 2 * social
    assert health[0]["t1"] == pytest.approx(health[1]["t0"])
    assert health[0]["t1"] - health[0]["t0"] == pytest.approx(health[1]["t1"] - health[1]["t0"], abs=1e-3)
    air = list(DIMENSIONS).index("air_pollution") - 12
    assert air * ecological <= w["big"]["t0"] < w["big"]["t1"] <= (air + 1) * ecological
    assert w["ghg_half"]["t0"] < w["ghg_one"]["t0"] < ecological


def test_every_dimension_is_labelled(spec):
    shown = {t["text"].replace("\n", " ") for t in texts(spec)}
    for _, label in DIMENSIONS.values():
        assert label in shown


def test_click_selection_on_indicator_id(spec):
    (param,) = spec["params"]
    assert param["name"] == "wedge"
    assert param["select"]["type"] == "point"
    assert param["select"]["fields"] == ["id"]
    assert param["select"]["on"] == "click"
    other = doughnut_chart(frame(), title="x", select_name="pick").to_dict()
    assert other["params"][0]["name"] == "pick"


def test_tooltips_carry_threshold_source_comparators_and_trend(spec):
    fields = {t["field"] for t in wedge_layer(spec)["encoding"]["tooltip"]}
    assert {"title", "value_text", "threshold_text", "threshold_source", "period_label", "status_text"} <= fields
    assert {"england_text", "county_text", "trend_text"} <= fields
    afford = wedges(spec)["afford"]
    assert afford["threshold_source"] == "Source for afford"
    assert afford["value_text"] == "10.40×"
    assert afford["england_text"] == "12.50×"
    assert afford["trend_text"] == "improving (significant at 95%)"


def test_title_subtitle_and_credit_are_drawn(spec):
    assert spec["title"]["text"] == "Oxford"
    assert spec["title"]["subtitle"] == "Latest data (2023)"
    assert any(t["text"] == style.DEFAULT_CREDIT for t in texts(spec))
    custom = doughnut_chart(frame(), title="x", credit="Source: us").to_dict()
    assert any(t["text"] == "Source: us" for t in texts(custom))


def test_dimensions_absent_from_the_frame_are_drawn_as_no_data():
    only_food = doughnut_chart(frame(ENTRIES[:1]), title="x").to_dict()
    rows = data(only_food, wedge_layer(only_food))
    assert len(rows) == 1 + 20
    assert sum(r["status"] == "missing" for r in rows) == 20


def test_payload_is_small_for_40_indicators():
    dims = list(DIMENSIONS)
    statuses = ["shortfall", "within", "overshoot", "missing"]
    entries = []
    for i in range(40):
        status = statuses[i % 4]
        if DIMENSIONS[dims[i % 21]][0] == "social_foundation" and status == "overshoot":
            status = "shortfall"
        if DIMENSIONS[dims[i % 21]][0] == "ecological_ceiling" and status == "shortfall":
            status = "overshoot"
        score = None if status == "missing" else (0.0 if status == "within" else 0.1 * (i % 9 + 1))
        entries.append(make(f"indicator_number_{i:02d}", dims[i % 21], status, score, None if score is None else 42.0))
    chart = doughnut_chart(frame(entries), title="Forty indicators")
    size = len(json.dumps(chart.to_dict(), separators=(",", ":")))
    assert size < 60_000
    assert len(wedges(chart.to_dict())) == 40


def test_text_colours_meet_wcag_aa():
    assert style.contrast_ratio(style.ON_DARK, style.SAFE_SPACE) >= 4.5
    assert style.contrast_ratio(style.ON_DARK, style.SHORTFALL) >= 4.5
    assert style.contrast_ratio(style.ON_DARK, style.OVERSHOOT) >= 4.5
    assert style.contrast_ratio(style.INK, style.MISSING) >= 4.5
    assert style.contrast_ratio(style.MUTED_INK, "#FFFFFF") >= 4.5
    assert style.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)


def test_renders_to_svg_and_png_with_the_labels():
    vl_convert = pytest.importorskip("vl_convert")
    chart = doughnut_chart(frame(), title="Oxford: Doughnut data portrait", width=640)
    spec_json = chart.to_json()
    svg = vl_convert.vegalite_to_svg(spec_json)
    for label in ("Food", "Health", "Housing", "Climate change", "Air pollution", "Ozone depletion"):
        assert f">{label}<" in svg
    assert "no data" in svg
    assert "Oxford: Doughnut data portrait" in svg
    png = vl_convert.vegalite_to_png(spec_json, scale=1)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert 640 <= width <= 700
    assert height > width  # the legend and credit sit below the doughnut


def test_context_entries_are_not_drawn_as_wedges():
    from cwb_metrics.charts.doughnut import doughnut_layout

    context = make("imd_share", "peace_justice", "context", value=40.0, role="context")
    wedges = doughnut_layout(frame([*ENTRIES, context]))["wedges"]
    assert "imd_share" not in set(wedges["id"].dropna())
    assert len(wedges) == len(doughnut_layout(frame())["wedges"])
