"""Query parameters checked before any page uses them: an invalid one is ignored with a notice.

A link can carry anything: an unknown id, ``nan`` or ``inf`` for a number, a value out of
range, text where a number belongs, a parameter given twice, or megabytes of text. Every
page reads its parameters through these functions (via ``app_support.state``), so each of
these is ignored with a :class:`Ignored` notice instead of reaching a widget.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

#: The longest query value read; longer ones are ignored unread (ids and numbers are short).
MAX_LENGTH = 300
#: The most characters of an ignored value a notice repeats.
SHOWN = 40
_UNSAFE = re.compile(r"[^A-Za-z0-9 _.:,+\-]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Ignored:
    """A query parameter that was ignored, and why.

    Parameters
    ----------
    param : str
        The parameter's name.
    value : str
        Its value (as given; :attr:`notice` shows a short, safe copy).
    reason : str
        Why it was ignored, in plain English.
    """

    param: str
    value: str
    reason: str

    @property
    def shown(self) -> str:
        """The value as a notice repeats it: at most :data:`SHOWN` characters, nothing but plain ones."""
        text = _UNSAFE.sub("?", self.value[:SHOWN])
        return text + ("..." if len(self.value) > SHOWN else "")

    @property
    def notice(self) -> str:
        """The sentence shown at the top of the page (safe as Markdown: the value is plain characters)."""
        return f"The link's {self.param}={self.shown} was ignored: {self.reason}."


def single(param: str, values: Sequence[str]) -> str | Ignored | None:
    """The one value of a parameter (``None`` when absent); repeated, overlong or control characters are ignored."""
    if not values:
        return None
    if len(values) > 1:
        return Ignored(param, ",".join(values), f"it is given {len(values)} times")
    value = values[0]
    if len(value) > MAX_LENGTH:
        return Ignored(param, value, f"it is {len(value):,} characters long (at most {MAX_LENGTH})")
    if _CONTROL.search(value):
        return Ignored(param, value, "it contains control characters")
    return value


def one_of(param: str, value: str, options: Collection[str], what: str = "choices") -> str | Ignored:
    """``value`` when it is one of ``options``, else a notice naming what was expected (``what``: a plural)."""
    return value if value in options else Ignored(param, value, f"it is not one of the {what} this page offers")


def some_of(
    param: str, value: str, options: Collection[str], what: str = "choices"
) -> tuple[list[str], Ignored | None]:
    """The comma-separated ``value``'s items that are ``options`` (each once), and a notice for the rest."""
    items = [v for v in value.split(",") if v]
    kept = list(dict.fromkeys(v for v in items if v in options))
    unknown = [v for v in items if v not in options]
    if not unknown:
        return kept, None
    they = "it is" if len(unknown) == 1 else "they are"
    return kept, Ignored(param, ",".join(unknown), f"{they} not among the {what} this page offers")


def number(param: str, text: str) -> float | Ignored:
    """A finite decimal number, or a notice (``nan``, ``inf``, ``1e999``, words are ignored)."""
    try:
        value = float(text)
    except ValueError:
        return Ignored(param, text, "it is not a number")
    if not math.isfinite(value):
        return Ignored(param, text, "it is not a finite number")
    return value


@dataclass(frozen=True)
class WhatIfLink:
    """A what-if threshold from a link, ``?whatif=INDICATOR:VALUE``, checked for form but not yet for range."""

    indicator: str
    value: float


def what_if_link(value: str, indicators: Collection[str]) -> WhatIfLink | Ignored:
    """``INDICATOR:VALUE`` with a known indicator and a finite number, else a notice."""
    indicator, colon, text = value.partition(":")
    if not colon:
        return Ignored("whatif", value, "expected an indicator and a threshold, e.g. whatif=fuel_poverty:12.5")
    if indicator not in indicators:
        return Ignored("whatif", value, f"{_UNSAFE.sub('?', indicator[:SHOWN])} is not an indicator with a threshold")
    parsed = number("whatif", text)
    return Ignored("whatif", value, parsed.reason) if isinstance(parsed, Ignored) else WhatIfLink(indicator, parsed)


def out_of_range(param: str, value: str, shown: str) -> Ignored:
    """A notice for a number outside a slider's range (``shown``: the range as the page writes it)."""
    return Ignored(param, value, f"the threshold is outside the range this indicator can try ({shown})")
