"""The explorer's indicator panel for one area: England, trend, comparability, threshold and pace, in words.

Every verdict is the portrait's own (:mod:`cwb_metrics.portrait.significance`, tested at
95%; :mod:`cwb_metrics.portrait.pace`); this module only says, in plain English, what was
compared, how, and why a difference is or is not claimed. No sentence here claims a
difference the portrait did not find significant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import PeriodError, period_label
from cwb_metrics.portrait.portrait import PortraitEntry
from cwb_metrics.portrait.sentences import format_number, format_value
from cwb_metrics.portrait.significance import same_when_rounded
from cwb_metrics.portrait.small_area import SMALL_AREA_KINDS
from cwb_metrics.views.common import TREND_LABELS, basis_label, comparison_label, label_of
from cwb_metrics.views.tables import Table

#: Builders (``extract.method``) whose 95% intervals are computed from published counts, and how.
#: Every other interval is the publisher's own. ``tests/views`` checks this against the builders' code.
INTERVALS_FROM_COUNTS: dict[str, str] = {
    "fuel_poverty": "a Wilson interval computed from the published counts of households",
    "iod_rate": "a Wilson interval computed from the published counts of people and their population base",
}
#: How a small area's (ward, neighbourhood, LSOA) interval is made (:mod:`cwb_metrics.portrait.small_area`).
SMALL_AREA_INTERVAL = "a Wilson interval computed from the sum of its LSOAs' counts"

#: What each threshold basis means, in a few words.
BASIS_NOTES: dict[str, str] = {
    "statutory_target": "set in law",
    "government_ambition": "a published government aim, not law",
    "science_based": "set by research on what people need or what the planet can bear",
    "official_definition": "an official statistical definition",
    "comparator": "England's figure, a comparison, not a target anyone set",
    "illustrative": "no authority sets this number",
}
#: The pace's statuses (:data:`cwb_metrics.portrait.pace.PaceStatus`) in words.
PACE_LABELS: dict[str, str] = {
    "met": "Already met",
    "on_track": "Fast enough",
    "off_track": "Too slow",
    "wrong_direction": "Wrong way",
    "past_due": "Date passed, not met",
    "no_recent_trend": "No recent pace",
}
#: Units written before the number.
CURRENCIES = ("£", "$", "€")
THRESHOLD_KINDS: dict[str, str] = {
    "ceiling": "Ecological ceiling",
    "target": "Social foundation (target)",
    "zero_deprivation": "Social foundation (nobody deprived)",
}


@dataclass(frozen=True)
class Verdict:
    """A test's result: the word the table shows (``label``) and the sentence that explains it."""

    key: str
    label: str
    sentence: str


@dataclass(frozen=True)
class ThresholdInfo:
    """One threshold or dated target: its level, date, basis and who sets it (with a link only where one does)."""

    name: str
    level: str
    by: int | None
    basis: str
    basis_note: str
    source: str
    url: str | None
    rationale: str

    @property
    def heading(self) -> str:
        """E.g. "Ecological ceiling: 2.80 t CO2e by 2035"."""
        return f"{self.name}: {self.level}" + (f" by {self.by}" if self.by else "")


@dataclass(frozen=True)
class PaceRow:
    """One dated target: the change a year needed to reach it beside the recent change a year."""

    target: str
    by: str
    basis: str
    needed: str
    recent: str
    over: str
    status: str

    LABELS: ClassVar[dict[str, str]] = {
        "target": "Target",
        "by": "By",
        "basis": "Basis",
        "needed": "Needed a year",
        "recent": "Recent change a year",
        "over": "Recent period",
        "status": "At the recent pace",
    }


@dataclass(frozen=True)
class IndicatorPanel:
    """What the explorer says about one indicator in one area."""

    area_name: str
    headline: str
    status: str
    context_note: str
    england: Verdict
    trend: Verdict
    red_red: str
    comparability: str
    thresholds: tuple[ThresholdInfo, ...]
    pace: Table[PaceRow]
    pace_sentences: tuple[str, ...]
    has_value: bool = True


# ----- formatting ---------------------------------------------------------------------------------
def _value(entry: PortraitEntry, number: float | None) -> str:
    return format_value(number, entry.decimals, entry.unit_short)


def _label(period: str | None) -> str:
    if not period:
        return ""
    try:
        return period_label(period)
    except PeriodError:
        return period


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def change_amount(amount: float, entry: PortraitEntry, *, short: bool = False) -> str:
    """A change a year, unsigned, in the indicator's unit: "0.13 tonnes CO2e per person", "0.54 percentage points".

    Shown at the indicator's decimals, with up to two more where that would print 0. A
    change of a percentage is in percentage points ("points" when ``short``); a unit "per
    year" drops it (the sentence says "a year"); ``short`` uses the short unit ("0.13 t CO2e").
    """
    size = abs(amount)
    places = entry.decimals
    while places < entry.decimals + 2 and size > 0 and float(format_number(size, places).replace(",", "")) == 0:
        places += 1
    number = format_number(size, places)
    symbol = (entry.unit_short or "").strip()
    unit = re.sub(r"\s*\(.*\)\s*$", "", (entry.unit or "").strip())
    if symbol == "%" or unit.startswith("%"):
        return f"{number} {'points' if short else 'percentage points'}"
    if symbol in CURRENCIES:
        return f"{symbol}{number}"
    unit = re.sub(r"\s+per year$", "", unit)
    if not short and unit and len(unit) <= 35 and unit[0].isalpha():
        return f"{number} {unit}"
    return format_value(size, places, symbol)


# ----- England ------------------------------------------------------------------------------------
def interval_method(meta: IndicatorMeta, area_kind: str) -> str:
    """How the area's 95% interval was made: published by the producer, or computed from counts."""
    if area_kind in SMALL_AREA_KINDS:
        return SMALL_AREA_INTERVAL
    if meta.extract.method in INTERVALS_FROM_COUNTS:
        return INTERVALS_FROM_COUNTS[meta.extract.method]
    producer = re.sub(r"\s*\((via [^)]*)\)", r", \1", meta.origin.producer)
    return f"published by {producer}"


def england_verdict(entry: PortraitEntry, meta: IndicatorMeta, area_name: str, area_kind: str) -> Verdict:
    """The comparison with England, with what was compared and how (the Fingertips method, 95%)."""
    key = entry.england_comparison or "not_compared"
    england, value = entry.england, entry.value
    label = comparison_label(key, value, england)
    period = entry.period_label or ""
    if value is None:
        return Verdict(key, label, f"{label}: {area_name} has no figure.")
    if england is None:
        return Verdict(key, label, f"{label}: England has no figure for {period}.")
    pair = f"{area_name} {_value(entry, value)}, England {_value(entry, england)} ({period})"
    if same_when_rounded(value, england, entry.decimals):
        places = _plural(entry.decimals, "decimal place")
        inside = ""
        if entry.lci_95 is not None and entry.uci_95 is not None and entry.lci_95 <= england <= entry.uci_95:
            interval = f"{_value(entry, entry.lci_95)} to {_value(entry, entry.uci_95)}"
            method = interval_method(meta, area_kind)
            inside = f" England's figure also lies inside {area_name}'s 95% confidence interval ({interval}; {method})."
        return Verdict(key, label, f"{label}: {pair}, the same at the published {places}.{inside}")
    if key == "not_compared" or entry.lci_95 is None or entry.uci_95 is None:
        return Verdict(
            key,
            label,
            f"{label}: {pair}. No confidence interval is published for {area_name}'s figure, so the "
            "difference cannot be tested.",
        )
    interval = f"{_value(entry, entry.lci_95)} to {_value(entry, entry.uci_95)}"
    method = interval_method(meta, area_kind)
    if key == "similar":
        why = f"England's figure lies inside {area_name}'s 95% confidence interval ({interval}; {method})"
        return Verdict(key, label, f"{label}: {pair}. {why}, so the difference is not significant.")
    direction = "higher" if meta.polarity == "higher_is_better" else "lower"
    side = "higher" if value > england else "lower"
    why = f"England's figure lies outside {area_name}'s 95% confidence interval ({interval}; {method})"
    return Verdict(
        key,
        label,
        f"Significantly {side} than England: {pair}. {why}, a significant difference; {direction} is better, "
        f"so {area_name}'s figure is {key}.",
    )


# ----- trend --------------------------------------------------------------------------------------
def _series_value(entry: PortraitEntry, period: str | None) -> float | None:
    return next((v for p, v in entry.series if p == period), None)


def trend_verdict(entry: PortraitEntry, meta: IndicatorMeta) -> Verdict:
    """The trend between two non-overlapping periods, with the periods compared and why it is (not) significant."""
    key = entry.trend or "not_compared"
    label = label_of(TREND_LABELS, key)
    later, earlier = entry.period, entry.trend_from
    if entry.value is None:
        return Verdict(key, label, f"{label}: no figure.")
    span = f"{_label(earlier)} to {_label(later)}" if earlier else ""
    first = _series_value(entry, earlier)
    moved = (
        f"from {_value(entry, first)} in {_label(earlier)} to {_value(entry, entry.value)} in {_label(later)}"
        if first is not None
        else span
    )
    if key in ("improving", "worsening"):
        return Verdict(
            key,
            label,
            f"{label}: {moved}. The periods do not overlap and the change is larger than their 95% confidence "
            "intervals allow by chance (significant at 95%).",
        )
    if key == "no_significant_change":
        if first is not None and same_when_rounded(first, entry.value, entry.decimals):
            return Verdict(key, label, f"{label}: {moved}, the same at the published decimals.")
        return Verdict(
            key,
            label,
            f"{label}: {moved}. The change is within what chance would give at 95% (the periods' confidence "
            "intervals), so no change is claimed.",
        )
    return Verdict(key, label, f"{label}: {_not_compared_reason(entry, meta, span)}")


def _not_compared_reason(entry: PortraitEntry, meta: IndicatorMeta, span: str) -> str:
    note = entry.trend_note.strip().rstrip(".")
    if not meta.comparable_over_time:
        return "the publisher advises against comparing these estimates over time."
    if "method changed" in note:
        breaks = ", ".join(_label(b) for b in meta.series_breaks)
        where = f"series break in {breaks}" if breaks else "a series break"
        return f"the method changed ({where}), so earlier periods are not comparable with the latest."
    if "overlap" in note:
        return (
            f"every earlier period overlaps the latest ({entry.period_label}): pooled periods share years of data, "
            "so they are not independent and are never compared."
        )
    if "no confidence intervals" in note:
        where = f" for {span}" if span else ""
        return f"no confidence intervals are published{where}, so no significance test is possible."
    if "only one period" in note:
        return "there is only one period of data."
    return f"{note}." if note else "no test is possible."


def comparability_note(meta: IndicatorMeta) -> str:
    """The series break or "not comparable over time" note, or "" when neither applies."""
    notes = []
    if meta.series_breaks:
        breaks = ", ".join(_label(b) for b in meta.series_breaks)
        notes.append(
            f"Series break in {breaks}: the method changed, so figures from then on are not comparable with "
            "earlier ones. The chart does not join them and no trend is claimed across the break."
        )
    if not meta.comparable_over_time:
        notes.append(
            "Not comparable over time: the publisher advises against comparing these estimates between periods, "
            "so no trend is claimed; read the chart's points as separate estimates."
        )
    return " ".join(notes)


# ----- threshold and pace ---------------------------------------------------------------------------
def _strip_basis_word(source: str) -> str:
    """The source without a leading "Illustrative:" or "Comparator:" (the basis says it), capitalised."""
    text = re.sub(r"^(illustrative|comparator)\s*:\s*", "", source.strip(), flags=re.IGNORECASE)
    return text[:1].upper() + text[1:]


def threshold_infos(meta: IndicatorMeta, entry: PortraitEntry) -> tuple[ThresholdInfo, ...]:
    """The threshold and each dated target, with their basis; a link only to a document that sets the number."""
    threshold = meta.threshold
    name = "Reference line (context, not scored)" if meta.role == "context" else THRESHOLD_KINDS[threshold.kind]
    infos = [
        ThresholdInfo(
            name=name,
            level=_value(entry, threshold.value),
            by=threshold.by,
            basis=basis_label(threshold.basis),
            basis_note=BASIS_NOTES.get(threshold.basis, ""),
            source=_strip_basis_word(threshold.source),
            url=None if threshold.illustrative or threshold.source_url is None else str(threshold.source_url),
            rationale=threshold.rationale,
        )
    ]
    for target in meta.dated_targets:
        without_url = target.basis in ("comparator", "illustrative")
        infos.append(
            ThresholdInfo(
                name=target.label,
                level=_value(entry, target.value),
                by=target.by,
                basis=basis_label(target.basis),
                basis_note=BASIS_NOTES.get(target.basis, ""),
                source=_strip_basis_word(target.source),
                url=None if without_url or target.source_url is None else str(target.source_url),
                rationale="",
            )
        )
    return tuple(infos)


def _goal(pace: Mapping[str, object], entry: PortraitEntry) -> str:
    label = str(pace.get("label", ""))
    level = _value(entry, _number(pace.get("target")))
    if label == "Net zero":
        return "net zero"
    if label in ("Ceiling", "Foundation"):
        return f"the {label.lower()} of {level}"
    return f"{label} ({level})"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def pace_row(pace: Mapping[str, object], entry: PortraitEntry) -> PaceRow:
    """One row of the pace table (the portrait entry's ``pace`` item), in short units."""
    needed, recent = _number(pace.get("needed_per_year")), _number(pace.get("recent_per_year"))
    status = str(pace.get("status", ""))
    since = _label(str(pace["recent_from"])) if pace.get("recent_from") else ""
    latest = _label(str(pace.get("latest_period", "")))
    label = str(pace.get("label", ""))
    target = label if label == "Net zero" else f"{label} {_value(entry, _number(pace.get('target')))}"
    return PaceRow(
        target=target,
        by=str(pace.get("by", "")),
        basis=basis_label(str(pace.get("basis", ""))),
        needed="" if status in ("met", "past_due") or needed is None else _signed(needed, entry, "rise", "fall"),
        recent="none" if recent is None else _signed(recent, entry, "rose", "fell"),
        over=f"{since} to {latest}" if recent is not None else "",
        status=label_of(PACE_LABELS, status),
    )


def _signed(amount: float, entry: PortraitEntry, up: str, down: str) -> str:
    if amount == 0:
        return "no change"
    return f"{up if amount > 0 else down} {change_amount(amount, entry, short=True)}"


def pace_sentence(pace: Mapping[str, object], entry: PortraitEntry, area_name: str) -> str:
    """One dated target in a plain sentence: the change a year needed beside the recent change a year.

    Arithmetic on published values, not a significance claim: "at the recent pace", never "improving".
    """
    status = str(pace.get("status", ""))
    goal, by = _goal(pace, entry), pace.get("by")
    latest = _value(entry, _number(pace.get("latest_value")))
    when = _label(str(pace.get("latest_period", "")))
    if status == "met":
        return f"{area_name}'s {latest} in {when} already meets {goal} set for {by}."
    if status == "past_due":
        return f"{by} has passed and {area_name} ({latest} in {when}) has not reached {goal}."
    needed = _number(pace.get("needed_per_year")) or 0.0
    text = (
        f"To reach {goal} by {by}, {area_name}'s figure ({latest} in {when}) would need to "
        f"{'rise' if needed > 0 else 'fall'} by {change_amount(needed, entry)} a year"
    )
    recent = _number(pace.get("recent_per_year"))
    if recent is None:
        return text + "; there is no recent pace to compare (too few years, or periods that overlap)."
    since = _label(str(pace.get("recent_from", "")))
    if recent == 0:
        text += f"; over {since} to {when} it did not change"
    else:
        moved = "rose" if recent > 0 else "fell"
        text += f"; over {since} to {when} it {moved} by {change_amount(recent, entry)} a year"
    speed_up, reached = _number(pace.get("speed_up")), _number(pace.get("reached_at_recent_pace"))
    if status == "on_track":
        at = f", reaching it around {int(reached)}" if reached is not None else ""
        return text + f": fast enough at that pace{at}."
    if status == "off_track":
        faster = f" It would need to change {format_number(speed_up, 1)} times as fast." if speed_up else ""
        return text + f": too slow at that pace.{faster}"
    if status == "wrong_direction":
        return text + ": the wrong way."
    return text + "."


# ----- the panel ----------------------------------------------------------------------------------
def indicator_panel(entry: PortraitEntry, meta: IndicatorMeta, area_name: str, area_kind: str) -> IndicatorPanel:
    """Everything the explorer says about ``meta`` for one area, from the area's portrait entry."""
    when = f" in {entry.period_label}" if entry.period_label else ""
    figure = f"{_value(entry, entry.value)}{when}" if entry.value is not None else "no data"
    headline = f"{area_name}: {figure}"
    context = (
        "Context indicator: shown for reference, never scored against a threshold or counted as a shortfall."
        if meta.role == "context"
        else ""
    )
    red = (
        f"Red-red: {area_name} is worse than England and getting worse, both significant at 95%."
        if entry.red_red
        else ""
    )
    paces: Sequence[Mapping[str, object]] = entry.pace if entry.value is not None else []
    return IndicatorPanel(
        area_name=area_name,
        headline=headline,
        status=entry.status,
        context_note=context,
        england=england_verdict(entry, meta, area_name, area_kind),
        trend=trend_verdict(entry, meta),
        red_red=red,
        comparability=comparability_note(meta),
        thresholds=threshold_infos(meta, entry),
        pace=Table(PaceRow, tuple(pace_row(p, entry) for p in paces)),
        pace_sentences=tuple(pace_sentence(p, entry, area_name) for p in paces),
        has_value=entry.value is not None,
    )
