"""The indicator explorer: the filterable table of every indicator, one indicator's trend and its card."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd

from cwb_metrics.charts.describe import trend_description
from cwb_metrics.charts.trends import trend_chart, trend_rows
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import PeriodError, parse_period
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import format_value
from cwb_metrics.views.common import STATUS_LABELS, Choices, Spec, ring_label, status_label
from cwb_metrics.views.drawing import CHART_WIDTH, iso_dates, natural_size
from cwb_metrics.views.portrait import england_text, threshold_text, value_text
from cwb_metrics.views.tables import Table


@dataclass(frozen=True)
class ExplorerRow:
    """One indicator with its latest value and status for an area."""

    id: str
    indicator: str
    ring: str
    dimension: str
    cwb_theme: str
    unit: str
    latest: str
    period: str
    threshold: str
    status: str
    trend: str
    england: str

    LABELS: ClassVar[dict[str, str]] = {
        "indicator": "Indicator",
        "ring": "Ring",
        "dimension": "Dimension",
        "cwb_theme": "CWB theme",
        "unit": "Unit",
        "latest": "Latest",
        "period": "Period",
        "threshold": "Threshold",
        "status": "Status",
        "trend": "Trend",
        "england": "England",
    }


def explorer_table(portrait: Portrait) -> Table[ExplorerRow]:
    """Every indicator of a (latest) portrait with its value, threshold, status, trend and England's figure."""
    return Table(
        ExplorerRow,
        tuple(
            ExplorerRow(
                id=e.id,
                indicator=e.title,
                ring=ring_label(e.ring),
                dimension=e.dimension_label,
                cwb_theme=e.cwb_theme or "",
                unit=e.unit,
                latest=value_text(e),
                period=e.period_label or "",
                threshold=threshold_text(e),
                status=status_label(e.status),
                trend=(e.trend or "").replace("_", " ").capitalize(),
                england=england_text(e),
            )
            for e in portrait.entries
            if e.id
        ),
    )


@dataclass(frozen=True)
class ExplorerFilter:
    """The explorer's filters; an empty one keeps every row."""

    rings: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def keeps(self, row: ExplorerRow) -> bool:
        """Whether ``row`` passes every filter."""
        return all(
            not chosen or value in chosen
            for value, chosen in (
                (row.ring, self.rings),
                (row.dimension, self.dimensions),
                (row.cwb_theme, self.themes),
                (row.status, self.statuses),
            )
        )


def filtered(table: Table[ExplorerRow], chosen: ExplorerFilter) -> Table[ExplorerRow]:
    """The rows that pass the filters, in the same order."""
    return Table(ExplorerRow, tuple(r for r in table.rows if chosen.keeps(r)))


@dataclass(frozen=True)
class FilterOptions:
    """What each filter offers: rings and themes sorted, dimensions in Doughnut order, every status."""

    rings: tuple[str, ...]
    dimensions: tuple[str, ...]
    themes: tuple[str, ...]
    statuses: tuple[str, ...]


def filter_options(table: Table[ExplorerRow]) -> FilterOptions:
    """The filters' options for a table (the unfiltered one)."""
    return FilterOptions(
        rings=tuple(sorted({r.ring for r in table.rows})),
        dimensions=tuple(dict.fromkeys(r.dimension for r in table.rows)),
        themes=tuple(sorted({r.cwb_theme for r in table.rows if r.cwb_theme})),
        statuses=tuple(
            dict.fromkeys([*(v for k, v in STATUS_LABELS.items() if k != "context"), *(r.status for r in table.rows)])
        ),
    )


def first_with_data(table: Table[ExplorerRow], ids: Sequence[str]) -> str | None:
    """The indicator the explorer opens on: the first of the table with a figure, else the first of ``ids``."""
    return next((r.id for r in table.rows if r.latest != "no data" and r.id in ids), next(iter(ids), None))


def period_years(rows: pd.DataFrame) -> list[str]:
    """The years any indicator has data for, newest first (the period picker's options after "latest")."""
    years: set[int] = set()
    for text in rows["period"].dropna().unique():
        try:
            years.add(parse_period(str(text)).start.year)
        except PeriodError:
            continue
    return [str(y) for y in sorted(years, reverse=True)]


#: Drawing order of geographies in the trend's area picker.
GEOGRAPHY_ORDER = {"country": 0, "county": 1, "district": 2, "neighbourhood": 3, "ward": 4, "lsoa": 5}


def trend_area_choices(rows: pd.DataFrame) -> Choices:
    """Areas with data for an indicator (code -> name): England, the county, districts, then smaller areas."""
    named = rows.drop_duplicates("areacd").assign(_o=lambda f: f["geography"].map(GEOGRAPHY_ORDER).fillna(9))
    named = named.sort_values(["_o", "areanm"])
    return Choices.of(zip(named["areacd"].astype(str), named["areanm"].astype(str), strict=True))


def default_compare(area: str, config: AreaConfig, choices: Choices) -> list[str]:
    """The areas a trend starts with: the chosen area, the county and England (those with data)."""
    return [c for c in dict.fromkeys((area, config.county_code, config.country_code)) if c in choices]


@dataclass(frozen=True)
class TrendSetup:
    """How a trend chart draws its areas: solid lines, dashed comparators, and its threshold's label."""

    meta: IndicatorMeta
    drawn: tuple[str, ...]
    comparators: tuple[str, ...]
    threshold_label: str


def trend_setup(meta: IndicatorMeta, config: AreaConfig, areas: Sequence[str], main: str) -> TrendSetup:
    """England and the county are dashed comparators unless one of them is ``main``, the page's own area."""
    comparators = tuple(c for c in (config.country_code, config.county_code) if c in areas and c != main)
    drawn = tuple(a for a in areas if a not in comparators)
    threshold = meta.threshold
    word = {"ceiling": "Ceiling", "target": "Foundation", "zero_deprivation": "Foundation"}[threshold.kind]
    label = f"{word} {format_value(threshold.value, meta.decimals, meta.unit_short)}"
    label += " (illustrative)" if threshold.illustrative else ""
    return TrendSetup(meta, drawn, comparators, label)


def trend_spec(rows: pd.DataFrame, setup: TrendSetup) -> Spec:
    """The Vega-Lite spec of one indicator's trend (``rows``: its canonical rows)."""
    meta = setup.meta
    chart = trend_chart(
        rows,
        areas=list(setup.drawn),
        threshold=meta.threshold.value,
        threshold_label=setup.threshold_label,
        unit=meta.unit_short or meta.unit,
        title=meta.title,
        subtitle=f"{meta.unit}. Shaded bands are 95% confidence intervals where published.",
        comparators=list(setup.comparators),
        decimals=meta.decimals,
        credit=f"Source: {meta.origin.producer}.",
        width=CHART_WIDTH - 60,
    )
    spec: Spec = natural_size(chart).to_dict()
    iso_dates(spec)
    # The bands' fill (no legend) and the lines' colour share the field "area": keep the colour legend.
    resolve = spec.get("resolve")
    spec["resolve"] = {**(resolve if isinstance(resolve, dict) else {}), "legend": {"fill": "independent"}}
    return spec


def trend_points(rows: pd.DataFrame, setup: TrendSetup) -> pd.DataFrame:
    """The points a trend chart draws (:func:`cwb_metrics.charts.trends.trend_rows`)."""
    meta = setup.meta
    return trend_rows(
        rows, list(setup.drawn), list(setup.comparators), decimals=meta.decimals, unit=meta.unit_short or meta.unit
    )


@dataclass(frozen=True)
class TrendRow:
    """One point of a trend: area, period, value and its 95% confidence interval."""

    area: str
    period: str
    value: str
    ci: str

    LABELS: ClassVar[dict[str, str]] = {
        "area": "Area",
        "period": "Period",
        "value": "Value",
        "ci": "95% confidence interval",
    }


def trend_table(points: pd.DataFrame) -> Table[TrendRow]:
    """The figures a trend chart draws, as a table."""
    return Table(
        TrendRow,
        tuple(
            TrendRow(str(a), str(p), str(v), str(c))
            for a, p, v, c in zip(
                points["area"], points["period_label"], points["value_text"], points["ci_text"], strict=True
            )
        ),
    )


def trend_text(points: pd.DataFrame, setup: TrendSetup) -> str:
    """The trend chart's text alternative."""
    return trend_description(points, title=setup.meta.title, threshold_text=setup.threshold_label)


def indicator_csv(rows: pd.DataFrame, areas: Sequence[str]) -> bytes:
    """The canonical CSV rows of one indicator for the chosen areas (all areas when none is chosen)."""
    if areas:
        rows = rows[rows["areacd"].isin(list(areas))]
    return rows.to_csv(index=False, lineterminator="\n").encode("utf-8")


@dataclass(frozen=True)
class IndicatorCard:
    """The explorer's description of one indicator, as Markdown paragraphs."""

    title: str
    status: str
    placement: str
    definition: str
    unit: str
    why: str
    threshold: str
    source: str
    caveats: str
    citation: str


THRESHOLD_KINDS = {
    "ceiling": "Ecological ceiling",
    "target": "Social foundation (target)",
    "zero_deprivation": "Social foundation (nobody deprived)",
}


def indicator_card(meta: IndicatorMeta, status: str, version: str) -> IndicatorCard:
    """Definition, unit, why it was chosen, threshold and who sets it, source and licence of one indicator."""
    threshold, origin = meta.threshold, meta.origin
    source = f"[{threshold.source}]({threshold.source_url})" if threshold.source_url else threshold.source
    better = "Higher" if meta.polarity == "higher_is_better" else "Lower"
    return IndicatorCard(
        title=meta.title,
        status=status,
        placement=f"{meta.dimension_label} · {ring_label(meta.ring)}"
        + (f" · {meta.cwb_theme}" if meta.cwb_theme else ""),
        definition=f"**Definition.** {meta.definition}",
        unit=f"**Unit.** {meta.unit}. {better} is better.",
        why=f"**Why this indicator.** {meta.why_this_proxy}",
        threshold=(
            f"**Threshold.** {THRESHOLD_KINDS[threshold.kind]}: {threshold.value:g} {meta.unit_short}. Set by {source}"
            f"{' (illustrative: no authority sets one)' if threshold.illustrative else ''}. {threshold.rationale}"
        ),
        source=(
            f"**Source.** {origin.producer}, [{origin.title}]({origin.url_main}), published "
            f"{origin.date_published:%d %B %Y}. Licence: [{origin.licence}]({origin.licence_url})."
        ),
        caveats=f"**Caveats.** {meta.caveats}" if meta.caveats else "",
        citation=f"Citation: {origin.citation}  \nData version {version}.",
    )
