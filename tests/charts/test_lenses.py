"""The four-lens view's Vega-Lite spec, on a hand-made portrait."""

from __future__ import annotations

import json

import pytest

from cwb_metrics.charts import doughnut_style as style
from cwb_metrics.charts.lenses import lens_frames, lens_view_chart
from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait
from tests.charts.test_doughnut import make

ENTRIES = [
    make("deprived", "income_work", "shortfall", 0.2, 20.0),
    make("health_ok", "health", "within", 0.0, 71.0),
    make("pm25", "air_pollution", "overshoot", 0.5, 5.7),
    make("ghg_fair", "climate_change", "overshoot", 4.6, 3.45),
    make("renew", "energy", "shortfall", 0.95, 0.05, decimals=2),
]
LENS_OF = {"deprived": "local_social", "health_ok": "local_social", "pm25": "local_ecological",
           "ghg_fair": "global_ecological", "renew": "global_ecological"}  # fmt: skip
GAP = "Procurement data on suppliers' modern slavery statements would measure it."


def frame():
    return Portrait("E07000178", "Oxford", "district", "latest", ENTRIES).frame()


@pytest.fixture(scope="module")
def spec() -> dict:
    chart = lens_view_chart(frame(), title="Oxford", subtitle="Four lenses", lens_of=LENS_OF,
                            gaps={"global_social": GAP}, width_each=300)  # fmt: skip
    return chart.to_dict()


def panels(spec: dict) -> list[dict]:
    return [panel for row in spec["vconcat"] if "hconcat" in row for panel in row["hconcat"]]


def wedge_rows(spec: dict, panel: dict) -> list[dict]:
    wedges = next(layer for layer in panel["layer"] if "tooltip" in layer.get("encoding", {}))
    return spec["datasets"][wedges["data"]["name"]]


def test_four_panels_in_deal_order_then_one_legend(spec: dict) -> None:
    found = panels(spec)
    assert [p["title"]["text"] for p in found] == ["Local social", "Local ecological", "Global social",
                                                    "Global ecological"]  # fmt: skip
    assert [len(row["hconcat"]) for row in spec["vconcat"][:2]] == [2, 2]
    legend = spec["vconcat"][-1]
    texts = spec["datasets"][legend["layer"][-1]["data"]["name"]]
    assert any(t["text"].startswith("Overshoot") for t in texts)
    assert spec["title"]["text"] == "Oxford"


def test_each_panel_draws_only_its_lens_and_every_dimension(spec: dict) -> None:
    drawn = {"local_social": 0, "local_ecological": 1, "global_ecological": 3}  # global social has no data
    for lens, index in drawn.items():
        rows = wedge_rows(spec, panels(spec)[index])
        ids = {r["id"] for r in rows if r["id"] is not None}
        assert ids == {i for i, lens_ in LENS_OF.items() if lens_ == lens}
        assert {r["dimension_label"] for r in rows} == {label for _, label in DIMENSIONS.values()}
        missing = [r for r in rows if r["id"] is None]
        assert all(r["status"] == "missing" and r["fill"] == style.MISSING for r in missing)
        assert all("through the" in r["status_text"] for r in missing)


def panel_texts(spec: dict, panel: dict) -> list[str]:
    texts = [layer for layer in panel["layer"] if layer.get("mark", {}).get("type") == "text"]
    return [row["text"] for layer in texts for row in spec["datasets"][layer["data"]["name"]]]


def test_a_lens_without_data_says_what_would_measure_it_instead_of_an_empty_doughnut(spec: dict) -> None:
    global_social = panels(spec)[2]
    assert not any("tooltip" in layer.get("encoding", {}) for layer in global_social["layer"])  # no wedges
    body = " ".join(" ".join(panel_texts(spec, global_social)).split())
    assert body.startswith("No data in this lens yet. What would measure it:")
    assert "modern slavery" in body and "Procurement data" in body
    assert global_social["title"]["subtitle"][-1] == "No scored indicator with data in this lens"


def test_titles_count_scored_indicators_and_are_equally_tall(spec: dict) -> None:
    subtitles = [p["title"]["subtitle"] for p in panels(spec)]
    # Local social: one shortfall and one within; global ecological: an overshoot and a shortfall.
    assert [s[-1] for s in subtitles if s[-1].strip()][:1] == ["2 scored indicators with data"]
    assert "2 scored indicators with data" in subtitles[3]
    assert "1 scored indicator with data" in subtitles[1]
    assert len({len(s) for s in subtitles}) == 1


def test_context_indicators_are_counted_but_never_drawn() -> None:
    context = make("tenure", "housing", "within", 0.0, 20.0)
    entries = [*ENTRIES, context]
    lens_of = {**LENS_OF, "tenure": "local_social"}
    chart_frame = Portrait("E07000178", "Oxford", "district", "latest", entries).frame()
    chart_frame.loc[chart_frame["id"] == "tenure", ["status", "score"]] = ["context", None]
    spec = lens_view_chart(chart_frame, title="Oxford", lens_of=lens_of).to_dict()
    local_social = panels(spec)[0]
    assert "(+1 context, not drawn)" in local_social["title"]["subtitle"][-1]
    assert "tenure" not in {r["id"] for r in wedge_rows(spec, local_social)}


def test_selections_are_unique_per_drawn_panel(spec: dict) -> None:
    # Altair lifts the selections of a concatenated chart to the top, each bound to its panel's view.
    names = [p["name"] for p in spec["params"]]
    assert names == ["wedge_local_social", "wedge_local_ecological", "wedge_global_ecological"]
    assert len({view for p in spec["params"] for view in p["views"]}) == 3


def test_lens_column_of_the_frame_is_used_when_no_mapping_is_given() -> None:
    with_lens = frame().assign(lens=[LENS_OF[i] for i in frame()["id"]])
    frames = lens_frames(with_lens)
    assert set(frames["global_ecological"]["id"].dropna()) == {"ghg_fair", "renew"}
    with pytest.raises(ValueError, match="no 'lens' column"):
        lens_frames(frame())
    with pytest.raises(ValueError, match="unknown or missing lens"):
        lens_frames(frame(), {"deprived": "local_social"})


def test_payload_stays_small() -> None:
    spec = lens_view_chart(frame(), title="Oxford", lens_of=LENS_OF).to_dict()
    assert len(json.dumps(spec)) < 150_000
