"""Deprivation profile of an area, with plain-English sentences.

A profile lists the area's LSOAs with their IMD and domain ranks and deciles, and counts
those in England's most deprived 10% and 20%, overall and by domain.

A profile reads the county LSOA table of one IoD edition from the data store
(``lsoa/imd2019.parquet`` on LSOA 2011, ``lsoa/imd2025.parquet`` on LSOA 2021); the area's
LSOAs of that vintage come from :func:`cwb_metrics.areas.resolve.resolve_area`.
"Most deprived 10%" means IMD (or domain) decile 1; "most deprived 20%" deciles 1 and 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, SupportsInt

import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea, resolve_area
from cwb_metrics.deprivation.tables import IMD_TABLES
from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.imd import DOMAINS
from cwb_metrics.store import DataStore

#: How each domain is named in sentences.
DOMAIN_PHRASES: dict[str, str] = {
    "income": "income",
    "employment": "employment",
    "education": "education, skills and training",
    "health": "health deprivation and disability",
    "crime": "crime",
    "barriers": "barriers to housing and services",
    "living_environment": "the living environment",
}
#: The population each edition's shares are weighted by.
POPULATION_LABEL: dict[int, str] = {2019: "mid-2015 population", 2025: "mid-2022 population"}


@dataclass(frozen=True)
class LsoaDeprivation:
    """One LSOA's IMD and domain ranks and deciles (rank 1 and decile 1: most deprived)."""

    code: str
    name: str | None
    ward_name: str | None
    imd_rank: int | None
    imd_decile: int | None
    ranks: dict[str, int | None]
    deciles: dict[str, int | None]
    population: int | None

    def to_json_dict(self) -> dict[str, object]:
        """Return ``{"code", "name", "imd_rank", "imd_decile", "income_rank", "income_decile", ...}``."""
        out: dict[str, object] = {"code": self.code, "name": self.name, "imd_rank": self.imd_rank,
                                  "imd_decile": self.imd_decile}  # fmt: skip
        for domain in DOMAINS:
            out[f"{domain}_rank"] = self.ranks.get(domain)
            out[f"{domain}_decile"] = self.deciles.get(domain)
        return out


@dataclass(frozen=True)
class Counts:
    """How many LSOAs (and what % of residents, where populations exist) are in the most deprived 10%/20%."""

    most_deprived_10pct: int | None
    most_deprived_20pct: int | None
    population_share_10pct: float | None = None
    population_share_20pct: float | None = None

    def to_json_dict(self) -> dict[str, int | None]:
        """Return ``{"most_deprived_10pct", "most_deprived_20pct"}``."""
        return {"most_deprived_10pct": self.most_deprived_10pct, "most_deprived_20pct": self.most_deprived_20pct}


@dataclass(frozen=True)
class ProfileSummary:
    """Counts for the IMD (the attributes of :class:`Counts`) and for each domain."""

    lsoa_count: int
    imd: Counts
    domains: dict[str, Counts]
    population: int | None

    @property
    def most_deprived_10pct(self) -> int:
        """LSOAs in England's most deprived 10% on the IMD."""
        return self.imd.most_deprived_10pct or 0

    @property
    def most_deprived_20pct(self) -> int:
        """LSOAs in England's most deprived 20% on the IMD."""
        return self.imd.most_deprived_20pct or 0

    def to_json_dict(self) -> dict[str, object]:
        """Return ``{"lsoa_count", "most_deprived_10pct", "most_deprived_20pct", "domains": {...}}``."""
        return {
            "lsoa_count": self.lsoa_count,
            "most_deprived_10pct": self.most_deprived_10pct,
            "most_deprived_20pct": self.most_deprived_20pct,
            "domains": {domain: self.domains[domain].to_json_dict() for domain in DOMAINS},
        }


@dataclass(frozen=True)
class DeprivationProfile:
    """An area's deprivation in one IoD edition."""

    area: ResolvedArea
    edition: int
    lsoas: tuple[LsoaDeprivation, ...]
    summary: ProfileSummary

    def to_json_dict(self) -> dict[str, object]:
        """Return the profile as JSON-ready data.

        Returns
        -------
        dict
            ``{"area": {"code", "name", "kind"}, "edition", "lsoas": [...], "summary":
            {"lsoa_count", "most_deprived_10pct", "most_deprived_20pct", "domains":
            {"income": {"most_deprived_10pct", "most_deprived_20pct"}, ...}}}``; LSOAs are
            listed most deprived first.
        """
        return {
            "area": {"code": self.area.code, "name": self.area.name, "kind": self.area.kind},
            "edition": self.edition,
            "lsoas": [lsoa.to_json_dict() for lsoa in self.lsoas],
            "summary": self.summary.to_json_dict(),
        }


def _int(value: SupportsInt | None) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _counts(deciles: pd.Series, population: pd.Series | None) -> Counts:
    if deciles.empty or deciles.isna().all():
        return Counts(0 if deciles.empty else None, 0 if deciles.empty else None)
    in10, in20 = deciles.eq(1).fillna(False), deciles.le(2).fillna(False)
    shares: tuple[float | None, float | None] = (None, None)
    if population is not None and len(population) and population.notna().all() and population.sum() > 0:
        total = float(population.sum())
        shares = (100 * float(population[in10].sum()) / total, 100 * float(population[in20].sum()) / total)
    return Counts(int(in10.sum()), int(in20.sum()), *shares)


def check_edition(edition: int) -> int:
    """Return ``edition`` if it is 2019 or 2025; raise :class:`CwbError` otherwise."""
    if edition not in IMD_TABLES:
        raise CwbError(f"IMD edition must be 2019 or 2025, not {edition!r}.")
    return int(edition)


def deprivation_profile(area: ResolvedArea, edition: int, store: DataStore) -> DeprivationProfile:
    """Profile an area's deprivation in IoD2019 (LSOA 2011) or IoD2025 (LSOA 2021).

    Parameters
    ----------
    area : ResolvedArea
        From :func:`~cwb_metrics.areas.resolve.resolve_area`.
    edition : {2019, 2025}
        The IoD edition.
    store : DataStore
        The data folder (its current version's LSOA tables).

    Returns
    -------
    DeprivationProfile

    Raises
    ------
    CwbError
        For England (a profile covers the county's LSOAs; by definition 10% of England's
        LSOAs are in its most deprived 10%) or an unknown edition.
    NoDataError
        When the LSOA table has not been built.
    """
    edition = check_edition(edition)
    if area.kind == "country":
        raise CwbError(
            f"There is no LSOA profile of {area.name}: by definition 10% of its LSOAs are among its most "
            "deprived 10% and 20% among its most deprived 20%. Choose the county, a district, a ward or a "
            "neighbourhood."
        )
    table = store.read_table(IMD_TABLES[edition])
    rows = table[table["lsoa_code"].isin(area.lsoas(edition))]
    rows = rows.sort_values(["imd_rank", "lsoa_code"], na_position="last", ignore_index=True)
    population = rows.get("population")

    lsoas = tuple(
        LsoaDeprivation(
            code=str(row["lsoa_code"]),
            name=None if pd.isna(row["lsoa_name"]) else str(row["lsoa_name"]),
            ward_name=None if pd.isna(row.get("ward_name")) else str(row["ward_name"]),
            imd_rank=_int(row["imd_rank"]),
            imd_decile=_int(row["imd_decile"]),
            ranks={d: _int(row[f"{d}_rank"]) for d in DOMAINS},
            deciles={d: _int(row[f"{d}_decile"]) for d in DOMAINS},
            population=_int(row.get("population")),
        )
        for row in rows.to_dict("records")
    )
    summary = ProfileSummary(
        lsoa_count=len(rows),
        imd=_counts(rows["imd_decile"], population),
        domains={d: _counts(rows[f"{d}_decile"], population) for d in DOMAINS},
        population=int(population.sum()) if population is not None and len(rows) and population.notna().all() else None,
    )
    return DeprivationProfile(area, edition, lsoas, summary)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _share_of(count: int, total: int, area: ResolvedArea) -> str:
    """The subject and verb of a count sentence: "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are"."""
    whose = _possessive(area.name)
    if area.kind == "lsoa":
        return f"{area.name} {'is' if count else 'is not'}"
    if total == 1:
        return f"{whose} only neighbourhood (LSOA) {'is' if count else 'is not'}"
    if count == 0:
        return f"None of {whose} {total} neighbourhoods (LSOAs) is"
    if count == total:
        return f"All {total} of {whose} neighbourhoods (LSOAs) are"
    return f"{count} of {whose} {total} neighbourhoods (LSOAs) {'is' if count == 1 else 'are'}"


def profile_sentences(profile: DeprivationProfile) -> list[str]:
    """Plain-English sentences for a briefing.

    E.g. "3 of Blackbird Leys' 4 neighbourhoods (LSOAs) are among England's 20% most
    deprived (IMD 2019)."; then the 10% count, each domain with LSOAs in the most deprived
    10%, and the share of residents where populations exist.
    """
    area, summary, tag = profile.area, profile.summary, f"(IMD {profile.edition})"
    whose = _possessive(area.name)
    total = summary.lsoa_count
    noun = " neighbourhoods (LSOAs)" if area.kind == "lsoa" else ""

    def sentence(count: int, percent: int, on: str = "") -> str:
        return f"{_share_of(count, total, area)} among England's {percent}% most deprived{noun}{on} {tag}."

    if total == 0:
        vintage = 2011 if profile.edition == 2019 else 2021
        return [f"{area.name} has no LSOAs ({vintage}) in the IMD {profile.edition} data."]
    sentences = [sentence(summary.most_deprived_20pct, 20), sentence(summary.most_deprived_10pct, 10)]
    for domain in DOMAINS:
        count = summary.domains[domain].most_deprived_10pct
        if count:
            sentences.append(sentence(count, 10, f" on {DOMAIN_PHRASES[domain]}"))
    share = summary.imd.population_share_20pct
    if share is not None and share > 0 and area.kind != "lsoa":
        amount = "All" if share >= 99.95 else ("Less than 1%" if share < 0.5 else f"About {share:.0f}%")
        sentences.append(
            f"{amount} of {whose} residents ({POPULATION_LABEL[profile.edition]}) live in "
            f"neighbourhoods among England's 20% most deprived {tag}."
        )
    if profile.edition in area.derived_editions:
        sentences.append(
            f"{whose} LSOAs for IMD {profile.edition} were matched through the ONS LSOA 2011 to 2021 "
            "best-fit lookup, so the match is approximate."
        )
    return sentences


def area_command_json(
    name_or_code: str, edition: int, store: DataStore, config: AreaConfig | None = None
) -> dict[str, Any]:
    """The ``area`` command's output: an area's deprivation profile as JSON-ready data.

    Parameters
    ----------
    name_or_code : str
        A name, alias, neighbourhood id or GSS code (see :func:`resolve_area`).
    edition : {2019, 2025}
        The IoD edition.
    store : DataStore
        The data folder.
    config : AreaConfig, optional
        The area configuration (default: the configured one).

    Returns
    -------
    dict
        :meth:`DeprivationProfile.to_json_dict` plus ``"sentences"`` (a list of str).

    Raises
    ------
    AreaNotFoundError, NoDataError, CwbError
        As :func:`resolve_area` and :func:`deprivation_profile`.
    """
    check_edition(edition)
    profile = deprivation_profile(resolve_area(name_or_code, store, config), edition, store)
    return {**profile.to_json_dict(), "sentences": profile_sentences(profile)}


def profile_sentences_for(
    name_or_code: str, edition: int, store: DataStore, config: AreaConfig | None = None
) -> list[str]:
    """Resolve an area by name or code and return its profile's sentences."""
    check_edition(edition)
    return profile_sentences(deprivation_profile(resolve_area(name_or_code, store, config), edition, store))
