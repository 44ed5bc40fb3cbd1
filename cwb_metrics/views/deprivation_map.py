"""The deprivation map: pickers, the one LSOA map builder (IMD deciles or their change), and its tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, TypedDict

import altair as alt
import numpy as np
import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea
from cwb_metrics.charts import theme
from cwb_metrics.charts.describe import change_map_description, decile_map_description
from cwb_metrics.charts.maps import choropleth
from cwb_metrics.deprivation.profile import DeprivationProfile
from cwb_metrics.geo.simplify import subset_topology
from cwb_metrics.geo.tables import WARD_LINES
from cwb_metrics.models.area import AreaConfig
from cwb_metrics.sources.boundaries import decode_arcs
from cwb_metrics.sources.imd import INDEX_LABELS, INDICES
from cwb_metrics.views.common import Choices, Json, cell_float, cell_int, index_label
from cwb_metrics.views.drawing import MAP_WIDTH, Chart, legible, natural_size
from cwb_metrics.views.map_request import ALL, MapRequest
from cwb_metrics.views.tables import Table, WideTable

#: A TopoJSON topology.
Topology = dict[str, Json]


#: The properties of the LSOAs a map draws (the lookup's key and the tooltip's name); others are not sent.
DRAWN_PROPERTIES: tuple[str, ...] = ("code", "name")


@dataclass(frozen=True)
class MapLayers:
    """The topologies a map draws: its LSOAs, the ward outlines and the district outlines."""

    lsoas: Topology
    wards: Topology
    outline: Topology
    outline_object: str
    wards_object: str = "wards25"


def _drawn(topology: Topology, object_name: str, keep: Sequence[str]) -> Topology:
    """``topology`` with only the ``keep`` properties on the geometries of ``object_name`` (a copy)."""
    objects = topology["objects"]
    obj = objects[object_name] if isinstance(objects, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("geometries"), list):
        return topology
    geometries: list[Json] = []
    for geometry in obj["geometries"] if isinstance(obj["geometries"], list) else []:
        if isinstance(geometry, dict):
            props = geometry.get("properties")
            kept = {k: v for k, v in props.items() if k in keep} if isinstance(props, dict) else {}
            geometry = {k: v for k, v in geometry.items() if k != "properties"} | ({"properties": kept} if kept else {})
        geometries.append(geometry)
    return {**topology, "objects": {object_name: {**obj, "geometries": geometries}}}


def zoomed(topology: Topology, object_name: str, district: str | None, keep: Sequence[str] | None = None) -> Topology:
    """One object of a topology, only the areas of ``district`` (all when ``None``), with its own bbox.

    ``keep``: the only properties sent (e.g. not the district code each geometry carries
    for zooming, which is not drawn); all when ``None``.
    """
    subset = _zoomed(topology, object_name, district)
    return subset if keep is None else _drawn(subset, object_name, keep)


def _zoomed(topology: Topology, object_name: str, district: str | None) -> Topology:
    if district is None:
        return subset_topology(topology, object_name)
    objects = topology["objects"]
    obj = objects[object_name] if isinstance(objects, dict) else None
    if not isinstance(obj, dict):
        raise KeyError(object_name)
    geometries = obj.get("geometries")

    def in_district(geometry: Json) -> bool:
        props = geometry.get("properties") if isinstance(geometry, dict) else None
        return isinstance(props, dict) and district in (props.get("lad_code"), props.get("code"))

    kept: list[Json] = [g for g in (geometries if isinstance(geometries, list) else []) if in_district(g)]
    subset = subset_topology({**topology, "objects": {object_name: {**obj, "geometries": kept}}}, object_name)
    points = np.concatenate([a for a in decode_arcs(subset) if len(a)] or [np.zeros((1, 2))])
    subset["bbox"] = [
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    ]
    return subset


def map_layers(request: MapRequest, topology: Callable[[str], Topology]) -> MapLayers:
    """Zoom the map's topologies (``topology(name)`` reads one) to the request's district.

    Ward outlines are the LSOA topology's own ``ward_lines`` where the refresh derived the
    wards from the LSOAs (no second copy of the geometry), else the ward boundaries.
    """
    name, district = request.object_name, request.district
    lsoas = topology(name)
    if district is None:
        outline, outline_object = zoomed(lsoas, "district_lines", None, ()), "district_lines"
    else:
        outline, outline_object = zoomed(topology("districts"), "districts", district, ()), "districts"
    objects = lsoas.get("objects")
    wards_object = WARD_LINES if isinstance(objects, dict) and WARD_LINES in objects else "wards25"
    wards = zoomed(lsoas if wards_object == WARD_LINES else topology("wards25"), wards_object, district, ())
    return MapLayers(zoomed(lsoas, name, district, DRAWN_PROPERTIES), wards, outline, outline_object, wards_object)


def map_values(request: MapRequest, table: pd.DataFrame) -> pd.DataFrame:
    """The columns the map joins on ``code``, from the edition's LSOA table (or the 2019-2025 change table)."""
    if request.kind == "change":
        values = table.rename(columns={"lsoa21_code": "code", "ward_name": "ward", "lad_name": "district"})[
            ["code", "ward", "district", "decile_2019", "decile_2025", "decile_change", "match"]
        ]
        return values if _several_districts(request, values) else values.drop(columns=["district"])
    domain = request.domain
    columns = ["lsoa_code", "ward_name", "lad_name", f"{domain}_decile", f"{domain}_rank"]
    values = table[columns].rename(columns={"lsoa_code": "code", "ward_name": "ward", "lad_name": "district"})
    return values if _several_districts(request, values) else values.drop(columns=["district"])


def _several_districts(request: MapRequest, values: pd.DataFrame) -> bool:
    """True when the map draws LSOAs of more than one district (else their district is not sent)."""
    return request.district is None and values["district"].nunique() > 1


def highlighted(request: MapRequest, resolve: Callable[[str], ResolvedArea]) -> tuple[str, ...]:
    """The LSOAs outlined: the chosen LSOA, else the chosen place's."""
    if request.lsoa:
        return (request.lsoa,)
    if request.place:
        return resolve(request.place).lsoas(request.edition)
    return ()


def lsoa_map(request: MapRequest, layers: MapLayers, values: pd.DataFrame, highlight: Sequence[str]) -> Chart:
    """The LSOA choropleth: IMD deciles, or deciles moved from IMD 2019 to 2025 (diverging around 0)."""
    label, domain = index_label(request.domain), request.domain
    where: list[str | tuple[str, str] | alt.Tooltip] = [("name", "LSOA"), ("code", "Code"), ("ward", "Ward")]
    if "district" in values.columns:  # only when the map spans several districts
        where.append(("district", "District"))
    if request.kind == "change":
        chart = choropleth(
            layers.lsoas,
            request.object_name,
            values,
            value_field="decile_change",
            title=f"{label}: change in decile, IMD 2019 to IMD 2025",
            legend_title="Deciles moved (− more deprived)",
            scale="diverging",
            domain_mid=0,
            reverse=True,
            tooltip=[
                *where,
                alt.Tooltip("decile_2019:Q", title="Decile, IMD 2019"),
                alt.Tooltip("decile_2025:Q", title="Decile, IMD 2025"),
                alt.Tooltip("decile_change:Q", title="Change", format="+d"),
                ("match", "Boundary since 2011"),
            ],
            credits=(theme.OS_ONS_CREDIT, theme.IMD_CREDIT),
            **_common(layers, highlight),
        )
    else:
        chart = choropleth(
            layers.lsoas,
            request.object_name,
            values,
            value_field=f"{domain}_decile",
            title=f"{label}, IMD {request.edition}",
            legend_title="Decile in England",
            tooltip=[
                *where,
                (f"{domain}_decile", "Decile (1 = most deprived 10%)"),
                (f"{domain}_rank", "Rank in England"),
            ],
            credits=(theme.OS_ONS_CREDIT, theme.imd_credit(request.edition)),
            **_common(layers, highlight),
        )
    return legible(natural_size(chart))


class _Common(TypedDict):
    """The keyword arguments both kinds of map share."""

    outlines: list[tuple[Topology, str, str, float] | tuple[Topology, str]]
    highlight_codes: tuple[str, ...]
    selection_name: str
    width: int


def _common(layers: MapLayers, highlight: Sequence[str]) -> _Common:
    return {
        "outlines": [
            (layers.wards, layers.wards_object, theme.WARD_STROKE, theme.WARD_STROKE_WIDTH),
            (layers.outline, layers.outline_object),
        ],
        "highlight_codes": tuple(highlight),
        "selection_name": "lsoa",
        "width": MAP_WIDTH,
    }


# ----- pickers -----------------------------------------------------------------------------
def district_choices(config: AreaConfig) -> Choices:
    """The county ("All Oxfordshire") and its districts."""
    return Choices.of(
        [(config.county_code, f"All {config.county_name}"), *((d.code, d.name) for d in config.districts)]
    )


@dataclass(frozen=True)
class MapPlaces:
    """Drill-down choices: for each district (and the county), its neighbourhoods and wards with LSOAs."""

    by_district: tuple[tuple[str, Choices], ...]

    def of(self, district: str) -> Choices:
        """The places of one district (none for an unknown code)."""
        return next((c for d, c in self.by_district if d == district), Choices(()))


def map_places(config: AreaConfig, areas: Iterable[ResolvedArea], edition: int) -> MapPlaces:
    """The named neighbourhoods and wards of each district that have LSOAs in ``edition``."""
    places: dict[str, list[tuple[str, str]]] = {config.county_code: [], **{d.code: [] for d in config.districts}}
    for area in areas:
        if area.kind in ("neighbourhood", "ward") and area.district_code in places and area.lsoas(edition):
            suffix = " (neighbourhood)" if area.kind == "neighbourhood" else ""
            places[area.district_code].append((area.code, f"{area.name}{suffix}"))
    for hood in config.neighbourhoods:  # the named neighbourhoods are also offered county-wide
        label = dict(places.get(hood.district, [])).get(hood.id)
        if label is not None:
            places[config.county_code].append((hood.id, label))
    return MapPlaces(tuple((d, Choices.of(p)) for d, p in places.items()))


def lsoa_choices(imd: pd.DataFrame, area: ResolvedArea, edition: int) -> Choices:
    """The LSOAs of an area in an edition: code -> 'Oxford 016A (E01028530)', by name."""
    codes = set(area.lsoas(edition))
    chosen = imd[imd["lsoa_code"].isin(codes)].sort_values("lsoa_name")
    return Choices.of((c, f"{n} ({c})") for c, n in zip(chosen["lsoa_code"], chosen["lsoa_name"], strict=True))


@dataclass(frozen=True)
class MapPick:
    """What the district, place and LSOA pickers should show (``None``: leave as it is)."""

    district: str
    place: str
    lsoa: str | None = None


def pick_for_link(target: ResolvedArea | None, districts: Choices) -> MapPick | None:
    """The pickers for a linked area (``?area=``): a ward, neighbourhood or LSOA in its district, or a district.

    ``None`` when the link names nothing the map can show.
    """
    if target is None:
        return None
    if target.kind in ("ward", "neighbourhood", "lsoa") and target.district_code:
        if target.kind == "lsoa":
            return MapPick(target.district_code, ALL, target.code)
        return MapPick(target.district_code, target.code)
    if target.code in districts:
        return MapPick(target.code, ALL)
    return None


def pick_for_click(
    lsoa: str, district: str, place: str, county: str, shown: Choices, resolve: Callable[[str], ResolvedArea]
) -> MapPick:
    """The pickers after a click on ``lsoa``: keep the place if the LSOA is in it, else its district."""
    if lsoa in shown:
        return MapPick(district, place, lsoa)
    if district == county:
        return MapPick(county, ALL, lsoa)
    return MapPick(resolve(lsoa).district_code or county, ALL, lsoa)


def clicked_lsoa(event: Mapping[str, object] | None) -> str | None:
    """The LSOA code of the area clicked on the map (its chart event's ``lsoa`` selection), if any."""
    selection = (event or {}).get("selection")
    chosen = selection.get("lsoa") if isinstance(selection, Mapping) else None
    for item in chosen if isinstance(chosen, list) else []:
        code = item.get("code") if isinstance(item, Mapping) else None
        if isinstance(code, str) and code:
            return code
    return None


def map_area_name(config: AreaConfig, district: str | None, resolve: Callable[[str], ResolvedArea]) -> str:
    """The name of the area a map shows: the county, or the district it is zoomed to."""
    return config.county_name if district is None else resolve(district).name


# ----- tables ------------------------------------------------------------------------------
def _share(count: int | None, total: int) -> str:
    return "–" if count is None or not total else f"{count} ({100 * count / total:.0f}%)"


def domain_table(own: DeprivationProfile, county: DeprivationProfile) -> WideTable:
    """Per measure: the area's LSOAs in England's most deprived 10% and 20%, and the county's 20% (unless it is it)."""
    n, m = own.summary.lsoa_count, county.summary.lsoa_count
    rows = []
    for index in INDICES:
        mine = own.summary.imd if index == "imd" else own.summary.domains[index]
        theirs = county.summary.imd if index == "imd" else county.summary.domains[index]
        rows.append(
            (
                "Overall (IMD)" if index == "imd" else INDEX_LABELS[index],
                _share(mine.most_deprived_10pct, n),
                _share(mine.most_deprived_20pct, n),
                _share(theirs.most_deprived_20pct, m),
            )
        )
    columns = ("Measure", "Most deprived 10%", "Most deprived 20%", f"{county.area.name}, 20%")
    if own.area.code == county.area.code:  # the whole area: no comparison with itself
        return WideTable(columns[:3], tuple(row[:3] for row in rows))
    return WideTable(columns, tuple(rows))


@dataclass(frozen=True)
class LsoaRow:
    """One measure of one LSOA: its decile and rank in England, and the county's median decile."""

    measure: str
    decile: int | None
    rank: str | None
    county_median: float

    LABELS: ClassVar[dict[str, str]] = {
        "measure": "Measure",
        "decile": "Decile",
        "rank": "Rank",
        "county_median": "County median",
    }


def lsoa_table(imd: pd.DataFrame, lsoa: str) -> Table[LsoaRow]:
    """One LSOA's decile and rank on the IMD and each domain, with the county's median decile (empty if unknown)."""
    row = imd[imd["lsoa_code"] == lsoa]
    if row.empty:
        return Table(LsoaRow, ())
    first = row.iloc[0]
    out = []
    for index in INDICES:
        rank = cell_int(first[f"{index}_rank"])
        out.append(
            LsoaRow(
                measure="Overall (IMD)" if index == "imd" else INDEX_LABELS[index],
                decile=cell_int(first[f"{index}_decile"]),
                rank=None if rank is None else f"{rank:,}",
                county_median=float(imd[f"{index}_decile"].median()),
            )
        )
    return Table(LsoaRow, tuple(out))


@dataclass(frozen=True)
class ImdMapRow:
    """One LSOA of an IMD map: names, decile and rank."""

    lsoa: str
    name: str
    ward: str
    district: str
    decile: int | None
    rank: int | None

    LABELS: ClassVar[dict[str, str]] = {
        "lsoa": "LSOA",
        "name": "Name",
        "ward": "Ward",
        "district": "District",
        "decile": "Decile",
        "rank": "Rank in England",
    }


def imd_map_table(imd: pd.DataFrame, lsoas: Iterable[str], domain: str) -> Table[ImdMapRow]:
    """The LSOAs a deprivation map draws, most deprived first, with decile and rank."""
    chosen = imd[imd["lsoa_code"].isin(set(lsoas))].sort_values([f"{domain}_rank", "lsoa_code"])
    return Table(
        ImdMapRow,
        tuple(
            ImdMapRow(str(c), str(n), str(w), str(d), cell_int(dec), cell_int(r))
            for c, n, w, d, dec, r in zip(
                chosen["lsoa_code"],
                chosen["lsoa_name"],
                chosen["ward_name"],
                chosen["lad_name"],
                chosen[f"{domain}_decile"],
                chosen[f"{domain}_rank"],
                strict=True,
            )
        ),
    )


@dataclass(frozen=True)
class ChangeMapRow:
    """One LSOA (2021) of a change map: names, deciles in 2019 and 2025, the change and how it was matched."""

    lsoa: str
    name: str
    ward: str
    district: str
    decile_2019: float | None
    decile_2025: float | None
    change: float | None
    match: str

    LABELS: ClassVar[dict[str, str]] = {
        "lsoa": "LSOA 2021",
        "name": "Name",
        "ward": "Ward",
        "district": "District",
        "decile_2019": "Decile 2019",
        "decile_2025": "Decile 2025",
        "change": "Change",
        "match": "Boundary since 2011",
    }


def change_map_table(change: pd.DataFrame, lsoas: Iterable[str]) -> Table[ChangeMapRow]:
    """The LSOAs (2021) a change map draws, most moved towards more deprived first."""
    chosen = change[change["lsoa21_code"].isin(set(lsoas))]
    chosen = chosen.sort_values(["decile_change", "lsoa21_code"], na_position="last")
    return Table(
        ChangeMapRow,
        tuple(
            ChangeMapRow(str(c), str(n), str(w), str(d), cell_float(a), cell_float(b), cell_float(x), str(m))
            for c, n, w, d, a, b, x, m in zip(
                chosen["lsoa21_code"],
                chosen["lsoa21_name"],
                chosen["ward_name"],
                chosen["lad_name"],
                chosen["decile_2019"],
                chosen["decile_2025"],
                chosen["decile_change"],
                chosen["match"],
                strict=True,
            )
        ),
    )


def imd_map_text(table: Table[ImdMapRow], request: MapRequest, area_name: str) -> str:
    """The text alternative of an IMD map, from the deciles of the LSOAs it draws."""
    domain, edition = request.domain, request.edition
    what = f"IMD {edition} decile" if domain == "imd" else f"IMD {edition} {INDEX_LABELS[domain].lower()} domain decile"
    return decile_map_description(table.frame()["Decile"], area_name=area_name, what=what)


def change_map_text(table: Table[ChangeMapRow], request: MapRequest, area_name: str) -> str:
    """The text alternative of a change map, from the changes of the LSOAs it draws."""
    domain = request.domain
    what = "overall deprivation (IMD)" if domain == "imd" else f"the {domain.replace('_', ' ')} domain"
    frame = table.frame().rename(columns={"Change": "decile_change", "Name": "name"})
    return change_map_description(frame, area_name=area_name, what=what)
