"""Text alternatives of the Doughnut: a short description and the data table behind it.

Both are written from the portrait alone, so the app, the briefing and screen readers
say the same thing the chart shows.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry
from cwb_metrics.portrait.sentences import entry_value_text, format_number, lower_first, number_word

RING_LABELS = {"social_foundation": "Social foundation", "ecological_ceiling": "Ecological ceiling"}
STATUS_LABELS = {
    "shortfall": "Shortfall",
    "overshoot": "Overshoot",
    "within": "Within",
    "missing": "No data",
    "context": "Context (not scored)",
}
#: The portrait's trends (significance-tested, see cwb_metrics.portrait.significance), in words.
TREND_LABELS = {
    "improving": "Improving (significant)",
    "worsening": "Worsening (significant)",
    "no_significant_change": "No significant change",
    "not_compared": "Not tested",
    "flat": "Little change",
}
#: The comparison with England (95%), in words.
COMPARISON_LABELS = {
    "better": "better than England",
    "worse": "worse than England",
    "similar": "similar to England",
    "not_compared": "not tested",
}
#: Columns of :func:`portrait_table`, in order.
TABLE_COLUMNS = [
    "Ring", "Dimension", "Indicator", "Period", "Value", "Threshold", "Threshold source",
    "Status", "Gap", "England", "Trend", "id",
]  # fmt: skip


def gap_text(entry: PortraitEntry) -> str:
    """How far an entry is from its threshold, in words: ``84% short``, ``1.8 × the ceiling``, ``within``."""
    if entry.status == "shortfall" and entry.score is not None:
        return f"{entry.score:.0%} short"
    if entry.status == "overshoot":
        if entry.ratio is not None:
            return f"{format_number(entry.ratio, 1)} × the ceiling"
        return f"{entry.score:.0%} over" if entry.score is not None else "over"
    return "within" if entry.status == "within" else ""


def threshold_text(entry: PortraitEntry) -> str:
    """The threshold with its kind: ``Foundation 5.00 ratio``, ``Ceiling 2.80 t CO2e``, ``Foundation 0%``."""
    if entry.threshold_kind == "zero_deprivation":
        return "Foundation 0% (nobody deprived)"
    if entry.threshold is None:
        return ""
    word = "Ceiling" if entry.threshold_kind == "ceiling" else "Foundation"
    return f"{word} {entry_value_text(entry, entry.threshold)}"


def portrait_table(portrait: Portrait) -> pd.DataFrame:
    """The data behind the Doughnut as a readable table (the chart's text alternative).

    Parameters
    ----------
    portrait : Portrait
        The scored portrait of one area.

    Returns
    -------
    pandas.DataFrame
        One row per wedge, in drawing order, with the columns of :data:`TABLE_COLUMNS`:
        ring, dimension, indicator, period, value, threshold (and who sets it), status,
        the gap to the threshold in words, England's value, the trend and the indicator
        id (empty for a dimension with no indicator yet). Every cell is text; missing
        values are ``"no data"`` or empty, never zero.
    """
    rows = []
    for e in portrait.entries:
        source = e.threshold_source or ""
        if e.threshold_illustrative and source and not any(w in source.lower() for w in ("illustrative", "comparator")):
            source = f"Illustrative: {source}"
        rows.append(
            {
                "Ring": RING_LABELS[e.ring],
                "Dimension": e.dimension_label,
                "Indicator": e.title if e.id else "No indicator yet",
                "Period": e.period_label or "",
                "Value": entry_value_text(e) if e.value is not None else "no data",
                "Threshold": threshold_text(e) if e.id else "",
                "Threshold source": source if e.id else "",
                "Status": STATUS_LABELS[e.status],
                "Gap": gap_text(e),
                "England": "" if e.england is None else _england_cell(e),
                "Trend": TREND_LABELS.get(e.trend or "", ""),
                "id": e.id or "",
            }
        )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def _england_cell(entry: PortraitEntry) -> str:
    """England's value, with the tested comparison where there is one: ``7.7× (worse than England)``."""
    text = entry_value_text(entry, entry.england)
    word = COMPARISON_LABELS.get(entry.england_comparison or "", "")
    return f"{text} ({word})" if word and entry.england_comparison != "not_compared" else text


def _largest(entry: PortraitEntry) -> str:
    limit = entry_value_text(entry, entry.threshold) if entry.threshold is not None else "its threshold"
    if entry.threshold_kind == "zero_deprivation":
        limit = "0%"
    extra = f", {gap_text(entry)}" if entry.status == "overshoot" else ""
    return f"{lower_first(entry.short_title)} ({entry_value_text(entry)} against {limit}{extra})"


def chart_text_alternative(portrait: Portrait, chart: Literal["doughnut", "bars"] = "doughnut") -> str:
    """A short description of a portrait's Doughnut (or its unrolled bars), for alt text and screen readers.

    Says what the chart is, how many indicators fall in each status, how many
    dimensions have no data, and names the largest shortfall and overshoot with their
    values and thresholds. The full figures are in :func:`portrait_table`.

    Parameters
    ----------
    portrait : Portrait
        The scored portrait of one area.
    chart : {"doughnut", "bars"}
        Which drawing is described: the Doughnut, or the same scores as unrolled bars.

    Returns
    -------
    str
        Two to four sentences.
    """
    with_data = [e for e in portrait.entries if e.id is not None and e.status in ("within", "shortfall", "overshoot")]
    context = sum(e.id is not None and e.status == "context" for e in portrait.entries)
    when = "latest available figures" if portrait.period == "latest" else f"figures for {portrait.period}"
    opening = (
        f"Doughnut chart of {portrait.area_name} ({when}): the social foundation is the inner ring and "
        "the ecological ceiling the outer ring; shortfalls point inward and overshoots outward."
    )
    if chart == "bars":
        opening = (
            f"Bar chart of {portrait.area_name} ({when}), the Doughnut unrolled: one bar per indicator, "
            "shortfalls below the social foundation to the left and overshoots beyond the ecological ceiling "
            "to the right."
        )
    covered = {e.dimension for e in with_data}
    gaps = sum(d not in covered for d in DIMENSIONS)
    if not with_data:
        return f"{opening} No indicator has data for {portrait.area_name} yet, so every wedge is marked no data."
    counts = {s: sum(e.status == s for e in with_data) for s in ("within", "shortfall", "overshoot")}
    tally = (
        f"Of {number_word(len(with_data))} indicators with data, {number_word(counts['within'])} "
        f"{'is' if counts['within'] == 1 else 'are'} within the safe and just space, "
        f"{number_word(counts['shortfall'])} short of the social foundation and "
        f"{number_word(counts['overshoot'])} beyond the ecological ceiling; "
        f"{number_word(gaps)} of the {len(DIMENSIONS)} dimensions {'has' if gaps == 1 else 'have'} no data."
    )
    if context:
        tally += f" {number_word(context).capitalize()} relative {'measure is' if context == 1 else 'measures are'} "
        tally += "listed as context and not drawn."
    parts = [opening, tally]
    shortfalls, overshoots = portrait.by_status("shortfall"), portrait.by_status("overshoot")
    if shortfalls:
        parts.append(f"Largest shortfall: {_largest(shortfalls[0])}.")
    if overshoots:
        parts.append(f"Largest overshoot: {_largest(overshoots[0])}.")
    return " ".join(parts)
