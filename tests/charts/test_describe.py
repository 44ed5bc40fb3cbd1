"""Text alternatives of the charts, on small hand-written tables."""

from __future__ import annotations

import math

import pandas as pd

from cwb_metrics.charts.describe import (
    change_map_description,
    decile_map_description,
    decile_rate_description,
    decile_shares_description,
    progress_description,
    trend_description,
)


def test_trend_names_each_area_first_and_latest_value() -> None:
    points = pd.DataFrame(
        {
            "area": ["Oxford", "Oxford", "England", "England"],
            "role": ["area", "area", "comparator", "comparator"],
            "date": pd.to_datetime(["2020-07-01", "2023-07-01", "2020-07-01", "2023-07-01"]),
            "period_label": ["2020", "2023", "2020", "2023"],
            "value": [11.0, 11.4, 13.2, 11.4],
            "value_text": ["11.0%", "11.4%", "13.2%", "11.4%"],
        }
    )
    text = trend_description(points, title="Households in fuel poverty", threshold_text="Foundation 0%")
    assert text.startswith(
        "Line chart of households in fuel poverty from 2020 to 2023 for Oxford and England (England dashed"
    )
    assert "Oxford: 11.4% in 2023, up from 11.0% in 2020." in text
    assert "England: 11.4% in 2023, down from 13.2% in 2020." in text
    assert text.endswith("The horizontal line is the threshold: foundation 0%.")
    assert "no figures" in trend_description(points.iloc[0:0], title="X")


def test_decile_map_counts_every_decile_and_the_missing() -> None:
    deciles = pd.Series([1, 1, 2, 5, 10, None])
    text = decile_map_description(deciles, area_name="Testshire", what="IMD 2025 decile")
    assert text.startswith("Map of Testshire's 6 neighbourhoods (LSOAs), shaded by IMD 2025 decile")
    assert "LSOAs by decile: 1: 2, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 0, 10: 1." in text
    assert "3 LSOAs are in England's most deprived 20%" in text
    assert "one LSOA has no data" in text
    assert "None is in England's most deprived 20%" in decile_map_description(
        pd.Series([9, 10]), area_name="Leys", what="x"
    )
    assert "Map of Leys' 2 neighbourhoods" in decile_map_description(pd.Series([9, 10]), area_name="Leys", what="x")


def test_change_map_counts_moves_and_names_the_largest() -> None:
    change = pd.DataFrame(
        {"name": ["A", "B", "C", "D", "E"], "decile_change": [-2, -1, 0, 3, math.nan]},
    )
    text = change_map_description(change, area_name="Testshire", what="overall deprivation (IMD)")
    assert "2 moved towards the more deprived end, one towards the less deprived end and one stayed" in text
    assert "stayed in the same decile; one LSOA has no comparison (grey)." in text
    assert "Largest move towards more deprived: 2 deciles (A)." in text
    assert "Largest move towards less deprived: 3 deciles (D)." in text


def _deciles() -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "decile": [1, 2, 3],
            "share_of_base": [10.0, 30.0, 60.0],
            "share_of_count": [20.0, 30.0, 50.0],
            "rate": [20.0, 10.0, 8.3],
            "county_rate": [10.0, 10.0, 10.0],
        }
    )
    table.attrs = {"edition": 2025, "year": 2023, "county_rate": 10.0, "count_label": "households in fuel poverty"}
    return table


def test_decile_shares_name_the_most_over_and_under_represented() -> None:
    text = decile_shares_description(_deciles())
    assert text.startswith("Grouped bar chart: for each IMD 2025 decile")
    assert "most over-represented in decile 1: 20.0% of them, against 10.0% of households" in text
    assert "most under-represented in decile 3: 50.0% against 60.0%" in text


def test_decile_rate_names_highest_lowest_and_the_county_rate() -> None:
    text = decile_rate_description(_deciles())
    assert "with the county rate of 10.0% as a dashed line" in text
    assert "Highest in decile 1 (20.0%), lowest in decile 3 (8.3%); one decile is above the county rate." in text


def test_progress_counts_the_plan_and_each_theme() -> None:
    progress = pd.DataFrame(
        {
            "theme": ["Procurement", "Land", "All themes"],
            "actions": [3, 1, 4],
            "Complete": [1, 0, 1],
            "In progress": [2, 0, 2],
            "Not yet started": [0, 1, 1],
            "complete_pct": [33.3, 0.0, 25.0],
        }
    )
    text = progress_description(progress)
    assert text.startswith("Stacked bar chart of the action plan's actions in each of its 2 themes, by status.")
    assert "All 4 actions: one complete, 2 in progress and one not yet started." in text
    assert "Procurement: 3 actions, one complete and 2 in progress. Land: one action, one not yet started." in text
