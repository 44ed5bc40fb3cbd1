"""Plain-English sentences about a portrait, for councillors' briefings and alt text.

Every sentence is generated from the data: the area's name, the indicator's own title,
unit and decimals, the threshold and who sets it, the period, the trend and England's
figure. No scores appear unexplained: a shortfall is described as the value against its
foundation, an overshoot as a multiple of the ceiling.

No sentence claims a difference that has not been tested (docs/METHOD.md): "better" or
"worse" than England only where the portrait's ``england_comparison`` says so at 95%,
"improved" or "got worse" only where its ``trend`` is significant, and never a difference
that vanishes at the figures shown. Context indicators (relative shares) are never counted
as shortfalls; "largest shortfalls" are ranked on the one 0-1 social scale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import replace

from cwb_metrics.models.indicator import DIMENSIONS
from cwb_metrics.periods import period_label
from cwb_metrics.portrait.portrait import Portrait, PortraitEntry

_PREFIX_UNITS = ("£", "$", "€")


def format_number(value: float, decimals: int = 1) -> str:
    """Format a number with thousands separators and ``decimals`` places (``-0.0`` becomes ``0.0``)."""
    text = f"{value:,.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text[1:].replace(",", "")) == 0 else text


def format_value(value: float | None, decimals: int = 1, unit_short: str = "", *, missing: str = "no data") -> str:
    """Format a value with its short unit: ``12.3%``, ``£31,200``, ``6.6 t CO2e``, ``10.4×``.

    Parameters
    ----------
    value : float or None
        The number (``None`` or NaN gives ``missing``).
    decimals : int
        Decimal places (the indicator's ``decimals``).
    unit_short : str
        The indicator's short unit. Currency symbols are put before the number, symbols
        such as ``%`` or ``×`` right after it, words after a space.
    missing : str
        Text for a missing value.

    Returns
    -------
    str
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    number = format_number(float(value), decimals)
    unit = (unit_short or "").strip()
    if not unit:
        return number
    if unit in _PREFIX_UNITS:
        return f"-{unit}{number[1:]}" if number.startswith("-") else f"{unit}{number}"
    if unit[0].isalnum():
        return f"{number} {unit}"
    return f"{number}{unit}"


def entry_value_text(entry: PortraitEntry | dict, value: float | None = None) -> str:
    """Format ``value`` (default: the entry's own) with the entry's decimals and unit."""
    get = entry.get if isinstance(entry, dict) else lambda key: getattr(entry, key)
    number = get("value") if value is None else value
    return format_value(number, int(get("decimals") or 0), str(get("unit_short") or ""))


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like an acronym (``GCSE``)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def number_word(count: int) -> str:
    """Write a count as the GOV.UK style guide does: ``one`` in words, other numbers as numerals."""
    return "one" if count == 1 else str(count)


def join_words(items: Iterable[str]) -> str:
    """Join as in prose: ``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{number_word(count)} {singular if count == 1 else (plural or singular + 's')}"


def sentence_value(entry: PortraitEntry, value: float | None = None, *, longest: int = 40) -> str:
    """A value for prose, with the indicator's full unit when it is short enough.

    ``12.3% of adults``, ``£648 per week``, ``6.6 tonnes CO2e per person``, ``71.0 years``;
    a unit longer than ``longest`` characters falls back to the short unit (``10.40 ratio``).

    Parameters
    ----------
    entry : PortraitEntry
        Gives the unit, short unit and decimals.
    value : float, optional
        The number (default: the entry's value).
    longest : int
        Longest full unit written out.

    Returns
    -------
    str
    """
    number = entry.value if value is None else value
    # "kWh per meter per year (median, weather-corrected)" -> "kWh per meter per year".
    unit = re.sub(r"\s*\(.*\)\s*$", "", (entry.unit or "").strip())
    if number is None or not unit or len(unit) > longest:
        return entry_value_text(entry, value)
    text = format_number(float(number), entry.decimals)
    if unit.startswith("%"):
        return f"{text}{unit}"
    if unit[0] in _PREFIX_UNITS:
        sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{unit[0]}{digits}{unit[1:]}"
    if unit[0].isalpha():
        return f"{text} {unit}"
    return entry_value_text(entry, value)


def _threshold_text(entry: PortraitEntry) -> str:
    """E.g. "a threshold of 5.0 set by ONS" or "an illustrative ceiling of 2.8 t, after the UK carbon budget"."""
    if entry.threshold_kind == "zero_deprivation":
        return "a foundation of 0% (nobody deprived)"
    word = "ceiling" if entry.threshold_kind == "ceiling" else "threshold"
    level = sentence_value(entry, entry.threshold)
    source = (entry.threshold_source or "").strip()
    if entry.threshold_basis == "comparator":
        return f"England's average of {level} (a comparator, not a target)"
    if entry.threshold_illustrative or source.lower().startswith("illustrative"):
        detail = re.sub(r"^illustrative\b[\s:,.-]*", "", source, flags=re.IGNORECASE)
        return f"an illustrative {word} of {level}" + (f", after {detail}" if detail else "")
    return f"a {word} of {level}" + (f" set by {source}" if source else "")


def _england_clause(entry: PortraitEntry, area_name: str) -> str:
    """What can honestly be said about England: tested at 95%, and visible at the figures shown."""
    if entry.england is None or entry.value is None:
        return ""
    england = sentence_value(entry, entry.england)
    if format_value(entry.value, entry.decimals) == format_value(entry.england, entry.decimals):
        return f" That is the same as England ({england}) at the figures shown."
    comparison = entry.england_comparison
    if comparison in ("better", "worse"):
        return f" England's figure is {england}, so {area_name} does {comparison} than England (significant at 95%)."
    if comparison == "similar":
        return f" England's figure is {england}; the difference is not statistically significant."
    return f" England's figure is {england} (no confidence interval is published, so the difference is not tested)."


def _when(entry: PortraitEntry) -> str:
    return f" ({entry.period_label})" if entry.period_label else ""


def shortfall_sentence(entry: PortraitEntry, area_name: str) -> str:
    """One sentence on an indicator below the social foundation."""
    return (
        f"{area_name} is below the social foundation on {lower_first(entry.title)}: "
        f"{sentence_value(entry, longest=60)}{_when(entry)}, against {_threshold_text(entry)}."
        f"{_england_clause(entry, area_name)}"
    )


def overshoot_sentence(entry: PortraitEntry, area_name: str) -> str:
    """One sentence on an indicator beyond the ecological ceiling."""
    times = ""
    if entry.ratio is not None and entry.ratio >= 1.05:
        times = f", {format_number(entry.ratio, 1)} times the ceiling"
    return (
        f"{area_name} overshoots the ecological ceiling on {lower_first(entry.title)}: "
        f"{sentence_value(entry, longest=60)}{_when(entry)} against {_threshold_text(entry)}{times}."
        f"{_england_clause(entry, area_name)}"
    )


def summary_sentence(portrait: Portrait) -> str:
    """How many indicators are within, short, over; how many are context; how many dimensions lack data."""
    with_data = [e for e in portrait.entries if e.id is not None and e.status in ("within", "shortfall", "overshoot")]
    context = sum(e.id is not None and e.status == "context" for e in portrait.entries)
    within = sum(e.status == "within" for e in with_data)
    shortfall = sum(e.status == "shortfall" for e in with_data)
    overshoot = sum(e.status == "overshoot" for e in with_data)
    covered = {e.dimension for e in with_data}
    no_data = [d for d in DIMENSIONS if d not in covered]
    if no_data:
        gaps = (
            f"{_plural(len(no_data), 'dimension')} of the Doughnut {'has' if len(no_data) == 1 else 'have'} no data yet"
        )
    else:
        gaps = "every dimension of the Doughnut has data"
    shown = (
        f"; {number_word(context)} context {'measure is' if context == 1 else 'measures are'} not scored"
        if context
        else ""
    )
    if not with_data:
        return f"There is no data yet for {portrait.area_name}: {gaps}{shown}."
    parts = []
    if shortfall:
        parts.append(f"{number_word(shortfall)} {'falls' if shortfall == 1 else 'fall'} short of the social foundation")
    if overshoot:
        parts.append(
            f"{number_word(overshoot)} {'overshoots' if overshoot == 1 else 'overshoot'} the ecological ceiling"
        )
    detail = f" ({join_words(parts)})" if parts else ""
    share = f"{number_word(within)} of {number_word(len(with_data))}" if within else f"none of the {len(with_data)}"
    return (
        f"In {portrait.area_name}, {share} indicators with data {'is' if within == 1 else 'are'} "
        f"within the safe and just space{detail}; {gaps}{shown}."
    )


def basis_sentence(portrait: Portrait) -> str | None:
    """How many shortfalls rest on a comparator (England's average) or an illustrative threshold."""
    shortfalls = portrait.by_status("shortfall")
    if not shortfalls:
        return None
    weak = [e for e in shortfalls if e.threshold_basis in ("comparator", "illustrative") or e.threshold_illustrative]
    if not weak:
        return f"All {len(shortfalls)} shortfalls are measured against thresholds set by an authority or by research."
    comparators = sum(e.threshold_basis == "comparator" for e in weak)
    illustrative = len(weak) - comparators
    kinds = join_words(
        [f"{number_word(comparators)} on England's average"] * bool(comparators)
        + [f"{number_word(illustrative)} on an illustrative level"] * bool(illustrative)
    )
    verb = "rests" if len(weak) == 1 else "rest"
    return f"Of the {len(shortfalls)} shortfalls, {number_word(len(weak))} {verb} on no authority's target: {kinds}."


def _changed(entries: list[PortraitEntry], limit: int) -> str:
    chosen = sorted(entries, key=lambda e: e.score or 0.0, reverse=True)[:limit]
    more = len(entries) - len(chosen)
    # Money is in cash terms: a rise may be inflation, so say so.
    listed = [
        lower_first(e.short_title) + (" (in cash terms)" if (e.unit_short or "").strip() in _PREFIX_UNITS else "")
        for e in chosen
    ]
    listed += [f"{number_word(more)} more"] if more else []
    return join_words(listed)


def trend_sentence(portrait: Portrait, limit: int = 3) -> str | None:
    """Which indicators improved and which got worse, significantly (95%), between non-overlapping periods."""
    scored = [e for e in portrait.entries if e.id and e.status != "context"]
    improving = [e for e in scored if e.trend == "improving"]
    worsening = [e for e in scored if e.trend == "worsening"]
    if not improving and not worsening:
        return None
    parts = []
    if worsening:
        parts.append(f"{_changed(worsening, limit)} {'has' if len(worsening) == 1 else 'have'} got worse")
    if improving:
        parts.append(f"{_changed(improving, limit)} {'has' if len(improving) == 1 else 'have'} improved")
    red = [e for e in worsening if e.red_red]
    flag = (
        f"; {_changed(red, limit)} {'is' if len(red) == 1 else 'are'} also worse than England (red-red)" if red else ""
    )
    return (
        f"Over the last few releases in {portrait.area_name}, {' while '.join(parts)} "
        f"(changes significant at 95%){flag}."
    )


def england_sentence(portrait: Portrait) -> str | None:
    """On how many indicators the area is significantly better, or worse, than England."""
    tested = [
        e
        for e in portrait.entries
        if e.id and e.status != "context" and e.england_comparison in ("better", "similar", "worse")
    ]
    if len(tested) < 2:
        return None
    better = sum(e.england_comparison == "better" for e in tested)
    worse = sum(e.england_comparison == "worse" for e in tested)
    similar = len(tested) - better - worse
    return (
        f"Compared with England, {portrait.area_name} does significantly better on {number_word(better)} and "
        f"worse on {number_word(worse)} of the {number_word(len(tested))} indicators that can be tested "
        f"({number_word(similar)} similar)."
    )


def _per_year(entry: PortraitEntry, change: float) -> str:
    """An annual change, one decimal place finer than the indicator's own (0.13 t a year)."""
    finer = replace(entry, decimals=entry.decimals + 1)
    return f"{sentence_value(finer, abs(change), longest=30)} a year"


def pace_sentence(entry: PortraitEntry, area_name: str) -> str | None:
    """The pace needed to reach the entry's first unmet dated target, beside the recent pace."""
    pending = [p for p in entry.pace if p.get("status") not in ("met", "past_due")]
    if not pending or entry.value is None:
        return None
    pace = pending[-1] if len(pending) > 1 and pending[-1].get("label") == "Net zero" else pending[0]
    target = float(pace["target"])
    label = str(pace["label"])
    goal = "net zero" if label == "Net zero" else f"{'its ceiling' if label == 'Ceiling' else 'its foundation'} of "
    goal += "" if label == "Net zero" else sentence_value(entry, target, longest=30)
    needed = float(pace["needed_per_year"])
    text = (
        f"To reach {goal} by {pace['by']}, {lower_first(entry.short_title)} in {area_name} "
        f"({sentence_value(entry, entry.value, longest=30)} in {entry.period_label}) must "
        f"{'rise' if needed > 0 else 'fall'} by {_per_year(entry, needed)}"
    )
    recent = pace.get("recent_per_year")
    if recent is None:
        return text + "; there is no recent pace to compare."
    status = {
        "on_track": "fast enough",
        "off_track": "too slowly",
        "wrong_direction": "the wrong way",
    }.get(str(pace["status"]), "")
    moved = "risen" if float(recent) > 0 else "fallen"
    since = period_label(str(pace["recent_from"]))
    return (
        text
        + f"; since {since} it has {moved} by {_per_year(entry, float(recent))}"
        + (f", {status}." if status else ".")
    )


def pace_sentences(portrait: Portrait, limit: int = 1) -> list[str]:
    """Pace sentences for the largest gaps with a dated target (climate first)."""
    dated = [e for e in portrait.entries if e.id and e.pace and e.status in ("overshoot", "shortfall")]
    dated.sort(key=lambda e: (e.ring != "ecological_ceiling", -(e.score or 0.0)))
    out = [pace_sentence(e, portrait.area_name) for e in dated]
    return [s for s in out if s][:limit]


def portrait_sentences(portrait: Portrait, max_sentences: int = 6) -> list[str]:
    """Write 3-6 plain-English sentences about a portrait.

    The first sentence summarises (how many indicators are within the safe and just space,
    how many dimensions have no data, how many relative measures are context); then the
    largest shortfall and overshoot (ranked on the 0-1 scale), each with its value, period,
    threshold and who sets it; how many shortfalls rest on a comparator or illustrative
    threshold; significant trends and the comparison with England; the pace needed to reach
    a dated target.

    Parameters
    ----------
    portrait : Portrait
        The scored portrait of one area.
    max_sentences : int
        At most this many sentences (at least one, the summary, is always returned).

    Returns
    -------
    list of str
    """
    area = portrait.area_name
    shortfalls = portrait.by_status("shortfall")
    overshoots = portrait.by_status("overshoot")
    ranked: list[str] = [summary_sentence(portrait)]
    if shortfalls:
        ranked.append(shortfall_sentence(shortfalls[0], area))
    if overshoots:
        ranked.append(overshoot_sentence(overshoots[0], area))
    extra = [shortfall_sentence(e, area) for e in shortfalls[1:2]] + [
        overshoot_sentence(e, area) for e in overshoots[1:2]
    ]
    ranked += extra[:1]
    for sentence in (trend_sentence(portrait), england_sentence(portrait), basis_sentence(portrait)):
        if sentence:
            ranked.append(sentence)
    ranked += pace_sentences(portrait)
    ranked += extra[1:]
    return ranked[: max(1, max_sentences)]
