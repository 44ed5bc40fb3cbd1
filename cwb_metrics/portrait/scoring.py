"""Scoring rules of the Doughnut portrait: one comparable 0-1 social scale, and ecological overshoot.

Social foundation (a shortfall from 0 to 1, where 1 means everyone is short; see docs/METHOD.md):

- ``zero_deprivation`` (a "% of people deprived" foundation of 0%): shortfall = v / 100, the
  form of Doughnut 3.0 (Fanning & Raworth 2025), whose social foundation is 0% deprived;
- ``target`` T, higher is better: shortfall = (T - v) / T, the share of the target missing;
- ``target`` T, lower is better: shortfall = 1 - T / v, the share of the value above the
  target (bounded: the old (v - T) / T grew without limit, so a smoking rate of 9.3% against
  5% scored 0.86 while child poverty of 22.9% against 0% scored 0.23).

Ecological ceiling (an overshoot from 0, unbounded): overshoot = v / T - 1, as Doughnut 3.0;
for a stock measured from a pre-industrial ``baseline`` b, Doughnut 3.0 normalises to
(v - b) / (T - b), so overshoot = (v - b) / (T - b) - 1.

A score of 0 means the indicator is within the safe and just space. Missing values are
``missing``, never zero. Very large overshoots are capped for drawing only
(:data:`DRAW_CAP`, after Doughnut 3.0's unrolled axis); the true score is kept. Context
indicators (``role: context``) are never scored: see :data:`CONTEXT`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Status = Literal["shortfall", "overshoot", "within", "missing", "context"]
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
        ``shortfall``, ``overshoot``, ``within``, ``missing`` or ``context``.
    score : float or None
        The shortfall (0 to 1) or overshoot (0 or more); 0 when within; ``None`` when
        missing or context.
    ratio : float or None
        value / threshold (for a stock, (v - b) / (T - b)); ``None`` when missing or the
        threshold is 0.
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


#: The placement of a context indicator: shown, never scored.
CONTEXT = Score("context", None, None)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def score_value(
    value: float | None,
    threshold: float,
    kind: ThresholdKind,
    polarity: Polarity,
    *,
    baseline: float | None = None,
) -> Score:
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
    baseline : float, optional
        A stock's pre-industrial level (ceilings only).

    Returns
    -------
    Score

    Examples
    --------
    >>> round(score_value(10.0, 5.0, "target", "lower_is_better").score, 6)
    0.5
    >>> score_value(80.0, 100.0, "target", "higher_is_better").score
    0.2
    >>> score_value(3.0, 4.0, "ceiling", "lower_is_better").status
    'within'
    """
    if _missing(value):
        return Score("missing", None, None)
    assert value is not None
    ratio = value / threshold if threshold else None
    if kind == "zero_deprivation":
        score = min(1.0, max(0.0, value / 100.0))
        return Score("shortfall" if score > 0 else "within", round(score, 6), ratio)
    if kind == "ceiling":
        ratio = (value - baseline) / (threshold - baseline) if baseline is not None else value / threshold
        score = max(0.0, ratio - 1.0)
        return Score("overshoot" if score > 0 else "within", round(score, 6), ratio)
    if kind == "target":
        if polarity == "higher_is_better":
            score = min(1.0, max(0.0, (threshold - value) / threshold))
        else:
            score = 0.0 if value <= threshold else 1.0 - threshold / value
        return Score("shortfall" if score > 0 else "within", round(score, 6), ratio)
    raise ValueError(f"unknown threshold kind {kind!r}")
