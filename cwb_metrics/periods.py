"""ISO-8601 periods as ONS writes them, and their plain-English labels.

ONS Explore Local Statistics writes a period as a date or a date with a duration:
``2023`` (a calendar year), ``2022-04-01`` (a year starting then), ``2022-04-01/P1Y``
(April 2022 to March 2023), ``2021-01-01/P3Y`` (2021 to 2023 pooled), ``2023-06`` (a month),
``2025-04-30`` (a reference date, e.g. ASHE's survey date in April 2025: a point in time).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?:/P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?)?$",
    re.ASCII,  # ASCII digits only: '٢٠٢٣' is not a period a CSV should carry
)
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class PeriodError(ValueError):
    """A period string that is not ISO-8601 as ONS writes it."""


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period: where it starts and how many months it covers."""

    start: dt.date
    months: int
    text: str

    @property
    def end(self) -> dt.date:
        """The first day after the period (the date itself for a point in time)."""
        if self.months == 0:
            return self.start
        total = self.start.month - 1 + self.months
        return dt.date(self.start.year + total // 12, total % 12 + 1, 1)

    @property
    def label(self) -> str:
        """A short plain-English label: '2023', '2022/23', '2021-2023', 'Apr 2026'."""
        start, months = self.start, self.months
        if months == 0:
            return f"{_MONTHS[start.month - 1]} {start.year}"
        if months == 12 and start.month == 1:
            return str(start.year)
        if months == 12:
            return f"{start.year}/{str(start.year + 1)[-2:]}"
        if months % 12 == 0 and start.month == 1:
            return f"{start.year}-{start.year + months // 12 - 1}"
        if months % 12 == 0:
            last = start.year + months // 12 - 1
            return f"{start.year}/{str(start.year + 1)[-2:]}-{last}/{str(last + 1)[-2:]}"
        if months == 1:
            return f"{_MONTHS[start.month - 1]} {start.year}"
        return f"{_MONTHS[start.month - 1]} {start.year} +{months}m"


@lru_cache(maxsize=4096)
def parse_period(text: str) -> Period:
    """Parse an ONS period string.

    Parameters
    ----------
    text : str
        E.g. ``"2023"``, ``"2022-04-01/P1Y"``, ``"2021-01-01/P3Y"``, ``"2026-04"``.

    Returns
    -------
    Period

    Raises
    ------
    PeriodError
        When the text is not a period ONS would write.
    """
    match = _PERIOD.match(str(text).strip())
    if not match:
        raise PeriodError(f"{text!r} is not an ISO-8601 period such as 2023, 2022-04-01/P1Y or 2021-01-01/P3Y")
    year = int(match["year"])
    month = int(match["month"] or 1)
    day = int(match["day"] or 1)
    try:
        start = dt.date(year, month, day)
    except ValueError as error:
        raise PeriodError(f"{text!r} has an impossible date ({error})") from None
    if not 1900 <= year <= 2100:
        raise PeriodError(f"{text!r} has an implausible year {year}")
    if match["years"] or match["months"]:
        months = int(match["years"] or 0) * 12 + int(match["months"] or 0)
    elif match["day"]:
        months = 0  # a reference date: a point in time
    elif match["month"]:
        months = 1
    else:
        months = 12
    if months <= 0 and (match["years"] or match["months"] or not match["day"]):
        raise PeriodError(f"{text!r} has a zero duration")
    return Period(start, months, str(text).strip())


def canonical_period(text: str) -> str:
    """Return the one canonical spelling of a period, so that one period is never stored twice.

    The shortest ISO-8601 form that means the same span: a calendar year is ``2023``
    (``2023-01-01/P1Y`` is the same period), a calendar month ``2023-06`` (``2023-06-01/P1M``),
    a reference date ``2025-04-30``, and any other span its start date and duration
    (``2022-04-01/P1Y``, ``2021-01-01/P3Y``, ``2023-01-01/P18M`` written ``P1Y6M``).

    Parameters
    ----------
    text : str
        A period :func:`parse_period` accepts.

    Returns
    -------
    str

    Raises
    ------
    PeriodError
        When the text is not a period.

    Examples
    --------
    >>> canonical_period("2023-01-01/P1Y"), canonical_period("2023"), canonical_period("2022-04-01/P12M")
    ('2023', '2023', '2022-04-01/P1Y')
    """
    period = parse_period(text)
    start, months = period.start, period.months
    if months == 0:
        return start.isoformat()
    if start.day == 1 and start.month == 1 and months == 12:
        return f"{start.year:04d}"
    if start.day == 1 and months == 1:
        return f"{start.year:04d}-{start.month:02d}"
    years, rest = divmod(months, 12)
    duration = (f"{years}Y" if years else "") + (f"{rest}M" if rest else "")
    return f"{start.isoformat()}/P{duration}"


def canonical_spellings(periods: Iterable[str]) -> dict[str, str]:
    """Each distinct period of ``periods`` -> its :func:`canonical_period` (text that is not a period maps to itself).

    For rows no :class:`~cwb_metrics.models.row.IndicatorRow` checks (the league's rows of
    every council): ``column.map(canonical_spellings(column.unique()))`` spells each period
    as a data version stores it.
    """
    out: dict[str, str] = {}
    for text in periods:
        try:
            out[text] = canonical_period(text)
        except PeriodError:
            out[text] = text
    return out


def period_label(text: str) -> str:
    """Return the plain-English label of a period string (the text itself if unparsable)."""
    try:
        return parse_period(text).label
    except PeriodError:
        return str(text)


def period_sort_key(text: str) -> tuple[dt.date, int]:
    """Sort key: by end of period, then length (so 2021-2023 sorts after 2022)."""
    period = parse_period(text)
    return (period.end, period.months)


def latest_period(periods: list[str]) -> str | None:
    """Return the most recent period of a list, or ``None`` when it is empty."""
    return max(periods, key=period_sort_key) if periods else None
