"""What an LSOA map shows: IMD deciles of an edition or their change, zoomed and outlined (no geometry here).

Kept apart from :mod:`cwb_metrics.views.deprivation_map` so that pages naming a map (its
export, its link) do not load the geometry libraries that drawing one needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cwb_metrics.charts import theme
from cwb_metrics.sources.imd import INDICES
from cwb_metrics.views.common import index_label

#: The LSOA topology of each IMD edition (IoD2019 is on 2011 LSOAs, IoD2025 on 2021 LSOAs).
LSOA_OBJECT = {2019: "lsoa11", 2025: "lsoa21"}
#: The edition picker: an IMD edition, or the change from 2019 to 2025 (drawn on 2021 LSOAs).
EDITIONS = {"2025": "2025", "2019": "2019", "change": "Change since 2019"}
#: The place picker's "whole district" choice, and the LSOA picker's "none".
ALL, NONE = "__all__", ""


# ----- what the map shows ------------------------------------------------------------------
@dataclass(frozen=True)
class MapRequest:
    """One LSOA map: IMD deciles of an edition, or the change in decile from 2019 to 2025.

    Parameters
    ----------
    kind : {"imd", "change"}
    edition : int
        2019 or 2025 (the change is drawn on 2025's LSOAs).
    domain : str
        ``imd`` or a domain (``income`` ...).
    district : str or None
        Zoom to this district (``None``: the whole county).
    place : str or None
        A ward or neighbourhood whose LSOAs are outlined.
    lsoa : str or None
        One LSOA outlined (wins over ``place``).
    """

    kind: Literal["imd", "change"]
    edition: int
    domain: str
    district: str | None = None
    place: str | None = None
    lsoa: str | None = None

    def __post_init__(self) -> None:
        if self.edition not in LSOA_OBJECT:
            raise ValueError(f"edition must be 2019 or 2025, not {self.edition!r}")
        if self.domain not in INDICES:
            raise ValueError(f"no IMD measure {self.domain!r}")
        if self.kind == "change" and self.edition != 2025:
            raise ValueError("the change map is drawn on the 2021 LSOAs (edition 2025)")

    @classmethod
    def of(
        cls, mode: str, domain: str, district: str | None = None, place: str | None = None, lsoa: str | None = None
    ) -> MapRequest:
        """From the edition picker's value (``"2025"``, ``"2019"`` or ``"change"``)."""
        if mode == "change":
            return cls("change", 2025, domain, district, place, lsoa)
        return cls("imd", int(mode), domain, district, place, lsoa)

    @property
    def object_name(self) -> str:
        """The LSOA topology drawn."""
        return LSOA_OBJECT[self.edition]

    @property
    def value_field(self) -> str:
        """The column that colours the map."""
        return "decile_change" if self.kind == "change" else f"{self.domain}_decile"

    @property
    def title(self) -> str:
        """The exported map's title."""
        what = "change in decile" if self.kind == "change" else "decile in England"
        return f"{index_label(self.domain)}: {what} of each neighbourhood (LSOA)"

    @property
    def period(self) -> str:
        """The exported map's period line."""
        if self.kind == "change":
            return "IMD 2019 to IMD 2025 (2021 LSOAs)"
        return f"IMD {self.edition} ({2021 if self.edition == 2025 else 2011} LSOAs)"

    @property
    def credit(self) -> str:
        """The exported map's credit (boundaries and IMD edition)."""
        imd = theme.IMD_CREDIT if self.kind == "change" else theme.imd_credit(self.edition)
        return f"{theme.OS_ONS_CREDIT} {imd}."
