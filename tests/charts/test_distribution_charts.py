"""Bar charts of the shortfall by deprivation decile, and of the action plan: their Vega-Lite specs."""

from __future__ import annotations

import pandas as pd
import pytest

from cwb_metrics.actions.load import load_plan
from cwb_metrics.actions.tracker import action_links, progress_by_theme
from cwb_metrics.charts.actions import STATUS_COLOURS, links_chart, progress_chart
from cwb_metrics.charts.distribution import (
    BASE_COLOUR,
    COUNT_COLOUR,
    rate_by_decile_chart,
    shortfall_by_decile_chart,
)
from cwb_metrics.indicators.catalogue import load_catalogue


@pytest.fixture
def table() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "decile": [1, 2, 10],
            "lsoas": [1, 2, 3],
            "base": [100.0, 300.0, 600.0],
            "count": [20.0, 30.0, 50.0],
            "share_of_base": [10.0, 30.0, 60.0],
            "share_of_count": [20.0, 30.0, 50.0],
            "rate": [20.0, 10.0, 8.333],
            "county_rate": [10.0, 10.0, 10.0],
            "rate_ratio": [2.0, 1.0, 0.833],
        }
    )
    frame.attrs.update(
        edition=2025,
        year=2023,
        domain="imd",
        county_rate=10.0,
        base_label="households",
        count_label="households in fuel poverty",
    )
    return frame


def _values(spec: dict) -> list[dict]:
    data = spec.get("data") or spec["layer"][0]["data"]
    return data.get("values") or spec["datasets"][data["name"]]


def test_shortfall_chart_has_two_bars_per_decile(table) -> None:
    spec = shortfall_by_decile_chart(table).to_dict()
    encoding = spec["encoding"]
    assert encoding["x"]["field"] == "decile" and encoding["xOffset"]["field"] == "measure"
    assert encoding["color"]["scale"]["range"] == [BASE_COLOUR, COUNT_COLOUR]
    rows = _values(spec)
    assert len(rows) == 2 * len(table)
    shares = {(r["decile"], r["measure"]): r["share"] for r in rows}
    assert shares[(1, "Share of households")] == 10.0
    assert shares[(1, "Share of households in fuel poverty")] == 20.0
    assert "IMD 2025 decile" in encoding["x"]["title"]
    assert "(2023)" in spec["title"]["text"]


def test_rate_chart_draws_the_county_rate(table) -> None:
    spec = rate_by_decile_chart(table).to_dict()
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text"]
    rule = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rule")
    assert _values({**spec, **rule})[0]["county_rate"] == 10.0


def test_colours_differ_in_lightness_for_greyscale() -> None:
    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert abs(lightness(BASE_COLOUR) - lightness(COUNT_COLOUR)) > 40
    ordered = [lightness(STATUS_COLOURS[s]) for s in ("Complete", "In progress", "Not yet started")]
    assert ordered == sorted(ordered)


def test_progress_chart_counts_the_plans_statuses() -> None:
    plan = load_plan()
    spec = progress_chart(progress_by_theme(plan)).to_dict()
    rows = _values(spec)
    assert sum(r["actions"] for r in rows) == len(plan.actions)
    assert {r["theme"] for r in rows} == set(plan.themes)
    links = links_chart(action_links(plan, load_catalogue())).to_dict()
    assert len(_values(links)) == sum(len(a.indicators) for a in plan.actions)
