"""The "How councils compare" view on a hand-made league: pickers, ranks, tables, tiles, map, messages.

Every expected rank and text is worked out by hand from the league below (no mirror).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cwb_metrics.compare.league import LEAGUE_HINT, DimensionRank, League, LeagueArea, LeagueUnavailableError
from cwb_metrics.compare.neighbours import SimilarAreas
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.models.area import AreaConfig, District
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.views import councils as view
from cwb_metrics.views.common import Choices

#: (code, name, kind, county, health score, counts)
COUNCILS = [
    ("E07000001", "Alpha", "district", "E10000001", 0.30, {"shortfall": 3, "overshoot": 1, "within": 2, "missing": 4}),
    ("E07000002", "Beta", "district", "E10000001", 0.10, {"shortfall": 1, "overshoot": 0, "within": 5, "missing": 4}),
    ("E06000001", "Gamma", "district", None, 0.20, {"shortfall": 2, "overshoot": 0, "within": 4, "missing": 4}),
    ("E08000001", "Delta", "district", None, None, {"shortfall": 0, "overshoot": 0, "within": 0, "missing": 10}),
    ("E09000001", "Epsilon", "district", None, 0.10, {"shortfall": 1, "overshoot": 1, "within": 4, "missing": 4}),
    ("E10000001", "Shire", "county", None, 0.25, {"shortfall": 2, "overshoot": 1, "within": 3, "missing": 4}),
]
#: Claimant count (%, lower is better) and its latest period by council; Delta has none.
CLAIMANTS = {
    "E07000001": (4.5, "2025"),
    "E07000002": (2.4, "2025"),
    "E06000001": (3.1, "2024"),
    "E09000001": (2.4, "2025"),
    "E10000001": (3.2, "2025"),
}


def _meta(indicator: str, **fields: object) -> IndicatorMeta:
    """A catalogue record with the fields the view reads written out here (not taken from the catalogue)."""
    return load_catalogue()[indicator].model_copy(update=fields)


CATALOGUE = {
    "claimant_count": _meta(
        "claimant_count", title="Claimants", unit="% of residents", unit_short="%", decimals=1,
        polarity="lower_is_better",
    ),
    "median_weekly_pay": _meta(
        "median_weekly_pay", title="Weekly pay", unit="£ a week", unit_short="£", decimals=0,
        polarity="higher_is_better",
    ),
    "gdhi_per_head": _meta("gdhi_per_head"),  # no council has a value: not offered
}  # fmt: skip


@pytest.fixture
def league() -> League:
    areas = [
        LeagueArea(
            code, name, kind, county, counts, 6, 10, 0.6,
            {"health": DimensionRank(score=score, rank=None, of=0, indicators=0 if score is None else 2)},
        )
        for code, name, kind, county, score, counts in COUNCILS
    ]  # fmt: skip
    entries = pd.DataFrame(
        [
            {"area_code": code, "indicator": "claimant_count", "dimension": "income_work", "status": "shortfall",
             "value": CLAIMANTS[code][0] if code in CLAIMANTS else None,
             "period": f"{CLAIMANTS[code][1]}-01-01/P1Y" if code in CLAIMANTS else None,
             "score": None, "england": 4.0 if code in CLAIMANTS and CLAIMANTS[code][1] == "2025" else 3.7}
            for code, *_rest in COUNCILS
        ]
        + [{"area_code": "E07000001", "indicator": "median_weekly_pay", "dimension": "income_work",
            "status": "within", "value": 700.0, "period": "2025", "score": 0.0, "england": None}]
    )  # fmt: skip
    return League("v0007", areas, entries, {"health": "Health"}, "2026-01-01T00:00:00+00:00", 12.4, {}, None)


def _claimants(league: League) -> view.Measure:
    return next(m for m in view.measures(league, CATALOGUE) if m.key == "indicator:claimant_count")


def test_measures_are_the_dimensions_then_indicators_with_data_in_catalogue_order(league: League) -> None:
    found = view.measures(league, CATALOGUE)
    assert [m.key for m in found] == ["dimension:health", "indicator:claimant_count", "indicator:median_weekly_pay"]
    claimants, pay = found[1], found[2]
    assert (claimants.label, claimants.unit, claimants.decimals, claimants.higher_is_better) == (
        "Claimants",
        "%",
        1,
        False,
    )
    assert pay.higher_is_better and pay.what == "median_weekly_pay"
    assert view.measure_choices(found).items[0] == ("dimension:health", "Health (dimension)")


def test_councils_are_offered_by_name_and_the_configured_council_first_chosen(league: League) -> None:
    choices = view.council_choices(league)
    assert choices.keys == ["E07000001", "E07000002", "E08000001", "E09000001", "E06000001", "E10000001"]
    assert choices.label("E06000001") == "Gamma (E06000001)"
    config = AreaConfig(
        id="g", county_code="E06000001", county_name="Gamma", districts=[District(code="E06000001", name="Gamma")]
    )
    assert view.default_council(config, choices) == "E06000001"
    assert view.default_council(config, Choices.of([("E07000002", "Beta")])) == "E07000002"


def test_an_indicator_ranks_lowest_first_with_ties_sharing_a_rank(league: League) -> None:
    shown = view.councils_view(league, _claimants(league), "E07000001", ["E07000002", "W06000001", "E10000001"])
    assert shown.tier == "lower"
    # 2.4 (Beta, Epsilon: tie, both 1), 3.1 (Gamma: 3), 4.5 (Alpha: 4); Delta has no value: last, unranked.
    assert [(r.rank, r.name, r.value_text, r.period_label, r.role) for r in shown.rows] == [
        (1, "Beta", "2.4%", "2025", "neighbour"),
        (1, "Epsilon", "2.4%", "2025", ""),
        (3, "Gamma", "3.1%", "2024", ""),
        (4, "Alpha", "4.5%", "2025", "selected"),
        (None, "Delta", "no data", "", ""),
    ]
    assert shown.sentences == (
        "Alpha is 4 of 4 on claimants (lowest first): 4.5%.",
        "Its one ONS similar area ranked here is 1; a rank is an order, not a significance test.",
    )
    # The county is a similar area but not a district: not outlined; Wales is not in the league.
    assert shown.highlight == ("E07000001", "E07000002")
    assert shown.england_text == "England 4.0% (2025)"  # the period most councils have
    assert dict(zip(shown.map_values["code"], shown.map_values["rank"], strict=True)) == {
        "E07000001": 4, "E07000002": 1, "E06000001": 3, "E09000001": 1,
    }  # fmt: skip


def test_a_dimension_ranks_the_smallest_gap_first(league: League) -> None:
    health = view.measures(league, CATALOGUE)[0]
    shown = view.councils_view(league, health, "E06000001", ["E07000002", "E09000001", "E07000001"])
    assert [(r.rank, r.name, r.value_text) for r in shown.rows] == [
        (1, "Beta", "0.100"), (1, "Epsilon", "0.100"), (3, "Gamma", "0.200"), (4, "Alpha", "0.300"),
        (None, "Delta", "no data"),
    ]  # fmt: skip
    assert shown.sentences[1] == (
        "Its 3 ONS similar areas ranked here place from 1 to 4 (middle 1); a rank is an order, not a significance test."
    )
    assert shown.england_text == ""


def test_a_county_is_ranked_among_upper_tier_councils_and_outlines_its_districts(league: League) -> None:
    health = view.measures(league, CATALOGUE)[0]
    shown = view.councils_view(league, health, "E10000001", ["E06000001"])
    assert shown.tier == "upper"
    # Upper tier: the county and the single-tier councils (E06, E08, E09), not the districts.
    assert [(r.rank, r.code) for r in shown.rows] == [
        (1, "E09000001"),
        (2, "E06000001"),
        (3, "E10000001"),
        (None, "E08000001"),
    ]
    assert shown.highlight == ("E07000001", "E07000002", "E06000001")
    assert set(shown.map_values["code"]) == {"E07000001", "E07000002", "E06000001", "E09000001"}  # districts only


def test_the_tables_mark_the_council_and_its_similar_areas(league: League) -> None:
    shown = view.councils_view(league, _claimants(league), "E07000001", ["E07000002"])
    everyone = view.ranking_table(shown).frame()
    assert list(everyone.columns) == ["Rank", "Council", "Value", "Period", "Marked"]
    assert everyone["Marked"].tolist() == ["similar area", "", "", "chosen", ""]
    near = view.similar_table(shown).frame()
    assert near.to_dict("records") == [
        {"Rank": 1, "Council": "Beta", "Value": "2.4%", "Period": "2025", "Marked": "similar area"},
        {"Rank": 4, "Council": "Alpha", "Value": "4.5%", "Period": "2025", "Marked": "chosen"},
    ]
    assert view.table_headings(shown, "Alpha", True) == (
        "**Alpha and its ONS similar areas** (rank 1 = best)",
        "**All districts and unitary authorities, ranked**",
    )
    assert view.table_headings(shown, "Alpha", False)[0] == "**Alpha**"


def test_tiles_count_every_status_and_the_share_with_data(league: League) -> None:
    assert [(t.label, t.value) for t in view.tiles(league.area("E07000001"))] == [
        ("Shortfall", "3"), ("Overshoot", "1"), ("Within", "2"), ("No data", "4"), ("Indicators with data", "60%"),
    ]  # fmt: skip


def test_the_map_draws_the_districts_and_outlines_the_chosen_ones(league: League, fixtures_dir) -> None:
    topology = json.loads((fixtures_dir / "boundaries" / "two_districts_lad.topo.json").read_text(encoding="utf-8"))
    for geometry in topology["objects"]["lad"]["geometries"]:  # the map reads ``code`` and ``name``
        props = geometry["properties"]
        geometry["properties"] = {"code": props["LAD13CD"], "name": props["LAD13NM"]}
    values = pd.DataFrame({"code": ["E07099901", "E07099902"], "value": [4.5, 2.4], "rank": [2, 1]})
    shown = view.CouncilsView(_claimants(league), "lower", (), None, ("E07099901",), values, (), "")
    spec = view.map_chart(topology, shown).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert spec["title"]["text"] == "Claimants, by district"
    assert "Contains OS data © Crown copyright and database right" in text
    assert '"oneOf": ["E07099901"]' in text  # the outline of the chosen council
    assert view.map_alt(shown, "Northdale").startswith("Map of England's districts shaded by claimants; Northdale")


def test_a_version_without_the_national_files_is_explained_with_the_commands() -> None:
    error = LeagueUnavailableError(
        "v0002", "it holds no copy of lookup/lsoa11_ward19 (the lookup).", ("lookup/lsoa11_ward19",)
    )
    shown = view.unavailable(error)
    assert "Data version v0002 does not have them: it holds no copy of lookup/lsoa11_ward19" in shown.text
    assert "It lacks: lookup/lsoa11_ward19." in shown.text
    assert shown.commands == LEAGUE_HINT and "python -m cwb_metrics league" in shown.commands
    assert "Traceback" not in shown.text and "error" not in shown.title.lower()


def test_neighbours_come_from_the_ons_list_or_there_are_none() -> None:
    similar = SimilarAreas("global", {"E07000001": ("E07000002", "W06000001")}, {"E07000002": "Beta"})
    assert view.neighbour_codes(similar, "E07000001") == ["E07000002", "W06000001"]
    assert view.neighbour_codes(similar, "E07000009") == []
    assert view.neighbour_codes(None, "E07000001") == []


def test_the_tables_show_a_period_column_for_an_indicator_only(league: League) -> None:
    # A dimension's score mixes periods, so its rows have none: no empty "Period" column.
    health = view.measures(league, CATALOGUE)[0]
    dimension = view.councils_view(league, health, "E06000001", ["E07000002"])
    assert view.shown_columns(dimension) == ["Rank", "Council", "Value", "Marked"]
    indicator = view.councils_view(league, _claimants(league), "E07000001", ["E07000002"])
    assert view.shown_columns(indicator) == ["Rank", "Council", "Value", "Period", "Marked"]
