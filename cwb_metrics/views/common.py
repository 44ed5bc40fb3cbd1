"""What several pages share: labels, picker choices and the JSON type of a chart spec."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.imd import INDEX_LABELS

#: JSON, as a Vega-Lite spec holds it.
Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
#: A Vega-Lite spec (``chart.to_dict()``).
Spec = dict[str, Json]

RING_LABELS: dict[str, str] = {"social_foundation": "Social foundation", "ecological_ceiling": "Ecological ceiling"}
STATUS_LABELS: dict[str, str] = {
    "shortfall": "Shortfall",
    "overshoot": "Overshoot",
    "within": "Within",
    "missing": "No data",
    "context": "Context",
}


#: What a threshold rests on (``Threshold.basis``), in words, in the order of the model's ``ThresholdBasis``.
BASIS_LABELS: dict[str, str] = {
    "statutory_target": "Statutory target",
    "government_ambition": "Government ambition",
    "science_based": "Science-based",
    "official_definition": "Official definition",
    "comparator": "Comparator (not a target)",
    "illustrative": "Illustrative",
}


def basis_label(basis: str | None) -> str:
    """The words for a threshold's basis ("" when it has none)."""
    return label_of(BASIS_LABELS, basis)


def status_label(status: str) -> str:
    """The word a table shows for a portrait status (``missing`` is "No data")."""
    return label_of(STATUS_LABELS, status)


def ring_label(ring: str) -> str:
    """The ring's name: "Social foundation" or "Ecological ceiling"."""
    return RING_LABELS.get(ring, ring.replace("_", " ").capitalize())


def measure_label(domain: str) -> str:
    """A picker's label for an IMD measure: "Overall deprivation (IMD)" or "Income domain"."""
    return "Overall deprivation (IMD)" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"


def index_label(domain: str) -> str:
    """A chart title's name for an IMD measure: "Index of Multiple Deprivation" or "Income domain"."""
    return "Index of Multiple Deprivation" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"


def period_choice(period: str) -> str:
    """The period picker's label: "Latest available" or the year."""
    return "Latest available" if period == "latest" else period


def cell_float(value: object) -> float | None:
    """A number from a table cell (numpy or Python); ``None`` for a missing one or anything else."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool) and not pd.isna(value):
        return float(value)
    return None


def cell_int(value: object) -> int | None:
    """A whole number from a table cell; ``None`` for a missing one."""
    number = cell_float(value)
    return None if number is None else int(number)


#: How the LSOAs 2021 were placed in wards, in words (``WardLookup.method``).
WARD_METHODS: dict[str, str] = {
    "official_lookup": "the ONS LSOA to ward lookup",
    "representative_point": "each LSOA in the ward holding its representative point (approximate)",
    "best_fit_via_lsoa2011": (
        "each LSOA 2021 in the ward of its best-fit LSOA 2011, as no current-ward lookup or ward boundaries were "
        "available"
    ),
}


def current_wards(config: AreaConfig) -> str:
    """Which wards the IMD 2025 tables use: the area configuration's, else May 2025 (``"May 2019"``, ``"May 2025"``)."""
    return config.geography.lsoa21.ward_vintage if config.geography is not None else "May 2025"


def wards_note(config: AreaConfig) -> str:
    """The wards of both IMD editions and of the maps' ward outlines, from the area configuration's ward method."""
    wards = current_wards(config)
    lookup = config.geography.lsoa21 if config.geography is not None else None
    how = f" ({WARD_METHODS[lookup.method]})" if lookup is not None and lookup.method != "official_lookup" else ""
    drawn = " (their LSOAs 2021, dissolved)" if lookup is not None and lookup.method == "best_fit_via_lsoa2011" else ""
    return (
        f"IMD 2019 uses 2011 LSOAs and May 2019 wards; IMD 2025 uses 2021 LSOAs and {wards} wards{how}. "
        f"Ward outlines are {wards} wards{drawn}."
    )


def version_note(version: str) -> str:
    """The data version, as exported charts credit it."""
    return f"Data version {version}."


@dataclass(frozen=True)
class Choices:
    """The options of a picker, in order, each with its label.

    Parameters
    ----------
    items : tuple of (key, label)
        Keys are what the URL and the page use (codes, ids); labels are what users read.
    """

    items: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> Choices:
        """Build from (key, label) pairs; a repeated key keeps its first place and its last label."""
        labels: dict[str, str] = {}
        for key, label in pairs:
            labels[key] = label
        return cls(tuple(labels.items()))

    @property
    def keys(self) -> list[str]:
        """The keys, in order (a selectbox's options)."""
        return [key for key, _label in self.items]

    def label(self, key: str) -> str:
        """The label of ``key`` (the key itself when unknown): a selectbox's ``format_func``."""
        return next((label for k, label in self.items if k == key), key)

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _label in self.items)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.items)


# ----- words for the significance tests, thresholds, lenses and roles (explorer, portrait) -----
#: The comparison with England at 95% (``PortraitEntry.england_comparison``); a significant
#: difference is named with its direction where both figures are known (:func:`comparison_label`).
COMPARISON_LABELS: dict[str, str] = {
    "better": "Significantly better",
    "similar": "Similar",
    "worse": "Significantly worse",
    "not_compared": "Not compared",
}
#: Every word :func:`comparison_label` gives, in the order a filter offers them.
COMPARISON_CHOICES: tuple[str, ...] = (
    "Significantly higher (better)",
    "Significantly lower (better)",
    "Similar",
    "Significantly higher (worse)",
    "Significantly lower (worse)",
    "Not compared",
)
#: The trend between non-overlapping periods at 95% (``PortraitEntry.trend``).
TREND_LABELS: dict[str, str] = {
    "improving": "Improving",
    "worsening": "Worsening",
    "no_significant_change": "No significant change",
    "not_compared": "Not compared",
}
#: Whether an indicator is placed against its threshold (``IndicatorMeta.role``).
ROLE_LABELS: dict[str, str] = {"scored": "Scored", "context": "Context: not scored"}


def label_of(labels: dict[str, str], key: str | None) -> str:
    """The word for ``key`` in ``labels`` ("" for none; an unknown key in sentence case)."""
    if not key:
        return ""
    return labels.get(key, key.replace("_", " ").capitalize())


def comparison_label(key: str | None, value: float | None, england: float | None) -> str:
    """The word for a comparison with England at 95%: "Significantly lower (better)", "Similar", "Not compared".

    A difference is named only where the portrait's test found it significant (``key``
    ``better`` or ``worse``); "higher" or "lower" is the area's figure against England's.
    """
    key = key or "not_compared"
    if key in ("better", "worse") and value is not None and england is not None and value != england:
        return f"Significantly {'higher' if value > england else 'lower'} ({key})"
    return label_of(COMPARISON_LABELS, key)


#: Characters Streamlit's Markdown would read as formatting, maths ($) or HTML.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>$~|])")


def markdown_escape(text: str) -> str:
    """``text`` for ``st.markdown`` with no character read as formatting, a link, HTML or maths."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)
