"""Resolve a name or code to an area and its LSOAs.

An area is England, the county, a district, a ward, a named neighbourhood or an LSOA.

Areas come from the area configuration (county, districts, neighbourhoods) and from the
current data version's LSOA tables (``lsoa/imd2019.parquet``: LSOA 2011 with May 2019
wards; ``lsoa/imd2025.parquet``: LSOA 2021 with May 2025 wards; ``lsoa/lsoa11_lsoa21.parquet``).

- A ward is known by its name or code in either ward vintage. Wards with the same code,
  or the same name in the same district, are one ward: its 2011 LSOAs come from the 2019
  wards and its 2021 LSOAs from the 2025 wards. A ward found in one vintage only gets the
  other vintage's LSOAs through the LSOA 2011 to 2021 best-fit lookup (listed in
  ``ResolvedArea.derived_editions``).
- A neighbourhood has no GSS code: its code is its configured id (``blackbird-leys``).
- A name matching several areas prefers neighbourhood > district > county > country >
  ward > LSOA ("Blackbird Leys" is the neighbourhood, not the ward of the same name).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from cwb_metrics.errors import AreaNotFoundError, CwbError, NoDataError
from cwb_metrics.models.area import AreaConfig, Neighbourhood
from cwb_metrics.store import DataStore

AreaKind = Literal["country", "county", "district", "ward", "neighbourhood", "lsoa"]
#: Which kind wins when a name matches areas of several kinds (first wins).
KIND_PREFERENCE: tuple[AreaKind, ...] = ("neighbourhood", "district", "county", "country", "ward", "lsoa")
TABLES: dict[int, str] = {2019: "lsoa/imd2019.parquet", 2025: "lsoa/imd2025.parquet"}
BESTFIT_TABLE = "lsoa/lsoa11_lsoa21.parquet"
_SUFFIX_KIND: dict[str, AreaKind] = {"ward": "ward", "district": "district", "neighbourhood": "neighbourhood"}


@dataclass(frozen=True)
class ResolvedArea:
    """An area and the LSOAs that make it up.

    Attributes
    ----------
    code : str
        GSS code; for a neighbourhood, its configured id (e.g. ``blackbird-leys``).
    name : str
        Display name.
    kind : {"country", "county", "district", "ward", "neighbourhood", "lsoa"}
    district_code : str or None
        The district the area is in (None for the county and England).
    lsoa11 : tuple of str
        Its LSOAs (2011), for IoD2019.
    lsoa21 : tuple of str
        Its LSOAs (2021), for IoD2025.
    ward_codes : tuple of str
        For a ward or neighbourhood: the ward codes (May 2025 first, then May 2019).
    derived_editions : tuple of int
        Editions whose LSOAs were found through the best-fit lookup rather than a ward
        lookup of that vintage (approximate).
    """

    code: str
    name: str
    kind: AreaKind
    district_code: str | None = None
    lsoa11: tuple[str, ...] = ()
    lsoa21: tuple[str, ...] = ()
    ward_codes: tuple[str, ...] = ()
    derived_editions: tuple[int, ...] = ()

    def lsoas(self, edition: int) -> tuple[str, ...]:
        """Return the LSOAs of the area for an IoD edition (2019: LSOA 2011; 2025: LSOA 2021)."""
        if edition == 2019:
            return self.lsoa11
        if edition == 2025:
            return self.lsoa21
        raise ValueError(f"edition must be 2019 or 2025, not {edition!r}")


def normalise_name(text: str) -> str:
    """Return a name as it is matched: case-folded, ``&`` as ``and``, punctuation and spaces collapsed."""
    value = str(text).casefold().replace("&", " and ").replace("’", "'")
    value = re.sub(r"[^\w']+", " ", value)
    return re.sub(r"\s+", " ", value).strip()


@dataclass
class _Index:
    areas: list[ResolvedArea] = field(default_factory=list)
    by_code: dict[str, ResolvedArea] = field(default_factory=dict)
    by_name: dict[str, list[ResolvedArea]] = field(default_factory=dict)

    def add(self, area: ResolvedArea, *, codes: Iterable[str] = (), names: Iterable[str] = ()) -> None:
        self.areas.append(area)
        for code in (area.code, *codes):
            self.by_code.setdefault(code.casefold(), area)
        for name in (area.name, *names):
            key = normalise_name(name)
            if key and area not in self.by_name.setdefault(key, []):
                self.by_name[key].append(area)


def _read_places(store: DataStore, relative: str) -> pd.DataFrame | None:
    try:
        frame = store.read_table(relative)
    except NoDataError:
        return None
    return frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, item: object) -> object:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: object, b: object) -> None:
        self.parent[self.find(a)] = self.find(b)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str) and v))


class _Lsoas:
    """LSOA membership and the best-fit lookup, for building areas."""

    def __init__(self, t19: pd.DataFrame | None, t25: pd.DataFrame | None, best: pd.DataFrame | None) -> None:
        empty = pd.DataFrame(columns=["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "lad_name"])
        self.t19 = t19 if t19 is not None else empty
        self.t25 = t25 if t25 is not None else empty
        self.forward: dict[str, list[str]] = {}
        self.backward: dict[str, list[str]] = {}
        if best is not None:
            for old, new in zip(best["lsoa11_code"].tolist(), best["lsoa21_code"].tolist(), strict=True):
                self.forward.setdefault(old, []).append(new)
                self.backward.setdefault(new, []).append(old)

    def to21(self, codes: Iterable[str]) -> tuple[str, ...]:
        return _unique(new for old in codes for new in self.forward.get(old, []))

    def to11(self, codes: Iterable[str]) -> tuple[str, ...]:
        return _unique(old for new in codes for old in self.backward.get(new, []))

    def in_lads(self, frame: pd.DataFrame, codes: Iterable[str]) -> tuple[str, ...]:
        return _unique(frame.loc[frame["lad_code"].isin(list(codes)), "lsoa_code"].tolist())


def _build_index(store: DataStore, config: AreaConfig) -> _Index:
    t19, t25 = _read_places(store, TABLES[2019]), _read_places(store, TABLES[2025])
    if t19 is None and t25 is None:
        store.table_path(TABLES[2019])  # raises NoDataError naming the missing table and the fix
    lsoas = _Lsoas(t19, t25, _read_places(store, BESTFIT_TABLE))
    index = _Index()
    district_codes = [d.code for d in config.districts]

    index.add(ResolvedArea(config.country_code, config.country_name, "country"))
    if not config.single_tier:  # a unitary council (or a lone district) is its own district, listed once
        index.add(
            ResolvedArea(config.county_code, config.county_name, "county", None,
                         lsoas.in_lads(lsoas.t19, district_codes), lsoas.in_lads(lsoas.t25, district_codes)),
            names=[f"{config.county_name} County"],
        )  # fmt: skip
    for district in config.districts:
        lad_names = set(lsoas.t19.loc[lsoas.t19["lad_code"] == district.code, "lad_name"].dropna()) | set(
            lsoas.t25.loc[lsoas.t25["lad_code"] == district.code, "lad_name"].dropna()
        )
        index.add(
            ResolvedArea(district.code, district.name, "district", district.code,
                         lsoas.in_lads(lsoas.t19, [district.code]), lsoas.in_lads(lsoas.t25, [district.code])),
            names=sorted(lad_names),
        )  # fmt: skip

    wards = _ward_areas(lsoas)
    neighbourhoods = [_neighbourhood_area(n, wards, lsoas, config) for n in config.neighbourhoods]
    for neighbourhood, config_entry in zip(neighbourhoods, config.neighbourhoods, strict=True):
        index.add(neighbourhood, names=config_entry.aliases)
    for ward, names in wards:
        index.add(ward, codes=ward.ward_codes, names=names)
    for area, names in _lsoa_areas(lsoas):
        index.add(area, names=names)
    return index


def _ward_areas(lsoas: _Lsoas) -> list[tuple[ResolvedArea, list[str]]]:
    """Wards of both vintages, joined when they share a code or a name in one district."""
    entries: list[tuple[int, str, str, str]] = []  # (edition, code, name, district)
    for edition, frame in ((2025, lsoas.t25), (2019, lsoas.t19)):
        wards = frame.dropna(subset=["ward_code"]).drop_duplicates("ward_code")
        for code, name, lad in zip(wards["ward_code"], wards["ward_name"], wards["lad_code"], strict=True):
            entries.append((edition, str(code), str(name), str(lad)))
    groups = _UnionFind()
    for edition, code, name, lad in entries:
        groups.union(("entry", edition, code), ("code", code))
        groups.union(("entry", edition, code), ("name", normalise_name(name), lad))
    members: dict[object, list[tuple[int, str, str, str]]] = {}
    for entry in entries:
        members.setdefault(groups.find(("entry", entry[0], entry[1])), []).append(entry)

    areas = []
    for group in members.values():
        codes19 = [code for edition, code, _n, _d in group if edition == 2019]
        codes25 = [code for edition, code, _n, _d in group if edition == 2025]
        lsoa11 = _unique(lsoas.t19.loc[lsoas.t19["ward_code"].isin(codes19), "lsoa_code"].tolist())
        lsoa21 = _unique(lsoas.t25.loc[lsoas.t25["ward_code"].isin(codes25), "lsoa_code"].tolist())
        derived: list[int] = []
        if not codes19 and lsoa21 and not lsoas.t19.empty:
            lsoa11, derived = lsoas.to11(lsoa21), [2019]
        if not codes25 and lsoa11 and not lsoas.t25.empty:
            lsoa21, derived = lsoas.to21(lsoa11), [2025]
        first = group[0]  # entries list 2025 wards first
        names = _unique(name for _e, _c, name, _d in group)
        area = ResolvedArea(first[1], first[2], "ward", first[3], lsoa11, lsoa21,
                            _unique([*codes25, *codes19]), tuple(derived))  # fmt: skip
        areas.append((area, list(names)))
    return areas


def _neighbourhood_area(
    neighbourhood: Neighbourhood,
    wards: list[tuple[ResolvedArea, list[str]]],
    lsoas: _Lsoas,
    config: AreaConfig,
) -> ResolvedArea:
    """A configured neighbourhood: the union of its wards' LSOAs and its listed LSOAs."""
    lsoa11: list[str] = []
    lsoa21: list[str] = []
    ward_codes: list[str] = []
    derived: set[int] = set()
    in_district = [(w, names) for w, names in wards if w.district_code == neighbourhood.district]
    for reference in neighbourhood.wards:
        key = normalise_name(reference)
        matches = [w for w, names in in_district
                   if key in {normalise_name(n) for n in names} or reference.upper() in w.ward_codes]  # fmt: skip
        if not matches:
            known = sorted({w.name for w, _n in in_district})
            raise CwbError(
                f"Area configuration {config.id!r}: neighbourhood {neighbourhood.id!r} lists ward {reference!r}, "
                f"which is not a ward of district {neighbourhood.district} in the lookups. "
                f"Close names: {', '.join(difflib.get_close_matches(reference, known, n=5)) or 'none'}."
            )
        for ward in matches:
            lsoa11 += ward.lsoa11
            lsoa21 += ward.lsoa21
            ward_codes += ward.ward_codes
            derived |= set(ward.derived_editions)
    known11, known21 = set(lsoas.t19["lsoa_code"].tolist()), set(lsoas.t25["lsoa_code"].tolist())
    for code in neighbourhood.lsoas:
        if code not in known11 and code not in known21:
            raise CwbError(
                f"Area configuration {config.id!r}: neighbourhood {neighbourhood.id!r} lists LSOA {code}, "
                f"which is not an LSOA (2011 or 2021) of {config.county_name}."
            )
        if code in known11:
            lsoa11.append(code)
        if code in known21:
            lsoa21.append(code)
    return ResolvedArea(neighbourhood.id, neighbourhood.name, "neighbourhood", neighbourhood.district,
                        _unique(lsoa11), _unique(lsoa21), _unique(ward_codes), tuple(sorted(derived)))  # fmt: skip


def _lsoa_areas(lsoas: _Lsoas) -> list[tuple[ResolvedArea, list[str]]]:
    rows: dict[str, tuple[list[str], str, set[int]]] = {}  # code -> names, district, editions
    for edition, frame in ((2019, lsoas.t19), (2025, lsoas.t25)):
        for code, name, lad in zip(frame["lsoa_code"], frame["lsoa_name"], frame["lad_code"], strict=True):
            seen_names, _lad, editions = rows.setdefault(str(code), ([], str(lad), set()))
            if isinstance(name, str) and name:
                seen_names.append(name)
            editions.add(edition)
    areas = []
    for code, (seen_names, lad, editions) in rows.items():
        lsoa11 = (code,) if 2019 in editions else lsoas.to11([code])
        lsoa21 = (code,) if 2025 in editions else lsoas.to21([code])
        derived = tuple(e for e in (2019, 2025) if e not in editions)
        names = list(_unique(seen_names))
        area = ResolvedArea(code, names[-1] if names else code, "lsoa", lad, lsoa11, lsoa21, (), derived)
        areas.append((area, names))
    return areas


_CACHE: dict[tuple[str, str], _Index] = {}


def _index(store: DataStore, config: AreaConfig | None) -> tuple[_Index, AreaConfig]:
    if config is None:
        from cwb_metrics.areas.config import load_area_config

        config = load_area_config()
    key = (str(store.version_dir()), config.model_dump_json())
    if key not in _CACHE:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = _build_index(store, config)
    return _CACHE[key], config


def resolve_area(name_or_code: str, store: DataStore, config: AreaConfig | None = None) -> ResolvedArea:
    """Find the area a user means by a name or code.

    Parameters
    ----------
    name_or_code : str
        A GSS code (``E07000178``, ``E05013097``, ``E01028517``), a neighbourhood id
        (``blackbird-leys``), or a name or alias in any case ("Blackbird Leys",
        "the leys", "Oxford", "Oxfordshire", "Banbury Ruscote ward").
    store : DataStore
        The data folder; its current version's LSOA tables give wards and LSOAs.
    config : AreaConfig, optional
        The area configuration (default: the configured one).

    Returns
    -------
    ResolvedArea

    Raises
    ------
    AreaNotFoundError
        When nothing matches, listing close names; or when a name is ambiguous.
    NoDataError
        When no LSOA tables have been built yet.
    """
    index, config = _index(store, config)
    text = str(name_or_code or "").strip()
    if not text:
        raise AreaNotFoundError("No area given: type a name or a GSS code.")
    by_code = index.by_code.get(text.casefold())
    if by_code is not None:
        return by_code
    key = normalise_name(text)
    candidates = index.by_name.get(key, [])
    wanted_kind: AreaKind | None = None
    if not candidates:
        words = key.rsplit(" ", 1)
        if len(words) == 2 and words[1] in _SUFFIX_KIND:
            wanted_kind = _SUFFIX_KIND[words[1]]
            candidates = [a for a in index.by_name.get(words[0], []) if a.kind == wanted_kind]
    if candidates:
        return _prefer(text, candidates)
    close = difflib.get_close_matches(key, list(index.by_name), n=8, cutoff=0.6)
    suggestions = _unique(f"{a.name} ({a.kind})" for c in close for a in index.by_name[c])[:5]
    hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
    raise AreaNotFoundError(
        f"No area called {text!r} in {config.county_name}.{hint} Give the county, a district, a ward, "
        "a neighbourhood or an LSOA, by name or GSS code."
    )


def _prefer(text: str, candidates: list[ResolvedArea]) -> ResolvedArea:
    for kind in KIND_PREFERENCE:
        of_kind = [a for a in candidates if a.kind == kind]
        if len(of_kind) == 1:
            return of_kind[0]
        if len(of_kind) > 1:
            listed = "; ".join(f"{a.name} ({a.code}, district {a.district_code})" for a in of_kind)
            raise AreaNotFoundError(f"{text!r} matches {len(of_kind)} {kind}s: {listed}. Use the code instead.")
    raise AreaNotFoundError(f"No area called {text!r}.")  # unreachable: candidates is not empty


def list_areas(store: DataStore, config: AreaConfig | None = None) -> list[ResolvedArea]:
    """Return the areas offered in pickers: the county, districts, neighbourhoods, then wards.

    Wards are sorted by district (in configuration order) and name.

    Raises
    ------
    NoDataError
        When no LSOA tables have been built yet.
    """
    index, config = _index(store, config)
    order = {d.code: i for i, d in enumerate(config.districts)}
    by_kind = {kind: [a for a in index.areas if a.kind == kind] for kind in ("county", "district", "neighbourhood")}
    wards = sorted((a for a in index.areas if a.kind == "ward"),
                   key=lambda a: (order.get(a.district_code or "", len(order)), a.name.casefold()))  # fmt: skip
    return [*by_kind["county"], *by_kind["district"], *by_kind["neighbourhood"], *wards]
