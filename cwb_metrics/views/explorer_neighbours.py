"""The explorer's comparison with an area's ONS similar areas: values only, never "better" or "worse".

:func:`cwb_metrics.compare.versus.neighbour_comparison` gives the council's value, its
similar areas' mean and range for the same period, and England's; this view lays them out
as a short table, a dot strip and, on request, the list of similar areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from cwb_metrics.charts.neighbours import neighbour_strip
from cwb_metrics.compare.league import DATA_FILE, LEAGUE_FILE, cache_dir
from cwb_metrics.compare.versus import NeighbourComparison
from cwb_metrics.portrait.sentences import format_value
from cwb_metrics.store import DataStore
from cwb_metrics.views.common import Spec
from cwb_metrics.views.drawing import natural_size
from cwb_metrics.views.tables import Table

#: What ONS's lists are called in its Explore Local Statistics app, by kind.
KIND_LABELS: dict[str, str] = {"global": "all indicators", "economic": "economic indicators", "demographic": "people"}
#: Said under every comparison: the range is context, not a significance test.
NO_CLAIM = (
    "ONS chooses similar areas on many measures at once (Explore Local Statistics); their range shows where "
    "the area sits among them, not whether it is significantly better or worse."
)


@dataclass(frozen=True)
class SummaryRow:
    """One line of the comparison: the area, the similar areas' mean or range, or England."""

    what: str
    value: str

    LABELS: ClassVar[dict[str, str]] = {"what": "Compared", "value": "Value"}


@dataclass(frozen=True)
class NeighbourRow:
    """One similar area, in ONS's order (1 = most similar), with its value for the same period."""

    rank: int
    area: str
    code: str
    value: str

    LABELS: ClassVar[dict[str, str]] = {
        "rank": "Similarity rank",
        "area": "Similar area",
        "code": "Code",
        "value": "Value",
    }


@dataclass(frozen=True)
class NeighbourPanel:
    """What the explorer shows beside the similar areas (``shown`` false: only ``sentence``, saying why not)."""

    shown: bool
    sentence: str
    summary: Table[SummaryRow]
    names: Table[NeighbourRow]
    spec: Spec | None
    period: str


def no_neighbours(reason: str) -> NeighbourPanel:
    """A panel that only says why there is no comparison."""
    return NeighbourPanel(False, reason, Table(SummaryRow, ()), Table(NeighbourRow, ()), None, "")


def no_list_reason(area_name: str) -> str:
    """Why an area has no similar areas (wards and neighbourhoods)."""
    return (
        f"ONS publishes similar areas for councils only (districts, unitaries and counties), so {area_name} "
        "is not compared with similar areas. Choose its district to see them."
    )


def neighbour_panel(comparison: NeighbourComparison) -> NeighbourPanel:
    """Lay out a comparison with the similar areas: summary table, dot strip and the list of names."""
    c = comparison

    def fmt(number: float | None) -> str:
        return format_value(number, c.decimals, c.unit, missing="no figure")

    if c.value is None or c.mean is None:
        return no_neighbours(c.sentence())
    summary = (
        SummaryRow(c.area_name, fmt(c.value)),
        SummaryRow(f"Similar areas: mean ({c.with_data} of {c.listed} with a figure)", fmt(c.mean)),
        SummaryRow("Similar areas: lowest to highest", f"{fmt(c.low)} to {fmt(c.high)}"),
        SummaryRow("England", fmt(c.england)),
    )
    names = tuple(NeighbourRow(i, n.name, n.code, fmt(n.value)) for i, n in enumerate(c.neighbours, start=1))
    found = [(n.name, n.value) for n in c.neighbours if n.value is not None]
    chart = neighbour_strip(
        area_name=c.area_name,
        value=c.value,
        neighbours=found,
        mean=c.mean,
        england=c.england,
        unit=c.unit,
        decimals=c.decimals,
        title=f"{c.area_name} beside its similar areas, {c.period_label}",
        subtitle=f"ONS similar areas ({KIND_LABELS.get(c.kind, c.kind)}); values only, no test",
    )
    return NeighbourPanel(
        shown=True,
        sentence=c.sentence(),
        summary=Table(SummaryRow, summary),
        names=Table(NeighbourRow, names),
        spec=natural_size(chart).to_dict(),
        period=c.period_label,
    )


def league_cached(store: DataStore, version: str) -> bool:
    """True when the league of councils of ``version`` is on disk (the comparison then opens at once)."""
    folder = cache_dir(store, version)
    return (folder / LEAGUE_FILE).is_file() and (folder / DATA_FILE).is_file()
