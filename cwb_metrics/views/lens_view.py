"""The portrait's four lenses on the page: what the one doughnut draws, and the four-lens view's texts.

**Decision: the one doughnut (and the unrolled bars) draw the two local lenses** (local social,
local ecological): what DEAL's data portrait of place starts from, and what PRODUCT.md asks
first. The global lenses ask another question (does the place respect people and the planet
*elsewhere*), and the global-ecological record measures the *same* greenhouse gas emissions as
the local climate indicator, against a 1.5 °C fair share instead of the UK carbon budget:
drawn in one doughnut, climate change would show one quantity as two overshoots. Global-lens
indicators are drawn in the four-lens view, counted in the headline (as in ``portrait --json``
and the briefing), and named under the one doughnut, so nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from cwb_metrics.briefing.accessibility import gap_text
from cwb_metrics.indicators.lenses import lens_gaps
from cwb_metrics.models.indicator import DIMENSIONS, IndicatorMeta
from cwb_metrics.models.lens import LENSES, LensEntry
from cwb_metrics.portrait.portrait import SCORED_STATUSES, Portrait, PortraitEntry, missing_dimension
from cwb_metrics.portrait.sentences import join_words, lower_first, number_word
from cwb_metrics.views.tables import Table

#: The lenses the one doughnut and the unrolled bars draw.
LOCAL_LENSES: tuple[str, ...] = ("local_social", "local_ecological")
#: Why a dimension is "no data" on the one doughnut when only global-lens indicators measure it.
GLOBAL_ONLY_NOTE = "Measured only through a global lens here: see the four-lens view."


def is_local(entry: PortraitEntry) -> bool:
    """Whether the one doughnut draws the entry: a local lens, or a dimension without an indicator.

    An entry with no lens (data written before lenses existed) counts as local.
    """
    return entry.id is None or entry.lens is None or entry.lens in LOCAL_LENSES


def _global_only(dimension: str) -> PortraitEntry:
    """A "no data" entry for a dimension whose only indicators look through a global lens."""
    entry = missing_dimension(dimension, GLOBAL_ONLY_NOTE)
    return replace(entry, title=f"{entry.dimension_label}: measured only through a global lens")


def local_portrait(portrait: Portrait) -> Portrait:
    """The portrait as the one doughnut and the unrolled bars draw it: the two local lenses only.

    A dimension left with no entry (all its indicators look through a global lens) gets one
    "no data" entry saying where it is drawn. The order of the entries is kept.
    """
    kept = [e for e in portrait.entries if is_local(e)]
    present = {e.dimension for e in kept}
    emptied = {}
    for e in portrait.entries:
        if e.dimension not in present and e.dimension not in emptied:
            emptied[e.dimension] = _global_only(e.dimension)
    entries = [*kept, *emptied.values()]
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    entries.sort(key=lambda e: order[e.dimension])  # stable: drawing order within a dimension is kept
    return replace(portrait, entries=entries)


def global_entries(portrait: Portrait) -> tuple[PortraitEntry, ...]:
    """The portrait's indicators that look through a global lens (drawn only in the four-lens view)."""
    return tuple(e for e in portrait.entries if not is_local(e))


def _placed(e: PortraitEntry) -> str:
    """``GHG vs 1.5 °C fair share, 5.7 × the ceiling (overshoot)``."""
    if e.status in ("shortfall", "overshoot"):
        return f"{e.short_title}, {gap_text(e)} ({e.status})"
    word = {"within": "within its threshold", "context": "context", "missing": "no data"}.get(e.status, e.status)
    return f"{e.short_title} ({word})"


def scope_note(portrait: Portrait) -> str:
    """What the one doughnut draws, and where the global-lens indicators are, for the page under the chart."""
    shown = [e for e in global_entries(portrait) if e.status in SCORED_STATUSES]
    base = "The one doughnut and the unrolled bars draw the two local lenses (local social and local ecological)."
    if not shown:
        return base + " No indicator looking through a global lens has data here."
    lenses = sorted({LENSES[str(e.lens)][0].lower() for e in shown})
    text = (
        f"{base} Drawn only in the four-lens view ({join_words(lenses)} lens{'es' if len(lenses) > 1 else ''}), "
        f"and counted in the headline: {'; '.join(_placed(e) for e in shown)}."
    )
    local_climate = any(
        is_local(e) and e.dimension == "climate_change" and e.status in SCORED_STATUSES for e in portrait.entries
    )
    if local_climate and any(e.dimension == "climate_change" for e in shown):
        text += (
            " Climate change: the local wedge sets greenhouse gas emissions per person against the UK carbon "
            "budget; the global-ecological one sets the same emissions against a fair share of the 1.5 °C "
            "global budget, so drawing both in one doughnut would show one quantity twice."
        )
    return text


#: Under the four-lens chart: what it draws.
LENSES_NOTE = (
    "Each small doughnut draws only the indicators that look through its lens, against the same thresholds as "
    "the one doughnut; context indicators are counted under each title but never drawn. A lens with no scored "
    "indicator with data says what would measure it."
)


def view_note(portrait: Portrait, view: str) -> str:
    """The note under a view of the portrait: which lenses it draws."""
    return LENSES_NOTE if view == "lenses" else scope_note(portrait)


def lens_gaps_for(
    portrait: Portrait, catalogue: Mapping[str, IndicatorMeta], lenses: Mapping[str, LensEntry] | None = None
) -> dict[str, str]:
    """What would measure each lens in which the portrait has no scored indicator with data (lens id -> text)."""
    scored = [str(e.id) for e in portrait.entries if e.id is not None and e.status in SCORED_STATUSES]
    return lens_gaps(catalogue, with_data=scored, lenses=lenses)


@dataclass(frozen=True)
class LensRow:
    """One lens of the four-lens view's data table: what its doughnut draws, or what would measure it."""

    lens: str
    question: str
    shortfall: int
    overshoot: int
    within: int
    no_data: int
    context: int
    what_would_measure: str

    LABELS: ClassVar[dict[str, str]] = {
        "lens": "Lens",
        "question": "Question",
        "shortfall": "Shortfall",
        "overshoot": "Overshoot",
        "within": "Within",
        "no_data": "No data",
        "context": "Context (not drawn)",
        "what_would_measure": "What would measure it (where no indicator has data)",
    }


def lens_table(portrait: Portrait, gaps: Mapping[str, str]) -> Table[LensRow]:
    """One row per lens, in DEAL's order: its indicators by status, and what would measure it if it has none."""
    rows = []
    for lens, (label, question) in LENSES.items():
        mine = [e for e in portrait.entries if e.id is not None and e.lens == lens]

        def count(status: str, mine: list[PortraitEntry] = mine) -> int:
            return sum(e.status == status for e in mine)

        rows.append(
            LensRow(
                lens=label,
                question=question,
                shortfall=count("shortfall"),
                overshoot=count("overshoot"),
                within=count("within"),
                no_data=count("missing"),
                context=count("context"),
                what_would_measure=gaps.get(lens, ""),
            )
        )
    return Table(LensRow, tuple(rows))


def lens_text(portrait: Portrait, gaps: Mapping[str, str]) -> str:
    """The four-lens chart's text alternative: what each small doughnut shows, or why it is empty."""
    when = "latest available figures" if portrait.period == "latest" else f"figures for {portrait.period}"
    parts = [
        f"Four small doughnuts of {portrait.area_name} ({when}), one per lens of a data portrait of place; "
        "each draws only the indicators that look through its lens."
    ]
    for row, lens in zip(lens_table(portrait, gaps).rows, LENSES, strict=True):
        placed = row.shortfall + row.overshoot + row.within
        if not placed:
            parts.append(f"{row.lens}: no scored indicator with data yet.")
            continue
        counts = [
            f"{number_word(n)} {word}"
            for n, word in ((row.shortfall, "short"), (row.overshoot, "overshoot"), (row.within, "within"))
            if n
        ]
        largest = ""
        for status in ("shortfall", "overshoot"):  # the two scales are not comparable: one of each
            worst = max(
                (e for e in portrait.entries if e.lens == lens and e.status == status),
                key=lambda e: e.score or 0.0,
                default=None,
            )
            if worst is not None:
                largest += f"; largest {status}: {lower_first(worst.short_title)}, {gap_text(worst)}"
        parts.append(f"{row.lens}: {number_word(placed)} scored ({join_words(counts)}){largest}.")
    if gaps:
        parts.append("The data table says what would measure each lens without data.")
    return " ".join(parts)
