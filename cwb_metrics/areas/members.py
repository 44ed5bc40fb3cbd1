"""Which LSOAs, wards and districts make up the configured area, read once per refresh.

Every function takes the refresh's build context (anything with ``files``, ``areas``,
``path()`` and ``cached()``, see :class:`BuildInputs`) and keeps what it parses in its
cache, so the LSOA tables, the IMD builders and the geometry read each official file once.
Which LSOAs are in the county ("county" is the whole configured area, whatever its kind):

- when the area configuration has a ``geography`` section (written by ``init-area``), its
  LSOAs and wards of each vintage, exactly;
- otherwise, IoD2019 (LSOA 2011): the LSOAs of the ONS LSOA (2011) to Ward (2019) lookup
  (``lookup/lsoa11_ward19``) whose current district (the LSOA 2011 boundary file's
  district property, or the 2019 district and the configured ``predecessors``) is a
  configured district; wards are May 2019 wards;
- IoD2025 (LSOA 2021): the LSOAs that the LSOA (2021) to Ward (2025) lookup
  (``lookup/lsoa21_ward25``), the IoD file itself (official File 7 has district codes), the
  LSOA 2021 boundary file's district property or the best-fit lookup
  (``lookup/lsoa11_lsoa21``, LAD 2022) places in those districts; wards are May 2025
  wards where the lookup gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from cwb_metrics.errors import CwbError, SourceUnavailableError
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.imd import read_imd
from cwb_metrics.sources.lookups import read_lsoa11_lsoa21, read_lsoa11_ward19, read_lsoa21_ward25


class BuildInputs(Protocol):
    """What these functions need of a refresh's build context (``BuildContext``)."""

    files: dict[str, Any]
    areas: AreaConfig

    def path(self, source_id: str) -> Path:
        """The local path of a fetched source."""

    def cached(self, key: str, load: Callable[[], Any]) -> Any:
        """``load()`` once per key."""


#: The IoD file each edition's LSOA table is built from.
IMD_SOURCE: dict[int, str] = {2019: "imd/2019/file2", 2025: "imd/2025/file7"}
#: Population denominators joined to an edition's IoD file (IoD2025 File 7 carries its own).
POPULATION_SOURCE: dict[int, str] = {2019: "imd/2019/file6"}
WARD19_LOOKUP = "lookup/lsoa11_ward19"
BESTFIT_LOOKUP = "lookup/lsoa11_lsoa21"
WARD25_LOOKUP = "lookup/lsoa21_ward25"
BOUNDARIES_LSOA11 = "boundaries/lsoa11"
BOUNDARIES_LSOA21 = "boundaries/lsoa21"
#: Columns of the county LSOA tables (``lsoa/imd2019.parquet``, ``lsoa/imd2025.parquet``).
PLACE_COLUMNS: list[str] = ["lsoa_code", "lsoa_name", "ward_code", "ward_name", "lad_code", "lad_name"]


def imd_sources(context: BuildInputs, edition: int, source_id: str | None = None) -> list[str]:
    """Return the source ids read for ``edition``: the IoD file, and File 6 where fetched."""
    sources = [source_id or IMD_SOURCE[edition]]
    population = POPULATION_SOURCE.get(edition)
    if population is not None and population in context.files:
        sources.append(population)
    return sources


def imd_table(context: BuildInputs, edition: int, source_id: str | None = None) -> pd.DataFrame:
    """Return the England-wide IoD rows of ``edition`` (see :func:`cwb_metrics.sources.imd.read_imd`).

    Parameters
    ----------
    context : BuildInputs
        The refresh's fetched files and cache.
    edition : {2019, 2025}
        The IoD edition.
    source_id : str, optional
        The IoD file to read (default: :data:`IMD_SOURCE`); File 6 population is joined
        for IoD2019 when it was fetched.
    """
    sources = imd_sources(context, edition, source_id)

    def load() -> pd.DataFrame:
        population = context.path(sources[1]) if len(sources) > 1 else None
        return read_imd(context.path(sources[0]), edition, population=population)

    return context.cached(f"deprivation.imd:{edition}:{'+'.join(sources)}", load)


def ward19_lookup(context: BuildInputs) -> pd.DataFrame:
    """Return the ONS LSOA (2011) to Ward (2019) lookup, read once."""
    return context.cached(f"lookup:{WARD19_LOOKUP}", lambda: read_lsoa11_ward19(context.path(WARD19_LOOKUP)))


def bestfit_lookup(context: BuildInputs) -> pd.DataFrame:
    """Return the ONS LSOA (2011) to LSOA (2021) best-fit lookup, read once."""
    return context.cached(f"lookup:{BESTFIT_LOOKUP}", lambda: read_lsoa11_lsoa21(context.path(BESTFIT_LOOKUP)))


def ward25_lookup(context: BuildInputs) -> pd.DataFrame:
    """Return the LSOA (2021) to Ward (2025) lookup, read once."""
    return context.cached(f"lookup:{WARD25_LOOKUP}", lambda: read_lsoa21_ward25(context.path(WARD25_LOOKUP)))


def _district_codes(context: BuildInputs) -> list[str]:
    return [d.code for d in context.areas.districts]


def _boundary_properties(context: BuildInputs, source_id: str) -> pd.DataFrame | None:
    """A fetched LSOA boundary file's codes, names and current districts (``None`` without districts)."""
    if source_id not in context.files:
        return None
    from cwb_metrics.sources.boundaries import read_boundary_properties

    props = context.cached(
        f"boundary-properties:{source_id}", lambda: read_boundary_properties(context.path(source_id))
    )
    if "lad_code" not in props:
        return None
    return props.dropna(subset=["lad_code"])


def _boundary_districts(context: BuildInputs, source_id: str) -> pd.Series | None:
    """LSOA code -> current district, from a fetched LSOA boundary file's properties (or ``None``)."""
    props = _boundary_properties(context, source_id)
    return None if props is None else props.set_index("code")["lad_code"]


def _successors(context: BuildInputs) -> dict[str, str]:
    """2019 district code -> the configured district that replaced it (from ``predecessors``)."""
    return {old: d.code for d in context.areas.districts for old in d.predecessors}


def england_lsoa11(context: BuildInputs) -> pd.DataFrame:
    """Every English LSOA 2011 with its May 2019 ward and its current district.

    The district is the LSOA boundary file's (``boundaries/lsoa11``, property
    ``LADCD_ACTIVE``) when it was fetched, else the 2019 district of the ONS lookup, or the
    configured district that replaced it (``District.predecessors``).

    Returns
    -------
    pandas.DataFrame
        :data:`PLACE_COLUMNS`, one row per LSOA 2011 of the lookup (England and Wales).
    """

    def load() -> pd.DataFrame:
        lookup = ward19_lookup(context)
        frame = lookup.rename(columns={
            "lsoa11_code": "lsoa_code", "lsoa11_name": "lsoa_name", "ward19_code": "ward_code",
            "ward19_name": "ward_name", "lad19_code": "lad_code", "lad19_name": "lad_name",
        }).loc[:, PLACE_COLUMNS].astype("string")  # fmt: skip
        current = _boundary_districts(context, BOUNDARIES_LSOA11)
        lad = frame["lad_code"].replace(_successors(context))
        if current is not None:
            lad = frame["lsoa_code"].map(current).fillna(lad)
        changed = lad != frame["lad_code"]
        frame["lad_code"] = lad.astype("string")
        frame.loc[changed, "lad_name"] = pd.NA
        return frame

    return context.cached("deprivation.england_lsoa11", load)


def england_lsoa21(context: BuildInputs, source_id: str | None = None) -> pd.DataFrame:
    """Every English LSOA 2021 with its current district, and its May 2025 ward where a lookup gives it.

    The district comes from the first of: the LSOA (2021) to Ward (2025) lookup, the IoD2025
    file's district codes (official File 7), the LSOA boundary file's properties
    (``boundaries/lsoa21``), the best-fit lookup's LAD 2022 (with ``predecessors`` applied).

    Returns
    -------
    pandas.DataFrame
        :data:`PLACE_COLUMNS`, one row per LSOA 2021 found.
    """

    def load() -> pd.DataFrame:
        parts: list[pd.DataFrame] = []
        if WARD25_LOOKUP in context.files:
            lookup = ward25_lookup(context)
            parts.append(lookup.rename(columns={
                "lsoa21_code": "lsoa_code", "lsoa21_name": "lsoa_name", "ward25_code": "ward_code",
                "ward25_name": "ward_name", "lad25_code": "lad_code", "lad25_name": "lad_name",
            }).loc[:, PLACE_COLUMNS])  # fmt: skip
        imd = imd_table(context, 2025, source_id)
        in_file = imd.dropna(subset=["lad_code"])
        parts.append(pd.DataFrame({"lsoa_code": in_file["lsoa_code"], "lsoa_name": in_file["lsoa_name"],
                                   "lad_code": in_file["lad_code"], "lad_name": in_file["lad_name"]}))  # fmt: skip
        props = _boundary_properties(context, BOUNDARIES_LSOA21)
        if props is not None:
            renamed = props.rename(columns={"code": "lsoa_code", "name": "lsoa_name"})
            parts.append(renamed.reindex(columns=["lsoa_code", "lsoa_name", "lad_code"]))
        if BESTFIT_LOOKUP in context.files:
            best = bestfit_lookup(context).drop_duplicates("lsoa21_code")
            lad = best["lad22_code"].replace(_successors(context))
            lad_name = best["lad22_name"].where(lad == best["lad22_code"])
            parts.append(
                pd.DataFrame(
                    {"lsoa_code": best["lsoa21_code"], "lsoa_name": best["lsoa21_name"], "lad_code": lad,
                     "lad_name": lad_name}
                )
            )  # fmt: skip
        frame = pd.concat([p.astype("string") for p in parts if not p.empty], ignore_index=True)
        frame = frame.reindex(columns=PLACE_COLUMNS)
        names = frame.dropna(subset=["lsoa_name"]).drop_duplicates("lsoa_code").set_index("lsoa_code")["lsoa_name"]
        imd_names = imd.dropna(subset=["lsoa_name"]).set_index("lsoa_code")["lsoa_name"]
        frame = frame.drop_duplicates("lsoa_code", keep="first").reset_index(drop=True)
        frame["lsoa_name"] = (
            frame["lsoa_name"].fillna(frame["lsoa_code"].map(names)).fillna(frame["lsoa_code"].map(imd_names))
        )
        return frame.astype("string")

    return context.cached(f"deprivation.england_lsoa21:{source_id or IMD_SOURCE[2025]}", load)


def _from_geography(context: BuildInputs, vintage: int, national: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The configured LSOAs of one vintage in their configured wards, named from the national table if fetched."""
    assert context.areas.geography is not None
    lookup = context.areas.geography.for_vintage(vintage)
    names = {d.code: d.name for d in context.areas.districts}
    rows = [(code, w.code, w.name, w.district, names[w.district]) for w in lookup.wards for code in w.lsoas]
    frame = pd.DataFrame(rows, columns=["lsoa_code", "ward_code", "ward_name", "lad_code", "lad_name"])
    try:
        table = national()
    except SourceUnavailableError:  # no lookups fetched: names come from the boundaries
        table = pd.DataFrame({"lsoa_code": pd.Series(dtype="string"), "lsoa_name": pd.Series(dtype="string")})
    lsoa_names = table.dropna(subset=["lsoa_name"]).drop_duplicates("lsoa_code").set_index("lsoa_code")
    frame["lsoa_name"] = frame["lsoa_code"].map(lsoa_names["lsoa_name"])
    return frame.loc[:, PLACE_COLUMNS].astype("string").reset_index(drop=True)


def _named(frame: pd.DataFrame, context: BuildInputs) -> pd.DataFrame:
    names = {d.code: d.name for d in context.areas.districts}
    frame = frame.copy()
    frame["lad_name"] = frame["lad_code"].map(names).fillna(frame["lad_name"]).astype("string")
    return frame.reset_index(drop=True)


def county_lsoa11(context: BuildInputs) -> pd.DataFrame:
    """Return the county's 2011 LSOAs with their May 2019 ward and district.

    From the area configuration's ``geography`` section when it has one (written by
    ``init-area``), else the LSOAs of :func:`england_lsoa11` in the configured districts.

    Returns
    -------
    pandas.DataFrame
        :data:`PLACE_COLUMNS`, one row per LSOA 2011.

    Raises
    ------
    CwbError
        When none of the configured districts is in the lookup.
    """

    def load() -> pd.DataFrame:
        if context.areas.geography is not None:
            return _from_geography(context, 2011, lambda: england_lsoa11(context))
        national = england_lsoa11(context)
        rows = national[national["lad_code"].isin(_district_codes(context))]
        if rows.empty:
            raise CwbError(
                f"None of the districts of {context.areas.county_name} "
                f"({', '.join(_district_codes(context))}) is in the LSOA (2011) to Ward (2019) lookup."
            )
        return _named(rows, context)

    return context.cached("deprivation.county_lsoa11", load)


def county_lsoa21(context: BuildInputs, source_id: str | None = None) -> pd.DataFrame:
    """Return the county's 2021 LSOAs with their current ward (where known) and district.

    From the area configuration's ``geography`` section when it has one (its wards are
    those ``init-area`` found: May 2025 wards, or May 2019 wards through the best-fit
    lookup, as the section says), else the LSOAs of :func:`england_lsoa21` in the
    configured districts. ``source_id`` is the IoD2025 file (default: :data:`IMD_SOURCE`).

    Returns
    -------
    pandas.DataFrame
        :data:`PLACE_COLUMNS`, one row per LSOA 2021.
    """

    def load() -> pd.DataFrame:
        if context.areas.geography is not None:
            return _from_geography(context, 2021, lambda: england_lsoa21(context, source_id))
        national = england_lsoa21(context, source_id)
        rows = national[national["lad_code"].isin(_district_codes(context))]
        if rows.empty:
            raise CwbError(
                f"No LSOA 2021 of {context.areas.county_name} was found: fetch {WARD25_LOOKUP}, LSOA 2021 "
                f"boundaries with district codes ({BOUNDARIES_LSOA21}) or an IoD2025 File 7 with district codes."
            )
        return _named(rows, context)

    return context.cached(f"deprivation.county_lsoa21:{source_id or IMD_SOURCE[2025]}", load)


def comparator_lsoas(
    context: BuildInputs, edition: int, districts: list[str], source_id: str | None = None
) -> list[str]:
    """Return the LSOAs of an edition's vintage in some districts (a comparator such as a district's county)."""
    national = england_lsoa11(context) if edition == 2019 else england_lsoa21(context, source_id)
    return national.loc[national["lad_code"].isin(districts), "lsoa_code"].tolist()
