"""Significance of every difference the portrait claims (the OHID Fingertips method; docs/METHOD.md).

- :func:`compare_with_benchmark`: an area against England, ``better``, ``similar`` or
  ``worse`` at 95%: similar when England's value lies inside the area's 95% confidence
  interval (Fingertips' "compared with benchmark"), otherwise better or worse by the
  indicator's polarity. Without a confidence interval (published, or computed from counts
  with Wilson or Byar intervals at build time, :mod:`cwb_metrics.intervals`) the answer is
  ``not_compared``.
- :func:`trend_significance`: the latest period against an earlier period that does not
  overlap it (pooled periods such as 2019-2023 and 2020-2024 share four years of data, so
  they are never compared), within one comparable series (after the record's
  ``series_breaks``). The change is ``improving`` or ``worsening`` only when significant at
  95%: z = (v2 - v1) / sqrt(se1^2 + se2^2), each standard error taken from the side of
  its 95% interval facing the other value (se = half-width / 1.96). Otherwise
  ``no_significant_change``; ``not_compared`` where no such pair of periods with intervals
  exists.
- In both, a difference that vanishes at the indicator's published decimals is no
  difference (``similar``, ``no_significant_change``): no sentence can then claim one.
- :func:`red_red`: worse than England and getting worse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cwb_metrics.intervals import Z95
from cwb_metrics.periods import PeriodError, parse_period, period_sort_key

Comparison = Literal["better", "similar", "worse", "not_compared"]
Trend = Literal["improving", "worsening", "no_significant_change", "not_compared"]
#: Periods looked back over for a trend (as Fingertips' recent trend: the last five).
TREND_WINDOW = 5


@dataclass(frozen=True)
class Observation:
    """One period's value with its 95% confidence interval (``None`` when not published)."""

    period: str
    value: float
    lci: float | None = None
    uci: float | None = None

    @property
    def has_interval(self) -> bool:
        """True when both limits are known and bracket the value."""
        return (
            self.lci is not None
            and self.uci is not None
            and not (math.isnan(self.lci) or math.isnan(self.uci))
            and self.lci <= self.value <= self.uci
        )


@dataclass(frozen=True)
class TrendResult:
    """A trend and how it was decided (for notes and sentences)."""

    trend: Trend
    earlier: str | None = None
    later: str | None = None
    reason: str = ""


def same_when_rounded(a: float, b: float, decimals: int) -> bool:
    """True when ``a`` and ``b`` print the same at ``decimals`` places (11.39 and 11.4 at 1 d.p.)."""
    return f"{a:.{decimals}f}" == f"{b:.{decimals}f}"


def _better(delta: float, polarity: str) -> bool:
    return delta > 0 if polarity == "higher_is_better" else delta < 0


def compare_with_benchmark(
    value: float | None,
    lci: float | None,
    uci: float | None,
    benchmark: float | None,
    polarity: str | None,
    decimals: int = 1,
) -> Comparison:
    """Compare an area's value with a benchmark (England) at 95%.

    Parameters
    ----------
    value, lci, uci : float or None
        The area's value and 95% confidence limits.
    benchmark : float or None
        England's value in the same period.
    polarity : str or None
        ``higher_is_better`` or ``lower_is_better``.
    decimals : int
        The indicator's published decimals: a difference invisible at them is ``similar``.

    Returns
    -------
    str
        ``better``, ``similar``, ``worse`` or ``not_compared``.

    Examples
    --------
    >>> compare_with_benchmark(11.39, 11.14, 11.64, 11.4, "lower_is_better", 1)
    'similar'
    >>> compare_with_benchmark(20.3, 18.5, 22.3, 26.6, "lower_is_better", 1)
    'better'
    """
    if value is None or benchmark is None or polarity is None or math.isnan(value) or math.isnan(benchmark):
        return "not_compared"
    if same_when_rounded(value, benchmark, decimals):
        return "similar"
    if not Observation("", value, lci, uci).has_interval:
        return "not_compared"
    assert lci is not None and uci is not None
    if lci <= benchmark <= uci:
        return "similar"
    return "better" if _better(value - benchmark, polarity) else "worse"


def _overlap(a: str, b: str) -> bool:
    """True when two periods share time (pooled periods such as 2019-2023 and 2020-2024)."""
    try:
        first, second = parse_period(a), parse_period(b)
    except PeriodError:
        return a == b
    if first.months == 0 or second.months == 0:
        return first.start == second.start
    return first.start < second.end and second.start < first.end


def comparable(series: Sequence[Observation], breaks: Sequence[str] = ()) -> list[Observation]:
    """The observations of the latest comparable series: those from the last break on, oldest first."""
    ordered = sorted(series, key=lambda o: period_sort_key(o.period))
    if not breaks or not ordered:
        return ordered
    starts = []
    for text in breaks:
        try:
            starts.append(parse_period(text).start)
        except PeriodError:
            continue
    latest = parse_period(ordered[-1].period).start
    begun = [s for s in starts if s <= latest]
    if not begun:
        return ordered
    cut = max(begun)
    return [o for o in ordered if parse_period(o.period).start >= cut]


def _standard_error(obs: Observation, towards: float) -> float:
    assert obs.lci is not None and obs.uci is not None
    half = (obs.uci - obs.value) if towards >= obs.value else (obs.value - obs.lci)
    return max(half, 0.0) / Z95


def differ(earlier: Observation, later: Observation) -> bool:
    """True when two independent observations differ at 95% (z-test from their intervals)."""
    se = math.hypot(_standard_error(earlier, later.value), _standard_error(later, earlier.value))
    if se == 0:
        return earlier.value != later.value
    return abs(later.value - earlier.value) / se > Z95


def trend_significance(
    series: Sequence[Observation],
    polarity: str | None,
    decimals: int = 1,
    *,
    breaks: Sequence[str] = (),
    window: int = TREND_WINDOW,
    comparable_over_time: bool = True,
) -> TrendResult:
    """Decide the recent trend of a series (see the module docstring).

    Parameters
    ----------
    series : sequence of Observation
        The area's values, any order.
    polarity : str or None
        Which direction is better.
    decimals : int
        The indicator's published decimals.
    breaks : sequence of str
        Periods that start a new, non-comparable series (``IndicatorMeta.series_breaks``).
    window : int
        How many recent comparable periods to look back over for the earlier period.
    comparable_over_time : bool
        False where the publisher advises against comparing periods (``not_compared``).

    Returns
    -------
    TrendResult
    """
    if polarity is None:
        return TrendResult("not_compared", reason="no direction of improvement")
    if not comparable_over_time:
        return TrendResult("not_compared", reason="the publisher advises against comparing these estimates over time")
    whole = sorted(series, key=lambda o: period_sort_key(o.period))
    usable = comparable(whole, breaks)
    if len(usable) < 2:
        reason = "only one period" if len(whole) < 2 else "the method changed, so earlier periods are not comparable"
        return TrendResult("not_compared", reason=reason)
    latest = usable[-1]
    candidates = [o for o in usable[:-1] if not _overlap(o.period, latest.period)]
    if not candidates:
        return TrendResult(
            "not_compared",
            later=latest.period,
            reason="the earlier periods overlap the latest (pooled data share years)",
        )
    recent = [o for o in candidates if o in usable[-window:]]
    earlier = recent[0] if recent else candidates[-1]
    if not (earlier.has_interval and latest.has_interval):
        return TrendResult(
            "not_compared", earlier.period, latest.period, "no confidence intervals, so no significance test"
        )
    if same_when_rounded(earlier.value, latest.value, decimals) or not differ(earlier, latest):
        return TrendResult("no_significant_change", earlier.period, latest.period, "the change is within the 95% CIs")
    better = _better(latest.value - earlier.value, polarity)
    return TrendResult("improving" if better else "worsening", earlier.period, latest.period, "significant at 95%")


def red_red(comparison: str | None, trend: str | None) -> bool:
    """True for the 'red-red' case: significantly worse than England and significantly worsening."""
    return comparison == "worse" and trend == "worsening"
