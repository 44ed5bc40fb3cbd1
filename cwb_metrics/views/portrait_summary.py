"""What the portrait page says beside the doughnut: headline counts, context, gaps, largest shortfalls.

Every number comes from the library's portrait (:meth:`Portrait.counts`, the entries' status,
score on the one 0-1 social scale, overshoot and basis); nothing here re-scores anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from cwb_metrics.briefing.accessibility import gap_text
from cwb_metrics.briefing.accessibility import threshold_text as limit_text
from cwb_metrics.models.indicator import DIMENSIONS, IndicatorMeta
from cwb_metrics.models.lens import LENSES
from cwb_metrics.portrait.portrait import SCORED_STATUSES, Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import entry_value_text
from cwb_metrics.views.common import basis_label, ring_label
from cwb_metrics.views.tables import Table

#: How many of the largest shortfalls (and overshoots) the page lists.
LARGEST = 5


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 context indicator``, ``22 context indicators``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


@dataclass(frozen=True)
class Headline:
    """The portrait's headline counts (:meth:`Portrait.counts`, every lens)."""

    area: str
    shortfall: int
    overshoot: int
    within: int
    no_data: int
    context: int
    dimensions_without_data: int

    @classmethod
    def of(cls, portrait: Portrait) -> Headline:
        """The counts of ``portrait``."""
        counts = portrait.counts()
        return cls(
            area=portrait.area_name,
            shortfall=counts["shortfall"],
            overshoot=counts["overshoot"],
            within=counts["within"],
            no_data=counts["missing"],
            context=counts["context"],
            dimensions_without_data=counts["no_data_dimensions"],
        )

    @property
    def scored(self) -> int:
        """Indicators placed against their threshold (with data, not context)."""
        return self.shortfall + self.overshoot + self.within

    @property
    def chips(self) -> tuple[tuple[str, int], ...]:
        """``(status, count)`` for shortfall, overshoot, within and no data, always all four, in that order."""
        return (
            ("shortfall", self.shortfall),
            ("overshoot", self.overshoot),
            ("within", self.within),
            ("missing", self.no_data),
        )

    @property
    def context_text(self) -> str:
        """``22 context indicators shown beside, not scored``."""
        return f"{plural(self.context, 'context indicator')} shown beside, not scored"

    @property
    def with_data_text(self) -> str:
        """``27 indicators with data: 11 scored, 16 context``."""
        total = plural(self.scored + self.context, "indicator")
        return f"{total} with data: {self.scored} scored, {self.context} context"

    @property
    def dimensions_text(self) -> str:
        """``6 of the 21 Doughnut dimensions have no data``."""
        verb = "has" if self.dimensions_without_data == 1 else "have"
        return f"{self.dimensions_without_data} of the {len(DIMENSIONS)} Doughnut dimensions {verb} no data"


@dataclass(frozen=True)
class ContextRow:
    """A context indicator: shown beside the doughnut with England's figure, never scored."""

    dimension: str
    indicator: str
    period: str
    value: str
    england: str
    why: str
    id: str

    LABELS: ClassVar[dict[str, str]] = {
        "dimension": "Dimension",
        "indicator": "Indicator",
        "period": "Period",
        "value": "Value",
        "england": "England",
        "why": "Why it is context, not scored",
    }


def why_context(entry: PortraitEntry, catalogue: Mapping[str, IndicatorMeta]) -> str:
    """Why an indicator is context: its threshold's rationale (the record says why no level is set)."""
    meta = catalogue.get(str(entry.id))
    return meta.threshold.rationale if meta is not None else (entry.threshold_source or "")


def context_table(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]) -> Table[ContextRow]:
    """The portrait's context indicators with a value, in drawing order."""
    return Table(
        ContextRow,
        tuple(
            ContextRow(
                dimension=e.dimension_label,
                indicator=e.title,
                period=e.period_label or "",
                value=entry_value_text(e),
                england="" if e.england is None else entry_value_text(e, e.england),
                why=why_context(e, catalogue),
                id=str(e.id),
            )
            for e in portrait.entries
            if e.id is not None and e.status == "context"
        ),
    )


@dataclass(frozen=True)
class DimensionGap:
    """A Doughnut dimension with no scored indicator with data, and why."""

    ring: str
    dimension: str
    reason: str

    LABELS: ClassVar[dict[str, str]] = {"ring": "Ring", "dimension": "Dimension", "reason": "Why there is no data"}


def _missing_reason(e: PortraitEntry) -> str:
    """``General election turnout: published by constituency ...`` from a missing entry's note."""
    note = (e.note or "").strip()
    for prefix in ("No data for this area", "No data"):
        if note.startswith(prefix):
            note = note[len(prefix) :].lstrip(":. ").strip()
            break
    return f"{e.short_title}: {note.rstrip('.') or 'not published for this area'}"


def dimensions_without_data(portrait: Portrait) -> Table[DimensionGap]:
    """Every dimension without a scored indicator with data, in Doughnut order, with the reason.

    The reason is ``dimensions.yaml``'s (a dimension no scored indicator measures, or only
    context indicators do), else what each of its indicators' rows says about this area.
    As many rows as :meth:`Portrait.counts`' ``no_data_dimensions``.
    """
    rows = []
    for dimension, (ring, label) in DIMENSIONS.items():
        mine = [e for e in portrait.entries if e.dimension == dimension]
        if any(e.id is not None and e.status in SCORED_STATUSES for e in mine):
            continue
        notes = [e.note for e in mine if e.id is None and e.note]
        if not notes:
            missing = [_missing_reason(e) for e in mine if e.id is not None and e.status == "missing"]
            context = [e for e in mine if e.id is not None and e.status == "context"]
            notes = ["; ".join(missing)] if missing else []
            if context:
                notes.append(f"{plural(len(context), 'context indicator')} shown, not scored")
        rows.append(DimensionGap(ring_label(ring), label, ". ".join(notes) or "No indicator has data here."))
    return Table(DimensionGap, tuple(rows))


@dataclass(frozen=True)
class LargestRow:
    """One of the largest shortfalls (on the one 0-1 social scale) or overshoots (value / ceiling − 1)."""

    indicator: str
    dimension: str
    lens: str
    value: str
    threshold: str
    gap: str
    score: float
    basis: str
    id: str

    LABELS: ClassVar[dict[str, str]] = {
        "indicator": "Indicator",
        "dimension": "Dimension",
        "lens": "Lens",
        "value": "Value",
        "threshold": "Threshold",
        "gap": "Gap",
        "score": "Score",
        "basis": "Threshold basis",
    }


def largest(portrait: Portrait, status: str, count: int = LARGEST) -> Table[LargestRow]:
    """The ``count`` largest shortfalls or overshoots (``status``), largest first (:meth:`Portrait.by_status`)."""
    return Table(
        LargestRow,
        tuple(
            LargestRow(
                indicator=e.short_title,
                dimension=e.dimension_label,
                lens=LENSES[e.lens][0] if e.lens in LENSES else "",
                value=entry_value_text(e),
                threshold=limit_text(e),
                gap=gap_text(e),
                score=float(e.score or 0.0),
                basis=basis_label(e.threshold_basis),
                id=str(e.id),
            )
            for e in portrait.by_status(status)[:count]
        ),
    )
