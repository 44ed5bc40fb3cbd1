"""Chart exports: typed requests and what each exported file's frame says; chart finishing."""

from __future__ import annotations

import dataclasses

import altair as alt
import pandas as pd
import pytest

from cwb_metrics.charts import theme
from cwb_metrics.views import drawing, export
from cwb_metrics.views.map_request import MapRequest
from cwb_metrics.views.portrait import WhatIf
from cwb_metrics.views.who_bears import DecileData
from tests.views.viewhelpers import northdale


def test_requests_are_frozen_values_so_they_key_the_caches() -> None:
    requests = [
        export.PortraitChart("E07099901", "latest", "doughnut"),
        export.WhatIfChart("E07099901", "latest", "bars", WhatIf("gdhi_per_head", 20000.0)),
        export.TrendChart("gdhi_per_head", ("E07099901", "E92000001"), "E07099901"),
        export.MapChart(MapRequest("imd", 2019, "income", "E07099901")),
        export.SmallDoughnutChart("riverside", "2019", "Neighbourhood"),
        export.DecileChart("fuel_poverty", DecileData(2025, 2023), "imd", "rates"),
        export.ProgressChart(),
    ]
    assert len({hash(r) for r in requests}) == len(requests)
    with pytest.raises(dataclasses.FrozenInstanceError):
        requests[0].area = "x"  # type: ignore[misc]


def test_a_maps_frame_names_the_measure_edition_and_credits() -> None:
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().properties(title="own title")
    framed = export.frame_map(MapRequest("imd", 2019, "income", "E07099901", "riverside"), chart, "Northdale",
                              "Riverside", "v0003")  # fmt: skip
    assert framed.title == "Income domain: decile in England of each neighbourhood (LSOA)"
    assert framed.area == "Northdale, Riverside outlined"
    assert framed.period == "IMD 2019 (2011 LSOAs)"
    assert framed.credit == f"{theme.OS_ONS_CREDIT} {theme.imd_credit(2019)}. Data version v0003."
    assert "title" not in framed.spec
    change = export.frame_map(MapRequest("change", 2025, "imd"), chart, "Testshire", None, "v0003")
    assert change.title == "Index of Multiple Deprivation: change in decile of each neighbourhood (LSOA)"
    assert (change.area, change.period) == ("Testshire", "IMD 2019 to IMD 2025 (2021 LSOAs)")


def test_a_what_if_frame_says_the_threshold_is_not_saved() -> None:
    framed = export.frame_what_if(northdale(), WhatIf("gdhi_per_head", 20000.0), "doughnut", "latest", "v1", {})
    assert framed.title == "The Doughnut if the disposable income threshold were £20,000 (not saved)"
    assert (framed.area, framed.period) == ("Northdale", "latest")
    assert export.when("2023") == "Figures for 2023"


def test_progress_and_trend_frames() -> None:
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_bar()
    progress = export.frame_progress(chart, "CWB Action Plan 24/25", "Oxfordshire County Council", "v2")
    assert (progress.area, progress.period, progress.credit) == (
        "Oxfordshire County Council",
        "Statuses in data version v2",
        "Source: CWB Action Plan 24/25",
    )


def test_untitled_keeps_a_subtitle_as_a_small_line() -> None:
    spec: dict = {"title": {"text": "T", "subtitle": "per person"}, "mark": "point"}
    assert "title" not in drawing.untitled(spec)
    kept = drawing.untitled(spec, keep_subtitle=True)["title"]
    assert isinstance(kept, dict) and kept["text"] == "per person" and kept["fontSize"] == 11
    assert spec["title"] == {"text": "T", "subtitle": "per person"}  # the chart's own spec is not changed


def test_epoch_tick_values_become_iso_dates() -> None:
    spec: dict = {"encoding": {"x": {"type": "temporal", "axis": {"values": [1672531200000, "2024-01-01", True]}}}}
    drawing.iso_dates(spec)
    assert spec["encoding"]["x"]["axis"]["values"] == ["2023-01-01", "2024-01-01", True]


def test_the_portrait_draws_either_view() -> None:
    assert drawing.portrait_view("bars") == "bars" and drawing.portrait_view("pie") == "doughnut"
    assert drawing.portrait_subtitle("2023", "v0004-20251201T000000Z") == "Data for 2023 · data version v0004"
    for view in ("doughnut", "bars"):
        spec = drawing.portrait_chart(northdale(), view, "sub").to_dict()
        assert spec["autosize"] == {"type": "pad", "contains": "padding"}
        assert "wedge" in str(spec)
