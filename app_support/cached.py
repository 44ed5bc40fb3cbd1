"""Every ``st.cache_data`` / ``st.cache_resource`` wrapper of the app, and nothing else.

The library (``cwb_metrics``) never imports Streamlit; this module is where the app keeps
what it has read or computed, keyed on the data folder, the data **version id**, area
codes and other plain strings, never on DataFrames. A refresh writes a new version, so
a new version id is a new cache key and nothing stale is shown. A rerun after a click
reuses everything here: no file is read again and no geometry is recomputed.

Large, read-only objects (indicator tables, TopoJSON, Altair charts) are kept with
``st.cache_resource`` (one shared copy, no pickling on every hit); small derived results
with ``st.cache_data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from cwb_metrics.settings import data_dir
from cwb_metrics.store import DataStore

#: Width (px) of the main charts: they sit in the wider of two columns on a laptop screen.
CHART_WIDTH = 560
#: Width (px) of the map itself; its legend sits to the right.
MAP_WIDTH = 450


#: Axis and legend text of the charts Streamlit themes: its theme greys them to #808495 (3.7:1 on
#: white); these are 8.5:1 (labels) and 16.5:1 (titles), WCAG 1.4.3 asking 4.5:1.
LABEL_INK, TITLE_INK = "#4D4D4D", "#1F1F1F"


def _legible(chart: Any, **legend: Any) -> Any:
    """Dark axis and legend text (``legend``: other legend settings, set in the same call)."""
    return chart.configure_axis(labelColor=LABEL_INK, titleColor=TITLE_INK).configure_legend(
        labelColor=LABEL_INK, titleColor=TITLE_INK, **legend
    )


def _natural_size(chart: Any) -> Any:
    """Draw a chart at the size its builder chose.

    Without an ``autosize`` of its own, Streamlit gives a chart ``fit``, which squeezes
    everything (titles, legends, credit lines) into the declared width and height and
    shrinks the plot itself; the library's charts are laid out in pixels, so they keep ``pad``.
    """
    import altair as alt

    return chart.properties(autosize=alt.AutoSizeParams(type="pad", contains="padding"))


@dataclass(frozen=True)
class DataRef:
    """Which data the page is drawing: the data folder and its current version id."""

    root: str
    version: str

    @property
    def store(self) -> DataStore:
        """The data store (cheap to build; holds no data)."""
        return DataStore(self.root)


def data_ref() -> DataRef:
    """Return the current data version (reads the tiny ``CURRENT`` file on every run).

    Raises
    ------
    NoDataError
        When nothing has been built yet, with the command that builds it.
    """
    store = DataStore(data_dir())
    version = store.current_version()
    if version is None:
        store.version_dir()  # raises NoDataError naming the refresh command
    return DataRef(str(store.root), str(version))


# ----- metadata ------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def catalogue() -> dict[str, Any]:
    """The committed indicator catalogue (``IndicatorMeta`` by id, in drawing order)."""
    from cwb_metrics.indicators.catalogue import load_catalogue

    return load_catalogue()


@st.cache_resource(show_spinner=False)
def dimensions() -> list[Any]:
    """The 21 Doughnut dimensions with their data status."""
    from cwb_metrics.indicators.catalogue import load_dimensions

    return load_dimensions()


@st.cache_resource(show_spinner=False)
def area_config() -> Any:
    """The area configuration (county, districts, named neighbourhoods)."""
    from cwb_metrics.areas.config import load_area_config

    return load_area_config()


@st.cache_data(show_spinner=False)
def manifest(root: str, version: str) -> dict[str, Any]:
    """The manifest of a data version (what was built from what, and when)."""
    return DataStore(root).manifest(version)


# ----- indicators and portraits --------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _all_indicator_rows(root: str, version: str) -> pd.DataFrame:
    return DataStore(root).read_all_indicators(version)


def all_indicator_rows(ref: DataRef) -> pd.DataFrame:
    """Every canonical indicator row of the version (shared; do not modify)."""
    return _all_indicator_rows(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _indicator_rows(root: str, version: str, indicator_id: str) -> pd.DataFrame:
    rows = _all_indicator_rows(root, version)
    return rows[rows["indicator"] == indicator_id].reset_index(drop=True)


def indicator_rows(ref: DataRef, indicator_id: str) -> pd.DataFrame:
    """The canonical rows of one indicator (shared; do not modify)."""
    return _indicator_rows(ref.root, ref.version, indicator_id)


@st.cache_data(show_spinner=False)
def _indicator_csv(root: str, version: str, indicator_id: str, areas: tuple[str, ...]) -> bytes:
    rows = _indicator_rows(root, version, indicator_id)
    if areas:
        rows = rows[rows["areacd"].isin(areas)]
    return rows.to_csv(index=False, lineterminator="\n").encode("utf-8")


def indicator_csv(ref: DataRef, indicator_id: str, areas: list[str]) -> bytes:
    """The canonical CSV rows behind a trend chart (the chosen areas), as bytes."""
    return _indicator_csv(ref.root, ref.version, indicator_id, tuple(areas))


@st.cache_data(show_spinner=False)
def _period_years(root: str, version: str) -> list[str]:
    from cwb_metrics.periods import PeriodError, parse_period

    years: set[int] = set()
    for text in _all_indicator_rows(root, version)["period"].dropna().unique():
        try:
            years.add(parse_period(str(text)).start.year)
        except PeriodError:
            continue
    return [str(y) for y in sorted(years, reverse=True)]


def period_years(ref: DataRef) -> list[str]:
    """The years any indicator has data for, newest first (the period picker's options)."""
    return _period_years(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _portrait(root: str, version: str, area: str, period: str) -> Any:
    from cwb_metrics.portrait.for_area import portrait_for

    # The version's catalogue: a council threshold saved into the data (what-if panel) is used from then on.
    return portrait_for(
        DataStore(root),
        area,
        period=period,
        catalogue=_version_catalogue(root, version),
        data=_all_indicator_rows(root, version),
    )


def portrait(ref: DataRef, area: str, period: str = "latest") -> Any:
    """The Doughnut portrait of ``area`` (a code or neighbourhood id) for ``period``."""
    return _portrait(ref.root, ref.version, area, period)


@st.cache_data(show_spinner=False)
def _portrait_sentences(root: str, version: str, area: str, period: str) -> list[str]:
    from cwb_metrics.portrait.sentences import portrait_sentences

    return portrait_sentences(_portrait(root, version, area, period))


def portrait_sentences(ref: DataRef, area: str, period: str = "latest") -> list[str]:
    """3-6 plain-English sentences about the portrait."""
    return _portrait_sentences(ref.root, ref.version, area, period)


@st.cache_resource(show_spinner=False)
def _portrait_chart(root: str, version: str, area: str, period: str, view: str) -> Any:
    port = _portrait(root, version, area, period)
    subtitle = "Latest available data" if period == "latest" else f"Data for {period}"
    subtitle += f" · data version {version.split('-')[0]}"
    return _draw_portrait(port, view, subtitle)


def _draw_portrait(port: Any, view: str, subtitle: str) -> Any:
    """The doughnut (``view="doughnut"``) or unrolled bars (``"bars"``) of a portrait, clickable by wedge."""
    if view == "bars":
        from cwb_metrics.charts.bars import unrolled_bars

        chart = unrolled_bars(
            port.frame(),
            title=f"{port.area_name}: shortfall and overshoot",
            subtitle=subtitle,
            select_name="wedge",
            width=CHART_WIDTH,
        )
    else:
        from cwb_metrics.charts.doughnut import doughnut_chart

        chart = doughnut_chart(
            port.frame(),
            title=f"{port.area_name}: the Doughnut",
            subtitle=subtitle,
            select_name="wedge",
            width=CHART_WIDTH,
        )
    return _natural_size(chart)


def portrait_chart(ref: DataRef, area: str, period: str, view: str) -> Any:
    """The doughnut (``view="doughnut"``) or unrolled bars (``"bars"``) of a portrait."""
    return _portrait_chart(ref.root, ref.version, area, period, view)


@st.cache_data(show_spinner=False)
def _portrait_table(root: str, version: str, area: str, period: str) -> pd.DataFrame:
    from cwb_metrics.portrait.sentences import entry_value_text

    port = _portrait(root, version, area, period)
    rows = []
    for e in port.entries:
        rows.append(
            {
                "Ring": "Social foundation" if e.ring == "social_foundation" else "Ecological ceiling",
                "Dimension": e.dimension_label,
                "Indicator": e.title if e.id else "No indicator yet",
                "Period": e.period_label or "",
                "Value": entry_value_text(e) if e.value is not None else "no data",
                "Threshold": "" if e.threshold is None else entry_value_text(e, e.threshold),
                "Status": {
                    "shortfall": "Shortfall",
                    "overshoot": "Overshoot",
                    "within": "Within",
                    "missing": "No data",
                }[e.status],
                "Score": e.score,
                "England": "" if e.england is None else entry_value_text(e, e.england),
                "Trend": (e.trend or "").capitalize(),
                "id": e.id or "",
            }
        )
    return pd.DataFrame(rows)


def portrait_table(ref: DataRef, area: str, period: str) -> pd.DataFrame:
    """The scores behind the doughnut as a readable table (the chart's text alternative)."""
    return _portrait_table(ref.root, ref.version, area, period)


@st.cache_data(show_spinner=False)
def _indicator_sentence(root: str, version: str, area: str, period: str, indicator_id: str) -> str:
    from cwb_metrics.portrait.sentences import entry_value_text, overshoot_sentence, shortfall_sentence

    port = _portrait(root, version, area, period)
    entry = next(e for e in port.entries if e.id == indicator_id)
    if entry.status == "shortfall":
        return shortfall_sentence(entry, port.area_name)
    if entry.status == "overshoot":
        return overshoot_sentence(entry, port.area_name)
    if entry.status == "missing":
        return entry.note or f"There is no data for {port.area_name}."
    limit = "ceiling" if entry.threshold_kind == "ceiling" else "foundation"
    england = f" England: {entry_value_text(entry, entry.england)}." if entry.england is not None else ""
    against = entry_value_text(entry, entry.threshold)
    return (
        f"{port.area_name} meets the {limit} on {entry.title[0].lower() + entry.title[1:]}: "
        f"{entry_value_text(entry)} ({entry.period_label}), against {against}.{england}"
    )


def indicator_sentence(ref: DataRef, area: str, period: str, indicator_id: str) -> str:
    """One plain-English sentence on one indicator of a portrait (the selected wedge)."""
    return _indicator_sentence(ref.root, ref.version, area, period, indicator_id)


def map_view_for(indicator_id: str, area: str) -> dict[str, str] | None:
    """Query parameters of the deprivation map showing an IMD-based indicator, or ``None``."""
    meta = catalogue().get(indicator_id)
    if meta is None or meta.extract.method != "imd_share":
        return None
    params = meta.extract.params
    return {"edition": str(params.get("edition", 2025)), "domain": str(params.get("domain", "imd")), "area": area}


# ----- areas --------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _areas(root: str, version: str) -> list[Any]:
    from cwb_metrics.areas.resolve import list_areas

    return list(list_areas(DataStore(root), area_config()))


def areas(ref: DataRef) -> list[Any]:
    """Every area the data knows (county, districts, wards, named neighbourhoods)."""
    return _areas(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _resolve(root: str, version: str, name_or_code: str) -> Any:
    from cwb_metrics.areas.resolve import resolve_area

    return resolve_area(name_or_code, DataStore(root), area_config())


def resolve(ref: DataRef, name_or_code: str) -> Any:
    """Resolve a name, code or neighbourhood id to a ``ResolvedArea``."""
    return _resolve(ref.root, ref.version, name_or_code)


@st.cache_data(show_spinner=False)
def _portrait_area_choices(root: str, version: str) -> dict[str, str]:
    from cwb_metrics.portrait.for_area import small_area_rows

    config = area_config()
    choices = {config.county_code: f"{config.county_name} (county)"}
    choices |= {d.code: d.name for d in config.districts}
    for hood in config.neighbourhoods:  # only where small-area indicators exist
        rows = small_area_rows(DataStore(root), _resolve(root, version, hood.id))
        if rows is not None and not rows.empty and rows["value"].notna().any():
            choices[hood.id] = f"{hood.name} (neighbourhood)"
    return choices


def portrait_area_choices(ref: DataRef) -> dict[str, str]:
    """Areas offered by the portrait and explorer pickers: code or id -> label.

    The county, each district, and the named neighbourhoods that have small-area indicators.
    """
    return _portrait_area_choices(ref.root, ref.version)


# ----- deprivation --------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _imd_table(root: str, version: str, edition: int) -> pd.DataFrame:
    return DataStore(root).read_table(f"lsoa/imd{edition}.parquet", version)


def imd_table(ref: DataRef, edition: int) -> pd.DataFrame:
    """The LSOA table of an IMD edition (shared; do not modify)."""
    return _imd_table(ref.root, ref.version, int(edition))


# ----- indicator explorer -------------------------------------------------------------
RING_LABELS = {"social_foundation": "Social foundation", "ecological_ceiling": "Ecological ceiling"}
STATUS_LABELS = {"shortfall": "Shortfall", "overshoot": "Overshoot", "within": "Within", "missing": "No data"}


@st.cache_data(show_spinner=False)
def _explorer_table(root: str, version: str, area: str) -> pd.DataFrame:
    from cwb_metrics.portrait.sentences import entry_value_text

    port = _portrait(root, version, area, "latest")
    rows = []
    for e in port.entries:
        if not e.id:
            continue
        rows.append(
            {
                "id": e.id,
                "Indicator": e.title,
                "Ring": RING_LABELS[e.ring],
                "Dimension": e.dimension_label,
                "CWB theme": e.cwb_theme or "",
                "Unit": e.unit,
                "Latest": entry_value_text(e) if e.value is not None else "no data",
                "Period": e.period_label or "",
                "Threshold": "" if e.threshold is None else entry_value_text(e, e.threshold),
                "Status": STATUS_LABELS[e.status],
                "Trend": (e.trend or "").capitalize(),
                "England": "" if e.england is None else entry_value_text(e, e.england),
            }
        )
    columns = [
        "id",
        "Indicator",
        "Ring",
        "Dimension",
        "CWB theme",
        "Unit",
        "Latest",
        "Period",
        "Threshold",
        "Status",
        "Trend",
        "England",
    ]
    return pd.DataFrame(rows, columns=columns)


def explorer_table(
    ref: DataRef, area: str, *, rings: list[str], dims: list[str], themes: list[str], statuses: list[str]
) -> pd.DataFrame:
    """Every indicator with its latest value and status for ``area``, filtered (empty filter = all)."""
    return _explorer_filtered(ref.root, ref.version, area, tuple(rings), tuple(dims), tuple(themes), tuple(statuses))


@st.cache_data(show_spinner=False)
def _explorer_filtered(
    root: str,
    version: str,
    area: str,
    rings: tuple[str, ...],
    dims: tuple[str, ...],
    themes: tuple[str, ...],
    statuses: tuple[str, ...],
) -> pd.DataFrame:
    table = _explorer_table(root, version, area)
    for column, chosen in (("Ring", rings), ("Dimension", dims), ("CWB theme", themes), ("Status", statuses)):
        if chosen:
            table = table[table[column].isin(chosen)]
    return table.reset_index(drop=True)


@st.cache_data(show_spinner=False)
def _trend_area_choices(root: str, version: str, indicator_id: str) -> dict[str, str]:
    rows = _indicator_rows(root, version, indicator_id)
    order = {"country": 0, "county": 1, "district": 2, "neighbourhood": 3, "ward": 4, "lsoa": 5}
    named = rows.drop_duplicates("areacd").assign(_o=lambda f: f["geography"].map(order).fillna(9))
    named = named.sort_values(["_o", "areanm"])
    return dict(zip(named["areacd"].astype(str), named["areanm"].astype(str), strict=True))


def trend_area_choices(ref: DataRef, indicator_id: str) -> dict[str, str]:
    """Areas with data for an indicator (code -> name): England, the county, districts, ..."""
    return _trend_area_choices(ref.root, ref.version, indicator_id)


def _iso_dates(node: Any) -> None:
    """Give temporal axes their tick ``values`` as ISO dates (in place).

    Streamlit's front end draws no labels for a temporal axis whose ``values`` are epoch
    milliseconds (Vega-Lite itself and vl-convert accept them); ISO date strings work in both.
    """
    import datetime as dt

    if isinstance(node, dict):
        axis = node.get("axis")
        if node.get("type") == "temporal" and isinstance(axis, dict) and isinstance(axis.get("values"), list):
            axis["values"] = [
                dt.datetime.fromtimestamp(v / 1000, dt.UTC).strftime("%Y-%m-%d") if isinstance(v, int | float) else v
                for v in axis["values"]
            ]
        for value in node.values():
            _iso_dates(value)
    elif isinstance(node, list):
        for value in node:
            _iso_dates(value)


def _trend_setup(
    root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str
) -> tuple[Any, list[str], list[str], str]:
    """``(meta, areas drawn solid, comparators drawn dashed, threshold label)`` of a trend chart."""
    from cwb_metrics.portrait.sentences import format_value

    meta = _version_catalogue(root, version)[indicator_id]
    config = area_config()
    comparators = [c for c in (config.country_code, config.county_code) if c in areas and c != main]
    drawn = [a for a in areas if a not in comparators]
    threshold = meta.threshold
    word = {"ceiling": "Ceiling", "target": "Foundation", "zero_deprivation": "Foundation"}[threshold.kind]
    label = f"{word} {format_value(threshold.value, meta.decimals, meta.unit_short)}"
    label += " (illustrative)" if threshold.illustrative else ""
    return meta, drawn, comparators, label


@st.cache_resource(show_spinner=False)
def _trend_spec(root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str) -> dict[str, Any]:
    from cwb_metrics.charts.trends import trend_chart

    meta, drawn, comparators, label = _trend_setup(root, version, indicator_id, areas, main)
    threshold = meta.threshold
    chart = trend_chart(
        _indicator_rows(root, version, indicator_id),
        areas=drawn,
        threshold=threshold.value,
        threshold_label=label,
        unit=meta.unit_short or meta.unit,
        title=meta.title,
        subtitle=f"{meta.unit}. Shaded bands are 95% confidence intervals where published.",
        comparators=comparators,
        decimals=meta.decimals,
        credit=f"Source: {meta.origin.producer}.",
        width=CHART_WIDTH - 60,
    )
    spec = _natural_size(chart).to_dict()
    _iso_dates(spec)
    # The bands' fill (no legend) and the lines' colour share the field "area": keep the colour legend.
    spec["resolve"] = {**spec.get("resolve", {}), "legend": {"fill": "independent"}}
    return spec


def trend_spec(ref: DataRef, indicator_id: str, areas: list[str], main: str = "") -> dict[str, Any]:
    """The Vega-Lite spec of one indicator's trend for the chosen areas.

    England and the county are drawn as dashed comparators unless one of them is ``main``,
    the area the page is about.
    """
    return _trend_spec(ref.root, ref.version, indicator_id, tuple(areas), main)


# ----- deprivation map ----------------------------------------------------------------
#: The LSOA topology of each IMD edition (IoD2019 is on 2011 LSOAs, IoD2025 on 2021 LSOAs).
LSOA_OBJECT = {2019: "lsoa11", 2025: "lsoa21"}


@st.cache_resource(show_spinner=False)
def _read_topology(root: str, version: str, name: str) -> dict[str, Any]:
    from cwb_metrics.geo.tables import read_topology

    return read_topology(DataStore(root), name, version)


@st.cache_resource(show_spinner=False)
def _zoomed_topology(root: str, version: str, name: str, object_name: str, district: str | None) -> dict[str, Any]:
    """One object of a topology, only the areas of ``district`` (all when ``None``), with its own bbox."""
    import numpy as np

    from cwb_metrics.geo.simplify import subset_topology
    from cwb_metrics.sources.boundaries import decode_arcs

    topology = _read_topology(root, version, name)
    if district is None:
        return subset_topology(topology, object_name)
    obj = topology["objects"][object_name]
    kept = [
        g
        for g in obj.get("geometries", [])
        if district in ((g.get("properties") or {}).get("lad_code"), (g.get("properties") or {}).get("code"))
    ]
    filtered = {**topology, "objects": {object_name: {**obj, "geometries": kept}}}
    subset = subset_topology(filtered, object_name)
    points = np.concatenate([a for a in decode_arcs(subset) if len(a)] or [np.zeros((1, 2))])
    subset["bbox"] = [
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    ]
    return subset


@st.cache_data(show_spinner=False)
def _map_places(root: str, version: str, edition: int) -> dict[str, dict[str, str]]:
    """For each district (and the county): the neighbourhoods and wards with LSOAs in ``edition``."""
    config = area_config()
    places: dict[str, dict[str, str]] = {config.county_code: {}}
    for district in config.districts:
        places[district.code] = {}
    for area in _areas(root, version):
        if area.kind in ("neighbourhood", "ward") and area.district_code in places and area.lsoas(edition):
            suffix = " (neighbourhood)" if area.kind == "neighbourhood" else ""
            places[area.district_code][area.code] = f"{area.name}{suffix}"
    for hood in config.neighbourhoods:  # the named neighbourhoods are also offered county-wide
        if hood.id in places.get(hood.district, {}):
            places[config.county_code][hood.id] = places[hood.district][hood.id]
    return places


def map_places(ref: DataRef, edition: int) -> dict[str, dict[str, str]]:
    """Drill-down choices: district (or county) code -> {neighbourhood id or ward code: label}."""
    return _map_places(ref.root, ref.version, int(edition))


@st.cache_data(show_spinner=False)
def _lsoa_choices(root: str, version: str, edition: int, area: str) -> dict[str, str]:
    table = _imd_table(root, version, edition)
    codes = set(_resolve(root, version, area).lsoas(edition))
    chosen = table[table["lsoa_code"].isin(codes)].sort_values("lsoa_name")
    return {c: f"{n} ({c})" for c, n in zip(chosen["lsoa_code"], chosen["lsoa_name"], strict=True)}


def lsoa_choices(ref: DataRef, edition: int, area: str) -> dict[str, str]:
    """The LSOAs of an area in an edition: code -> 'Oxford 016A (E01028530)'."""
    return _lsoa_choices(ref.root, ref.version, int(edition), area)


@st.cache_resource(show_spinner=False)
def _imd_map(
    root: str, version: str, edition: int, domain: str, district: str | None, place: str | None, lsoa: str | None
) -> Any:
    from cwb_metrics.charts import theme
    from cwb_metrics.charts.maps import choropleth
    from cwb_metrics.sources.imd import INDEX_LABELS

    object_name = LSOA_OBJECT[edition]
    topology = _zoomed_topology(root, version, object_name, object_name, district)
    wards = _zoomed_topology(root, version, "wards25", "wards25", district)
    if district is None:
        outline = (_zoomed_topology(root, version, object_name, "district_lines", None), "district_lines")
    else:
        outline = (_zoomed_topology(root, version, "districts", "districts", district), "districts")
    table = _imd_table(root, version, edition)
    values = table.rename(columns={"lsoa_code": "code"})[
        ["code", "ward_name", "lad_name", f"{domain}_decile", f"{domain}_rank"]
    ].rename(columns={"ward_name": "ward", "lad_name": "district"})
    highlight: tuple[str, ...] = ()
    if lsoa:
        highlight = (lsoa,)
    elif place:
        highlight = _resolve(root, version, place).lsoas(edition)
    label = "Index of Multiple Deprivation" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    return _legible(
        _natural_size(
            choropleth(
                topology,
                object_name,
                values,
                value_field=f"{domain}_decile",
                title=f"{label}, IMD {edition}",
                legend_title="Decile in England",
                outlines=[(wards, "wards25", theme.WARD_STROKE, theme.WARD_STROKE_WIDTH), (*outline,)],
                highlight_codes=highlight,
                selection_name="lsoa",
                tooltip=[
                    ("name", "LSOA"),
                    ("code", "Code"),
                    ("ward", "Ward"),
                    ("district", "District"),
                    (f"{domain}_decile", "Decile (1 = most deprived 10%)"),
                    (f"{domain}_rank", "Rank in England"),
                ],
                credits=(theme.OS_ONS_CREDIT, theme.imd_credit(edition)),
                width=MAP_WIDTH,
            )
        )
    )


def imd_map(ref: DataRef, edition: int, domain: str, district: str | None, place: str | None, lsoa: str | None) -> Any:
    """The LSOA choropleth of an IMD edition and domain, zoomed to a district, with a place highlighted."""
    return _imd_map(ref.root, ref.version, int(edition), domain, district, place, lsoa)


@st.cache_resource(show_spinner=False)
def _profile(root: str, version: str, area: str, edition: int) -> Any:
    from cwb_metrics.deprivation.profile import deprivation_profile

    return deprivation_profile(_resolve(root, version, area), edition, DataStore(root))


def profile(ref: DataRef, area: str, edition: int) -> Any:
    """The ``DeprivationProfile`` of an area (county, district, ward, neighbourhood or LSOA)."""
    return _profile(ref.root, ref.version, area, int(edition))


@st.cache_data(show_spinner=False)
def _profile_sentences(root: str, version: str, area: str, edition: int) -> list[str]:
    from cwb_metrics.deprivation.profile import profile_sentences

    return list(profile_sentences(_profile(root, version, area, edition)))


def profile_sentences(ref: DataRef, area: str, edition: int) -> list[str]:
    """Plain-English sentences about an area's deprivation profile."""
    return _profile_sentences(ref.root, ref.version, area, int(edition))


def _share(count: int | None, total: int) -> str:
    return "–" if count is None or not total else f"{count} ({100 * count / total:.0f}%)"


@st.cache_data(show_spinner=False)
def _domain_table(root: str, version: str, area: str, edition: int) -> pd.DataFrame:
    from cwb_metrics.sources.imd import INDEX_LABELS, INDICES

    own = _profile(root, version, area, edition)
    county = _profile(root, version, area_config().county_code, edition)
    n, m = own.summary.lsoa_count, county.summary.lsoa_count
    rows = []
    for index in INDICES:
        mine = own.summary.imd if index == "imd" else own.summary.domains[index]
        theirs = county.summary.imd if index == "imd" else county.summary.domains[index]
        rows.append(
            {
                "Measure": "Overall (IMD)" if index == "imd" else INDEX_LABELS[index],
                "Most deprived 10%": _share(mine.most_deprived_10pct, n),
                "Most deprived 20%": _share(mine.most_deprived_20pct, n),
                f"{county.area.name}, 20%": _share(theirs.most_deprived_20pct, m),
            }
        )
    return pd.DataFrame(rows)


def domain_table(ref: DataRef, area: str, edition: int) -> pd.DataFrame:
    """Per measure: the area's LSOAs in England's most deprived 10% and 20%, against the county's."""
    return _domain_table(ref.root, ref.version, area, int(edition))


@st.cache_data(show_spinner=False)
def _lsoa_table(root: str, version: str, lsoa: str, edition: int) -> pd.DataFrame:
    from cwb_metrics.sources.imd import INDEX_LABELS, INDICES

    table = _imd_table(root, version, edition)
    row = table[table["lsoa_code"] == lsoa]
    if row.empty:
        return pd.DataFrame(columns=["Measure", "Decile", "Rank", "County median"])
    row = row.iloc[0]
    out = []
    for index in INDICES:
        decile, rank = row[f"{index}_decile"], row[f"{index}_rank"]
        out.append(
            {
                "Measure": "Overall (IMD)" if index == "imd" else INDEX_LABELS[index],
                "Decile": None if pd.isna(decile) else int(decile),
                "Rank": None if pd.isna(rank) else f"{int(rank):,}",
                "County median": float(table[f"{index}_decile"].median()),
            }
        )
    return pd.DataFrame(out)


def lsoa_table(ref: DataRef, lsoa: str, edition: int) -> pd.DataFrame:
    """One LSOA's decile and rank on the IMD and each domain, with the county's median decile."""
    return _lsoa_table(ref.root, ref.version, lsoa, int(edition))


# ----- IMD 2019 -> 2025 change ----------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _lsoa_change(root: str, version: str, domain: str) -> pd.DataFrame:
    from cwb_metrics.deprivation.change import lsoa_change

    return lsoa_change(DataStore(root), index=domain)


@st.cache_resource(show_spinner=False)
def _area_change(root: str, version: str, area: str, domain: str) -> Any:
    from cwb_metrics.deprivation.change import area_change

    return area_change(DataStore(root), _resolve(root, version, area), index=domain)


def area_change(ref: DataRef, area: str, domain: str) -> Any:
    """How an area's deprivation changed from IMD 2019 to IMD 2025 (``AreaChange``)."""
    return _area_change(ref.root, ref.version, area, domain)


@st.cache_data(show_spinner=False)
def _lsoa_change_table(root: str, version: str, lsoa: str, domain: str) -> pd.DataFrame:
    change = _lsoa_change(root, version, domain)
    row = change[change["lsoa21_code"] == lsoa]
    if row.empty:
        return pd.DataFrame(columns=["", "IMD 2019", "IMD 2025", "Change"])
    row = row.iloc[0]

    def number(value: Any, fmt: str = "{:,.0f}") -> str:
        return "–" if value is None or pd.isna(value) else fmt.format(value)

    return pd.DataFrame(
        [
            {
                "": "Decile",
                "IMD 2019": number(row["decile_2019"]),
                "IMD 2025": number(row["decile_2025"]),
                "Change": number(row["decile_change"], "{:+,.0f}"),
            },
            {
                "": "Rank in England",
                "IMD 2019": number(row["rank_2019"]),
                "IMD 2025": number(row["rank_2025"]),
                "Change": number(row["rank_change"], "{:+,.0f}"),
            },
            {
                "": "Percentile",
                "IMD 2019": number(row["percentile_2019"], "{:.0f}"),
                "IMD 2025": number(row["percentile_2025"], "{:.0f}"),
                "Change": number(row["percentile_change"], "{:+.0f}"),
            },
        ]
    )


def lsoa_change_table(ref: DataRef, lsoa: str, domain: str) -> pd.DataFrame:
    """One LSOA (2021): decile, rank and percentile in IMD 2019 and 2025, and the change."""
    return _lsoa_change_table(ref.root, ref.version, lsoa, domain)


@st.cache_data(show_spinner=False)
def _lsoa_change_note(root: str, version: str, lsoa: str, domain: str) -> str:
    change = _lsoa_change(root, version, domain)
    row = change[change["lsoa21_code"] == lsoa]
    return "" if row.empty else f"{str(row.iloc[0]['match']).capitalize()}: {row.iloc[0]['note']}"


def lsoa_change_note(ref: DataRef, lsoa: str, domain: str) -> str:
    """How an LSOA 2021 was matched to 2011 (unchanged, split, merged ...), in words."""
    return _lsoa_change_note(ref.root, ref.version, lsoa, domain)


@st.cache_resource(show_spinner=False)
def _change_map(root: str, version: str, domain: str, district: str | None, place: str | None, lsoa: str | None) -> Any:
    from cwb_metrics.charts import theme
    from cwb_metrics.charts.maps import choropleth
    from cwb_metrics.sources.imd import INDEX_LABELS

    topology = _zoomed_topology(root, version, "lsoa21", "lsoa21", district)
    wards = _zoomed_topology(root, version, "wards25", "wards25", district)
    if district is None:
        outline = (_zoomed_topology(root, version, "lsoa21", "district_lines", None), "district_lines")
    else:
        outline = (_zoomed_topology(root, version, "districts", "districts", district), "districts")
    change = _lsoa_change(root, version, domain)
    values = change.rename(columns={"lsoa21_code": "code", "ward_name": "ward", "lad_name": "district"})[
        ["code", "ward", "district", "decile_2019", "decile_2025", "decile_change", "match"]
    ]
    highlight: tuple[str, ...] = ()
    if lsoa:
        highlight = (lsoa,)
    elif place:
        highlight = _resolve(root, version, place).lsoas(2025)
    label = "Index of Multiple Deprivation" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    import altair as alt

    return _legible(
        _natural_size(
            choropleth(
                topology,
                "lsoa21",
                values,
                value_field="decile_change",
                title=f"{label}: change in decile, IMD 2019 to IMD 2025",
                legend_title="Deciles moved (− more deprived)",
                scale="diverging",
                domain_mid=0,
                reverse=True,
                outlines=[(wards, "wards25", theme.WARD_STROKE, theme.WARD_STROKE_WIDTH), (*outline,)],
                highlight_codes=highlight,
                selection_name="lsoa",
                tooltip=[
                    ("name", "LSOA"),
                    ("code", "Code"),
                    ("ward", "Ward"),
                    ("district", "District"),
                    alt.Tooltip("decile_2019:Q", title="Decile, IMD 2019"),
                    alt.Tooltip("decile_2025:Q", title="Decile, IMD 2025"),
                    alt.Tooltip("decile_change:Q", title="Change", format="+d"),
                    ("match", "Boundary since 2011"),
                ],
                credits=(theme.OS_ONS_CREDIT, theme.IMD_CREDIT),
                width=MAP_WIDTH,
            )
        )
    )


def change_map(ref: DataRef, domain: str, district: str | None, place: str | None, lsoa: str | None) -> Any:
    """The LSOA (2021) map of the change in decile from IMD 2019 to IMD 2025."""
    return _change_map(ref.root, ref.version, domain, district, place, lsoa)


# ----- neighbourhoods against their district and the county ---------------------------
@st.cache_data(show_spinner=False)
def _neighbourhood_comparison(root: str, version: str, area: str, period: str) -> pd.DataFrame:
    from cwb_metrics.portrait.sentences import format_value
    from cwb_metrics.portrait.side_by_side import side_by_side

    result = side_by_side(
        DataStore(root), _resolve(root, version, area), period=period, data=_all_indicator_rows(root, version)
    )
    table = result["comparison"]
    district = result["district"]
    names = {
        "area": result["area"].area_name,
        "district": district.area_name if district is not None else "District",
        "county": result["county"].area_name,
        "england": "England",
    }
    rows = []
    for record in table.to_dict("records"):
        row = {"Indicator": record["title"], "Period": record["period_label"] or ""}
        for key, name in names.items():
            row[name] = format_value(
                record[key], int(record["decimals"] or 0), str(record["unit_short"] or ""), missing="–"
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=["Indicator", "Period", *names.values()])


def neighbourhood_comparison(ref: DataRef, area: str, period: str) -> pd.DataFrame:
    """A neighbourhood's or ward's indicators beside its district's, the county's and England's."""
    return _neighbourhood_comparison(ref.root, ref.version, area, period)


# ----- the data page: status of every source and indicator, history, known areas --------
@st.cache_resource(show_spinner=False)
def _version_catalogue(root: str, version: str) -> dict[str, Any]:
    from cwb_metrics.build.local_meta import catalogue_for

    return catalogue_for(DataStore(root), version)


def version_catalogue(ref: DataRef) -> dict[str, Any]:
    """The committed catalogue with the data version's own records (local indicators), by id."""
    return _version_catalogue(ref.root, ref.version)


@st.cache_data(show_spinner=False)
def _data_status(root: str, version: str, today: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    import datetime as dt

    from cwb_metrics.build.status import indicator_status, source_status

    store, day = DataStore(root), dt.date.fromisoformat(today)
    catalogue = _version_catalogue(root, version)
    return (
        source_status(store, version, catalogue=catalogue, today=day),
        indicator_status(store, version, catalogue=catalogue, today=day),
    )


def data_status(ref: DataRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The status tables of the data version: ``(sources, indicators)``, judged "due" as of today."""
    import datetime as dt

    return _data_status(ref.root, ref.version, dt.date.today().isoformat())


@st.cache_data(show_spinner=False)
def _version_history(root: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from cwb_metrics.build.status import import_history, version_history

    store = DataStore(root)
    return version_history(store), import_history(store)


def version_history(ref: DataRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every data version and every import, newest first: ``(versions, imports)``.

    Keyed on the current version: every write (refresh, import, rollback) makes a new one.
    """
    return _version_history(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _known_areas(root: str, version: str) -> frozenset[str]:
    from cwb_metrics.areas.known import known_area_codes

    return frozenset(known_area_codes(DataStore(root)))


def known_areas(ref: DataRef) -> frozenset[str]:
    """Every area code the data version knows (to check an imported file's area codes)."""
    return _known_areas(ref.root, ref.version)


# ----- beyond the anchors: neighbourhood portraits ------------------------------------------
#: Width (px) of each of the three doughnuts set side by side on the neighbourhood page.
SMALL_CHART_WIDTH = 360


@st.cache_data(show_spinner=False)
def _neighbourhood_choices(root: str, version: str) -> dict[str, str]:
    config = area_config()
    districts = {d.code: d.name for d in config.districts}
    hoods = {h.id: h for h in config.neighbourhoods}
    featured = [h for h in config.featured_neighbourhoods if h in hoods] or list(hoods)
    choices = {h: f"{hoods[h].name} (neighbourhood, {districts.get(hoods[h].district, '')})" for h in featured}
    choices |= {h.id: f"{h.name} (neighbourhood, {districts.get(h.district, '')})" for h in hoods.values()}
    for area in _areas(root, version):
        if area.kind == "ward" and (area.lsoa21 or area.lsoa11):
            choices[area.code] = f"{area.name} ward, {districts.get(area.district_code or '', '')}"
    return choices


def neighbourhood_choices(ref: DataRef) -> dict[str, str]:
    """The neighbourhood page's picker: the featured neighbourhoods first, then every ward (code -> label)."""
    return _neighbourhood_choices(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _small_doughnut(root: str, version: str, area: str, period: str, role: str) -> Any:
    from cwb_metrics.charts.doughnut import doughnut_chart

    port = _portrait(root, version, area, period)
    subtitle = role + (" · latest available data" if period == "latest" else f" · data for {period}")
    return _natural_size(
        doughnut_chart(
            port.frame(), title=port.area_name, subtitle=subtitle, select_name="wedge", width=SMALL_CHART_WIDTH
        )
    )


def small_doughnut(ref: DataRef, area: str, period: str, role: str) -> Any:
    """A small doughnut of ``area`` for setting beside others; ``role`` says what it is ("Neighbourhood")."""
    return _small_doughnut(ref.root, ref.version, area, period, role)


# ----- beyond the anchors: IMD 2019 -> 2025 -------------------------------------------------
@st.cache_data(show_spinner=False)
def _most_moved(root: str, version: str, domain: str, min_lsoas: int) -> pd.DataFrame:
    from cwb_metrics.deprivation.change import most_moved

    return most_moved(DataStore(root), n=0, index=domain, config=area_config(), min_lsoas=min_lsoas)


def most_moved(ref: DataRef, domain: str, min_lsoas: int = 1) -> pd.DataFrame:
    """Every May 2025 ward, those whose LSOAs moved most between IMD 2019 and 2025 first."""
    return _most_moved(ref.root, ref.version, domain, int(min_lsoas))


@st.cache_data(show_spinner=False)
def _match_summary(root: str, version: str) -> dict[str, int]:
    from cwb_metrics.deprivation.change import match_summary

    return match_summary(DataStore(root))


def match_summary(ref: DataRef) -> dict[str, int]:
    """How many of the county's LSOAs were unchanged, split, merged ... between 2011 and 2021."""
    return _match_summary(ref.root, ref.version)


@st.cache_data(show_spinner=False)
def _boundary_changes(root: str, version: str) -> pd.DataFrame:
    change = _lsoa_change(root, version, "imd")
    changed = change[change["match"] != "unchanged"]
    return changed.loc[
        :, ["lsoa21_code", "lsoa21_name", "ward_name", "lad_name", "match", "lsoa11_codes", "note"]
    ].reset_index(drop=True)


def boundary_changes(ref: DataRef) -> pd.DataFrame:
    """The county's LSOAs 2021 that are not the same as an LSOA 2011 (split, merged, complex), with how."""
    return _boundary_changes(ref.root, ref.version)


# ----- beyond the anchors: who bears the shortfall ------------------------------------------
@st.cache_data(show_spinner=False)
def _decile_choices(root: str, version: str, indicator: str) -> list[tuple[int, int]]:
    from cwb_metrics.deprivation.distribution import available_years

    store = DataStore(root)
    return [
        (edition, year) for edition in (2025, 2019) for year in reversed(available_years(store, indicator, edition))
    ]


def decile_choices(ref: DataRef, indicator: str = "fuel_poverty") -> list[tuple[int, int]]:
    """The (IMD edition, data year) pairs an LSOA indicator can be spread over, newest first."""
    return _decile_choices(ref.root, ref.version, indicator)


@st.cache_data(show_spinner=False)
def _shortfall_by_decile(root: str, version: str, indicator: str, edition: int, year: int, domain: str) -> pd.DataFrame:
    from cwb_metrics.deprivation.distribution import shortfall_by_decile

    return shortfall_by_decile(DataStore(root), indicator, edition, year=year, domain=domain)


def shortfall_by_decile(ref: DataRef, indicator: str, edition: int, year: int, domain: str = "imd") -> pd.DataFrame:
    """An LSOA indicator spread over the county's deprivation deciles (its ``attrs`` say what it is)."""
    return _shortfall_by_decile(ref.root, ref.version, indicator, int(edition), int(year), domain)


@st.cache_resource(show_spinner=False)
def _decile_charts(root: str, version: str, indicator: str, edition: int, year: int, domain: str) -> tuple[Any, Any]:
    from cwb_metrics.charts.distribution import rate_by_decile_chart, shortfall_by_decile_chart

    table = _shortfall_by_decile(root, version, indicator, edition, year, domain)
    return (  # legend labels in full ("Share of households in fuel poverty")
        _legible(_natural_size(shortfall_by_decile_chart(table, width=CHART_WIDTH)), labelLimit=0),
        _legible(_natural_size(rate_by_decile_chart(table, width=CHART_WIDTH))),
    )


def decile_charts(ref: DataRef, indicator: str, edition: int, year: int, domain: str = "imd") -> tuple[Any, Any]:
    """The two charts of who bears a shortfall: shares by decile, and the rate by decile."""
    return _decile_charts(ref.root, ref.version, indicator, int(edition), int(year), domain)


# ----- beyond the anchors: the CWB action plan ----------------------------------------------
@st.cache_resource(show_spinner=False)
def _action_plan(root: str, version: str) -> Any:
    from cwb_metrics.actions.load import load_actions

    return load_actions(DataStore(root))


def action_plan(ref: DataRef) -> Any:
    """The CWB action plan with the data version's statuses (``ActionPlan``; shared, immutable)."""
    return _action_plan(ref.root, ref.version)


@st.cache_data(show_spinner=False)
def _action_progress(root: str, version: str) -> pd.DataFrame:
    from cwb_metrics.actions.tracker import progress_by_theme

    return progress_by_theme(_action_plan(root, version))


def action_progress(ref: DataRef) -> pd.DataFrame:
    """Actions by status in each theme, and an ``All themes`` row."""
    return _action_progress(ref.root, ref.version)


@st.cache_resource(show_spinner=False)
def _action_progress_chart(root: str, version: str) -> Any:
    from cwb_metrics.charts.actions import progress_chart

    chart = progress_chart(_action_progress(root, version), width=CHART_WIDTH - 160)
    return _legible(_natural_size(chart)).configure_axisY(labelLimit=240)  # theme names in full


def action_progress_chart(ref: DataRef) -> Any:
    """Stacked bars: each theme's actions by status."""
    return _action_progress_chart(ref.root, ref.version)


@st.cache_data(show_spinner=False)
def _action_gaps(root: str, version: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    from cwb_metrics.actions.tracker import actions_without_measures, indicators_without_actions

    plan = _action_plan(root, version)
    return actions_without_measures(plan), indicators_without_actions(plan, _version_catalogue(root, version))


def action_gaps(ref: DataRef) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(actions with no measure, indicators no action is meant to move)``."""
    return _action_gaps(ref.root, ref.version)


@st.cache_data(show_spinner=False)
def _last_status_update(root: str, version: str) -> dict[str, Any] | None:
    from cwb_metrics.actions.load import status_file

    path = status_file(DataStore(root), version)
    if path is None:
        return None
    manifest = DataStore(root).manifest(path.parent.parent.name)
    updates = [i for i in manifest.get("imports", []) if i.get("kind") == "action_status"]
    return updates[-1] if updates else {"version": path.parent.parent.name}


def last_status_update(ref: DataRef) -> dict[str, Any] | None:
    """The import record of the status update the current statuses come from (``None``: as committed)."""
    return _last_status_update(ref.root, ref.version)


# ----- beyond the anchors: what-if thresholds -----------------------------------------------
@st.cache_data(show_spinner=False)
def _what_if_options(root: str, version: str, area: str, period: str) -> dict[str, str]:
    port = _portrait(root, version, area, period)
    return {
        e.id: f"{e.short_title} ({e.dimension_label})" + ("" if e.value is not None else ", no data")
        for e in port.entries
        if e.id is not None and e.threshold is not None
    }


def what_if_options(ref: DataRef, area: str, period: str) -> dict[str, str]:
    """The indicators a what-if threshold can be tried on (id -> label), in drawing order."""
    return _what_if_options(ref.root, ref.version, area, period)


def _nice_step(span: float, decimals: int) -> float:
    import math

    step = 10.0 ** -max(0, decimals)
    if span / step > 600:  # too fine for a slider: a 1-2-5 step giving ~200-500 positions
        raw = span / 300
        power = 10 ** math.floor(math.log10(raw))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return step


@st.cache_data(show_spinner=False)
def _what_if_range(root: str, version: str, area: str, period: str, indicator: str) -> dict[str, Any]:
    import math

    from cwb_metrics.portrait.sentences import entry_value_text

    entry = next(e for e in _portrait(root, version, area, period).entries if e.id == indicator)
    threshold = float(entry.threshold or 0.0)
    value = entry.value
    if entry.threshold_kind == "zero_deprivation" or threshold <= 0:
        low, high = 0.0, max(2 * (value or 0.0), 10.0 if entry.unit_short == "%" else 1.0)
    else:
        low = min(0.5 * threshold, 0.9 * value if value is not None else threshold)
        high = max(1.5 * threshold, 1.1 * value if value is not None else threshold)
    step = _nice_step(high - low, entry.decimals)
    low = max(0.0, math.floor(low / step) * step) if low >= 0 else math.floor(low / step) * step
    if entry.threshold_kind != "zero_deprivation" and threshold > 0:
        low = max(low, step)  # a target or ceiling must stay above 0
    high = math.ceil(high / step) * step
    places = max(0, -math.floor(math.log10(step))) if step < 1 else 0
    return {
        "min": round(low, places),
        "max": round(high, places),
        "step": step,
        "value": threshold,
        "format": f"%.{places}f",
        "unit": entry.unit_short or entry.unit,
        "threshold_text": entry_value_text(entry, threshold),
        "value_text": entry_value_text(entry) if value is not None else "no data",
        "kind": entry.threshold_kind,
        "source": entry.threshold_source or "",
        "illustrative": bool(entry.threshold_illustrative),
        "title": entry.title,
        "decimals": entry.decimals,
    }


def what_if_range(ref: DataRef, area: str, period: str, indicator: str) -> dict[str, Any]:
    """The what-if slider of one indicator: ``min, max, step, value`` (the threshold now), ``format`` and texts."""
    return _what_if_range(ref.root, ref.version, area, period, indicator)


@st.cache_resource(show_spinner=False)
def _what_if(root: str, version: str, area: str, period: str, indicator: str, value: float) -> Any:
    from cwb_metrics.portrait.what_if import what_if_for

    return what_if_for(
        DataStore(root), area, {indicator: value}, period=period, data=_all_indicator_rows(root, version)
    )


def what_if(ref: DataRef, area: str, period: str, indicator: str, value: float) -> Any:
    """``(Portrait, [ThresholdChange])`` with one what-if threshold; nothing is written."""
    return _what_if(ref.root, ref.version, area, period, indicator, float(value))


@st.cache_resource(show_spinner=False)
def _what_if_chart(root: str, version: str, area: str, period: str, view: str, indicator: str, value: float) -> Any:
    port, _changes = _what_if(root, version, area, period, indicator, value)
    entry = next(e for e in port.entries if e.id == indicator)
    from cwb_metrics.portrait.sentences import entry_value_text

    subtitle = f"What if: {entry.short_title} threshold {entry_value_text(entry, value)} (not saved)"
    subtitle += f" · data version {version.split('-')[0]}"
    return _draw_portrait(port, view, subtitle)


def what_if_chart(ref: DataRef, area: str, period: str, view: str, indicator: str, value: float) -> Any:
    """The portrait's doughnut or bars redrawn with one what-if threshold."""
    return _what_if_chart(ref.root, ref.version, area, period, view, indicator, float(value))


@st.cache_data(show_spinner=False)
def _what_if_changes(root: str, version: str, area: str, period: str, indicator: str, value: float) -> pd.DataFrame:
    from cwb_metrics.portrait.sentences import entry_value_text

    _port, changes = _what_if(root, version, area, period, indicator, value)
    before = {e.id: e for e in _portrait(root, version, area, period).entries if e.id}
    rows = []
    for change in changes:
        entry = before[change.id]
        rows.append(
            {
                "Indicator": entry.title,
                "Value": entry_value_text(entry) if entry.value is not None else "no data",
                "Threshold now": entry_value_text(entry, entry.threshold),
                "What-if threshold": entry_value_text(entry, value),
                "Status now": STATUS_LABELS[change.old_status],
                "What-if status": STATUS_LABELS[change.new_status],
                "Score now": change.old_score,
                "What-if score": change.new_score,
                "Status changes": change.old_status != change.new_status,
            }
        )
    return pd.DataFrame(rows)


def what_if_changes(ref: DataRef, area: str, period: str, indicator: str, value: float) -> pd.DataFrame:
    """What a what-if threshold changes: the indicator's status and score now and under the what-if."""
    return _what_if_changes(ref.root, ref.version, area, period, indicator, float(value))


@st.cache_data(show_spinner=False)
def _action_status_table(root: str, version: str) -> pd.DataFrame:
    import re

    rows = []
    for action in _action_plan(root, version).actions:
        note = re.match(r"^[^(]*\((.*)\)\s*$", action.status)
        rows.append(
            {
                "number": action.number,
                "theme": action.theme,
                "action": action.text if len(action.text) <= 90 else action.text[:87].rstrip() + "...",
                "status": action.status_category,
                "note": note[1] if note else "",
            }
        )
    return pd.DataFrame(rows, columns=["number", "theme", "action", "status", "note"])


def action_status_table(ref: DataRef) -> pd.DataFrame:
    """Every action's status for the status editor: ``number, theme, action`` (shortened), ``status, note``.

    ``status`` is one of the plan's statuses and ``note`` what the plan writes in brackets after it.
    """
    return _action_status_table(ref.root, ref.version)


# ----- chart downloads (PNG and SVG) and text alternatives ----------------------------------
@dataclass(frozen=True)
class FramedChart:
    """A chart as it is exported: its spec (own title taken off) and what the frame around it says."""

    spec: dict[str, Any]
    title: str
    area: str
    period: str
    credit: str


def _untitled(chart: Any, *, keep_subtitle: bool = False) -> dict[str, Any]:
    """The chart's Vega-Lite spec without its own title: the export frame draws the title, area, period and credit.

    With ``keep_subtitle`` the chart's subtitle (units, notes) stays, as a small grey line.
    """
    from cwb_metrics.charts import theme

    spec = dict(chart) if isinstance(chart, dict) else chart.to_dict()
    title = spec.pop("title", None)
    subtitle = title.get("subtitle") if keep_subtitle and isinstance(title, dict) else None
    if subtitle:
        spec["title"] = {
            "text": subtitle,
            "anchor": "start",
            "font": theme.FONT,
            "fontSize": 11,
            "fontWeight": "normal",
            "color": theme.MUTED_INK,
        }
    return spec


def _when(period: str) -> str:
    return "latest" if period == "latest" else f"Figures for {period}"


def _version_note(version: str) -> str:
    return f"Data version {version}."


def _portrait_export_spec(port: Any, view: str) -> dict[str, Any]:
    """The doughnut or bars of a portrait at full width, with no title or credit of their own (the frame has them)."""
    if view == "bars":
        from cwb_metrics.charts.bars import unrolled_bars

        chart = unrolled_bars(port.frame(), title="", credit="", width=CHART_WIDTH)
    else:
        from cwb_metrics.charts.doughnut import doughnut_chart

        chart = doughnut_chart(port.frame(), title="", credit="", width=CHART_WIDTH)
    return _untitled(_natural_size(chart))


def _frame_portrait(root: str, version: str, area: str, period: str, view: str) -> FramedChart:
    from cwb_metrics.briefing.build import sources_credit

    port = _portrait(root, version, area, period)
    title = "Shortfall and overshoot: the Doughnut unrolled" if view == "bars" else "The Doughnut"
    return FramedChart(
        _portrait_export_spec(port, view),
        title,
        port.area_name,
        _when(period),
        f"{sources_credit(port, _version_catalogue(root, version))} {_version_note(version)}",
    )


def _frame_what_if(
    root: str, version: str, area: str, period: str, view: str, indicator: str, value: float
) -> FramedChart:
    from cwb_metrics.briefing.build import sources_credit
    from cwb_metrics.portrait.sentences import entry_value_text

    port, _changes = _what_if(root, version, area, period, indicator, value)
    entry = next(e for e in port.entries if e.id == indicator)
    what = "Shortfall and overshoot" if view == "bars" else "The Doughnut"
    return FramedChart(
        _portrait_export_spec(port, view),
        f"{what} if the {entry.short_title.lower()} threshold were {entry_value_text(entry, value)} (not saved)",
        port.area_name,
        _when(period),
        f"{sources_credit(port, _version_catalogue(root, version))} {_version_note(version)}",
    )


def _frame_trend(root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str) -> FramedChart:
    from cwb_metrics.portrait.sentences import join_words

    meta = _version_catalogue(root, version)[indicator_id]
    points = _trend_points(root, version, indicator_id, areas, main)
    names = list(dict.fromkeys(points["area"])) if not points.empty else []
    ordered = points.sort_values("date")
    period = (
        "No figures" if points.empty else f"{ordered['period_label'].iloc[0]} to {ordered['period_label'].iloc[-1]}"
    )
    origin = meta.origin
    return FramedChart(
        _untitled(_trend_spec(root, version, indicator_id, areas, main), keep_subtitle=True),
        meta.title,
        join_words(names) or "No area chosen",
        period,
        f"Source: {origin.producer}, {origin.title}, published {origin.date_published:%d %B %Y}. "
        f"Licence: {origin.licence}. {_version_note(version)}",
    )


def _map_area_name(root: str, version: str, district: str | None, place: str | None) -> str:
    config = area_config()
    if place:
        return _resolve(root, version, place).name
    return config.county_name if district is None else _resolve(root, version, district).name


def _frame_imd_map(
    root: str, version: str, edition: int, domain: str, district: str | None, place: str | None, lsoa: str | None
) -> FramedChart:
    from cwb_metrics.charts import theme
    from cwb_metrics.sources.imd import INDEX_LABELS

    label = "Index of Multiple Deprivation" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    shown = _map_area_name(root, version, district, None)
    area = shown if not place else f"{shown}, {_resolve(root, version, place).name} outlined"
    return FramedChart(
        _untitled(_imd_map(root, version, edition, domain, district, place, lsoa)),
        f"{label}: decile in England of each neighbourhood (LSOA)",
        area,
        f"IMD {edition} ({2021 if edition == 2025 else 2011} LSOAs)",
        f"{theme.OS_ONS_CREDIT} {theme.imd_credit(edition)}. {_version_note(version)}",
    )


def _frame_change_map(
    root: str, version: str, domain: str, district: str | None, place: str | None, lsoa: str | None
) -> FramedChart:
    from cwb_metrics.charts import theme
    from cwb_metrics.sources.imd import INDEX_LABELS

    label = "Index of Multiple Deprivation" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    shown = _map_area_name(root, version, district, None)
    area = shown if not place else f"{shown}, {_resolve(root, version, place).name} outlined"
    return FramedChart(
        _untitled(_change_map(root, version, domain, district, place, lsoa)),
        f"{label}: change in decile of each neighbourhood (LSOA)",
        area,
        "IMD 2019 to IMD 2025 (2021 LSOAs)",
        f"{theme.OS_ONS_CREDIT} {theme.IMD_CREDIT}. {_version_note(version)}",
    )


def _frame_small_doughnut(root: str, version: str, area: str, period: str, role: str) -> FramedChart:
    from cwb_metrics.briefing.build import sources_credit

    port = _portrait(root, version, area, period)
    return FramedChart(  # the file is drawn at full width, not at the page's small size
        _portrait_export_spec(port, "doughnut"),
        "The Doughnut",
        f"{port.area_name} ({role.lower()})",
        _when(period),
        f"{sources_credit(port, _version_catalogue(root, version))} {_version_note(version)}",
    )


def _frame_deciles(
    root: str, version: str, indicator: str, edition: int, year: int, domain: str, which: str
) -> FramedChart:
    shares, rates = _decile_charts(root, version, indicator, edition, year, domain)
    chart = shares if which == "shares" else rates
    spec = chart.to_dict()
    title = spec.get("title", {})
    meta = _version_catalogue(root, version)[indicator]
    measure = "IMD" if domain == "imd" else f"IMD {domain.replace('_', ' ')} domain"
    return FramedChart(
        _untitled(spec),
        title.get("text", "") if isinstance(title, dict) else str(title),
        area_config().county_name,
        f"{measure} {edition} deciles; data for {year}",
        f"{meta.origin.citation or meta.origin.producer} MHCLG English Indices of Deprivation {edition}, "
        f"Open Government Licence v3.0. {_version_note(version)}",
    )


def _frame_progress(root: str, version: str) -> FramedChart:
    plan = _action_plan(root, version)
    return FramedChart(
        _untitled(_action_progress_chart(root, version)),
        "CWB action plan 24/25: progress by theme",
        "Oxfordshire County Council",
        f"Statuses in data version {version}",
        f"Source: {plan.source}",
    )


_FRAMES = {
    "portrait": _frame_portrait,
    "what_if": _frame_what_if,
    "trend": _frame_trend,
    "imd_map": _frame_imd_map,
    "change_map": _frame_change_map,
    "small_doughnut": _frame_small_doughnut,
    "deciles": _frame_deciles,
    "progress": _frame_progress,
}


@st.cache_data(show_spinner=False, max_entries=48)
def _chart_file(root: str, version: str, kind: str, args: tuple[Any, ...], fmt: str) -> bytes:
    from cwb_metrics.briefing import export_chart

    framed = _FRAMES[kind](root, version, *args)
    return export_chart(
        framed.spec, fmt, title=framed.title, area=framed.area, period=framed.period, credit=framed.credit
    )


def chart_file(ref: DataRef, kind: str, *args: Any, fmt: str) -> bytes:
    """One chart as a PNG or SVG file, with its title, area, period and source credit drawn in.

    ``kind`` names the chart and ``args`` are the plain values its cached builder takes:
    ``portrait`` (area, period, view), ``what_if`` (area, period, view, indicator, value),
    ``trend`` (indicator, areas, main), ``imd_map`` (edition, domain, district, place, lsoa),
    ``change_map`` (domain, district, place, lsoa), ``small_doughnut`` (area, period, role),
    ``deciles`` (indicator, edition, year, domain, "shares" or "rates"), ``progress`` ().
    """
    return _chart_file(ref.root, ref.version, kind, tuple(args), fmt)


def chart_files(ref: DataRef, kind: str, *args: Any) -> tuple[Any, Any]:
    """``(png, svg)``: callables that draw the chart's files (a download button's ``data``, drawn on click)."""
    from functools import partial

    frozen = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return tuple(partial(_chart_file, ref.root, ref.version, kind, frozen, fmt) for fmt in ("png", "svg"))


@st.cache_data(show_spinner=False)
def _portrait_description(root: str, version: str, area: str, period: str, view: str) -> str:
    from cwb_metrics.briefing import chart_text_alternative

    return chart_text_alternative(_portrait(root, version, area, period), "bars" if view == "bars" else "doughnut")


@st.cache_data(show_spinner=False)
def _trend_points(root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str) -> pd.DataFrame:
    from cwb_metrics.charts.trends import trend_rows

    meta, drawn, comparators, _label = _trend_setup(root, version, indicator_id, areas, main)
    return trend_rows(
        _indicator_rows(root, version, indicator_id),
        drawn,
        comparators,
        decimals=meta.decimals,
        unit=meta.unit_short or meta.unit,
    )


@st.cache_data(show_spinner=False)
def _trend_description(root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str) -> str:
    from cwb_metrics.charts.describe import trend_description

    meta, _drawn, _comparators, label = _trend_setup(root, version, indicator_id, areas, main)
    return trend_description(
        _trend_points(root, version, indicator_id, areas, main), title=meta.title, threshold_text=label
    )


@st.cache_data(show_spinner=False)
def _trend_table(root: str, version: str, indicator_id: str, areas: tuple[str, ...], main: str) -> pd.DataFrame:
    points = _trend_points(root, version, indicator_id, areas, main)
    return pd.DataFrame(
        {
            "Area": points["area"],
            "Period": points["period_label"],
            "Value": points["value_text"],
            "95% confidence interval": points["ci_text"],
        }
    )


def trend_table(ref: DataRef, indicator_id: str, areas: list[str], main: str = "") -> pd.DataFrame:
    """The figures a trend chart draws: area, period, value and its 95% confidence interval."""
    return _trend_table(ref.root, ref.version, indicator_id, tuple(areas), main)


def _map_lsoas(root: str, version: str, edition: int, district: str | None) -> tuple[str, ...]:
    return _resolve(root, version, district or area_config().county_code).lsoas(edition)


@st.cache_data(show_spinner=False)
def _imd_map_table(root: str, version: str, edition: int, domain: str, district: str | None) -> pd.DataFrame:
    table = _imd_table(root, version, edition)
    chosen = table[table["lsoa_code"].isin(set(_map_lsoas(root, version, edition, district)))]
    chosen = chosen.sort_values([f"{domain}_rank", "lsoa_code"])
    return pd.DataFrame(
        {
            "LSOA": chosen["lsoa_code"],
            "Name": chosen["lsoa_name"],
            "Ward": chosen["ward_name"],
            "District": chosen["lad_name"],
            "Decile": chosen[f"{domain}_decile"],
            "Rank in England": chosen[f"{domain}_rank"],
        }
    ).reset_index(drop=True)


def imd_map_table(ref: DataRef, edition: int, domain: str, district: str | None) -> pd.DataFrame:
    """The LSOAs a deprivation map draws (a district's, or the county's), most deprived first, with decile and rank."""
    return _imd_map_table(ref.root, ref.version, int(edition), domain, district)


@st.cache_data(show_spinner=False)
def _imd_map_description(root: str, version: str, edition: int, domain: str, district: str | None) -> str:
    from cwb_metrics.charts.describe import decile_map_description
    from cwb_metrics.sources.imd import INDEX_LABELS

    table = _imd_map_table(root, version, edition, domain, district)
    what = f"IMD {edition} decile" if domain == "imd" else f"IMD {edition} {INDEX_LABELS[domain].lower()} domain decile"
    return decile_map_description(table["Decile"], area_name=_map_area_name(root, version, district, None), what=what)


@st.cache_data(show_spinner=False)
def _change_map_table(root: str, version: str, domain: str, district: str | None) -> pd.DataFrame:
    change = _lsoa_change(root, version, domain)
    chosen = change[change["lsoa21_code"].isin(set(_map_lsoas(root, version, 2025, district)))]
    chosen = chosen.sort_values(["decile_change", "lsoa21_code"], na_position="last")
    return pd.DataFrame(
        {
            "LSOA 2021": chosen["lsoa21_code"],
            "Name": chosen["lsoa21_name"],
            "Ward": chosen["ward_name"],
            "District": chosen["lad_name"],
            "Decile 2019": chosen["decile_2019"],
            "Decile 2025": chosen["decile_2025"],
            "Change": chosen["decile_change"],
            "Boundary since 2011": chosen["match"],
        }
    ).reset_index(drop=True)


def change_map_table(ref: DataRef, domain: str, district: str | None) -> pd.DataFrame:
    """The LSOAs (2021) a change map draws, most moved towards more deprived first."""
    return _change_map_table(ref.root, ref.version, domain, district)


@st.cache_data(show_spinner=False)
def _change_map_description(root: str, version: str, domain: str, district: str | None) -> str:
    from cwb_metrics.charts.describe import change_map_description

    table = _change_map_table(root, version, domain, district)
    what = "overall deprivation (IMD)" if domain == "imd" else f"the {domain.replace('_', ' ')} domain"
    return change_map_description(
        table.rename(columns={"Change": "decile_change", "Name": "name"}),
        area_name=_map_area_name(root, version, district, None),
        what=what,
    )


@st.cache_data(show_spinner=False)
def _doughnuts_table(root: str, version: str, areas: tuple[str, ...], period: str) -> pd.DataFrame:
    from cwb_metrics.briefing.accessibility import STATUS_LABELS as WORDS
    from cwb_metrics.portrait.sentences import entry_value_text

    portraits = [_portrait(root, version, code, period) for code in areas]
    rows = []
    for i, entry in enumerate(portraits[0].entries):
        row = {"Dimension": entry.dimension_label, "Indicator": entry.title if entry.id else "No indicator yet"}
        for port in portraits:
            mine = port.entries[i]
            value = entry_value_text(mine) if mine.value is not None else "no data"
            row[port.area_name] = value if mine.status == "missing" else f"{value} ({WORDS[mine.status].lower()})"
        rows.append(row)
    return pd.DataFrame(rows)


def doughnuts_table(ref: DataRef, areas: list[str], period: str) -> pd.DataFrame:
    """The data behind doughnuts drawn side by side: each indicator's value and status in each area."""
    return _doughnuts_table(ref.root, ref.version, tuple(areas), period)


@st.cache_data(show_spinner=False)
def _decile_descriptions(
    root: str, version: str, indicator: str, edition: int, year: int, domain: str
) -> tuple[str, str]:
    from cwb_metrics.charts.describe import decile_rate_description, decile_shares_description

    table = _shortfall_by_decile(root, version, indicator, edition, year, domain)
    return decile_shares_description(table), decile_rate_description(table)


@st.cache_data(show_spinner=False)
def _progress_description(root: str, version: str) -> str:
    from cwb_metrics.charts.describe import progress_description

    return progress_description(_action_progress(root, version))


@st.cache_data(show_spinner=False)
def _what_if_description(
    root: str, version: str, area: str, period: str, view: str, indicator: str, value: float
) -> str:
    from cwb_metrics.briefing import chart_text_alternative
    from cwb_metrics.portrait.sentences import entry_value_text

    port, _changes = _what_if(root, version, area, period, indicator, value)
    entry = next(e for e in port.entries if e.id == indicator)
    text = chart_text_alternative(port, "bars" if view == "bars" else "doughnut")
    threshold = entry_value_text(entry, value)
    return f"{text} Drawn with a what-if {entry.short_title.lower()} threshold of {threshold} (not saved)."


def _describe_imd_map(
    root: str, version: str, edition: int, domain: str, district: str | None, *_place_lsoa: Any
) -> str:
    return _imd_map_description(root, version, int(edition), domain, district)


def _describe_change_map(root: str, version: str, domain: str, district: str | None, *_place_lsoa: Any) -> str:
    return _change_map_description(root, version, domain, district)


def _describe_small_doughnut(root: str, version: str, area: str, period: str, role: str) -> str:
    return _portrait_description(root, version, area, period, "doughnut")


def _describe_deciles(root: str, version: str, indicator: str, edition: int, year: int, domain: str, which: str) -> str:
    shares, rates = _decile_descriptions(root, version, indicator, int(edition), int(year), domain)
    return shares if which == "shares" else rates


_DESCRIPTIONS = {
    "portrait": _portrait_description,
    "what_if": _what_if_description,
    "trend": _trend_description,
    "imd_map": _describe_imd_map,
    "change_map": _describe_change_map,
    "small_doughnut": _describe_small_doughnut,
    "deciles": _describe_deciles,
    "progress": _progress_description,
}


def chart_description(ref: DataRef, kind: str, *args: Any) -> str:
    """The text alternative of a chart: what it shows, in a few sentences.

    ``kind`` and ``args`` name the chart as for :func:`chart_file`.
    """
    frozen = tuple(tuple(a) if isinstance(a, list) else a for a in args)
    return _DESCRIPTIONS[kind](ref.root, ref.version, *frozen)
