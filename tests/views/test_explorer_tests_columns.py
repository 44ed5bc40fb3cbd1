"""The explorer's table: the England comparison, trend, red-red, basis, lens and role columns, their filters and CSV.

Every entry is written out by hand (tests/views/viewhelpers.py); the expected words are the
method's own vocabulary (docs/METHOD.md), typed here, never taken from the view.
"""

from __future__ import annotations

import io
import json

import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.views import explorer as view
from tests.views.viewhelpers import GHG, make_entry, northdale

TESTED = {
    "threshold_basis": "comparator",
    "lens": "local_social",
    "role": "scored",
    "england_comparison": "worse",
    "trend": "worsening",
    "red_red": True,
}
CONTEXT = {
    "id": "imd_most_deprived_20pct",
    "title": "Neighbourhoods in England's most deprived 20%",
    "status": "context",
    "score": None,
    "threshold_basis": "comparator",
    "lens": "local_social",
    "role": "context",
    "england_comparison": "not_compared",
    "trend": "not_compared",
}
GHG_TESTED = {
    **GHG,
    "threshold_basis": "illustrative",
    "lens": "local_ecological",
    "england_comparison": "similar",
    "trend": "no_significant_change",
}


def _portrait():
    return northdale(make_entry(**TESTED), make_entry(**GHG_TESTED), make_entry(**CONTEXT))


def test_each_row_carries_the_tests_the_basis_the_lens_and_the_role() -> None:
    rows = {r.id: r for r in view.explorer_table(_portrait()).rows}
    gdhi, ghg, context = rows["gdhi_per_head"], rows["ghg_emissions_per_capita"], rows["imd_most_deprived_20pct"]
    assert (gdhi.england_comparison, gdhi.trend, gdhi.red_red) == ("Significantly lower (worse)", "Worsening", True)
    assert (gdhi.basis, gdhi.lens, gdhi.role) == ("Comparator (not a target)", "Local social", "Scored")
    assert (ghg.england_comparison, ghg.trend, ghg.red_red) == ("Similar", "No significant change", False)
    assert (ghg.basis, ghg.lens) == ("Illustrative", "Local ecological")
    assert (context.status, context.role, context.trend) == ("Context", "Context: not scored", "Not compared")


def test_an_entry_without_a_test_result_is_not_compared() -> None:
    row = view.explorer_table(northdale(make_entry(england_comparison=None, trend=None))).rows[0]
    assert (row.england_comparison, row.trend, row.red_red) == ("Not compared", "Not compared", False)


def test_the_new_filters_keep_rows_matching_every_chosen_value() -> None:
    table = view.explorer_table(_portrait())

    def kept(**chosen: tuple[str, ...]) -> list[str]:
        return [r.id for r in view.filtered(table, view.ExplorerFilter(**chosen)).rows]

    assert kept(comparisons=("Significantly lower (worse)",)) == ["gdhi_per_head"]
    assert kept(comparisons=("Significantly lower (worse)", "Similar")) == ["gdhi_per_head", "ghg_emissions_per_capita"]
    assert kept(trends=("Not compared",)) == ["imd_most_deprived_20pct"]
    assert kept(bases=("Comparator (not a target)",)) == ["gdhi_per_head", "imd_most_deprived_20pct"]
    assert kept(lenses=("Local ecological",)) == ["ghg_emissions_per_capita"]
    assert kept(roles=("Context: not scored",)) == ["imd_most_deprived_20pct"]
    assert kept(roles=("Scored",), bases=("Comparator (not a target)",)) == ["gdhi_per_head"]
    assert kept(comparisons=("Significantly lower (better)", "Significantly higher (worse)")) == []


def test_filter_options_offer_every_basis_in_the_models_order() -> None:
    options = view.filter_options(view.explorer_table(_portrait()))
    assert options.bases == (
        "Statutory target",
        "Government ambition",
        "Science-based",
        "Official definition",
        "Comparator (not a target)",
        "Illustrative",
    )


def test_the_csv_carries_every_column_with_the_area_and_version() -> None:
    table = view.explorer_table(_portrait())
    frame = pd.read_csv(io.BytesIO(view.table_csv(table, "Northdale", "v0001")), keep_default_na=False)
    assert list(frame["id"]) == ["gdhi_per_head", "ghg_emissions_per_capita", "imd_most_deprived_20pct"]
    assert set(frame["Area"]) == {"Northdale"} and set(frame["Data version"]) == {"v0001"}
    assert list(frame["Compared with England"]) == ["Significantly lower (worse)", "Similar", "Not compared"]
    assert list(frame["Trend"]) == ["Worsening", "No significant change", "Not compared"]
    assert list(frame["Red-red"]) == [True, False, False]
    assert list(frame["Threshold basis"]) == ["Comparator (not a target)", "Illustrative", "Comparator (not a target)"]
    assert list(frame["Lens"]) == ["Local social", "Local ecological", "Local social"]
    assert list(frame["Role"]) == ["Scored", "Scored", "Context: not scored"]


def test_the_trend_labels_a_context_indicator_and_a_threshold_no_authority_sets() -> None:
    config, catalogue = load_area_config("oxfordshire"), load_catalogue()
    context = view.trend_setup(catalogue["imd_most_deprived_20pct"], config, ("E07000178",), "E07000178")
    assert context.context and context.threshold_label == "Reference 20.0% (comparator)"
    assert "Context indicator: shown for reference, never scored." in view.trend_subtitle(context)
    ghg = view.trend_setup(catalogue["ghg_emissions_per_capita"], config, ("E07000178",), "E07000178")
    assert ghg.threshold_label == "Ceiling 2.80 t CO2e (illustrative)" and not ghg.context
    smoking = view.trend_setup(catalogue["smoking_prevalence"], config, ("E07000178",), "E07000178")
    assert smoking.threshold_label == "Foundation 5.0%"  # a government ambition: no qualifier
    income = view.trend_setup(catalogue["income_deprivation_rate"], config, ("E07000178",), "E07000178")
    assert income.breaks == ("2025",)
    assert any("method changed" in line for line in view.trend_subtitle(income))


def _rows(indicator: str, values: dict[str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "areacd": "E07000178",
            "areanm": "Oxford",
            "geography": "district",
            "indicator": indicator,
            "period": list(values),
            "value": list(values.values()),
            "lci_95": [v - 0.5 for v in values.values()],
            "uci_95": [v + 0.5 for v in values.values()],
        }
    )


def _layers(spec: dict) -> list[dict]:
    return [layer for layer in spec["layer"] if isinstance(layer, dict)]


def test_the_trend_spec_marks_the_series_break_and_has_one_subtitle_line_per_sentence() -> None:
    config, catalogue = load_area_config("oxfordshire"), load_catalogue()
    setup = view.trend_setup(catalogue["income_deprivation_rate"], config, ("E07000178",), "E07000178")
    spec = view.trend_spec(_rows("income_deprivation_rate", {"2019": 9.3, "2025": 15.9}), setup)
    rules = [layer for layer in _layers(spec) if layer.get("mark", {}).get("type") == "rule"]
    assert any(rule["encoding"].get("x", {}).get("field") == "date" for rule in rules), "no vertical rule"
    assert "Method changed" in json.dumps(spec)
    assert isinstance(spec["title"]["subtitle"], list) and len(spec["title"]["subtitle"]) == 2
    # The two periods sit in different segments, so no line joins them across the break.
    rows = [row for data in spec["datasets"].values() for row in data if "segment" in row]
    segments = {row["period_label"]: row["segment"] for row in rows}
    assert segments["2019"] != segments["2025"]
    words = view.trend_text(view.trend_points(_rows("income_deprivation_rate", {"2019": 9.3}), setup), setup)
    assert words.endswith("The method changed in 2025: earlier figures are not comparable.")


def test_periods_the_publisher_says_not_to_compare_are_points_with_bars_not_a_line() -> None:
    config, catalogue = load_area_config("oxfordshire"), load_catalogue()
    setup = view.trend_setup(catalogue["fuel_poverty"], config, ("E07000178",), "E07000178")
    spec = view.trend_spec(_rows("fuel_poverty", {"2020": 11.0, "2021": 10.0, "2023": 11.4}), setup)
    marks = [layer["mark"]["type"] for layer in _layers(spec) if isinstance(layer.get("mark"), dict)]
    assert "area" not in marks and "rule" in marks  # intervals as bars, no band joining the periods
    assert spec["title"]["subtitle"][0].startswith("% of households. Vertical bars are 95% confidence intervals")
    words = view.trend_text(view.trend_points(_rows("fuel_poverty", {"2020": 11.0, "2023": 11.4}), setup), setup)
    assert "advises against comparing these estimates over time, so no change is claimed" in words


def test_markdown_escape_leaves_no_formatting_maths_or_links() -> None:
    from cwb_metrics.views.common import label_of, markdown_escape

    assert markdown_escape("a $5 *b* [c](d) _e_ <f> 50%") == r"a \$5 \*b\* \[c\](d) \_e\_ \<f\> 50%"
    assert (
        label_of({"x": "Ex"}, "x") == "Ex" and label_of({}, "no_data_yet") == "No data yet" and label_of({}, None) == ""
    )
