"""Every English LSOA in its current district and county, from the national ONS and MHCLG files.

:func:`national_geography` reads, for all of England:

- ``lookup/lsoa11_ward19``: ONS LSOA (2011) to Ward (2019) to LAD (2019) lookup (official);
- ``lookup/lsoa11_lsoa21``: ONS LSOA (2011) to LSOA (2021) best-fit lookup (official; a
  2011 LSOA that was split points at one of its parts only, so about 1,000 LSOAs 2021
  are not in it);
- ``imd/2025/file7``: IoD2025 File 7, whose ``Local Authority District code (2024)`` places
  every LSOA 2021 in its current district (the mirror's renamed extract lacks it);
- ``boundaries/lsoa21`` and ``boundaries/lsoa11`` (optional): LSOA boundary files whose
  properties name the current district and county (``LADCD_ACTIVE``, ``UTLACD``), as the
  England-wide files of the mirror do;
- ``imd/2025/file10``: IoD2025 File 10, for the names of the 296 districts of 2024;
- an ONS Explore Local Statistics CSV (optional, ``els/claimant-count``), for county names.

A district's LSOAs 2021 come from File 7 when it has district codes, else from the
boundary properties, else from the best-fit lookup. Its LSOAs 2011 come from the LSOA 2011
boundary properties, else through the best-fit lookup, else from the 2019 lookup. Councils
formed since 2019 (Buckinghamshire, North and West Northamptonshire, Cumberland,
Westmorland and Furness, North Yorkshire, Somerset) get the 2011 LSOAs of the 2019
districts they replaced, which are listed as their ``predecessors``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cwb_metrics.errors import CwbError

WARD19_LOOKUP = "lookup/lsoa11_ward19"
BESTFIT_LOOKUP = "lookup/lsoa11_lsoa21"
IMD2025_FILE = "imd/2025/file7"
LSOA21_BOUNDARIES = "boundaries/lsoa21"
LSOA11_BOUNDARIES = "boundaries/lsoa11"
LAD_NAMES = "imd/2025/file10"
COUNTY_NAMES = "els/claimant-count"
#: Sources read by :func:`national_geography` (the last four are optional).
NATIONAL_SOURCES: tuple[str, ...] = (
    WARD19_LOOKUP,
    BESTFIT_LOOKUP,
    IMD2025_FILE,
    LSOA21_BOUNDARIES,
    LSOA11_BOUNDARIES,
    LAD_NAMES,
    COUNTY_NAMES,
)
REQUIRED_SOURCES: tuple[str, ...] = (WARD19_LOOKUP, BESTFIT_LOOKUP, IMD2025_FILE)

#: Kind of council by the first three characters of its GSS code.
KIND_BY_PREFIX: dict[str, str] = {
    "E06": "unitary",
    "E07": "district",
    "E08": "metropolitan_district",
    "E09": "london_borough",
    "E10": "county",
}
#: How each kind is named in sentences.
KIND_LABELS: dict[str, str] = {
    "unitary": "unitary authority",
    "district": "district",
    "metropolitan_district": "metropolitan district",
    "london_borough": "London borough",
    "county": "county",
}


def council_kind(code: str) -> str | None:
    """Return the kind of English council a GSS code names, or ``None`` (not a council code)."""
    return KIND_BY_PREFIX.get(str(code)[:3].upper())


@dataclass(frozen=True)
class NationalGeography:
    """Every English LSOA of both vintages in its current district, and every district's county.

    Attributes
    ----------
    lsoa11 : pandas.DataFrame
        ``lsoa_code, lsoa_name, ward_code, ward_name, lad19_code, lad19_name, lad_code``
        (one row per English LSOA 2011; ``lad_code`` is the current district).
    lsoa21 : pandas.DataFrame
        ``lsoa_code, lsoa_name, lad_code, lsoa11_code`` (``lsoa11_code``: the best-fit
        LSOA 2011, missing for the parts of a split LSOA).
    lads : pandas.DataFrame
        ``lad_code, lad_name, kind, county_code, county_name`` for every current district.
    counties : dict
        County code -> name.
    notes : tuple of str
        Which files placed the LSOAs, in words.
    """

    lsoa11: pd.DataFrame
    lsoa21: pd.DataFrame
    lads: pd.DataFrame
    counties: dict[str, str]
    notes: tuple[str, ...] = ()

    def name(self, code: str) -> str:
        """Return the name of a current district or county (the code when unknown)."""
        match = self.lads.loc[self.lads["lad_code"] == code, "lad_name"]
        if not match.empty:
            return str(match.iloc[0])
        return self.counties.get(code, code)

    def districts_of(self, code: str) -> list[str]:
        """Return the current districts of a council: a county's districts, or the council itself."""
        if code in set(self.lads["lad_code"]):
            return [code]
        return sorted(self.lads.loc[self.lads["county_code"] == code, "lad_code"].tolist())

    def county_of(self, lad_code: str) -> str | None:
        """Return the county a district is in (``None`` for single-tier councils)."""
        match = self.lads.loc[self.lads["lad_code"] == lad_code, "county_code"].dropna()
        return str(match.iloc[0]) if not match.empty else None

    def predecessors(self, lad_code: str) -> list[str]:
        """Return the 2019 districts wholly replaced by a current district (empty when unchanged)."""
        rows = self.lsoa11[(self.lsoa11["lad_code"] == lad_code) & (self.lsoa11["lad19_code"] != lad_code)]
        return sorted(rows["lad19_code"].dropna().unique().tolist())

    def known_codes(self) -> set[str]:
        """Codes of every current district and county."""
        return set(self.lads["lad_code"]) | set(self.counties)


def _read_optional(paths: Mapping[str, Path], source_id: str, read):
    path = paths.get(source_id)
    return read(Path(path)) if path is not None else None


def _majority(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    known = frame.dropna(subset=[value])
    if known.empty:
        return pd.Series(dtype="string")
    return known.groupby(key)[value].agg(lambda s: s.value_counts().index[0])


def national_geography(paths: Mapping[str, Path]) -> NationalGeography:
    """Place every English LSOA (2011 and 2021) in its current district, from the national files.

    Parameters
    ----------
    paths : mapping of source id to pathlib.Path
        Local files of :data:`NATIONAL_SOURCES`; :data:`REQUIRED_SOURCES` must be given.

    Returns
    -------
    NationalGeography

    Raises
    ------
    CwbError
        When a required file is missing, or some LSOAs cannot be placed in a district
        (naming a few of them and the file that would place them).
    DataValidationError
        When a file fails validation.
    """
    from cwb_metrics.sources.boundaries import read_boundary_properties
    from cwb_metrics.sources.els import read_els_csv
    from cwb_metrics.sources.imd import read_imd
    from cwb_metrics.sources.lookups import read_lad_names, read_lsoa11_lsoa21, read_lsoa11_ward19

    missing = [s for s in REQUIRED_SOURCES if s not in paths]
    if missing:
        raise CwbError(f"Placing LSOAs in districts needs {', '.join(missing)}: fetch them (refresh or --mirror).")
    notes: list[str] = []
    ward19 = read_lsoa11_ward19(Path(paths[WARD19_LOOKUP]))
    ward19 = ward19[ward19["lsoa11_code"].str.startswith("E")]
    best = read_lsoa11_lsoa21(Path(paths[BESTFIT_LOOKUP]))
    best = best[best["lsoa21_code"].str.startswith("E")]
    imd = read_imd(Path(paths[IMD2025_FILE]), 2025)
    props21 = _read_optional(paths, LSOA21_BOUNDARIES, read_boundary_properties)
    props11 = _read_optional(paths, LSOA11_BOUNDARIES, read_boundary_properties)

    # --- LSOA 2021 -> current district
    lsoa21 = pd.DataFrame(
        {"lsoa_code": imd["lsoa_code"].astype("string"), "lad_code": imd["lad_code"].astype("string")}
    )
    lsoa21["lsoa_name"] = imd["lsoa_name"].astype("string")
    if lsoa21["lad_code"].notna().any():
        notes.append("LSOAs 2021 placed in districts by IoD2025 File 7 (Local Authority District code (2024))")
    if props21 is not None and "lad_code" in props21:
        by_code = props21.set_index("code")
        lsoa21["lad_code"] = lsoa21["lad_code"].fillna(lsoa21["lsoa_code"].map(by_code["lad_code"]))
        if "name" in by_code:
            lsoa21["lsoa_name"] = lsoa21["lsoa_name"].fillna(lsoa21["lsoa_code"].map(by_code["name"]))
        notes.append(
            f"LSOAs 2021 placed in current districts by the properties of {Path(paths[LSOA21_BOUNDARIES]).name}"
        )
    first_parent = best.drop_duplicates("lsoa21_code").set_index("lsoa21_code")
    lsoa21["lsoa_name"] = lsoa21["lsoa_name"].fillna(lsoa21["lsoa_code"].map(first_parent["lsoa21_name"]))
    lsoa21["lsoa11_code"] = lsoa21["lsoa_code"].map(first_parent["lsoa11_code"]).astype("string")
    unplaced = lsoa21["lad_code"].isna()
    if unplaced.any():
        lsoa21.loc[unplaced, "lad_code"] = lsoa21.loc[unplaced, "lsoa_code"].map(first_parent["lad22_code"])
        notes.append("some LSOAs 2021 placed by the best-fit lookup's LAD 2022 (councils formed in 2023 not applied)")
    still = lsoa21[lsoa21["lad_code"].isna()]
    if not still.empty:
        raise CwbError(
            f"{len(still)} LSOAs 2021 (e.g. {', '.join(still['lsoa_code'].head(5))}) are in no district: fetch an "
            f"official IoD2025 File 7 with district codes ({IMD2025_FILE}) or LSOA 2021 boundaries with a "
            f"district property ({LSOA21_BOUNDARIES})."
        )

    # --- LSOA 2011 -> current district
    lsoa11 = pd.DataFrame(
        {
            "lsoa_code": ward19["lsoa11_code"],
            "lsoa_name": ward19["lsoa11_name"],
            "ward_code": ward19["ward19_code"],
            "ward_name": ward19["ward19_name"],
            "lad19_code": ward19["lad19_code"],
            "lad19_name": ward19["lad19_name"],
        }
    ).astype("string")
    lsoa11["lad_code"] = pd.Series(pd.NA, index=lsoa11.index, dtype="string")
    if props11 is not None and "lad_code" in props11:
        lsoa11["lad_code"] = lsoa11["lsoa_code"].map(props11.set_index("code")["lad_code"]).astype("string")
    via_best = best.drop_duplicates("lsoa11_code").set_index("lsoa11_code")["lsoa21_code"]
    lad21 = lsoa21.set_index("lsoa_code")["lad_code"]
    lsoa11["lad_code"] = lsoa11["lad_code"].fillna(lsoa11["lsoa_code"].map(via_best).map(lad21))
    current = set(lsoa21["lad_code"].dropna())
    keep19 = lsoa11["lad_code"].isna() & lsoa11["lad19_code"].isin(current)
    lsoa11.loc[keep19, "lad_code"] = lsoa11.loc[keep19, "lad19_code"]
    still = lsoa11[lsoa11["lad_code"].isna()]
    if not still.empty:
        raise CwbError(
            f"{len(still)} LSOAs 2011 (e.g. {', '.join(still['lsoa_code'].head(5))}) could not be placed in a "
            f"current district through {BESTFIT_LOOKUP}."
        )

    # --- districts: names and counties
    names = {}
    for frame, code, name in (
        (ward19, "lad19_code", "lad19_name"),
        (best, "lad22_code", "lad22_name"),
        (imd.dropna(subset=["lad_code"]), "lad_code", "lad_name"),
    ):
        names.update(dict(zip(frame[code], frame[name], strict=True)))
    file10 = _read_optional(paths, LAD_NAMES, read_lad_names)
    if file10 is not None:
        names.update(dict(zip(file10["lad_code"], file10["lad_name"], strict=True)))
    lads = pd.DataFrame({"lad_code": sorted(current)}, dtype="string")
    lads["lad_name"] = lads["lad_code"].map(lambda c: names.get(c, c)).astype("string")
    lads["kind"] = lads["lad_code"].map(council_kind).astype("string")
    county = pd.Series(dtype="string")
    if props21 is not None and "utla_code" in props21:
        counties = props21.dropna(subset=["lad_code"])
        counties = counties[counties["utla_code"].str.startswith("E10", na=False)]
        county = _majority(counties, "lad_code", "utla_code")
    lads["county_code"] = lads["lad_code"].map(county).astype("string")
    county_names: dict[str, str] = {}
    els = _read_optional(paths, COUNTY_NAMES, read_els_csv)
    if els is not None:
        named = els[els["areacd"].astype(str).str.startswith("E10")].drop_duplicates("areacd")
        county_names = dict(zip(named["areacd"].astype(str), named["areanm"].astype(str), strict=True))
    counties = {c: county_names.get(c, c) for c in sorted(set(lads["county_code"].dropna()))}
    lads["county_name"] = lads["county_code"].map(counties).astype("string")
    return NationalGeography(
        lsoa11=lsoa11.reset_index(drop=True),
        lsoa21=lsoa21.loc[:, ["lsoa_code", "lsoa_name", "lad_code", "lsoa11_code"]].reset_index(drop=True),
        lads=lads,
        counties=counties,
        notes=tuple(notes),
    )
