"""Scoring rules of the Doughnut portrait (Fanning & Raworth 2025; O'Neill et al. 2018).

- ``zero_deprivation`` (a "% of people deprived" foundation of 0%): shortfall = value / 100.
- ``target`` T, higher is better: shortfall = max(0, (T - v) / T);
  lower is better: shortfall = max(0, (v - T) / T).
- ``ceiling`` T (ecological): overshoot = max(0, v / T - 1).

A score of 0 means the indicator is within the safe and just space. Missing values are
``missing``, never zero. Very large overshoots are capped for drawing only
(:data:`DRAW_CAP`, after Doughnut 3.0's unrolled axis); the true score is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Status = Literal["shortfall", "overshoot", "within", "missing"]
ThresholdKind = Literal["zero_deprivation", "target", "ceiling"]
Polarity = Literal["higher_is_better", "lower_is_better"]

#: Largest score drawn on charts; Doughnut 3.0 clips its unrolled axis near ratio 4.9.
DRAW_CAP = 3.9


@dataclass(frozen=True)
class Score:
    """The placement of one value against its threshold.

    Attributes
    ----------
    status : str
        ``shortfall``, ``overshoot``, ``within`` or ``missing``.
    score : float or None
        The normalised shortfall or overshoot (0 when within; ``None`` when missing).
    ratio : float or None
        value / threshold (``None`` when missing or the threshold is 0).
    """

    status: Status
    score: float | None
    ratio: float | None

    @property
    def drawn_score(self) -> float | None:
        """The score capped at :data:`DRAW_CAP` for drawing."""
        return None if self.score is None else min(self.score, DRAW_CAP)

    @property
    def capped(self) -> bool:
        """True when the drawn score is smaller than the true one."""
        return self.score is not None and self.score > DRAW_CAP


def score_value(value: float | None, threshold: float, kind: ThresholdKind, polarity: Polarity) -> Score:
    """Place a value against its threshold.

    Parameters
    ----------
    value : float or None
        The observed value; ``None`` or NaN means missing.
    threshold : float
        The social foundation (``target``; 0 for ``zero_deprivation``) or ecological ceiling.
    kind : {"zero_deprivation", "target", "ceiling"}
        Which rule applies (see the module docstring).
    polarity : {"higher_is_better", "lower_is_better"}
        Direction of improvement; ignored for ``zero_deprivation`` and ``ceiling``.

    Returns
    -------
    Score

    Examples
    --------
    >>> score_value(10.4, 5.0, "target", "lower_is_better").score
    1.08
    >>> score_value(3.0, 4.0, "ceiling", "lower_is_better").status
    'within'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Score("missing", None, None)
    ratio = value / threshold if threshold else None
    if kind == "zero_deprivation":
        score = max(0.0, value / 100.0)
        return Score("shortfall" if score > 0 else "within", round(score, 6), ratio)
    if kind == "ceiling":
        score = max(0.0, value / threshold - 1.0)
        return Score("overshoot" if score > 0 else "within", round(score, 6), ratio)
    if kind == "target":
        gap = (threshold - value) if polarity == "higher_is_better" else (value - threshold)
        score = max(0.0, gap / threshold)
        return Score("shortfall" if score > 0 else "within", round(score, 6), ratio)
    raise ValueError(f"unknown threshold kind {kind!r}")


def trend_direction(values: list[tuple[str, float]], polarity: Polarity, *, tolerance: float = 0.02) -> str | None:
    """Direction of change over the available periods: improving, worsening or flat.

    Compares the latest value with the earliest of (up to) the last five periods; a
    relative change within ``tolerance`` (2%) is ``flat``.

    Parameters
    ----------
    values : list of (period, value)
        Already sorted from oldest to newest; missing values excluded.
    polarity : str
        Which direction is better.

    Returns
    -------
    str or None
        ``None`` when fewer than two periods exist.
    """
    if len(values) < 2:
        return None
    recent = values[-5:]
    first, last = recent[0][1], recent[-1][1]
    base = abs(first) if first else 1.0
    change = (last - first) / base
    if abs(change) <= tolerance:
        return "flat"
    better = change > 0 if polarity == "higher_is_better" else change < 0
    return "improving" if better else "worsening"
