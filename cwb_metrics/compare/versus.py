"""An area against its ONS statistical neighbours and England, for one indicator.

:func:`neighbour_comparison` gives, for an indicator and a council, the council's latest
value, the mean, lowest and highest value of its ONS similar areas *for the same period*
(those without a value for that period are left out and counted), and England's. It
makes no claim that the council is better or worse: the neighbours' range is context, not
a significance test. The explorer (through ``cwb_metrics.views``) and the briefing use it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.compare.league import League
from cwb_metrics.compare.neighbours import SimilarAreas
from cwb_metrics.errors import CwbError
from cwb_metrics.periods import canonical_spellings, period_label, period_sort_key
from cwb_metrics.portrait.sentences import format_value


@dataclass(frozen=True)
class NeighbourValue:
    """One similar area's value for the compared period (``None`` when it has none)."""

    code: str
    name: str
    value: float | None


@dataclass(frozen=True)
class NeighbourComparison:
    """A council's value beside its similar areas' mean and range and England's, for one period.

    Attributes
    ----------
    indicator_id, title, unit : str
        The indicator.
    decimals : int
        Decimals to show.
    area_code, area_name : str
        The council.
    period : str or None
        The council's latest period with a value (``None``: no value).
    value, england : float or None
        The council's and England's values for ``period``.
    mean, low, high : float or None
        The similar areas' mean, lowest and highest value for ``period`` (``None`` when none has one).
    with_data, listed : int
        How many similar areas have a value for ``period``, of how many ONS lists.
    kind : str
        Which ONS list (``global``: all indicators).
    neighbours : tuple of NeighbourValue
        Every similar area, most similar first.
    """

    indicator_id: str
    title: str
    unit: str
    decimals: int
    area_code: str
    area_name: str
    period: str | None
    value: float | None
    england: float | None
    mean: float | None
    low: float | None
    high: float | None
    with_data: int
    listed: int
    kind: str
    neighbours: tuple[NeighbourValue, ...]
    in_league: bool = True

    @property
    def period_label(self) -> str:
        """The period as people write it (``2022/23``)."""
        return period_label(self.period) if self.period else ""

    def _fmt(self, number: float | None) -> str:
        return format_value(number, self.decimals, self.unit, missing="-")

    def sentence(self) -> str:
        """One plain sentence; it states values and ranges only (no better/worse claim)."""
        if not self.in_league:
            return (
                f"The league of councils has no England-wide figures for {self.title.lower()}, so "
                f"{self.area_name} cannot be set beside its ONS similar areas on it."
            )
        if self.value is None:
            return f"{self.area_name} has no figure for {self.title.lower()} in the England-wide release."
        if self.mean is None:
            return (
                f"None of {self.area_name}'s {self.listed} ONS similar areas has a figure for "
                f"{self.title.lower()} in {self.period_label}."
            )
        england = "" if self.england is None else f"; England {self._fmt(self.england)}"
        return (
            f"{self.title} ({self.period_label}): {self.area_name} {self._fmt(self.value)}; its ONS similar "
            f"areas {self._fmt(self.low)} to {self._fmt(self.high)} (mean {self._fmt(self.mean)}, "
            f"{self.with_data} of {self.listed} with a figure){england}."
        )


def neighbour_comparison(
    league: League,
    similar: SimilarAreas,
    indicator_id: str,
    area_code: str,
    *,
    catalogue: Mapping[str, object] | None = None,
    period: str | None = None,
) -> NeighbourComparison:
    """Compare a council's value of one indicator with its ONS similar areas and England.

    Parameters
    ----------
    league : League
        The league of the data version (its ``data`` holds every council's rows).
    similar : SimilarAreas
        The ONS similar-area lists (e.g. ``global``).
    indicator_id : str
        The indicator.
    area_code : str
        A council with an ONS similar-areas list (district, unitary, county).
    catalogue : mapping, optional
        Indicator records, for the title, unit and decimals (default: the committed catalogue).
    period : str, optional
        The period to compare (default: the council's latest with a value).

    Returns
    -------
    NeighbourComparison

    Raises
    ------
    CwbError
        When the league has no data rows, or the indicator is unknown.
    """
    if league.data is None:
        raise CwbError("The league cache has no indicator rows: rebuild it (python -m cwb_metrics league --rebuild).")
    if catalogue is None:
        from cwb_metrics.indicators.catalogue import load_catalogue

        catalogue = load_catalogue()
    meta = catalogue.get(indicator_id)
    if meta is None:
        raise CwbError(f"No indicator {indicator_id!r} in the catalogue.")
    rows = league.data[(league.data["indicator"] == indicator_id) & league.data["value"].notna()]
    own = rows[rows["areacd"] == area_code]
    if period is not None:  # the league spells periods canonically; a data version built before may not
        period = canonical_spellings([period])[period]
    if period is None and not own.empty:
        period = max(own["period"].astype(str), key=period_sort_key)
    at = rows[rows["period"].astype(str) == period] if period is not None else rows.iloc[0:0]
    values = {str(c): float(v) for c, v in zip(at["areacd"], at["value"], strict=True)}
    neighbours = tuple(NeighbourValue(n.code, n.name, values.get(n.code)) for n in similar.neighbours(area_code))
    found = [n.value for n in neighbours if n.value is not None and math.isfinite(n.value)]
    names = {a.code: a.name for a in league.areas}
    return NeighbourComparison(
        indicator_id=indicator_id,
        title=str(getattr(meta, "title", indicator_id)),
        unit=str(getattr(meta, "unit_short", "") or getattr(meta, "unit", "")),
        decimals=int(getattr(meta, "decimals", 1)),
        area_code=area_code,
        area_name=names.get(area_code, similar.name(area_code)),
        period=period,
        value=values.get(area_code),
        england=values.get("E92000001"),
        mean=float(pd.Series(found).mean()) if found else None,
        low=min(found) if found else None,
        high=max(found) if found else None,
        with_data=len(found),
        listed=len(neighbours),
        kind=similar.kind,
        neighbours=neighbours,
        in_league=not rows.empty,
    )
