"""IMD 2019 -> 2025: one LSOA's change, the wards that moved most, and the LSOAs whose boundaries changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import ClassVar

import pandas as pd

from cwb_metrics.views.common import cell_float
from cwb_metrics.views.tables import Table, WideTable

#: Smallest ward (in LSOAs, in either edition) listed among the wards that moved most.
MIN_LSOAS = {"1": "Every ward", "2": "2 or more LSOAs", "3": "3 or more LSOAs", "4": "4 or more LSOAs"}
#: What each kind of boundary change means.
MATCH_WORDS = {
    "split": "one 2011 LSOA became several 2021 LSOAs",
    "merged": "several 2011 LSOAs became one 2021 LSOA",
    "complex": "boundaries were redrawn across several LSOAs",
    "unmatched": "no 2011 LSOA could be found",
}
#: How many of the wards that moved most are listed on the page (the CSV has every ward).
WARDS_LISTED = 15


def _number(value: object, fmt: str = "{:,.0f}") -> str:
    return "–" if value is None or pd.isna(value) else fmt.format(value)


def lsoa_change_table(change: pd.DataFrame, lsoa: str) -> WideTable:
    """One LSOA (2021): decile, rank and percentile in IMD 2019 and 2025, and the change (empty when unknown)."""
    columns = ("", "IMD 2019", "IMD 2025", "Change")
    row = change[change["lsoa21_code"] == lsoa]
    if row.empty:
        return WideTable(columns, ())
    first = row.iloc[0]
    return WideTable(
        columns,
        tuple(
            (
                label,
                _number(first[f"{key}_2019"], fmt),
                _number(first[f"{key}_2025"], fmt),
                _number(first[f"{key}_change"], signed),
            )
            for label, key, fmt, signed in (
                ("Decile", "decile", "{:,.0f}", "{:+,.0f}"),
                ("Rank in England", "rank", "{:,.0f}", "{:+,.0f}"),
                ("Percentile", "percentile", "{:.0f}", "{:+.0f}"),
            )
        ),
    )


def lsoa_change_note(change: pd.DataFrame, lsoa: str) -> str:
    """How an LSOA 2021 was matched to 2011 (unchanged, split, merged ...), in words."""
    row = change[change["lsoa21_code"] == lsoa]
    return "" if row.empty else f"{str(row.iloc[0]['match']).capitalize()}: {row.iloc[0]['note']}"


@dataclass(frozen=True)
class BoundaryChangeRow:
    """An LSOA 2021 that is not the same as an LSOA 2011, and how it is compared."""

    lsoa21_code: str
    lsoa21_name: str
    ward_name: str
    lad_name: str
    match: str
    lsoa11_codes: str
    note: str

    LABELS: ClassVar[dict[str, str]] = {}


def boundary_changes(change: pd.DataFrame) -> Table[BoundaryChangeRow]:
    """The county's LSOAs 2021 that were split, merged or redrawn since 2011."""
    changed = change[change["match"] != "unchanged"]
    names = [f.name for f in fields(BoundaryChangeRow)]
    return Table(
        BoundaryChangeRow,
        tuple(BoundaryChangeRow(*(str(v) for v in values)) for values in changed[names].itertuples(index=False)),
    )


def boundary_sentences(summary: Mapping[str, int]) -> list[str]:
    """How the county's LSOAs were matched between 2011 and 2021, in plain English."""
    total = sum(summary[k] for k in ("unchanged", "split", "merged", "complex", "unmatched"))
    lines = [
        f"Of the county's {total} LSOAs (2021), {summary['unchanged']} kept their 2011 code and are compared directly."
    ]
    if summary["split"]:
        lines.append(
            f"{summary['lsoa11_split']} LSOAs of 2011 were split into {summary['split']} LSOAs of 2021: each part "
            "is compared with the whole 2011 LSOA's rank (IMD 2019 has nothing finer)."
        )
    if summary["merged"]:
        lines.append(
            f"{summary['lsoa11_merged']} LSOAs of 2011 were merged into {summary['merged']} of 2021: compared with "
            "their population-weighted mean rank."
        )
    if summary["complex"] or summary["unmatched"]:
        lines.append(
            f"{summary['complex']} had boundaries redrawn across several LSOAs and {summary['unmatched']} could "
            "not be matched."
        )
    return lines


@dataclass(frozen=True)
class MovedWardRow:
    """A ward that moved between IMD 2019 and 2025, with a link to it on the change map."""

    ward_code: str
    ward_name: str
    district_name: str
    lsoas_2019: int
    lsoas_2025: int
    mean_decile_2019: float | None
    mean_decile_2025: float | None
    mean_decile_change: float | None
    most_deprived_20pct_2019: int
    most_deprived_20pct_2025: int
    approximate: bool
    map: str

    LABELS: ClassVar[dict[str, str]] = {}


def moved_wards(wards: pd.DataFrame, domain: str, n: int = WARDS_LISTED) -> Table[MovedWardRow]:
    """The first ``n`` wards of :func:`cwb_metrics.deprivation.change.most_moved`, each linked to the change map."""
    return Table(
        MovedWardRow,
        tuple(
            MovedWardRow(
                ward_code=str(r.ward_code),
                ward_name=str(r.ward_name),
                district_name=str(r.district_name),
                lsoas_2019=int(r.lsoas_2019),
                lsoas_2025=int(r.lsoas_2025),
                mean_decile_2019=cell_float(r.mean_decile_2019),
                mean_decile_2025=cell_float(r.mean_decile_2025),
                mean_decile_change=cell_float(r.mean_decile_change),
                most_deprived_20pct_2019=int(r.most_deprived_20pct_2019),
                most_deprived_20pct_2025=int(r.most_deprived_20pct_2025),
                approximate=bool(r.approximate),
                map=f"/deprivation_map?edition=change&domain={domain}&area={r.ward_code}",
            )
            for r in wards.head(n).itertuples(index=False)
        ),
    )


def wards_csv(wards: pd.DataFrame) -> bytes:
    """Every ward of :func:`~cwb_metrics.deprivation.change.most_moved`, as the CSV download."""
    return wards.to_csv(index=False, lineterminator="\n").encode("utf-8")
