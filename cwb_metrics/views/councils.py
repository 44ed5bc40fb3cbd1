"""What the "How councils compare" page shows: typed, Streamlit-free, unit-tested.

The page picks a measure (a Doughnut dimension, or one indicator) and a council; this
module turns the cached league (:mod:`cwb_metrics.compare.league`) and the ONS similar
areas (:mod:`cwb_metrics.compare.neighbours`) into rows, ranks, map values and sentences.

- A **dimension** is ranked by the council's mean score on it (0 = within the safe and
  just space; larger = a larger shortfall or overshoot), rank 1 the smallest.
- An **indicator** is ranked by each council's latest value, best first by the
  indicator's polarity; councils' latest periods can differ and are shown.

A district, unitary, metropolitan district or London borough is ranked among the
councils that cover England once (the map's districts: 296 in 2024); a county among the
upper-tier councils (counties and the single-tier councils). Rankings state order only:
they are not significance tests, and no sentence here says a council is "better" or "worse".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from cwb_metrics.charts.councils_map import councils_map
from cwb_metrics.compare.league import LEAGUE_HINT, League, LeagueArea, LeagueUnavailableError
from cwb_metrics.compare.neighbours import SimilarAreas
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import period_label
from cwb_metrics.portrait.sentences import format_value
from cwb_metrics.views.common import Choices, Json, status_label
from cwb_metrics.views.drawing import Chart, legible, natural_size
from cwb_metrics.views.tables import Table

DIMENSION, INDICATOR = "dimension", "indicator"
LOWER_TIER, UPPER_TIER = "lower", "upper"
KIND_LABELS: dict[str, str] = {
    "E06": "unitary authority",
    "E07": "district",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E10": "county",
}
#: Single-tier councils: ranked with the districts, and with the counties as upper-tier councils.
SINGLE_TIER_PREFIXES: tuple[str, ...] = ("E06", "E08", "E09")
#: The table's word for each role.
ROLE_WORDS: dict[str, str] = {"selected": "chosen", "neighbour": "similar area", "": ""}
#: Width (px) of the district map: the page's narrower column.
MAP_WIDTH = 420
#: A TopoJSON topology, as JSON.
Topology = dict[str, Json]


@dataclass(frozen=True)
class Measure:
    """What the councils are ranked on: ``dimension:<id>`` or ``indicator:<id>``."""

    key: str
    label: str
    kind: str
    unit: str = ""
    decimals: int = 3
    higher_is_better: bool = False

    @property
    def what(self) -> str:
        """The dimension or indicator id (the part after the colon)."""
        return self.key.split(":", 1)[1]


@dataclass(frozen=True)
class CouncilRow:
    """One council in the ranking."""

    rank: int | None
    code: str
    name: str
    kind_label: str
    value: float | None
    value_text: str
    period_label: str
    role: str  # "selected", "neighbour" or ""


@dataclass(frozen=True)
class RankRow:
    """One council as the page's tables show it."""

    LABELS: ClassVar[dict[str, str]] = {
        "rank": "Rank",
        "name": "Council",
        "value": "Value",
        "period": "Period",
        "marked": "Marked",
    }

    rank: int | None
    name: str
    value: str
    period: str
    marked: str


@dataclass(frozen=True)
class Tile:
    """One figure over the map: a label and its value as text."""

    label: str
    value: str


@dataclass(frozen=True)
class CouncilsView:
    """Everything the page draws for one measure and one council.

    Attributes
    ----------
    measure : Measure
    tier : {"lower", "upper"}
        Which councils are ranked (see the module docstring).
    rows : tuple of CouncilRow
        Ranked, rank 1 first; councils without a value last.
    selected : CouncilRow or None
        The chosen council's row.
    highlight : tuple of str
        District codes outlined on the map: the council (or a county's districts) and its
        similar areas among the districts.
    map_values : pandas.DataFrame
        ``code, value, rank`` of every district on the map.
    sentences : tuple of str
        Plain sentences: the council's rank and its similar areas' ranks.
    england_text : str
        England's value, for an indicator ("" for a dimension).
    """

    measure: Measure
    tier: str
    rows: tuple[CouncilRow, ...]
    selected: CouncilRow | None
    highlight: tuple[str, ...]
    map_values: pd.DataFrame
    sentences: tuple[str, ...]
    england_text: str


@dataclass(frozen=True)
class Unavailable:
    """Why the page cannot rank councils on this data version, and the commands that fix it."""

    title: str
    text: str
    commands: str


def kind_label(code: str) -> str:
    """What a council is, from its code (``E06`` -> unitary authority)."""
    return KIND_LABELS.get(code[:3], "council")


# ----- pickers ---------------------------------------------------------------------------
def measures(league: League, catalogue: Mapping[str, IndicatorMeta]) -> list[Measure]:
    """Every dimension of the league, then every catalogue indicator with data, as :class:`Measure`."""
    out = [
        Measure(f"{DIMENSION}:{d}", f"{label} (dimension)", DIMENSION) for d, label in league.dimension_labels.items()
    ]
    with_data = set(league.entries.loc[league.entries["value"].notna(), "indicator"])
    for indicator_id, meta in catalogue.items():
        if indicator_id in with_data:
            out.append(
                Measure(
                    key=f"{INDICATOR}:{indicator_id}",
                    label=meta.title,
                    kind=INDICATOR,
                    unit=meta.unit_short or meta.unit,
                    decimals=meta.decimals,
                    higher_is_better=meta.polarity == "higher_is_better",
                )
            )
    return out


def measure_choices(options: Sequence[Measure]) -> Choices:
    """The "Rank on" picker: measure key -> label, dimensions first."""
    return Choices.of((m.key, m.label) for m in options)


def council_choices(league: League) -> Choices:
    """The "Council" picker: every council of the league by name, ``"Cornwall (E06000052)"``."""
    return Choices.of((a.code, f"{a.name} ({a.code})") for a in sorted(league.areas, key=lambda a: (a.name, a.code)))


def default_council(config: AreaConfig, choices: Choices) -> str:
    """The configured council when the league has it, else the first council."""
    return config.county_code if config.county_code in choices else choices.keys[0]


# ----- the ranking -----------------------------------------------------------------------
def _tier_members(league: League, tier: str) -> list[str]:
    if tier == LOWER_TIER:
        return [a.code for a in league.areas if a.kind != "county"]
    return [a.code for a in league.areas if a.kind == "county" or a.code[:3] in SINGLE_TIER_PREFIXES]


def _values(league: League, measure: Measure) -> tuple[dict[str, float], dict[str, str]]:
    """Council code -> value, and -> period label (indicators only)."""
    if measure.kind == DIMENSION:
        scores = {a.code: a.dimensions[measure.what].score for a in league.areas if measure.what in a.dimensions}
        return {code: score for code, score in scores.items() if score is not None}, {}
    rows = league.entries[(league.entries["indicator"] == measure.what) & league.entries["value"].notna()]
    values = {str(c): float(v) for c, v in zip(rows["area_code"], rows["value"], strict=True)}
    periods = {str(c): period_label(str(p)) for c, p in zip(rows["area_code"], rows["period"], strict=True)}
    return values, periods


def _text(value: float | None, measure: Measure) -> str:
    if value is None or not math.isfinite(value):
        return "no data"
    if measure.kind == DIMENSION:
        return f"{value:.3f}"
    return format_value(value, measure.decimals, measure.unit)


def _ranks(values: Mapping[str, float], codes: Sequence[str], measure: Measure) -> pd.Series:
    present = pd.Series({c: values[c] for c in codes if c in values}, dtype=float)
    return present.rank(method="min", ascending=not (measure.kind == INDICATOR and measure.higher_is_better))


def councils_view(
    league: League,
    measure: Measure,
    selected_code: str | None,
    neighbour_codes: Sequence[str] = (),
) -> CouncilsView:
    """Rank every council on a measure and mark the chosen council and its similar areas.

    Parameters
    ----------
    league : League
        The cached league of the data version.
    measure : Measure
        From :func:`measures`.
    selected_code : str or None
        The chosen council (a district, unitary or county code).
    neighbour_codes : sequence of str
        Its ONS similar areas (any that are not English councils are ignored).

    Returns
    -------
    CouncilsView
    """
    names = {a.code: a.name for a in league.areas}
    tier = UPPER_TIER if selected_code and selected_code.startswith("E10") else LOWER_TIER
    values, periods = _values(league, measure)
    members = _tier_members(league, tier)
    ranks = _ranks(values, members, measure)
    neighbours = [c for c in neighbour_codes if c in names]
    order = sorted(members, key=lambda c: (c not in ranks.index, ranks.get(c, 0), names.get(c, c)))
    rows = tuple(
        CouncilRow(
            rank=int(ranks[c]) if c in ranks.index else None,
            code=c,
            name=names.get(c, c),
            kind_label=kind_label(c),
            value=values.get(c),
            value_text=_text(values.get(c), measure),
            period_label=periods.get(c, ""),
            role="selected" if c == selected_code else ("neighbour" if c in neighbours else ""),
        )
        for c in order
    )
    selected = next((r for r in rows if r.code == selected_code), None)
    lad_codes = _tier_members(league, LOWER_TIER)
    lad_ranks = _ranks(values, lad_codes, measure)
    map_values = pd.DataFrame(
        {
            "code": lad_ranks.index.astype(str),
            "value": [values[c] for c in lad_ranks.index],
            "rank": lad_ranks.astype("Int64").to_numpy(),
        }
    )
    if selected_code and selected_code.startswith("E10"):
        own = [a.code for a in league.areas if a.county_code == selected_code and a.kind != "county"]
    else:
        own = [selected_code] if selected_code else []
    highlight = tuple(dict.fromkeys([*own, *(c for c in neighbours if c in set(lad_codes))]))
    return CouncilsView(
        measure=measure,
        tier=tier,
        rows=rows,
        selected=selected,
        highlight=highlight,
        map_values=map_values,
        sentences=tuple(_sentences(measure, rows, selected, neighbours, len(ranks))),
        england_text=_england_text(league, measure),
    )


def neighbour_codes(similar: SimilarAreas | None, code: str) -> list[str]:
    """The council's ONS similar areas, most similar first (none when the version has no list)."""
    return [] if similar is None else [n.code for n in similar.neighbours(code)]


def _england_text(league: League, measure: Measure) -> str:
    if measure.kind != INDICATOR:
        return ""
    rows = league.entries[(league.entries["indicator"] == measure.what) & league.entries["england"].notna()]
    if rows.empty:
        return ""
    periods = rows.groupby("period")["england"].first()
    latest = max(periods.index, key=lambda p: rows["period"].eq(p).sum())
    return f"England {_text(float(periods[latest]), measure)} ({period_label(str(latest))})"


def _sentences(
    measure: Measure, rows: tuple[CouncilRow, ...], selected: CouncilRow | None, neighbours: list[str], ranked: int
) -> list[str]:
    if selected is None:
        return [f"{ranked} councils have a value for {measure.label.lower()}."]
    order = (
        "smallest gap first"
        if measure.kind == DIMENSION
        else ("highest first" if measure.higher_is_better else "lowest first")
    )
    if selected.rank is None:
        out = [f"{selected.name} has no value for {measure.label.lower()}."]
    else:
        on = measure.label.lower()
        out = [f"{selected.name} is {selected.rank} of {ranked} on {on} ({order}): {selected.value_text}."]
    ranks = sorted(r.rank for r in rows if r.code in set(neighbours) and r.rank is not None)
    if len(ranks) == 1:
        out.append(f"Its one ONS similar area ranked here is {ranks[0]}; a rank is an order, not a significance test.")
    elif ranks:
        out.append(
            f"Its {len(ranks)} ONS similar areas ranked here place from {ranks[0]} to {ranks[-1]} "
            f"(middle {ranks[len(ranks) // 2]}); a rank is an order, not a significance test."
        )
    return out


# ----- what the page draws ---------------------------------------------------------------
def tiles(area: LeagueArea) -> tuple[Tile, ...]:
    """The council's count of indicators in each status, and the share with data."""
    counts = tuple(Tile(status_label(status), f"{count:,}") for status, count in area.counts.items())
    return (*counts, Tile("Indicators with data", f"{area.share_with_data:.0%}"))


def _rank_rows(rows: Sequence[CouncilRow]) -> Table[RankRow]:
    return Table(
        RankRow,
        tuple(RankRow(r.rank, r.name, r.value_text, r.period_label, ROLE_WORDS.get(r.role, "")) for r in rows),
    )


def ranking_table(view: CouncilsView) -> Table[RankRow]:
    """Every council of the tier, ranked (rank 1 first), the chosen one and its similar areas marked."""
    return _rank_rows(view.rows)


def shown_columns(view: CouncilsView) -> list[str]:
    """The ranking tables' columns to show: "Period" only when some council's value has one (an indicator).

    A dimension's score mixes indicators of different periods, so its rows carry none and an
    empty column would only puzzle the reader.
    """
    labels = list(RankRow.LABELS.values())
    if any(r.period_label for r in view.rows):
        return labels
    return [label for label in labels if label != RankRow.LABELS["period"]]


def similar_table(view: CouncilsView) -> Table[RankRow]:
    """The chosen council and its similar areas among the ranked councils, in rank order."""
    return _rank_rows([r for r in view.rows if r.role])


def table_headings(view: CouncilsView, area_name: str, has_similar: bool) -> tuple[str, str]:
    """The headings of the two tables (Markdown)."""
    best = "smallest gap" if view.measure.kind == DIMENSION else "best"
    near = f"**{area_name} and its ONS similar areas** (rank 1 = {best})" if has_similar else f"**{area_name}**"
    tier = "upper-tier councils" if view.tier == UPPER_TIER else "districts and unitary authorities"
    return near, f"**All {tier}, ranked**"


def map_chart(topology: Topology, view: CouncilsView) -> Chart:
    """The district map of the measure, the council and its similar areas outlined."""
    measure = view.measure
    is_dimension = measure.kind == DIMENSION
    chart = councils_map(
        topology,
        view.map_values,
        title=f"{measure.label}, by district",
        legend_title="Mean score (0 = within)" if is_dimension else (measure.unit or "value"),
        highlight=view.highlight,
        dark_is_high=is_dimension or not measure.higher_is_better,
        value_format=".3f" if is_dimension else None,
        width=MAP_WIDTH,
    )
    return legible(natural_size(chart))


def map_alt(view: CouncilsView, area_name: str) -> str:
    """The map's text alternative."""
    return (
        f"Map of England's districts shaded by {view.measure.label.lower()}; "
        f"{area_name} and its similar areas are outlined."
    )


def footer_lines(league: League) -> list[str]:
    """How the league was built, for the page's footer."""
    return [
        f"League built from data version {league.version}'s national files in {league.seconds:.0f} s; "
        "indicators the council imported itself are not in it."
    ]


def unavailable(error: LeagueUnavailableError) -> Unavailable:
    """The page's explanation when the data version cannot carry a league."""
    missing = f" It lacks: {', '.join(error.missing)}." if error.missing else ""
    return Unavailable(
        title="Councils cannot be compared on this data version",
        text=(
            "This page ranks every English council from the same England-wide files the refresh reads "
            f"(the ONS lookups of LSOAs to wards and districts, IoD2025 File 7). Data version {error.version} "
            f"does not have them: {error.reason}{missing} A refresh from the official files (or a mirror of "
            "them) builds a data version that has; the league is then computed once per version."
        ),
        commands=LEAGUE_HINT,
    )


NO_SIMILAR_AREAS = (
    "This data version holds no ONS similar-areas list (ons/similar_areas/global), so no similar areas are "
    "outlined; a refresh fetches it."
)
