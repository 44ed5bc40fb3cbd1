"""Pace: the annual change needed to reach a dated threshold, beside the recent annual change.

Doughnut 3.0 (Fanning & Raworth 2025; ``9_ambition2050.R`` in a-fanning/doughnut-v3) asks
"how fast?": for each indicator it sets the linear rate of change needed to reach the
boundary by a date (2030 for the social foundation, 2050 for the ecological ceiling) beside
the observed trend, and their ratio is the acceleration needed. Here the dates are the
thresholds' own (``threshold.by``, e.g. the sixth carbon budget's 2033-2037 period, dated
2035) and any further ``dated_targets`` (e.g. net zero by 2050):

- needed per year = (target - latest value) / (target year - latest period), linear, with
  periods and target years placed at their midpoints (an annual period 2023 is 2023.5, a
  target "by 2050" is 2050.5);
- recent per year = the least-squares slope over the last :data:`PACE_WINDOW` periods of the
  latest comparable series (after ``series_breaks``), when the first and last of them do not
  overlap (pooled periods sharing years give no pace) and are at least
  :data:`PACE_MIN_SPAN` years apart;
- status: ``met`` (already at or beyond the target), ``on_track`` (moving the right way at
  least as fast as needed), ``off_track`` (the right way, too slowly), ``wrong_direction``,
  ``past_due`` (the date has passed) or ``no_recent_trend``; ``speed_up`` is needed / recent
  (Doughnut 3.0's "ambition" ratio) and ``reached_at_recent_pace`` the year the target would
  be reached if the recent change went on.

The pace is arithmetic on published values, not a significance claim: sentences say "at
the recent pace", never "improving".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.periods import PeriodError, parse_period
from cwb_metrics.portrait.significance import Observation, _overlap, comparable

PaceStatus = Literal["met", "on_track", "off_track", "wrong_direction", "past_due", "no_recent_trend"]
#: Periods the recent annual change is fitted over.
PACE_WINDOW = 5
#: Fewest years between the first and last periods fitted (a slope over months is noise).
PACE_MIN_SPAN = 2.0


@dataclass(frozen=True)
class Pace:
    """How fast an indicator must change to reach one dated target, and how fast it has changed."""

    label: str
    target: float
    by: int
    basis: str
    source: str
    latest_period: str
    latest_value: float
    years_left: float
    needed_per_year: float
    recent_per_year: float | None
    recent_from: str | None
    status: PaceStatus
    speed_up: float | None
    reached_at_recent_pace: float | None

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the ``pace`` items of ``portrait --json``)."""
        return asdict(self)


def period_midpoint(text: str) -> float:
    """The middle of a period in decimal years: ``2023`` -> 2023.5, ``2021-01-01/P3Y`` -> 2022.5."""
    period = parse_period(text)
    start = period.start.year + (period.start.month - 1) / 12 + (period.start.day - 1) / 365.25
    return start + period.months / 24


def recent_slope(series: Sequence[Observation], window: int = PACE_WINDOW) -> tuple[float | None, str | None]:
    """Least-squares change per year over the last ``window`` observations, and the first period used."""
    points = list(series)[-window:]
    if len(points) < 2 or _overlap(points[0].period, points[-1].period):
        return None, None
    xs = [period_midpoint(o.period) for o in points]
    if xs[-1] - xs[0] < PACE_MIN_SPAN:
        return None, None
    ys = [o.value for o in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None, None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope, points[0].period


def pace_to(
    series: Sequence[Observation],
    *,
    target: float,
    by: int,
    polarity: str,
    label: str = "Threshold",
    basis: str = "",
    source: str = "",
    breaks: Sequence[str] = (),
    window: int = PACE_WINDOW,
) -> Pace | None:
    """The pace needed to reach ``target`` by the year ``by``, beside the recent pace.

    Parameters
    ----------
    series : sequence of Observation
        The area's values (any order).
    target : float
        The level to reach.
    by : int
        The year by which to reach it.
    polarity : str
        ``higher_is_better`` or ``lower_is_better``.
    label, basis, source : str
        Describe the target (for sentences and JSON).
    breaks : sequence of str
        Periods starting a new comparable series.
    window : int
        Periods the recent slope is fitted over.

    Returns
    -------
    Pace or None
        ``None`` when the series is empty.

    Examples
    --------
    >>> s = [Observation(str(y), v) for y, v in [(2019, 6.0), (2020, 5.8), (2021, 5.6), (2022, 5.4), (2023, 5.2)]]
    >>> p = pace_to(s, target=2.8, by=2035, polarity="lower_is_better")
    >>> round(p.needed_per_year, 3), round(p.recent_per_year, 3), p.status
    (-0.2, -0.2, 'on_track')
    """
    try:
        usable = comparable(series, breaks)
    except PeriodError:
        return None
    if not usable:
        return None
    latest = usable[-1]
    now = period_midpoint(latest.period)
    years_left = (by + 0.5) - now
    gap = target - latest.value
    needed = gap / years_left if years_left > 0 else float("nan")
    recent, since = recent_slope(usable, window)
    met = latest.value >= target if polarity == "higher_is_better" else latest.value <= target
    speed_up = reached = None
    if met:
        status: PaceStatus = "met"
    elif years_left <= 0:
        status = "past_due"
    elif recent is None:
        status = "no_recent_trend"
    elif recent == 0 or (recent > 0) != (gap > 0):
        status = "wrong_direction"
    else:
        speed_up = needed / recent
        reached = now + gap / recent
        status = "on_track" if abs(recent) >= abs(needed) * (1 - 1e-9) else "off_track"
    return Pace(
        label=label,
        target=float(target),
        by=int(by),
        basis=basis,
        source=source,
        latest_period=latest.period,
        latest_value=latest.value,
        years_left=round(years_left, 2),
        needed_per_year=0.0 if met else needed,
        recent_per_year=recent,
        recent_from=since,
        status=status,
        speed_up=speed_up,
        reached_at_recent_pace=reached,
    )


def paces(meta: IndicatorMeta, series: Sequence[Observation], threshold: float | None = None) -> list[Pace]:
    """Every dated target of an indicator: its threshold (if dated) and its ``dated_targets``.

    Parameters
    ----------
    meta : IndicatorMeta
        The catalogue record.
    series : sequence of Observation
        The area's values.
    threshold : float, optional
        A what-if threshold replacing the catalogue's (its date is kept).

    Returns
    -------
    list of Pace
        Empty when the indicator has no dated target or no data.
    """
    targets: list[tuple[str, float, int, str, str]] = []
    if meta.threshold.by is not None:
        word = "Ceiling" if meta.threshold.kind == "ceiling" else "Foundation"
        value = meta.threshold.value if threshold is None else threshold
        targets.append((word, value, meta.threshold.by, meta.threshold.basis, meta.threshold.source))
    targets += [(t.label, t.value, t.by, t.basis, t.source) for t in meta.dated_targets]
    out = []
    for label, value, by, basis, source in targets:
        pace = pace_to(
            series,
            target=value,
            by=by,
            polarity=meta.polarity,
            label=label,
            basis=basis,
            source=source,
            breaks=meta.series_breaks,
        )
        if pace is not None:
            out.append(pace)
    return out
