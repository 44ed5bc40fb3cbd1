"""The portrait page: the score table, the selected wedge, the area picker and the what-if panel."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from cwb_metrics.areas.resolve import ResolvedArea
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.for_area import small_area_rows
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import (
    entry_value_text,
    format_value,
    lower_first,
    overshoot_sentence,
    shortfall_sentence,
)
from cwb_metrics.portrait.what_if import ThresholdChange
from cwb_metrics.store import DataStore
from cwb_metrics.views.common import STATUS_LABELS, Choices, ring_label, status_label
from cwb_metrics.views.query import Ignored, out_of_range, what_if_link
from cwb_metrics.views.tables import Table


@dataclass(frozen=True)
class PortraitRow:
    """One row of the score table (the portrait's text alternative)."""

    ring: str
    dimension: str
    indicator: str
    period: str
    value: str
    threshold: str
    status: str
    score: float | None
    england: str
    trend: str
    id: str

    LABELS: ClassVar[dict[str, str]] = {
        "ring": "Ring",
        "dimension": "Dimension",
        "indicator": "Indicator",
        "period": "Period",
        "value": "Value",
        "threshold": "Threshold",
        "status": "Status",
        "score": "Score",
        "england": "England",
        "trend": "Trend",
    }


def value_text(entry: PortraitEntry) -> str:
    """The entry's value with its unit, or "no data"."""
    return entry_value_text(entry) if entry.value is not None else "no data"


def threshold_text(entry: PortraitEntry) -> str:
    """The entry's threshold with its unit, or "" when it has none."""
    return "" if entry.threshold is None else entry_value_text(entry, entry.threshold)


def england_text(entry: PortraitEntry) -> str:
    """England's figure with the entry's unit, or ""."""
    return "" if entry.england is None else entry_value_text(entry, entry.england)


def portrait_table(portrait: Portrait) -> Table[PortraitRow]:
    """The scores behind the doughnut, one row per wedge (dimensions with no indicator included)."""
    return Table(
        PortraitRow,
        tuple(
            PortraitRow(
                ring=ring_label(e.ring),
                dimension=e.dimension_label,
                indicator=e.title if e.id else "No indicator yet",
                period=e.period_label or "",
                value=value_text(e),
                threshold=threshold_text(e),
                status=status_label(e.status),
                score=e.score,
                england=england_text(e),
                trend=(e.trend or "").replace("_", " ").capitalize(),
                id=e.id or "",
            )
            for e in portrait.entries
        ),
    )


def status_counts(portrait: Portrait) -> tuple[tuple[str, int], ...]:
    """``(status, count)`` of the portrait's indicators, for every status that occurs, in the legend's order."""
    counts = {s: sum(e.status == s for e in portrait.entries if e.id) for s in STATUS_LABELS}
    for e in portrait.entries:  # a status the labels do not know yet still counts
        if e.id and e.status not in counts:
            counts[e.status] = sum(x.status == e.status for x in portrait.entries if x.id)
    return tuple((s, n) for s, n in counts.items() if n)


def entry(portrait: Portrait, indicator_id: str) -> PortraitEntry:
    """The portrait's entry of one indicator.

    Raises
    ------
    KeyError
        When the portrait has no such indicator.
    """
    for e in portrait.entries:
        if e.id == indicator_id:
            return e
    raise KeyError(indicator_id)


def indicator_sentence(portrait: Portrait, indicator_id: str) -> str:
    """One plain-English sentence on one indicator of a portrait (the selected wedge)."""
    e = entry(portrait, indicator_id)
    if e.status == "shortfall":
        return shortfall_sentence(e, portrait.area_name)
    if e.status == "overshoot":
        return overshoot_sentence(e, portrait.area_name)
    if e.status == "missing" or e.value is None:
        return e.note or f"There is no data for {portrait.area_name}."
    england = f" England: {entry_value_text(e, e.england)}." if e.england is not None else ""
    if e.status != "within" or e.threshold is None:  # e.g. an indicator shown as context, not scored
        return f"{portrait.area_name}: {lower_first(e.title)}, {entry_value_text(e)} ({e.period_label}).{england}"
    limit = "ceiling" if e.threshold_kind == "ceiling" else "foundation"
    return (
        f"{portrait.area_name} meets the {limit} on {e.title[0].lower() + e.title[1:]}: "
        f"{entry_value_text(e)} ({e.period_label}), against {threshold_text(e)}.{england}"
    )


def selected_indicator(event: Mapping[str, object] | None, selection: str, known: set[str]) -> str | None:
    """The indicator id of the clicked wedge or bar (a chart event's ``selection``), if any."""
    chosen = (event or {}).get("selection", {})
    items = chosen.get(selection) if isinstance(chosen, Mapping) else None
    for item in items if isinstance(items, list) else [items]:
        for field in ("id", "indicator", "indicator_id"):
            value = item.get(field) if isinstance(item, Mapping) else None
            if isinstance(value, str) and value in known:
                return value
    return None


def area_choices(
    store: DataStore, config: AreaConfig, resolve: Callable[[str], ResolvedArea], version: str | None = None
) -> Choices:
    """Areas offered by the portrait, explorer and briefing pickers: code or id -> label.

    The county, each district, and the named neighbourhoods that have small-area indicators.
    """
    pairs = [(config.county_code, f"{config.county_name} (county)")]
    pairs += [(d.code, d.name) for d in config.districts]
    for hood in config.neighbourhoods:  # only where small-area indicators exist
        rows = small_area_rows(store, resolve(hood.id))
        if rows is not None and not rows.empty and rows["value"].notna().any():
            pairs.append((hood.id, f"{hood.name} (neighbourhood)"))
    return Choices.of(pairs)


@dataclass(frozen=True)
class MapLink:
    """The deprivation map showing an IMD-based indicator."""

    edition: str
    domain: str
    area: str

    def query_params(self) -> dict[str, str]:
        """The map page's query parameters."""
        return {"edition": self.edition, "domain": self.domain, "area": self.area}


def map_link(meta: IndicatorMeta | None, area: str) -> MapLink | None:
    """Where the deprivation map shows an indicator built from the IMD (``None`` for any other)."""
    if meta is None or meta.extract.method != "imd_share":
        return None
    params = meta.extract.params
    return MapLink(str(params.get("edition", 2025)), str(params.get("domain", "imd")), area)


# ----- what-if thresholds --------------------------------------------------------------------
def what_if_options(portrait: Portrait) -> Choices:
    """The indicators a what-if threshold can be tried on (id -> label), in drawing order."""
    return Choices.of(
        (e.id, f"{e.short_title} ({e.dimension_label})" + ("" if e.value is not None else ", no data"))
        for e in portrait.entries
        if e.id is not None and e.threshold is not None
    )


def default_what_if(portrait: Portrait, options: Choices, wedge: str | None) -> str | None:
    """The indicator the panel opens on: the selected wedge, else the first with a threshold and a value."""
    if wedge in options:
        return wedge
    with_values = [e.id for e in portrait.entries if e.id in options and e.threshold and e.value is not None]
    return next(iter(with_values or options.keys), None)


@dataclass(frozen=True)
class WhatIf:
    """One what-if threshold: an indicator and a value on its slider's grid (see :meth:`WhatIfRange.request`)."""

    indicator: str
    value: float


def nice_step(span: float, decimals: int) -> float:
    """A slider step: the indicator's precision, or a 1-2-5 step giving 200-600 positions when that is too fine."""
    step = 10.0 ** -max(0, decimals)
    if span / step > 600:
        raw = span / 300
        power = 10 ** math.floor(math.log10(raw))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step


@dataclass(frozen=True)
class WhatIfRange:
    """The what-if slider of one indicator, and the texts around it."""

    indicator: str
    min: float
    max: float
    step: float
    value: float
    unit: str
    threshold_text: str
    value_text: str
    kind: str | None
    source: str
    illustrative: bool
    title: str
    decimals: int

    @property
    def places(self) -> int:
        """Decimal places of a value on the slider's grid."""
        return max(0, -math.floor(math.log10(self.step))) if self.step < 1 else 0

    @property
    def format(self) -> str:
        """The slider's printf format, e.g. ``%.1f``."""
        return f"%.{self.places}f"

    def text(self, value: float) -> str:
        """A value as the slider writes it (the URL's ``?whatif=id:TEXT``)."""
        return self.format % value

    def value_of(self, value: float) -> str:
        """A value on the slider with its unit, for people: ``£12,700``, ``12.5%``."""
        return format_value(value, self.places, self.unit)

    def contains(self, value: float) -> bool:
        """Whether ``value`` is a finite number the slider can show."""
        return math.isfinite(value) and self.min <= value <= self.max

    def snap(self, value: float) -> float:
        """``value`` clamped to the slider and rounded to its grid (what the caches are keyed on)."""
        if not math.isfinite(value):
            return self.value
        clamped = min(max(value, self.min), self.max)
        return round(self.min + round((clamped - self.min) / self.step) * self.step, self.places + 2)

    def active(self, value: float) -> bool:
        """Whether ``value`` differs from the threshold now by at least half a step."""
        return abs(value - self.value) > self.step / 2

    def request(self, value: float) -> WhatIf:
        """The what-if of ``value`` on this slider's grid."""
        return WhatIf(self.indicator, self.snap(value))


def what_if_seed(text: str, options: Choices, range_of: Callable[[str], WhatIfRange]) -> WhatIf | Ignored:
    """A what-if from a link (``?whatif=INDICATOR:VALUE``): a known indicator and a finite value on its slider.

    ``range_of(indicator)`` gives the indicator's slider; anything else is a notice.
    """
    link = what_if_link(text, options.keys)
    if isinstance(link, Ignored):
        return link
    slider = range_of(link.indicator)
    if not slider.contains(link.value):
        shown = f"{slider.value_of(slider.min)} to {slider.value_of(slider.max)}"
        return out_of_range("whatif", text, shown)
    return slider.request(link.value)


def what_if_range(portrait: Portrait, indicator_id: str) -> WhatIfRange:
    """The slider of one indicator: from about half to one and a half times its threshold, covering its value."""
    e = entry(portrait, indicator_id)
    threshold = float(e.threshold or 0.0)
    value = e.value
    if e.threshold_kind == "zero_deprivation" or threshold <= 0:
        low, high = 0.0, max(2 * (value or 0.0), 10.0 if e.unit_short == "%" else 1.0)
    else:
        low = min(0.5 * threshold, 0.9 * value if value is not None else threshold)
        high = max(1.5 * threshold, 1.1 * value if value is not None else threshold)
    step = nice_step(high - low, e.decimals)
    low = max(0.0, math.floor(low / step) * step) if low >= 0 else math.floor(low / step) * step
    if e.threshold_kind != "zero_deprivation" and threshold > 0:
        low = max(low, step)  # a target or ceiling must stay above 0
    high = math.ceil(high / step) * step
    places = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return WhatIfRange(
        indicator=indicator_id,
        min=round(low, places),
        max=round(high, places),
        step=step,
        value=threshold,
        unit=e.unit_short or e.unit,
        threshold_text=entry_value_text(e, threshold),
        value_text=value_text(e),
        kind=e.threshold_kind,
        source=e.threshold_source or "",
        illustrative=bool(e.threshold_illustrative),
        title=e.title,
        decimals=e.decimals,
    )


@dataclass(frozen=True)
class WhatIfChangeRow:
    """What a what-if threshold changes for one indicator."""

    indicator: str
    value: str
    threshold_now: str
    what_if_threshold: str
    status_now: str
    what_if_status: str
    score_now: float | None
    what_if_score: float | None
    status_changes: bool

    LABELS: ClassVar[dict[str, str]] = {
        "indicator": "Indicator",
        "value": "Value",
        "threshold_now": "Threshold now",
        "what_if_threshold": "What-if threshold",
        "status_now": "Status now",
        "what_if_status": "What-if status",
        "score_now": "Score now",
        "what_if_score": "What-if score",
        "status_changes": "Status changes",
    }


def what_if_changes(before: Portrait, changes: Sequence[ThresholdChange], value: float) -> Table[WhatIfChangeRow]:
    """The indicator's status and score now and under the what-if threshold ``value``."""
    rows = []
    for change in changes:
        e = entry(before, change.id)
        rows.append(
            WhatIfChangeRow(
                indicator=e.title,
                value=value_text(e),
                threshold_now=threshold_text(e),
                what_if_threshold=entry_value_text(e, value),
                status_now=status_label(change.old_status),
                what_if_status=status_label(change.new_status),
                score_now=change.old_score,
                what_if_score=change.new_score,
                status_changes=change.old_status != change.new_status,
            )
        )
    return Table(WhatIfChangeRow, tuple(rows))


def what_if_subtitle(after: Portrait, what_if: WhatIf, version: str) -> str:
    """The what-if chart's subtitle: which threshold was tried, and that it is not saved."""
    e = entry(after, what_if.indicator)
    return (
        f"What if: {e.short_title} threshold {entry_value_text(e, what_if.value)} (not saved)"
        f" · data version {version.split('-')[0]}"
    )
