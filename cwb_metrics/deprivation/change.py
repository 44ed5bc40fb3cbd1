"""IMD 2019 to IMD 2025: change in rank and decile, carried across the 2011 to 2021 LSOA change.

IoD2019 ranks LSOAs of 2011; IoD2025 ranks LSOAs of 2021. Most LSOAs kept their code; some
2011 LSOAs were split into several 2021 LSOAs and a few were merged. Every county LSOA 2021
is matched to the LSOA(s) 2011 it came from, and the match is always shown:

``unchanged``
    Same code in 2011 and 2021: compared directly (the note says where the boundary moved
    by more than :data:`COMPLEX_OVERLAP_SHARE` of its area, as happened to a few LSOAs
    that kept their codes).
``split``
    One LSOA 2011 became several LSOAs 2021: each 2021 part is compared with the whole
    2011 LSOA's rank (the 2019 data has nothing finer).
``merged``
    Several LSOAs 2011 became one LSOA 2021: compared with the population-weighted mean
    of their 2019 ranks (IoD2019 File 6 mid-2015 population; the plain mean where
    populations are missing), and the decile that rank falls in.
``complex``
    Boundaries redrawn across several LSOAs: compared with the population-weighted mean
    rank of every 2011 LSOA it overlaps (approximate).
``unmatched``
    No 2011 LSOA could be found: no comparison.

How LSOAs are matched (:func:`match_lsoas`, at refresh): the ONS LSOA (2011) to LSOA
(2021) **best-fit** lookup gives one 2021 LSOA for every 2011 LSOA, so the other parts of a
split are not in it. Those parts are placed in the 2011 LSOA that holds most of their
area, by overlaying the ONS LSOA 2011 and 2021 boundaries (generalised, clipped; British
National Grid areas); the ``via`` column says which rows came from the overlay. Overlaps
under :data:`MIN_OVERLAP_SHARE` of an LSOA's area are generalisation slivers and ignored.
The exact-fit lookup (with ONS's change indicator U/S/M/X) was not available; these
classes reproduce it from the best-fit lookup and the boundaries.

The match table is written at refresh as ``lsoa/lsoa21_lsoa11_change.parquet`` by the
table producer :func:`build_lsoa_change_lookup`.

Read :data:`CHANGE_CAVEAT` before reading anything into a change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

import geopandas as gpd
import pandas as pd

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.areas.resolve import ResolvedArea, list_areas
from cwb_metrics.deprivation.county import BESTFIT_LOOKUP, county_bestfit, county_lsoa21, imd_sources
from cwb_metrics.deprivation.tables import IMD2019_TABLE, IMD2025_TABLE
from cwb_metrics.errors import CwbError
from cwb_metrics.geo.tables import GEOMETRY_TABLES, county_boundaries
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.imd import ENGLAND_LSOAS, INDEX_LABELS, INDICES
from cwb_metrics.store import DataStore

CHANGE_TABLE = "lsoa/lsoa21_lsoa11_change.parquet"
#: Columns of :data:`CHANGE_TABLE`: one row per (LSOA 2021, LSOA 2011) pair.
CHANGE_TABLE_COLUMNS: tuple[str, ...] = (
    "lsoa21_code",
    "lsoa11_code",
    "match",
    "via",
    "share_of_lsoa21",
    "share_of_lsoa11",
)
MATCH_KINDS: tuple[str, ...] = ("unchanged", "split", "merged", "complex", "unmatched")
VIA_BESTFIT = "ONS best-fit lookup"
VIA_OVERLAY = "boundary overlay"
#: Overlaps smaller than this share of an LSOA 2021's area are slivers of generalisation, not change.
MIN_OVERLAP_SHARE = 0.05
#: A 2011 LSOA covering at least this share of a 2021 LSOA, but not linked to it by the
#: best-fit lookup, makes the change ``complex``.
COMPLEX_OVERLAP_SHARE = 0.10
#: Projected CRS for areas (British National Grid, metres).
AREA_CRS = "EPSG:27700"

CHANGE_CAVEAT = (
    "IMD ranks are relative: an LSOA can fall in rank without getting worse in absolute terms, because "
    "other places improved faster, and it can rise without getting better. IMD 2025 uses different "
    "indicators, data from different years and a new set of LSOAs (2021, 33,755 in England against "
    "32,844 in 2019), so a change in rank or decile is partly a change of method and boundaries. "
    "Where a 2011 LSOA was split, each 2021 part is compared with the whole 2011 LSOA; where LSOAs "
    "were merged, with their population-weighted mean rank."
)


# ----- matching (at refresh) -------------------------------------------------------------------
def boundary_overlaps(lsoa11: pd.DataFrame, lsoa21: pd.DataFrame) -> pd.DataFrame:
    """Return how much of each LSOA 2021 lies in each LSOA 2011 (and the reverse).

    Parameters
    ----------
    lsoa11, lsoa21 : geopandas.GeoDataFrame
        Boundaries with a ``code`` column (as :func:`cwb_metrics.sources.boundaries.read_boundaries`
        returns them), in any CRS; areas are measured in :data:`AREA_CRS`.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa21_code, share_of_lsoa11, share_of_lsoa21`` for every pair that
        overlaps at all (shares 0-1).
    """
    old = lsoa11[["code", "geometry"]].to_crs(AREA_CRS).rename(columns={"code": "lsoa11_code"})
    new = lsoa21[["code", "geometry"]].to_crs(AREA_CRS).rename(columns={"code": "lsoa21_code"})
    pieces = gpd.overlay(new, old, how="intersection", keep_geom_type=True)
    area = pieces.geometry.area
    old_area = pieces["lsoa11_code"].map(old.set_index("lsoa11_code").geometry.area)
    new_area = pieces["lsoa21_code"].map(new.set_index("lsoa21_code").geometry.area)
    out = pd.DataFrame(
        {
            "lsoa11_code": pieces["lsoa11_code"].astype("string"),
            "lsoa21_code": pieces["lsoa21_code"].astype("string"),
            "share_of_lsoa11": (area / old_area).to_numpy(),
            "share_of_lsoa21": (area / new_area).to_numpy(),
        }
    )
    out = out.groupby(["lsoa11_code", "lsoa21_code"], as_index=False)[["share_of_lsoa11", "share_of_lsoa21"]].sum()
    return out.loc[out["share_of_lsoa21"] > 0].reset_index(drop=True)


def _classify(parents: dict[str, list[str]], children: dict[str, list[str]], code: str) -> str:
    mine = parents.get(code, [])
    if not mine:
        return "unmatched"
    if mine == [code]:
        return "unchanged"  # same code: ONS kept the LSOA (a moved boundary is only noted)
    if len(mine) == 1:
        siblings = children[mine[0]]
        if len(siblings) > 1:
            return "split"
        return "complex"  # a new code for one whole 2011 LSOA: boundaries redrawn
    if all(children[p] == [code] for p in mine):
        return "merged"
    return "complex"


def match_lsoas(bestfit: pd.DataFrame, lsoa21_codes: Iterable[str], overlaps: pd.DataFrame | None) -> pd.DataFrame:
    """Match every LSOA 2021 to the LSOA(s) 2011 it came from, and classify the change.

    Parameters
    ----------
    bestfit : pandas.DataFrame
        The ONS best-fit lookup: ``lsoa11_code, lsoa21_code`` (one row per LSOA 2011).
    lsoa21_codes : iterable of str
        The LSOAs 2021 to match (the county's).
    overlaps : pandas.DataFrame or None
        :func:`boundary_overlaps` of the 2011 and 2021 boundaries; ``None`` when the
        boundaries are not available (split parts missing from the best-fit lookup are
        then ``unmatched``).

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_TABLE_COLUMNS`, one row per (LSOA 2021, LSOA 2011) pair, and one row
        with a missing ``lsoa11_code`` for an unmatched LSOA 2021; ``match`` is one of
        :data:`MATCH_KINDS` (the same on every row of one LSOA 2021); ``via`` says
        whether the pair comes from the best-fit lookup or the boundary overlay.
    """
    codes = list(dict.fromkeys(str(c) for c in lsoa21_codes))
    wanted = set(codes)
    best = bestfit.loc[bestfit["lsoa21_code"].isin(wanted), ["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    pairs = [(str(o), str(n), VIA_BESTFIT) for o, n in zip(best["lsoa11_code"], best["lsoa21_code"], strict=True)]
    if overlaps is not None and not overlaps.empty:
        real = overlaps[overlaps["share_of_lsoa21"] >= MIN_OVERLAP_SHARE]
        linked = {(o, n) for o, n, _v in pairs}
        placed = {n for _o, n, _v in pairs}
        kept = set(bestfit["lsoa11_code"].astype(str)) & set(bestfit["lsoa21_code"].astype(str))
        for new, group in real[real["lsoa21_code"].isin(wanted)].groupby("lsoa21_code", sort=True):
            if new not in placed:  # a part of a split, absent from the best-fit lookup
                top = group.sort_values("share_of_lsoa21", ascending=False).iloc[0]
                pairs.append((str(top["lsoa11_code"]), str(new), VIA_OVERLAY))
                linked.add((str(top["lsoa11_code"]), str(new)))
            if new in kept:  # same code: ONS kept the LSOA; a moved boundary is noted, not re-matched
                continue
            for old, share in zip(group["lsoa11_code"], group["share_of_lsoa21"], strict=True):
                if (str(old), str(new)) not in linked and share >= COMPLEX_OVERLAP_SHARE:
                    pairs.append((str(old), str(new), VIA_OVERLAY))
                    linked.add((str(old), str(new)))
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for old, new, _via in pairs:
        parents.setdefault(new, []).append(old)
        children.setdefault(old, []).append(new)
    for old in children:
        children[old] = sorted(children[old])
    rows: list[dict[str, str | None]] = [
        {"lsoa21_code": new, "lsoa11_code": old, "via": via, "match": _classify(parents, children, new)}
        for old, new, via in pairs
    ]
    rows += [
        {"lsoa21_code": c, "lsoa11_code": None, "via": "", "match": "unmatched"} for c in codes if c not in parents
    ]
    frame = pd.DataFrame(rows, columns=["lsoa21_code", "lsoa11_code", "via", "match"])
    if overlaps is not None and not overlaps.empty:
        frame = frame.merge(overlaps, on=["lsoa11_code", "lsoa21_code"], how="left")
    else:
        frame["share_of_lsoa11"] = math.nan
        frame["share_of_lsoa21"] = math.nan
    frame = frame.astype({"lsoa21_code": "string", "lsoa11_code": "string", "via": "string", "match": "string"})
    frame = frame.astype({"share_of_lsoa11": "float64", "share_of_lsoa21": "float64"})
    return frame.loc[:, list(CHANGE_TABLE_COLUMNS)].sort_values(["lsoa21_code", "lsoa11_code"], ignore_index=True)


def build_lsoa_change_lookup(context: BuildContext) -> list[Output]:
    """Build ``lsoa/lsoa21_lsoa11_change.parquet`` for the county (a table producer).

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files: the best-fit lookup, the IoD2025 file and lookups
        that list the county's LSOAs 2021, and (for split parts) ``boundaries/lsoa11``
        and ``boundaries/lsoa21``.

    Returns
    -------
    list of Output
        The match table (see :func:`match_lsoas`); empty when the best-fit lookup was not
        fetched.
    """
    if BESTFIT_LOOKUP not in context.files:
        return []
    county21 = county_lsoa21(context)
    overlaps = None
    sources = [BESTFIT_LOOKUP, *imd_sources(context, 2025)]
    if "boundaries/lsoa11" in context.files and "boundaries/lsoa21" in context.files:
        tables = {t.object_name: t for t in GEOMETRY_TABLES}
        overlaps = boundary_overlaps(
            county_boundaries(context, tables["lsoa11"]),
            county_boundaries(context, tables["lsoa21"]),
        )
        sources += ["boundaries/lsoa11", "boundaries/lsoa21"]
    frame = match_lsoas(county_bestfit(context), county21["lsoa_code"].tolist(), overlaps)
    return [Output(CHANGE_TABLE, frame, tuple(sources))]


# ----- change by LSOA -------------------------------------------------------------------------
def _check_index(index: str) -> str:
    if index not in INDICES:
        raise CwbError(f"index must be one of {list(INDICES)}, not {index!r}")
    return index


def decile_of_rank(rank: float, edition: int) -> int:
    """Return the national decile (1 = most deprived 10%) of a rank in an IoD edition.

    MHCLG's rule: decile = ceil(10 x rank / number of LSOAs in England).

    Examples
    --------
    >>> decile_of_rank(3284, 2019), decile_of_rank(3285, 2019)
    (1, 2)
    """
    return max(1, min(10, math.ceil(10 * rank / ENGLAND_LSOAS[edition])))


def _note(row: dict, names: dict[str, str], ranks: dict[str, float], weighted: bool, label: str) -> str:
    match, olds = row["match"], row["_olds"]
    named = ", ".join(f"{o} ({names.get(o, o)})" for o in olds)
    if match == "unchanged":
        text = "Same LSOA code in 2011 and 2021: compared directly."
        kept = row["_kept_share"]
        others = [c for c in row["_siblings"] if c != row["lsoa21_code"]]
        if others:
            text = (
                "Same LSOA code in 2011 and 2021, compared directly, though part of the 2011 LSOA is now in "
                f"{', '.join(others)}."
            )
        elif kept is not None and not pd.isna(kept) and kept < 1 - COMPLEX_OVERLAP_SHARE:
            text = (
                f"Same LSOA code in 2011 and 2021, compared directly, though its boundary moved: {kept:.0%} of its "
                "2021 area was in the 2011 LSOA of that code."
            )
    elif match == "split":
        parts = row["_siblings"]
        text = (
            f"Split: the 2011 LSOA {named} became {len(parts)} LSOAs in 2021 ({', '.join(parts)}); the 2019 "
            f"{label} rank is the whole 2011 LSOA's."
        )
    elif match in ("merged", "complex"):
        how = "population-weighted mean (IoD2019 mid-2015 population)" if weighted else "mean"
        listed = ", ".join(f"{o}: {ranks[o]:,.0f}" for o in olds if o in ranks)
        kind = "Merged: the 2011 LSOAs" if match == "merged" else "Complex change: overlaps the 2011 LSOAs"
        text = (
            f"{kind} {named}; the 2019 {label} rank is the {how} of their ranks ({listed}), and the 2019 "
            "decile the decile of that rank."
        )
    else:
        return "Not in the ONS best-fit lookup and no boundaries to place it: no 2019 comparison."
    overlay = row["_overlay"]
    if overlay:
        text += f" Not in the ONS best-fit lookup: placed in {overlay} by boundary overlap."
    return text


def lsoa_change(store: DataStore, index: str = "imd") -> pd.DataFrame:
    """Change in rank and decile from IoD2019 to IoD2025 for every county LSOA 2021.

    Parameters
    ----------
    store : DataStore
        The data folder (its current version's IMD tables and change lookup).
    index : str
        ``imd`` or a domain (``income``, ``employment``, ``education``, ``health``,
        ``crime``, ``barriers``, ``living_environment``).

    Returns
    -------
    pandas.DataFrame
        One row per LSOA 2021, sorted by code: ``lsoa21_code, lsoa21_name, ward_code,
        ward_name`` (May 2025 ward, approximate), ``lad_code, lad_name, match``
        (:data:`MATCH_KINDS`), ``lsoa11_codes`` (comma-separated), ``rank_2019,
        decile_2019, rank_2025, decile_2025, rank_change, decile_change`` (2025 minus
        2019: negative is relatively more deprived), ``percentile_2019,
        percentile_2025, percentile_change`` (rank as % of England's LSOAs, comparable
        across the two editions' different numbers of LSOAs), ``direction`` and ``note``
        (how the 2019 figure was found). A merged or complex LSOA's ``rank_2019`` is a
        (weighted) mean, not an official rank.

    Raises
    ------
    CwbError
        For an unknown ``index``.
    NoDataError
        When the tables have not been built (refresh).
    """
    index = _check_index(index)
    t19, t25 = store.read_table(IMD2019_TABLE), store.read_table(IMD2025_TABLE)
    pairs = store.read_table(CHANGE_TABLE)
    rank, decile = f"{index}_rank", f"{index}_decile"
    old = t19.set_index("lsoa_code")
    names = {str(k): str(v) for k, v in old["lsoa_name"].items()}
    ranks = {str(k): float(v) for k, v in old[rank].items() if not pd.isna(v)}
    people = old["population"] if "population" in old.columns else pd.Series(dtype="float64")
    children = pairs.dropna(subset=["lsoa11_code"]).groupby("lsoa11_code")["lsoa21_code"].agg(lambda s: sorted(s))
    records = []
    for code, group in pairs.groupby("lsoa21_code", sort=True):
        olds = sorted(group["lsoa11_code"].dropna().astype(str).tolist())
        match = str(group["match"].iloc[0])
        overlay = ", ".join(sorted(group.loc[group["via"] == VIA_OVERLAY, "lsoa11_code"].dropna().astype(str)))
        known = [o for o in olds if o in ranks]
        weights = [people.get(o) for o in known]
        weighted = bool(known) and all(w is not None and not pd.isna(w) and w > 0 for w in weights)
        rank19 = dec19 = math.nan
        if known and len(known) == len(olds):
            if match in ("unchanged", "split"):
                rank19 = ranks[known[0]]
                dec19 = float(old.at[known[0], decile])
            elif match in ("merged", "complex"):
                w = [float(x) for x in weights] if weighted else [1.0] * len(known)
                rank19 = sum(ranks[o] * x for o, x in zip(known, w, strict=True)) / sum(w)
                dec19 = float(decile_of_rank(rank19, 2019))
        row = {
            "lsoa21_code": str(code),
            "match": match,
            "lsoa11_codes": ", ".join(olds),
            "rank_2019": rank19,
            "decile_2019": dec19,
            "_olds": olds,
            "_overlay": overlay,
            "_siblings": children.get(olds[0], []) if olds else [],
            "_kept_share": group.loc[group["lsoa11_code"] == code, "share_of_lsoa21"].max(),
        }
        row["note"] = _note(row, names, ranks, weighted, "IMD" if index == "imd" else INDEX_LABELS[index].lower())
        records.append(row)
    frame = pd.DataFrame.from_records(records).drop(columns=["_olds", "_overlay", "_siblings", "_kept_share"])
    new = t25.loc[:, ["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "lad_name", rank, decile]]
    new = new.rename(
        columns={"lsoa_code": "lsoa21_code", "lsoa_name": "lsoa21_name", rank: "rank_2025", decile: "decile_2025"}
    )
    out = new.merge(frame, on="lsoa21_code", how="left")
    out["match"] = out["match"].fillna("unmatched")
    out["note"] = out["note"].fillna("Not in the change lookup: no 2019 comparison.")
    for column in ("rank_2019", "decile_2019", "rank_2025", "decile_2025"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["rank_change"] = out["rank_2025"] - out["rank_2019"]
    out["decile_change"] = out["decile_2025"] - out["decile_2019"]
    out["percentile_2019"] = 100 * out["rank_2019"] / ENGLAND_LSOAS[2019]
    out["percentile_2025"] = 100 * out["rank_2025"] / ENGLAND_LSOAS[2025]
    out["percentile_change"] = out["percentile_2025"] - out["percentile_2019"]
    out["direction"] = out["decile_change"].map(_direction)
    columns = [
        "lsoa21_code",
        "lsoa21_name",
        "ward_code",
        "ward_name",
        "lad_code",
        "lad_name",
        "match",
        "lsoa11_codes",
        "rank_2019",
        "decile_2019",
        "rank_2025",
        "decile_2025",
        "rank_change",
        "decile_change",
        "percentile_2019",
        "percentile_2025",
        "percentile_change",
        "direction",
        "note",
    ]
    return out.loc[:, columns].sort_values("lsoa21_code", ignore_index=True)


def _direction(change: float) -> str:
    if change is None or pd.isna(change):
        return "no comparison"
    if change < 0:
        return "relatively more deprived"
    if change > 0:
        return "relatively less deprived"
    return "same decile"


def match_summary(store: DataStore) -> dict[str, int]:
    """Count the county's LSOAs by kind of boundary change.

    Returns
    -------
    dict
        ``{"unchanged", "split", "merged", "complex", "unmatched"}``: numbers of LSOAs
        2021; plus ``"lsoa11_split"`` and ``"lsoa11_merged"``: numbers of LSOAs 2011
        that were split, or merged into another.
    """
    pairs = store.read_table(CHANGE_TABLE)
    per21 = pairs.drop_duplicates("lsoa21_code")["match"].value_counts()
    out = {kind: int(per21.get(kind, 0)) for kind in MATCH_KINDS}
    linked = pairs.dropna(subset=["lsoa11_code"])
    for kind in ("split", "merged"):
        out[f"lsoa11_{kind}"] = int(linked.loc[linked["match"] == kind, "lsoa11_code"].nunique())
    return out


# ----- change by area -------------------------------------------------------------------------
@dataclass(frozen=True)
class AreaChange:
    """How an area's deprivation changed between IoD2019 and IoD2025.

    Counts are of the area's own LSOAs in each edition (2011 LSOAs for 2019, 2021 LSOAs
    for 2025), so they need no matching; ``lsoas`` has the matched LSOA-level change.
    Mean deciles are unweighted means over the area's LSOAs.
    """

    area: ResolvedArea
    index: str
    lsoas_2019: int
    lsoas_2025: int
    most_deprived_20pct_2019: int
    most_deprived_20pct_2025: int
    most_deprived_10pct_2019: int
    most_deprived_10pct_2025: int
    mean_decile_2019: float | None
    mean_decile_2025: float | None
    matches: dict[str, int]
    lsoas: pd.DataFrame = field(repr=False)

    @property
    def mean_decile_change(self) -> float | None:
        """Mean decile 2025 minus 2019 (negative: relatively more deprived)."""
        if self.mean_decile_2019 is None or self.mean_decile_2025 is None:
            return None
        return self.mean_decile_2025 - self.mean_decile_2019

    def sentences(self) -> list[str]:
        """Plain-English sentences: the counts in each edition and how LSOAs were matched."""
        label = "" if self.index == "imd" else f" on {INDEX_LABELS[self.index].lower()}"
        name = self.area.name
        out = [
            f"{name}: {self.most_deprived_20pct_2019} of {self.lsoas_2019} LSOAs (2011) were among England's 20% "
            f"most deprived{label} in IMD 2019, and {self.most_deprived_20pct_2025} of {self.lsoas_2025} LSOAs "
            f"(2021) in IMD 2025."
        ]
        change = self.mean_decile_change
        if change is not None:
            way = "towards the less deprived end" if change > 0 else "towards the more deprived end"
            moved = "did not move" if abs(change) < 0.05 else f"moved {abs(change):.1f} deciles {way}"
            out.append(
                f"The average decile of its LSOAs {moved} ({self.mean_decile_2019:.1f} in 2019, "
                f"{self.mean_decile_2025:.1f} in 2025)."
            )
        changed = {k: v for k, v in self.matches.items() if k != "unchanged" and v}
        if changed:
            listed = ", ".join(f"{v} {k}" for k, v in changed.items())
            out.append(f"Its 2021 LSOAs include boundary changes since 2011 ({listed}); see each LSOA's note.")
        if self.area.derived_editions:
            out.append(
                "Its LSOAs for IMD "
                + " and ".join(str(e) for e in self.area.derived_editions)
                + " come from the ONS best-fit lookup, not a ward lookup of that year, so they are approximate."
            )
        return out

    def to_json_dict(self) -> dict[str, object]:
        """JSON-ready form (without the LSOA table)."""
        return {
            "area": {"code": self.area.code, "name": self.area.name, "kind": self.area.kind},
            "index": self.index,
            "lsoas_2019": self.lsoas_2019,
            "lsoas_2025": self.lsoas_2025,
            "most_deprived_20pct_2019": self.most_deprived_20pct_2019,
            "most_deprived_20pct_2025": self.most_deprived_20pct_2025,
            "most_deprived_10pct_2019": self.most_deprived_10pct_2019,
            "most_deprived_10pct_2025": self.most_deprived_10pct_2025,
            "mean_decile_2019": self.mean_decile_2019,
            "mean_decile_2025": self.mean_decile_2025,
            "mean_decile_change": self.mean_decile_change,
            "matches": self.matches,
            "sentences": self.sentences(),
        }


def _mean(values: pd.Series) -> float | None:
    values = pd.to_numeric(values, errors="coerce").dropna()
    return None if values.empty else float(values.mean())


class _Counts(TypedDict):
    lsoas_2019: int
    lsoas_2025: int
    most_deprived_20pct_2019: int
    most_deprived_20pct_2025: int
    most_deprived_10pct_2019: int
    most_deprived_10pct_2025: int
    mean_decile_2019: float | None
    mean_decile_2025: float | None


def _area_counts(t19: pd.DataFrame, t25: pd.DataFrame, area: ResolvedArea, index: str) -> _Counts:
    decile = f"{index}_decile"
    d19 = t19.loc[t19["lsoa_code"].isin(area.lsoa11), decile].astype("Float64")
    d25 = t25.loc[t25["lsoa_code"].isin(area.lsoa21), decile].astype("Float64")
    return {
        "lsoas_2019": len(d19),
        "lsoas_2025": len(d25),
        "most_deprived_20pct_2019": int(d19.le(2).fillna(False).sum()),
        "most_deprived_20pct_2025": int(d25.le(2).fillna(False).sum()),
        "most_deprived_10pct_2019": int(d19.eq(1).fillna(False).sum()),
        "most_deprived_10pct_2025": int(d25.eq(1).fillna(False).sum()),
        "mean_decile_2019": _mean(d19),
        "mean_decile_2025": _mean(d25),
    }


def area_change(store: DataStore, area: ResolvedArea, index: str = "imd") -> AreaChange:
    """How an area (district, ward, neighbourhood, LSOA or the county) changed from IMD 2019 to 2025.

    Parameters
    ----------
    store : DataStore
        The data folder.
    area : ResolvedArea
        From :func:`~cwb_metrics.areas.resolve.resolve_area`.
    index : str
        ``imd`` or a domain.

    Returns
    -------
    AreaChange

    Raises
    ------
    CwbError
        For England (ranks are relative to it) or an unknown ``index``.
    """
    index = _check_index(index)
    if area.kind == "country":
        raise CwbError(f"{area.name} has no change in its share of its own most deprived LSOAs: choose a local area.")
    t19, t25 = store.read_table(IMD2019_TABLE), store.read_table(IMD2025_TABLE)
    lsoas = lsoa_change(store, index)
    lsoas = lsoas[lsoas["lsoa21_code"].isin(area.lsoa21)].reset_index(drop=True)
    counts = lsoas["match"].value_counts()
    matches = {kind: int(counts.get(kind, 0)) for kind in MATCH_KINDS}
    return AreaChange(area=area, index=index, matches=matches, lsoas=lsoas, **_area_counts(t19, t25, area, index))


def most_moved(
    store: DataStore, n: int = 10, index: str = "imd", config: AreaConfig | None = None, *, min_lsoas: int = 1
) -> pd.DataFrame:
    """The wards whose LSOAs moved most between IMD 2019 and IMD 2025.

    Wards are May 2025 wards. A ward's 2019 LSOAs are those of its May 2019 ward of the
    same name or code, else (new wards) its 2021 LSOAs' 2011 best fits (``approximate``).
    Wards are ordered by the size of the change in the mean decile of their LSOAs, then
    by the change in how many are in England's most deprived 20%.

    Parameters
    ----------
    store : DataStore
        The data folder.
    n : int
        How many wards to return (all with ``n <= 0``).
    index : str
        ``imd`` or a domain.
    config : AreaConfig, optional
        The area configuration (default: the configured one).
    min_lsoas : int
        Leave out wards with fewer LSOAs than this in either edition (a ward of one or two
        LSOAs moves in big steps).

    Returns
    -------
    pandas.DataFrame
        ``ward_code, ward_name, district_code, district_name, lsoas_2019, lsoas_2025,
        most_deprived_20pct_2019, most_deprived_20pct_2025, change_in_most_deprived_20pct,
        mean_decile_2019, mean_decile_2025, mean_decile_change, direction, approximate``.
    """
    index = _check_index(index)
    config = config or load_area_config()
    t19, t25 = store.read_table(IMD2019_TABLE), store.read_table(IMD2025_TABLE)
    current = set(t25["ward_code"].dropna().astype(str))
    names = {d.code: d.name for d in config.districts}
    records = []
    for area in list_areas(store, config):
        if area.kind != "ward" or area.code not in current:
            continue
        counts = _area_counts(t19, t25, area, index)
        if min(counts["lsoas_2019"], counts["lsoas_2025"]) < min_lsoas:
            continue
        before, after = counts["mean_decile_2019"], counts["mean_decile_2025"]
        change = None if before is None or after is None else after - before
        records.append(
            {
                "ward_code": area.code,
                "ward_name": area.name,
                "district_code": area.district_code,
                "district_name": names.get(area.district_code or "", area.district_code),
                **counts,
                "change_in_most_deprived_20pct": counts["most_deprived_20pct_2025"]
                - counts["most_deprived_20pct_2019"],
                "mean_decile_change": change,
                "direction": _direction(math.nan if change is None else round(change, 9)),
                "approximate": bool(area.derived_editions),
            }
        )
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return frame
    frame["mean_decile_change"] = frame["mean_decile_change"].astype("float64")
    frame = frame.assign(
        _a=frame["mean_decile_change"].abs().fillna(-1), _b=frame["change_in_most_deprived_20pct"].abs()
    )
    frame = frame.sort_values(["_a", "_b", "ward_name"], ascending=[False, False, True]).drop(columns=["_a", "_b"])
    columns = [
        "ward_code",
        "ward_name",
        "district_code",
        "district_name",
        "lsoas_2019",
        "lsoas_2025",
        "most_deprived_20pct_2019",
        "most_deprived_20pct_2025",
        "change_in_most_deprived_20pct",
        "mean_decile_2019",
        "mean_decile_2025",
        "mean_decile_change",
        "direction",
        "approximate",
    ]
    frame = frame.loc[:, columns].reset_index(drop=True)
    return frame if n <= 0 else frame.head(n)
