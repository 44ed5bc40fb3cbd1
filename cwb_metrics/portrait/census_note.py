"""Which indicators of a portrait are 2021 Census snapshots, and the note a page shows about them.

An indicator is a Census snapshot when its catalogue record is built from a Census source
(``extract.source`` starting ``census/``; see ``data/sources.yaml``). Census figures
describe Census Day, 21 March 2021, and are not updated until the next census, so a page
that sets them beside yearly statistics should say so: :func:`census_snapshot_note`.
"""

from __future__ import annotations

from collections.abc import Mapping

from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.portrait.portrait import Portrait

#: Source ids of Census files start with this (``census/2021/ts011_lsoa`` ...).
CENSUS_SOURCE_PREFIX = "census/"
#: What every Census snapshot has in common, for a page note.
CENSUS_NOTE = (
    "They are a snapshot of Census Day, 21 March 2021 (during the COVID-19 "
    "pandemic), not updated until the next census. ONS adds small random changes to Census counts to protect "
    "confidentiality, so small-area figures are approximate."
)


def is_census_snapshot(meta: IndicatorMeta) -> bool:
    """True when the indicator is built from a Census file (``extract.source`` is a ``census/`` source)."""
    return meta.extract.source.startswith(CENSUS_SOURCE_PREFIX)


def census_snapshot_ids(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]) -> list[str]:
    """Return the ids of the portrait's indicators with a value that are Census snapshots, in drawing order.

    Parameters
    ----------
    portrait : Portrait
        From :func:`cwb_metrics.portrait.for_area.portrait_for`.
    catalogue : mapping of id to IndicatorMeta
        The catalogue the portrait was computed with.

    Examples
    --------
    >>> census_snapshot_ids(portrait_for(store, "Blackbird Leys"), catalogue_for(store))  # doctest: +SKIP
    ['census_bad_health', 'census_disability', ...]
    """
    return [
        str(e.id)
        for e in portrait.entries
        if e.id is not None and e.value is not None and e.id in catalogue and is_census_snapshot(catalogue[e.id])
    ]


def census_snapshot_note(portrait: Portrait, catalogue: Mapping[str, IndicatorMeta]) -> str | None:
    """Return the page note naming the portrait's Census indicators, or ``None`` when it has none.

    Returns
    -------
    str or None
        E.g. "From the 2021 Census: Bad health, Disabled. They are a snapshot of Census
        Day ..." (the indicators' short titles without their "(Census)" mark, which the note
        says once, then :data:`CENSUS_NOTE`).
    """
    ids = census_snapshot_ids(portrait, catalogue)
    if not ids:
        return None
    names = ", ".join(catalogue[i].short_title.removesuffix(" (Census)") for i in ids)
    return f"From the 2021 Census: {names}. {CENSUS_NOTE}"
