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
from cwb_metrics.models.lens import LENSES
from cwb_metrics.periods import PeriodError, parse_period, period_label
from cwb_metrics.portrait.portrait import Portrait
from cwb_metrics.portrait.sentences import format_value
from cwb_metrics.views.common import (
    BASIS_LABELS,
    COMPARISON_CHOICES,
    ROLE_LABELS,
    STATUS_LABELS,
    TREND_LABELS,
    Choices,
    Json,
    Spec,
    basis_label,
    comparison_label,
    label_of,
    markdown_escape,
    ring_label,
    status_label,
)
from cwb_metrics.views.drawing import CHART_WIDTH, iso_dates, natural_size
from cwb_metrics.views.portrait import england_text, threshold_text, value_text
from cwb_metrics.views.tables import Table


@dataclass(frozen=True)
class ExplorerRow:
    """One indicator with its latest value, status, tests and threshold basis for an area."""

    id: str
    indicator: str
    ring: str
    dimension: str
    cwb_theme: str
    unit: str
    latest: str
    period: str
    threshold: str
    basis: str
    status: str
    role: str
    lens: str
    england: str
    england_comparison: str
    trend: str
    red_red: bool

    LABELS: ClassVar[dict[str, str]] = {
        "indicator": "Indicator",
        "ring": "Ring",
        "dimension": "Dimension",
        "cwb_theme": "CWB theme",
        "unit": "Unit",
        "latest": "Latest",
        "period": "Period",
        "threshold": "Threshold",
        "basis": "Threshold basis",
        "status": "Status",
        "role": "Role",
        "lens": "Lens",
        "england": "England",
        "england_comparison": "Compared with England",
        "trend": "Trend",
        "red_red": "Red-red",
    }


def lens_label(lens: str | None) -> str:
    """The lens's name ("Local social"), or "" for none."""
    return LENSES[lens][0] if lens in LENSES else label_of({}, lens)


def explorer_table(portrait: Portrait) -> Table[ExplorerRow]:
    """Every indicator of a (latest) portrait: value, threshold and its basis, status, role, lens and the tests.

    The comparison with England and the trend are the portrait's own (tested at 95%,
    :mod:`cwb_metrics.portrait.significance`); red-red is worse than England and getting worse.
    """
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
                basis=basis_label(e.threshold_basis),
                status=status_label(e.status),
                role=label_of(ROLE_LABELS, e.role),
                lens=lens_label(e.lens),
                england=england_text(e),
                england_comparison=comparison_label(e.england_comparison, e.value, e.england),
                trend=label_of(TREND_LABELS, e.trend or "not_compared"),
                red_red=bool(e.red_red),
            )
            for e in portrait.entries
            if e.id
        ),
    )


@dataclass(frozen=True)
class ExplorerFilter:
    """The explorer's filters; an empty one keeps every row (each holds the words the table shows)."""

    rings: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    comparisons: tuple[str, ...] = ()
    trends: tuple[str, ...] = ()
    lenses: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()

    def keeps(self, row: ExplorerRow) -> bool:
        """Whether ``row`` passes every filter."""
        return all(
            not chosen or value in chosen
            for value, chosen in (
                (row.ring, self.rings),
                (row.dimension, self.dimensions),
                (row.cwb_theme, self.themes),
                (row.status, self.statuses),
                (row.basis, self.bases),
                (row.england_comparison, self.comparisons),
                (row.trend, self.trends),
                (row.lens, self.lenses),
                (row.role, self.roles),
            )
        )


def filtered(table: Table[ExplorerRow], chosen: ExplorerFilter) -> Table[ExplorerRow]:
    """The rows that pass the filters, in the same order."""
    return Table(ExplorerRow, tuple(r for r in table.rows if chosen.keeps(r)))


@dataclass(frozen=True)
class FilterOptions:
    """What each filter offers.

    Rings and themes sorted; dimensions in Doughnut order; statuses, bases, comparisons,
    trends, lenses and roles: every value the method knows, in its own order (so a filter
    offers "Significantly lower (worse)" even where no row is), then any other value a row has.
    """

    rings: tuple[str, ...]
    dimensions: tuple[str, ...]
    themes: tuple[str, ...]
    statuses: tuple[str, ...]
    bases: tuple[str, ...]
    comparisons: tuple[str, ...]
    trends: tuple[str, ...]
    lenses: tuple[str, ...]
    roles: tuple[str, ...]


def _every(known: Sequence[str], found: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*known, *(f for f in found if f)]))


def filter_options(table: Table[ExplorerRow]) -> FilterOptions:
    """The filters' options for a table (the unfiltered one)."""
    rows = table.rows
    return FilterOptions(
        rings=tuple(sorted({r.ring for r in rows})),
        dimensions=tuple(dict.fromkeys(r.dimension for r in rows)),
        themes=tuple(sorted({r.cwb_theme for r in rows if r.cwb_theme})),
        statuses=_every([v for k, v in STATUS_LABELS.items() if k != "context"], [r.status for r in rows]),
        bases=_every(list(BASIS_LABELS.values()), [r.basis for r in rows]),
        comparisons=_every(COMPARISON_CHOICES, [r.england_comparison for r in rows]),
        trends=_every(list(TREND_LABELS.values()), [r.trend for r in rows]),
        lenses=_every([label for label, _question in LENSES.values()], [r.lens for r in rows]),
        roles=_every(list(ROLE_LABELS.values()), [r.role for r in rows]),
    )


def table_csv(table: Table[ExplorerRow], area_name: str, version: str) -> bytes:
    """The table as CSV, every column with its header (``id`` first), for the download button.

    Two extra columns say which area and data version the figures are for.
    """
    frame = table.frame()
    frame.insert(1, "Area", area_name)
    frame["Data version"] = version
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


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
    """How a trend chart draws its areas: solid lines, dashed comparators, its threshold's label, its breaks."""

    meta: IndicatorMeta
    drawn: tuple[str, ...]
    comparators: tuple[str, ...]
    threshold_label: str
    breaks: tuple[str, ...] = ()

    @property
    def context(self) -> bool:
        """True for a context indicator (shown, never scored)."""
        return self.meta.role == "context"


#: How the chart's threshold label qualifies a threshold no authority sets.
_LABEL_QUALIFIER = {"comparator": " (comparator)", "illustrative": " (illustrative)"}


def trend_setup(meta: IndicatorMeta, config: AreaConfig, areas: Sequence[str], main: str) -> TrendSetup:
    """England and the county are dashed comparators unless one of them is ``main``, the page's own area.

    The threshold's label says "(comparator)" or "(illustrative)" where no authority sets it,
    and "reference" for a context indicator (its line is a reference, not a threshold it is scored on).
    """
    comparators = tuple(c for c in (config.country_code, config.county_code) if c in areas and c != main)
    drawn = tuple(a for a in areas if a not in comparators)
    threshold = meta.threshold
    word = {"ceiling": "Ceiling", "target": "Foundation", "zero_deprivation": "Foundation"}[threshold.kind]
    if meta.role == "context":
        word = "Reference"
    label = f"{word} {format_value(threshold.value, meta.decimals, meta.unit_short)}"
    label += _LABEL_QUALIFIER.get(threshold.basis, "")
    return TrendSetup(meta, drawn, comparators, label, tuple(meta.series_breaks))


def trend_subtitle(setup: TrendSetup) -> list[str]:
    """The chart's subtitle lines: the unit and the bands, then whether it has breaks or is context."""
    meta = setup.meta
    marks = "Shaded bands" if meta.comparable_over_time else "Vertical bars"
    lines = [f"{meta.unit}. {marks} are 95% confidence intervals where published."]
    if setup.breaks:
        lines.append("The method changed at the dotted line: the lines break there and no trend is claimed across it.")
    if not meta.comparable_over_time:
        lines.append("Separate estimates, not joined: the publisher advises against comparing them over time.")
    if setup.context:
        lines.append("Context indicator: shown for reference, never scored.")
    return lines


def trend_spec(rows: pd.DataFrame, setup: TrendSetup) -> Spec:
    """The Vega-Lite spec of one indicator's trend (``rows``: its canonical rows)."""
    meta = setup.meta
    chart = trend_chart(
        rows,
        areas=list(setup.drawn),
        threshold=meta.threshold.value,
        threshold_label=setup.threshold_label,
        unit=meta.unit_short or meta.unit,
        title=meta.title + (" (context)" if setup.context else ""),
        subtitle=" ".join(trend_subtitle(setup)),
        comparators=list(setup.comparators),
        decimals=meta.decimals,
        credit=f"Source: {meta.origin.producer}.",
        width=CHART_WIDTH - 60,
        breaks=list(setup.breaks),
        joined=meta.comparable_over_time,
    )
    spec: Spec = natural_size(chart).to_dict()
    iso_dates(spec)
    title = spec.get("title")
    if isinstance(title, dict):  # one subtitle line per sentence, so none runs past the chart
        title["subtitle"] = list[Json](trend_subtitle(setup))
    # The bands' fill and the interval bars' stroke (no legend) share the field "area" with the lines'
    # colour: keep the colour legend.
    resolve = spec.get("resolve")
    legends: dict[str, Json] = {"fill": "independent", "stroke": "independent"}
    spec["resolve"] = {**(resolve if isinstance(resolve, dict) else {}), "legend": legends}
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
    """The trend chart's text alternative (saying so where periods are not comparable or the series breaks)."""
    text = trend_description(points, title=setup.meta.title, threshold_text=setup.threshold_label)
    if not setup.meta.comparable_over_time:
        text += " The publisher advises against comparing these estimates over time, so no change is claimed."
    if setup.breaks:
        changed = ", ".join(period_label(b) for b in setup.breaks)
        text += f" The method changed in {changed}: earlier figures are not comparable."
    if setup.context:
        text += " This is a context indicator: shown for reference, never scored."
    return text


def indicator_csv(rows: pd.DataFrame, areas: Sequence[str]) -> bytes:
    """The canonical CSV rows of one indicator for the chosen areas (all areas when none is chosen)."""
    if areas:
        rows = rows[rows["areacd"].isin(list(areas))]
    return rows.to_csv(index=False, lineterminator="\n").encode("utf-8")


@dataclass(frozen=True)
class IndicatorCard:
    """The explorer's description of one indicator, as Markdown paragraphs (its threshold: the panel's)."""

    title: str
    status: str
    placement: str
    definition: str
    unit: str
    why: str
    source: str
    caveats: str
    citation: str


def indicator_card(meta: IndicatorMeta, status: str, version: str) -> IndicatorCard:
    """Definition, unit, why it was chosen, source and licence of one indicator."""
    origin = meta.origin
    better = "Higher" if meta.polarity == "higher_is_better" else "Lower"
    return IndicatorCard(
        title=meta.title,
        status=status,
        placement=f"{meta.dimension_label} · {ring_label(meta.ring)} · {lens_label(meta.lens)} lens"
        + (f" · {meta.cwb_theme}" if meta.cwb_theme else ""),
        definition=f"**Definition.** {markdown_escape(meta.definition)}",
        unit=f"**Unit.** {markdown_escape(meta.unit)}. {better} is better.",
        why=f"**Why this indicator.** {markdown_escape(meta.why_this_proxy)}",
        source=(
            f"**Source.** {markdown_escape(origin.producer)}, [{markdown_escape(origin.title)}]({origin.url_main}), "
            f"published {origin.date_published:%d %B %Y}. Licence: [{origin.licence}]({origin.licence_url})."
        ),
        caveats=f"**Caveats.** {markdown_escape(meta.caveats)}" if meta.caveats else "",
        citation=f"Citation: {markdown_escape(origin.citation)}  \nData version {version}.",
    )
