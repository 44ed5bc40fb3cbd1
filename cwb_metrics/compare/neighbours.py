"""Statistical neighbours: the ONS "similar areas" of a council, with names.

ONS Explore Local Statistics publishes three lists of each area's 20 most similar areas
(:mod:`cwb_metrics.sources.similar_areas`): on all indicators (``global``), on economic
indicators and on demographic indicators. Its app labels the global list "All
indicators" and shows it first, so :data:`HEADLINE_KIND` is ``global``. Lists exist for
every UK local authority district and unitary (E06-E09, W06, S12, N09), English counties
(E10) and combined authorities (E47); neighbours may be Welsh or Scottish authorities,
which have no English Indices of Deprivation (they count as "no data" in comparisons).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cwb_metrics.errors import AreaNotFoundError, CwbError

HEADLINE_KIND = "global"
#: Source id of each neighbour list (``data/sources.yaml``).
NEIGHBOUR_SOURCES: dict[str, str] = {
    "global": "ons/similar_areas/global",
    "economic": "ons/similar_areas/economic",
    "demographic": "ons/similar_areas/demographic",
}
CLUSTER_SOURCE = "ons/similar_areas/cluster_allocation"
#: Files that name areas: the cluster allocation (UK districts), IoD2025 File 10 (English
#: districts of 2024) and an Explore Local Statistics CSV (counties, combined authorities).
NAME_SOURCES: tuple[str, ...] = (CLUSTER_SOURCE, "imd/2025/file10", "els/claimant-count")


@dataclass(frozen=True)
class Neighbour:
    """One similar area: its code, name and place in the ONS list (1 = most similar)."""

    code: str
    name: str
    rank: int

    def as_dict(self) -> dict[str, str]:
        """``{"code": ..., "name": ...}`` (the ``neighbours --json`` items)."""
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class SimilarAreas:
    """The ONS similar-area lists of one kind, and the names of every area they mention."""

    kind: str
    lists: Mapping[str, tuple[str, ...]]
    names: Mapping[str, str]

    def name(self, code: str) -> str:
        """The area's name (its code when no file names it)."""
        return self.names.get(code, code)

    def find(self, text: str) -> str:
        """Return the code of an area with a similar-areas list, by code or name (any case).

        Raises
        ------
        AreaNotFoundError
            When no listed area has that code or name, suggesting close names.
        """
        import difflib

        value = str(text or "").strip()
        if value.upper() in self.lists:
            return value.upper()
        by_name = {self.name(c).casefold(): c for c in self.lists}
        if value.casefold() in by_name:
            return by_name[value.casefold()]
        close = difflib.get_close_matches(value.casefold(), list(by_name), n=3, cutoff=0.7)
        hint = f" Did you mean {', '.join(self.name(by_name[c]) for c in close)}?" if close else ""
        raise AreaNotFoundError(
            f"ONS publishes no similar areas for {value!r}: give a UK district, unitary authority, English "
            f"county or combined authority by name or GSS code.{hint}"
        )

    def neighbours(self, code: str) -> list[Neighbour]:
        """The area's similar areas, most similar first."""
        return [Neighbour(c, self.name(c), i) for i, c in enumerate(self.lists.get(code, ()), start=1)]


def area_names(paths: Mapping[str, Path]) -> dict[str, str]:
    """Names of UK districts, English counties and combined authorities from the files of :data:`NAME_SOURCES`."""
    from cwb_metrics.sources.els import read_els_csv
    from cwb_metrics.sources.lookups import read_lad_names
    from cwb_metrics.sources.similar_areas import read_cluster_allocation

    names: dict[str, str] = {}
    if "els/claimant-count" in paths:
        els = read_els_csv(Path(paths["els/claimant-count"])).drop_duplicates("areacd")
        names.update(zip(els["areacd"].astype(str), els["areanm"].astype(str), strict=True))
    if CLUSTER_SOURCE in paths:
        clusters = read_cluster_allocation(Path(paths[CLUSTER_SOURCE]))
        names.update(zip(clusters["code"].astype(str), clusters["name"].astype(str), strict=True))
    if "imd/2025/file10" in paths:
        lads = read_lad_names(Path(paths["imd/2025/file10"]))
        names.update(zip(lads["lad_code"].astype(str), lads["lad_name"].astype(str), strict=True))
    return names


def load_similar_areas(paths: Mapping[str, Path], kind: str = HEADLINE_KIND) -> SimilarAreas:
    """Read one kind of ONS similar-area list and the names of the areas in it.

    Parameters
    ----------
    paths : mapping of source id to pathlib.Path
        Local copies of the list (:data:`NEIGHBOUR_SOURCES`) and of :data:`NAME_SOURCES`.
    kind : {"global", "economic", "demographic"}
        Which list; ``global`` (ONS's "All indicators") by default.

    Raises
    ------
    CwbError
        When ``kind`` is unknown or its file was not fetched.
    """
    from cwb_metrics.sources.similar_areas import read_neighbours

    if kind not in NEIGHBOUR_SOURCES:
        raise CwbError(f"similar areas kind must be one of {list(NEIGHBOUR_SOURCES)}, not {kind!r}")
    source = NEIGHBOUR_SOURCES[kind]
    if source not in paths:
        raise CwbError(f"The ONS similar areas file ({source}) was not fetched: refresh, or give --mirror.")
    lists = {code: tuple(codes) for code, codes in read_neighbours(Path(paths[source])).items()}
    return SimilarAreas(kind=kind, lists=lists, names=area_names(paths))
