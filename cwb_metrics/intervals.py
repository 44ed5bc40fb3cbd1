"""95% confidence intervals from counts, as OHID Fingertips computes them.

Where a publisher gives counts but no confidence interval, the interval is computed here
(and written into the canonical rows' ``lci_95``/``uci_95`` by the builders), so that every
comparison in the portrait can use one significance test:

- :func:`wilson_interval` for a proportion (a count of people or households out of a base),
  the Wilson score method (Wilson 1927; Newcombe 1998), which Fingertips uses for
  proportions;
- :func:`byar_interval` for a rate (a count of events per population), Byar's
  approximation to the exact Poisson interval (Breslow & Day 1987), which Fingertips uses
  for directly counted rates.

References: Public Health England (2018), *Technical Guide: Confidence Intervals*,
Fingertips (https://fingertips.phe.org.uk/profile/guidance). The functions are pure
arithmetic with no dependency on the rest of the package.
"""

from __future__ import annotations

import math

#: The standard normal quantile of a two-sided 95% interval.
Z95 = 1.959964


def wilson_interval(count: float, base: float, *, z: float = Z95, scale: float = 100.0) -> tuple[float, float]:
    """Wilson score interval of a proportion ``count / base``, times ``scale`` (100 for %).

    Parameters
    ----------
    count : float
        People (or households) counted, 0 <= count <= base. A modelled count need not be
        whole.
    base : float
        The denominator, above 0.
    z : float
        The normal quantile (1.96 for 95%).
    scale : float
        Multiplier of the result (100 gives percentages).

    Returns
    -------
    (float, float)
        Lower and upper limits.

    Raises
    ------
    ValueError
        When ``base`` is not positive or ``count`` is outside 0..base.

    Examples
    --------
    >>> [round(x, 2) for x in wilson_interval(10, 100)]
    [5.52, 17.44]
    """
    if not base > 0:
        raise ValueError(f"the base of a proportion must be above 0, not {base!r}")
    if not 0 <= count <= base:
        raise ValueError(f"a count of {count!r} is outside 0..{base!r}")
    p = count / base
    z2 = z * z
    denominator = 1 + z2 / base
    centre = p + z2 / (2 * base)
    half = z * math.sqrt(p * (1 - p) / base + z2 / (4 * base * base))
    return (scale * max(0.0, (centre - half) / denominator), scale * min(1.0, (centre + half) / denominator))


def byar_interval(count: float, population: float, *, z: float = Z95, scale: float = 100_000.0) -> tuple[float, float]:
    """Byar's interval of a rate ``count / population``, times ``scale`` (per 100,000 by default).

    Parameters
    ----------
    count : float
        Events observed (0 or more).
    population : float
        Person-years or population at risk, above 0.
    z : float
        The normal quantile.
    scale : float
        Rate multiplier (100,000 for "per 100,000").

    Returns
    -------
    (float, float)
        Lower and upper limits of the rate.

    Examples
    --------
    >>> [round(x, 1) for x in byar_interval(50, 100_000)]
    [37.1, 65.9]
    """
    if not population > 0:
        raise ValueError(f"the population of a rate must be above 0, not {population!r}")
    if count < 0:
        raise ValueError(f"a count of events cannot be negative ({count!r})")
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = (count + 1) * (1 - 1 / (9 * (count + 1)) + z / (3 * math.sqrt(count + 1))) ** 3
    return (scale * lower / population, scale * upper / population)
