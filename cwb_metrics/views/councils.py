"""What the "How councils compare" page shows: typed, Streamlit-free, unit-tested.

The page picks a measure (a Doughnut dimension, or one indicator) and a council; this
module turns the cached league (:mod:`cwb_metrics.compare.league`) and the ONS similar
areas (:mod:`cwb_metrics.compare.neighbours`) into rows, ranks, map values and sentences.

- A **dimension** is ranked by the council's mean score on it (0 = within the safe and
  just space; larger = a larger shortfall or overshoot), rank 1 the smallest.
- An **indicator** is ranked by each council's latest value, best first by the
  indicator's polarity; councils' latest periods can differ and are shown.

A district, unitary, metropolitan district or London borough is ranked among the 296
councils that cover England once (the map's districts); a county among the upper-tier
councils (counties and the single-tier councils). Rankings state order only: they are not
significance tests, and no sentence here says a council is "better" or "worse".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.compare.league import League
from cwb_metrics.periods import period_label
from cwb_metrics.portrait.sentences import format_value

DIMENSION, INDICATOR = "dimension", "indicator"
LOWER_TIER, UPPER_TIER = "lower", "upper"
KIND_LABELS: dict[str, str] = {
    "E06": "unitary authority",
    "E07": "district",
    "E08": "metropolitan district",
    "E09": "London borough",
    "E10": "county",
}


@dataclass(frozen=True)
class Measure:
    """What the councils are ranked on: ``dimension:<id>`` or ``indicator:<id>``."""

    key: str
    label: str
    kind: str
    unit: str = ""
    decimals: int = 3
    higher_is_better: bool = False


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


def kind_label(code: str) -> str:
    """What a council is, from its code (``E06`` -> unitary authority)."""
    return KIND_LABELS.get(code[:3], "council")


def measures(league: League, catalogue: Mapping[str, object]) -> list[Measure]:
    """Every dimension of the league, then every indicator with data, as :class:`Measure`."""
    out = [
        Measure(f"{DIMENSION}:{d}", f"{label} (dimension)", DIMENSION) for d, label in league.dimension_labels.items()
    ]
    with_data = set(league.entries.loc[league.entries["value"].notna(), "indicator"])
    for indicator_id, meta in catalogue.items():
        if indicator_id in with_data:
            out.append(
                Measure(
                    key=f"{INDICATOR}:{indicator_id}",
                    label=str(getattr(meta, "title", indicator_id)),
                    kind=INDICATOR,
                    unit=str(getattr(meta, "unit_short", "") or getattr(meta, "unit", "")),
                    decimals=int(getattr(meta, "decimals", 1)),
                    higher_is_better=getattr(meta, "polarity", None) == "higher_is_better",
                )
            )
    return out


def _tier_members(league: League, tier: str) -> list[str]:
    if tier == LOWER_TIER:
        return [a.code for a in league.areas if a.kind != "county"]
    return [a.code for a in league.areas if a.kind == "county" or a.code[:3] in ("E06", "E08", "E09")]


def _values(league: League, measure: Measure) -> tuple[dict[str, float], dict[str, str]]:
    """Council code -> value, and -> period label (indicators only)."""
    what = measure.key.split(":", 1)[1]
    if measure.kind == DIMENSION:
        ranks = {a.code: a.dimensions.get(what) for a in league.areas}
        return {code: rank.score for code, rank in ranks.items() if rank is not None and rank.score is not None}, {}
    rows = league.entries[(league.entries["indicator"] == what) & league.entries["value"].notna()]
    values = {str(c): float(v) for c, v in zip(rows["area_code"], rows["value"], strict=True)}
    periods = {str(c): period_label(str(p)) for c, p in zip(rows["area_code"], rows["period"], strict=True)}
    return values, periods


def _text(value: float | None, measure: Measure) -> str:
    if value is None or not math.isfinite(value):
        return "no data"
    if measure.kind == DIMENSION:
        return f"{value:.3f}"
    return format_value(value, measure.decimals, measure.unit)


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
    present = pd.Series({c: values[c] for c in members if c in values}, dtype=float)
    ranks = present.rank(method="min", ascending=not (measure.kind == INDICATOR and measure.higher_is_better))
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
    lad_present = pd.Series({c: values[c] for c in lad_codes if c in values}, dtype=float)
    lad_ranks = lad_present.rank(method="min", ascending=not (measure.kind == INDICATOR and measure.higher_is_better))
    map_values = pd.DataFrame(
        {
            "code": lad_present.index.astype(str),
            "value": lad_present.to_numpy(),
            "rank": lad_ranks.reindex(lad_present.index).astype("Int64").to_numpy(),
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


def _england_text(league: League, measure: Measure) -> str:
    if measure.kind != INDICATOR or league.data is None:
        return ""
    what = measure.key.split(":", 1)[1]
    rows = league.entries[(league.entries["indicator"] == what) & league.entries["england"].notna()]
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
    near = [r for r in rows if r.code in set(neighbours) and r.rank is not None]
    if near:
        ranks = sorted(r.rank for r in near if r.rank is not None)
        out.append(
            f"Its {len(near)} ONS similar areas ranked here place from {ranks[0]} to {ranks[-1]} "
            f"(middle {ranks[len(ranks) // 2]}); a rank is an order, not a significance test."
        )
    return out
