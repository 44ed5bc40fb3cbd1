"""Ordnance Survey National Grid references (``SP 51234 06789``) to OSGB36 easting and northing.

A grid reference is two letters naming a 100 km square, then an even number of digits:
the first half is the easting and the second half the northing within that square, to a
precision of 10 m (8 digits), 1 m (10 digits) and so on. The first letter names a 500 km
square (``S``, ``T``, ``N``, ``H``, ``O``, ``J``), the second a 100 km square within it;
both run over the 25-letter alphabet without ``I``, west to east from the top row down.
So ``SV`` is the grid's origin, ``TQ 30 80`` is easting 530,000 m, northing 180,000 m.

:func:`parse_grid_reference` returns the **centre** of the square the reference names (a
10-figure reference is within 0.5 m of it; a 6-figure one within 50 m), in metres on the
British National Grid (EPSG:27700).
"""

from __future__ import annotations

import re

_LETTERS = "ABCDEFGHJKLMNOPQRSTUVWXYZ"  # no I
#: Two letters, then either one run of digits or two runs separated by spaces, at the start of the text.
_REFERENCE = re.compile(r"^\s*([A-HJ-Z]{2})\s*([0-9]+)(?:\s+([0-9]+))?(?![0-9])", re.IGNORECASE)


def square_origin(letters: str) -> tuple[int, int]:
    """Easting and northing (metres) of the south-west corner of a 100 km square such as ``SP``.

    Raises
    ------
    ValueError
        When ``letters`` are not two grid letters.
    """
    letters = letters.upper()
    if len(letters) != 2 or any(c not in _LETTERS for c in letters):
        raise ValueError(f"{letters!r} is not a pair of National Grid letters (A-Z without I)")
    first, second = (_LETTERS.index(c) for c in letters)
    east = ((first - 2) % 5) * 5 + second % 5
    north = (19 - (first // 5) * 5) - second // 5
    return east * 100_000, north * 100_000


def parse_grid_reference(text: object) -> tuple[float, float] | None:
    """Read the first OS grid reference at the start of ``text``.

    Parameters
    ----------
    text : object
        A cell such as ``"SP6419046470"``, ``"SJ 8873 4651"``, ``"SJ 39523 66604"``, or
        ``"NZ5047635589 / NZ5053835695"`` (two outlets: the first is read). Trailing words
        (``"SK 38518 90505 Not from consents database"``) are ignored.

    Returns
    -------
    tuple of float or None
        ``(easting, northing)`` in metres (EPSG:27700) of the centre of the referenced
        square, or ``None`` when the text does not start with grid letters and digits
        (blank, ``TBC``, ``N/A``, ``Not in Consents Database``).

    Raises
    ------
    ValueError
        When the text starts like a reference but its digits cannot be split into an
        easting and a northing of equal precision (``"TA 12050 808010"``), or it falls
        outside the grid.
    """
    match = _REFERENCE.match(str(text or ""))
    if not match:
        return None
    letters, first, second = match[1], match[2], match[3]
    if second is None:
        if len(first) % 2 or not 2 <= len(first) <= 10:
            raise ValueError(f"{str(text).strip()!r}: {len(first)} digits cannot be split into easting and northing")
        half = len(first) // 2
        first, second = first[:half], first[half:]
    if len(first) != len(second) or not 1 <= len(first) <= 5:
        raise ValueError(f"{str(text).strip()!r}: easting and northing have different precision "
                         f"({len(first)} and {len(second)} digits)")  # fmt: skip
    east0, north0 = square_origin(letters)
    cell = 10 ** (5 - len(first))
    easting = east0 + int(first) * cell + cell / 2
    northing = north0 + int(second) * cell + cell / 2
    if not (0 <= easting <= 700_000 and 0 <= northing <= 1_300_000):
        raise ValueError(f"{str(text).strip()!r} lies outside the National Grid")
    return easting, northing
