"""Strict reading of one cell of text: the single parsing layer for numbers and text fields.

Every value that enters a data version passes through these functions (through
:class:`cwb_metrics.models.row.IndicatorRow`), so that a cell is either read exactly as
written or refused with a message saying what is wrong. Nothing is half-parsed: Python's
``float`` accepts ``1_000``, ``١٢`` (Arabic-Indic digits), ``inf`` and ``nan``, and pandas turns
what it cannot read into an empty value; neither is used on text here.
"""

from __future__ import annotations

import math
import re
import unicodedata

#: A plain decimal number: optional sign, ASCII digits with an optional point, optional exponent.
DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
#: A number written with thousands separators (``1,234`` or ``-12,345.6``).
THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)
#: Characters a spreadsheet reads as the start of a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@")
#: Unicode categories refused in text: controls (CR, LF, tab, NUL ...), format characters
#: (byte-order marks, zero-width and bidirectional marks), surrogates, private use, unassigned.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: Words people write for "no number"; each is refused with advice to leave the cell empty.
NOT_A_NUMBER = frozenset({"nan", "na", "n/a", "null", "none", "inf", "+inf", "-inf", "infinity", "-", ".."})


_CONTROL_NAMES = {"\r": "carriage return", "\n": "line feed", "\t": "tab", "\x00": "NUL"}


def _shown(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


def refused_character(text: str, *, allow_newlines: bool = False) -> str | None:
    """Return a description of the first character ``text`` may not hold, or ``None``.

    Parameters
    ----------
    text : str
        The text to check.
    allow_newlines : bool
        Accept line feeds (long free text such as a definition); everything else is refused.
    """
    for position, char in enumerate(text):
        if allow_newlines and char == "\n":
            continue
        category = unicodedata.category(char)
        if category in REFUSED_CATEGORIES:
            name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "unnamed")
            return f"a control or invisible character ({name}, U+{ord(char):04X}) at position {position + 1}"
    return None


def clean_text(value: object, *, max_length: int, allow_newlines: bool = False) -> str:
    """Return a text cell with surrounding whitespace removed, or raise why it cannot be stored.

    Parameters
    ----------
    value : object
        The cell: text, or ``None`` for an empty cell.
    max_length : int
        The longest text accepted, in characters.
    allow_newlines : bool
        Accept line feeds inside the text.

    Raises
    ------
    ValueError
        When the cell is not text, holds a control or invisible character, or is too long.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not text")
    text = value.strip()
    refused = refused_character(text, allow_newlines=allow_newlines)
    if refused is not None:
        raise ValueError(f"{_shown(text)} holds {refused}; remove it")
    if len(text) > max_length:
        raise ValueError(f"is {len(text):,} characters long (at most {max_length:,}); is it the right column?")
    return text


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would run ``text`` as a formula (it starts with ``=``, ``+``, ``-`` or ``@``).

    A plain number such as ``-3.5`` is not a formula.
    """
    return text[:1] in FORMULA_START and DECIMAL.fullmatch(text) is None


def formula_message(text: str) -> str:
    """The message for text a spreadsheet would run as a formula."""
    return f"{_shown(text, 30)} starts with {text[:1]!r}, which a spreadsheet would run as a formula; remove it"


def parse_decimal(value: object) -> float | None:
    """Read a number: a plain decimal written in ASCII, or a finite int or float.

    Accepted text: optional sign, digits with an optional decimal point, an optional
    exponent (``12``, ``-3.5``, ``+4``, ``.5``, ``5.``, ``1.2e-3``), with surrounding spaces.
    An empty cell (or ``None``, or a float NaN from a DataFrame's empty cell) is ``None``.
    ``-0`` is read as 0.

    Raises
    ------
    ValueError
        With a message saying what is wrong: thousands separators, digits other than
        0-9, underscores, ``nan``/``inf`` written as text, hexadecimal, a number too large
        for a 64-bit float, or anything else that is not a plain number.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
        if math.isnan(number):
            return None
        if not math.isfinite(number):
            raise ValueError(f"{value!r} is not a finite number")
        return number + 0.0
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a number")
    text = value.strip()
    if text == "":
        return None
    if DECIMAL.fullmatch(text):
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(f"{_shown(text)} is too large to store (beyond ±1.8e308)")
        if number == 0 and re.search(r"[1-9]", re.split(r"[eE]", text)[0]):
            raise ValueError(f"{_shown(text)} is too small to store (it would become 0)")
        return number + 0.0  # -0 is stored as 0
    if THOUSANDS.fullmatch(text):
        raise ValueError(f"{_shown(text)} has a thousands separator; write it as {text.replace(',', '')}")
    if text.lower() in NOT_A_NUMBER:
        raise ValueError(
            f"{_shown(text)} is not a number; leave the cell empty and give a status saying why (e.g. 'suppressed')"
        )
    if any(char.isdigit() and not "0" <= char <= "9" for char in text):
        raise ValueError(f"{_shown(text)} is not a number: write digits as 0-9")
    if "_" in text:
        raise ValueError(f"{_shown(text)} is not a number: remove the underscores")
    raise ValueError(f"{_shown(text)} is not a number (expected a plain decimal such as 12, -3.5 or 1.2e3)")
