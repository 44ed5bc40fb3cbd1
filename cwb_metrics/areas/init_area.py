"""``init-area``: write the area configuration of any English council from the ONS lookups.

:func:`build_area_config` turns a council code into an :class:`~cwb_metrics.models.area.AreaConfig`:

- a **county** (``E10``): the county and its districts, as of the current LSOA-to-district files;
- a **unitary authority** (``E06``), **metropolitan district** (``E08``) or **London
  borough** (``E09``): the council as its own only district;
- a **district** (``E07``): the district alone, with its county kept as a comparator
  (``comparators``) so every indicator shows the county beside it.

It fills the ``geography`` section from the national files (:mod:`cwb_metrics.areas.national`):

- LSOAs 2011 and their **May 2019 wards** from the ONS LSOA (2011) to Ward (2019) lookup
  (the wards IoD2019 is usually reported by);
- LSOAs 2021 and **current wards** for IoD2025, in order of preference: the ONS LSOA
  (2021) to Ward (2025) best-fit lookup when it was fetched (``official_lookup``); else ward
  boundaries (``boundaries/wards25``) covering the council, each LSOA placed in the ward
  holding its representative point, as the mirror's Oxfordshire file was derived
  (``representative_point``, approximate); else each LSOA 2021 is placed in the May 2019
  ward of its best-fit LSOA 2011 (``best_fit_via_lsoa2011``: the wards are then 2019 wards,
  and the configuration says so). Parts of split LSOAs, which the best-fit lookup does not
  list, take the LSOA 2011 holding their representative point.

Councils formed since 2019 (e.g. North Yorkshire E06000065, Cumberland E06000063) did not
exist for IoD2019: their IMD 2019 figures are computed from the 2011 LSOAs of the 2019
districts they replaced (listed as ``predecessors``), not taken from MHCLG's district
summaries, which have no row for them. A code that no longer exists (e.g. Craven
E07000163) is refused with the name of the council that replaced it.

Named neighbourhoods are left for the user to add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from cwb_metrics.areas.national import (
    KIND_LABELS,
    LSOA11_BOUNDARIES,
    LSOA21_BOUNDARIES,
    NationalGeography,
    council_kind,
    national_geography,
)
from cwb_metrics.errors import CwbError
from cwb_metrics.models.area import (
    AreaConfig,
    AreaGeography,
    Comparator,
    District,
    WardLookup,
    WardMembers,
)

#: Projected CRS (metres) for representative points and distances.
BRITISH_NATIONAL_GRID = "EPSG:27700"
WARD25_LOOKUP = "lookup/lsoa21_ward25"
WARD25_BOUNDARIES = "boundaries/wards25"
#: Sources :func:`build_area_config` may read, beyond :data:`~cwb_metrics.areas.national.NATIONAL_SOURCES`.
WARD_SOURCES: tuple[str, ...] = (WARD25_LOOKUP, WARD25_BOUNDARIES)
_CONFIG_KIND = {"county": "county", "unitary": "unitary", "metropolitan_district": "metropolitan_district",
                "london_borough": "london_borough", "district": "district"}  # fmt: skip


def slug(name: str) -> str:
    """Return a configuration id from a council name: ``"Westmorland and Furness"`` -> ``westmorland-and-furness``."""
    text = "".join(ch if ch.isalnum() else "-" for ch in name.casefold())
    return "-".join(part for part in text.split("-") if part) or "area"


def _check_code(code: str, geo: NationalGeography) -> str:
    code = str(code or "").strip().upper()
    kind = council_kind(code)
    if code in geo.known_codes() and kind is not None:
        return code
    replaced = geo.lsoa11.loc[geo.lsoa11["lad19_code"] == code, "lad_code"].dropna().unique().tolist()
    if replaced:
        successor = replaced[0]
        raise CwbError(
            f"{code} ({geo.lsoa11.loc[geo.lsoa11['lad19_code'] == code, 'lad19_name'].iloc[0]}) was a district in 2019 "
            f"but no longer exists: it is now part of {geo.name(successor)} ({successor}). "
            f"Run init-area --code {successor}."
        )
    if code[:1] in ("W", "S", "N"):
        raise CwbError(f"{code} is not an English council: the tool uses the English Indices of Deprivation.")
    raise CwbError(
        f"{code or '(empty)'} is not the code of a current English county (E10), unitary authority (E06), "
        "metropolitan district (E08), London borough (E09) or district (E07)."
    )


def _wards_2019(geo: NationalGeography, districts: list[str]) -> WardLookup:
    rows = geo.lsoa11[geo.lsoa11["lad_code"].isin(districts)].sort_values(["lad_code", "ward_name", "lsoa_code"])
    wards = [
        WardMembers(code=str(code), name=str(group["ward_name"].iloc[0]), district=str(group["lad_code"].iloc[0]),
                    lsoas=group["lsoa_code"].astype(str).tolist())
        for code, group in rows.groupby("ward_code", sort=False)
    ]  # fmt: skip
    return WardLookup(
        lsoa_vintage=2011,
        ward_vintage="May 2019",
        method="official_lookup",
        source="ONS LSOA (2011) to Ward (2019) to LAD (2019) best-fit lookup (lookup/lsoa11_ward19)",
        wards=wards,
    )


def _representative_points(path: Path, codes: list[str], code_property: str) -> pd.DataFrame:
    from cwb_metrics.sources.boundaries import read_boundaries

    frame = read_boundaries(path, expected_code=code_property, codes=codes)
    # In British National Grid metres, as the mirror's Oxfordshire ward file was derived.
    points = frame.to_crs(BRITISH_NATIONAL_GRID).geometry.representative_point().to_crs("EPSG:4326")
    return pd.DataFrame({"code": frame["code"].astype(str), "x": points.x, "y": points.y})


def _place_points(points: pd.DataFrame, polygons: Any) -> pd.Series:
    """Return, for each point, the code of the polygon holding it (or the nearest one)."""
    import geopandas as gpd

    frame = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["x"], points["y"]), crs="EPSG:4326")
    shapes = polygons.loc[:, ["code", "geometry"]].rename(columns={"code": "holder"})
    joined = gpd.sjoin(frame, shapes, how="left", predicate="within").drop_duplicates("code")
    missing = joined["holder"].isna()
    if missing.any():
        metric = BRITISH_NATIONAL_GRID
        near = gpd.sjoin_nearest(frame.loc[missing.to_numpy()].to_crs(metric), shapes.to_crs(metric), how="left")
        joined.loc[missing, "holder"] = near.drop_duplicates("code")["holder"].to_numpy()
    return joined.set_index("code")["holder"]


def _wards_current(
    geo: NationalGeography, districts: list[str], paths: Mapping[str, Path], wards2019: WardLookup
) -> tuple[WardLookup, list[str]]:
    """The LSOAs 2021 of the districts in current wards; and notes on how they were found."""
    from cwb_metrics.sources.boundaries import read_boundaries
    from cwb_metrics.sources.lookups import read_lsoa21_ward25

    lsoas = geo.lsoa21[geo.lsoa21["lad_code"].isin(districts)].sort_values("lsoa_code")
    codes = lsoas["lsoa_code"].astype(str).tolist()
    lad_of = dict(zip(lsoas["lsoa_code"].astype(str), lsoas["lad_code"].astype(str), strict=True))
    notes: list[str] = []
    assigned: dict[str, tuple[str, str]] = {}
    method, vintage, source = "best_fit_via_lsoa2011", "May 2019", ""

    if WARD25_LOOKUP in paths:
        lookup = read_lsoa21_ward25(Path(paths[WARD25_LOOKUP]))
        rows = lookup[lookup["lsoa21_code"].isin(codes)]
        if set(rows["lsoa21_code"]) == set(codes):
            assigned = {r.lsoa21_code: (r.ward25_code, r.ward25_name) for r in rows.itertuples()}
            method, vintage = "official_lookup", "May 2025"
            source = "ONS LSOA (2021) to Electoral Ward (2025) best-fit lookup (lookup/lsoa21_ward25)"
        else:
            notes.append(f"{WARD25_LOOKUP} does not cover every LSOA 2021 of the area; not used")
    if not assigned and WARD25_BOUNDARIES in paths and LSOA21_BOUNDARIES in paths:
        try:
            wards = read_boundaries(Path(paths[WARD25_BOUNDARIES]), districts=districts)
        except CwbError:
            wards = None
        covered = wards is not None and set(districts) <= set(wards.get("lad_code", pd.Series(dtype=str)))
        if covered:
            points = _representative_points(Path(paths[LSOA21_BOUNDARIES]), codes, "LSOA21CD")
            holder = _place_points(points, wards)
            names = dict(zip(wards["code"], wards["name"], strict=True))
            assigned = {c: (str(holder[c]), str(names[holder[c]])) for c in codes if c in holder.index}
            method, vintage = "representative_point", "May 2025"
            source = (
                "ONS Wards (May 2025) BGC boundaries (boundaries/wards25): each LSOA 2021 in the ward holding its "
                "representative point (approximate; ONS best-fit lookups use population-weighted centroids)"
            )
        else:
            notes.append(f"{WARD25_BOUNDARIES} has no wards for some districts of the area; not used")
    if not assigned:
        ward_of11 = {c: (w.code, w.name) for w in wards2019.wards for c in w.lsoas}
        parent = dict(zip(lsoas["lsoa_code"].astype(str), lsoas["lsoa11_code"], strict=True))
        assigned = {c: ward_of11[str(p)] for c, p in parent.items() if isinstance(p, str) and str(p) in ward_of11}
        orphans = [c for c in codes if c not in assigned]
        if orphans and LSOA21_BOUNDARIES in paths and LSOA11_BOUNDARIES in paths:
            points = _representative_points(Path(paths[LSOA21_BOUNDARIES]), orphans, "LSOA21CD")
            polygons = read_boundaries(Path(paths[LSOA11_BOUNDARIES]), expected_code="LSOA11CD", codes=list(ward_of11))
            holder = _place_points(points, polygons)
            assigned.update({c: ward_of11[str(holder[c])] for c in orphans if str(holder.get(c)) in ward_of11})
        source = (
            "no LSOA (2021) to current-ward lookup or ward boundaries for this area were available: each LSOA "
            "2021 is in the May 2019 ward of its best-fit LSOA 2011 (ONS LSOA 2011 to 2021 best-fit lookup); "
            "parts of split LSOAs take the LSOA 2011 holding their representative point"
        )
    missing = [c for c in codes if c not in assigned]
    if missing:
        raise CwbError(
            f"{len(missing)} LSOAs 2021 of the area (e.g. {', '.join(missing[:5])}) could not be placed in a ward: "
            f"fetch {WARD25_LOOKUP}, or LSOA boundaries ({LSOA11_BOUNDARIES}, {LSOA21_BOUNDARIES})."
        )
    frame = pd.DataFrame(
        [(c, *assigned[c], lad_of[c]) for c in codes], columns=["lsoa", "ward_code", "ward_name", "district"]
    ).sort_values(["district", "ward_name", "lsoa"])
    wards = [
        WardMembers(code=str(code), name=str(group["ward_name"].iloc[0]), district=str(group["district"].iloc[0]),
                    lsoas=group["lsoa"].tolist())
        for code, group in frame.groupby("ward_code", sort=False)
    ]  # fmt: skip
    return WardLookup(lsoa_vintage=2021, ward_vintage=vintage, method=method, source=source, wards=wards), notes


def build_area_config(
    code: str, paths: Mapping[str, Path], *, area_id: str | None = None, geo: NationalGeography | None = None
) -> AreaConfig:
    """Build the area configuration of an English council from the national lookups.

    Parameters
    ----------
    code : str
        A current council code: county ``E10``, unitary ``E06``, metropolitan district
        ``E08``, London borough ``E09`` or district ``E07``.
    paths : mapping of source id to pathlib.Path
        Local copies of the sources (:data:`~cwb_metrics.areas.national.NATIONAL_SOURCES`
        and :data:`WARD_SOURCES`; missing optional ones are skipped).
    area_id : str, optional
        The configuration's id (default: the council's name as a slug, e.g. ``cornwall``).
    geo : NationalGeography, optional
        Already read from ``paths`` (to configure several councils without reading it again).

    Returns
    -------
    AreaConfig
        With districts, comparators (a district's county) and the ``geography`` section;
        no neighbourhoods.

    Raises
    ------
    CwbError
        When the code is not a current English council (naming the council that replaced
        a former district), or a needed file is missing.
    """
    geo = geo or national_geography(paths)
    code = _check_code(code, geo)
    kind = council_kind(code) or "district"
    district_codes = geo.districts_of(code)
    if not district_codes:
        raise CwbError(f"{code} ({geo.name(code)}) has no districts in the LSOA files.")
    districts = [District(code=c, name=geo.name(c), predecessors=geo.predecessors(c)) for c in district_codes]
    comparators: list[Comparator] = []
    county = geo.county_of(code) if kind == "district" else None
    if county is not None:
        comparators.append(Comparator(code=county, name=geo.name(county), districts=geo.districts_of(county)))
    wards2019 = _wards_2019(geo, district_codes)
    wards_now, notes = _wards_current(geo, district_codes, paths, wards2019)
    formed = [d for d in districts if d.predecessors]
    if formed:
        notes.append(
            "IMD 2019: "
            + "; ".join(f"{d.name} ({d.code}) did not exist in 2019 (it replaced {', '.join(d.predecessors)})"
                        for d in formed)
            + ". Its IMD 2019 figures are computed from those districts' LSOAs (2011); MHCLG's 2019 district "
            "summaries have no row for it."
        )  # fmt: skip
    today = dt.date.today().isoformat()
    sentences = [f"Written by `python -m cwb_metrics init-area --code {code}` on {today}", *geo.notes, *notes]
    sentences.append("Add named neighbourhoods (sets of wards or LSOAs) under `neighbourhoods`")
    note = " ".join(text[0].upper() + text[1:] + ("" if text.endswith(".") else ".") for text in sentences)
    return AreaConfig(
        id=area_id or slug(geo.name(code)),
        county_code=code,
        county_name=geo.name(code),
        geography_kind=_CONFIG_KIND[kind],
        districts=districts,
        comparators=comparators,
        geography=AreaGeography(note=note, lsoa11=wards2019, lsoa21=wards_now),
    )


class _Dumper(yaml.SafeDumper):
    """Writes lists of codes and small mappings in flow style, the rest in block style."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = set(data) <= {"code", "name", "predecessors"} and not data.get("predecessors")
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


#: Why ``police_force_area`` is left for the user, as the generated file says.
POLICE_FORCE_AREA_NOTE = (
    "# police_force_area is not filled in: no official district to police force area lookup is among the files\n"
    "# (the ONS 'Local Authority District to Community Safety Partnership to Police Force Area' lookup would\n"
    "# give it). Statistics published only by police force area (homicide) have no figure for this council\n"
    "# until you add the force area covering it, with its E23 code as in the ONS homicide file, e.g.\n"
    "# police_force_area: {code: E23000029, name: Thames Valley}\n"
)
#: Where the council's own action plan goes, as the generated file says.
ACTION_PLAN_NOTE = (
    "# action_plan: the council's own CWB action plan (schema cwb_metrics.actions.models.ActionPlan), a path\n"
    "# relative to this file; data/actions/cwb_action_plan_2024_25.yaml shows the format. None yet.\n"
)


def area_config_yaml(config: AreaConfig) -> str:
    """Return the YAML text of an area configuration, with a comment saying what it holds."""
    record = config.model_dump(mode="json", exclude_defaults=False)
    for district in record["districts"]:
        if not district["predecessors"]:
            del district["predecessors"]
    for neighbourhood in record["neighbourhoods"]:
        for key in ("aliases", "wards", "lsoas"):
            if not neighbourhood[key]:
                del neighbourhood[key]
    kind = KIND_LABELS.get(council_kind(config.county_code) or "", "area")
    header = (
        f"# Area configuration for {config.county_name} ({config.county_code}, {kind}). "
        "Schema: cwb_metrics.models.area.AreaConfig.\n"
        "# Use it with CWB_AREAS=<this file> (or copy it to data/areas/<id>.yaml and set CWB_AREAS=<id>).\n"
        "# The geography section lists every LSOA (2011 and 2021) in its ward; see its note for the sources.\n"
        "# Add named neighbourhoods under `neighbourhoods` (wards by name, or LSOAs), as in oxfordshire.yaml.\n"
    )
    if record.get("police_force_area") is None:
        record.pop("police_force_area", None)
        header += POLICE_FORCE_AREA_NOTE
    if record.get("action_plan") is None:
        record.pop("action_plan", None)
        header += ACTION_PLAN_NOTE
    body = yaml.dump(record, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)
    return header + body


def write_area_config(config: AreaConfig, path: Path, *, keep_neighbourhoods_from: AreaConfig | None = None) -> Path:
    """Write ``config`` as YAML to ``path`` (atomically), keeping another config's own additions if asked.

    ``keep_neighbourhoods_from`` (``init-area --force``): its id, neighbourhoods, action plan and
    (unless found here) police force area are kept.

    Returns
    -------
    pathlib.Path
        The file written (its folder is made if missing).

    Raises
    ------
    OutputFileError
        When the file cannot be written (a folder, read-only, no permission, a full disk).
    """
    from cwb_metrics.areas.config import check_area_config
    from cwb_metrics.output_file import check_output_path, write_output

    if keep_neighbourhoods_from is not None:
        config = config.model_copy(
            update={
                "id": keep_neighbourhoods_from.id,
                "neighbourhoods": keep_neighbourhoods_from.neighbourhoods,
                "featured_neighbourhoods": keep_neighbourhoods_from.featured_neighbourhoods,
                "action_plan": keep_neighbourhoods_from.action_plan,
                "police_force_area": config.police_force_area or keep_neighbourhoods_from.police_force_area,
            }
        )
    problems = check_area_config(config)
    if problems:
        raise CwbError("The configuration would be inconsistent:\n" + "\n".join(f"  - {p}" for p in problems))
    path = check_output_path(path, make_folder=True)
    write_output(path, area_config_yaml(config).encode("utf-8"))
    return path
