"""Builder ``storm_overflows``: storm overflow spills per overflow, by area, from the EA EDM annual returns.

Catalogue usage::

    extract:
      method: storm_overflows
      source: ea/edm_2022                    # an EDM annual return workbook
      params:
        measure: spills_per_overflow         # or hours_per_overflow
        extra_source: [ea/edm_2021]          # other years' returns (one period each)
        boundaries: boundaries/lsoa21        # LSOA 2021 polygons (GeoJSON) used to place outlets

Method:

1. Each overflow's outlet grid reference (OSGB36) is read as the centre of the square it
   names (:mod:`cwb_metrics.sources.gridref`) and turned into longitude and latitude
   (pyproj's EPSG:27700 to EPSG:4326 transformation, good to a few metres).
2. Each outlet point is placed in the LSOA 2021 polygon that contains it (a
   point-in-polygon join with geopandas; a point on a shared edge goes to the first
   polygon found). Only the LSOAs of the configured districts are read; an outlet in an
   LSOA counts for that LSOA's district and for the county.
3. For each area and year, among the overflows **with spill data** (a number in the
   counted-spills column): ``spills_per_overflow`` = counted spills / overflows, and
   ``hours_per_overflow`` = spill hours / overflows. England counts every overflow in the
   return (the returns cover England; Welsh Water's sheet only its English overflows),
   placed or not, which reproduces the EA's own headline figures.

``notes`` give the counts behind each value (overflows with spill data, overflows listed,
spills, hours). An area with no overflow with spill data has no value, with a status
saying so. Outlets without a usable grid reference, and coastal outfalls beyond the
low-water line (outside every LSOA polygon), are not placed in any district.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import area_lookup, require_param, to_canonical
from cwb_metrics.indicators.build_workbooks import extra_sources
from cwb_metrics.indicators.builders import ExtraSourceParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.boundaries import read_boundaries
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.edm import read_edm_return

MEASURES = {"spills_per_overflow": "spills", "hours_per_overflow": "hours"}


def district_lsoas(context: BuildContext, source: str) -> gpd.GeoDataFrame:
    """The LSOA 2021 polygons of the configured districts (parsed once per refresh).

    The cache key is the one :mod:`cwb_metrics.geo.tables` uses for the same file, so the
    map builder reuses this parse.
    """
    districts = {d.code: d.name for d in context.areas.districts}

    def load() -> gpd.GeoDataFrame:
        return read_boundaries(context.path(source), expected_code="LSOA21CD", districts=districts)

    return context.cached(f"boundaries:{source}:{','.join(sorted(districts))}", load)


def place_outlets(overflows: pd.DataFrame, lsoas: gpd.GeoDataFrame) -> pd.DataFrame:
    """Add ``lsoa_code`` and ``lad_code`` to each overflow whose outlet lies in one of ``lsoas``.

    Parameters
    ----------
    overflows : pandas.DataFrame
        With ``easting`` and ``northing`` (metres, EPSG:27700; ``NaN`` when unlocated).
    lsoas : geopandas.GeoDataFrame
        Polygons with ``code`` and ``lad_code`` (as :func:`read_boundaries` returns them).

    Returns
    -------
    pandas.DataFrame
        ``overflows`` with ``lsoa_code`` and ``lad_code`` (``<NA>`` where the outlet is
        unlocated or outside every polygon); row order and count unchanged.
    """
    located = overflows[overflows["easting"].notna() & overflows["northing"].notna()]
    points = gpd.GeoDataFrame(
        {"_position": located.index},
        geometry=gpd.points_from_xy(located["easting"], located["northing"]),
        crs="EPSG:27700",
    ).to_crs(lsoas.crs or "EPSG:4326")
    joined = gpd.sjoin(points, lsoas[["code", "lad_code", "geometry"]], how="inner", predicate="within")
    joined = joined.drop_duplicates("_position").set_index("_position")
    out = overflows.copy()
    out["lsoa_code"] = joined["code"].reindex(out.index).astype("string")
    out["lad_code"] = joined["lad_code"].reindex(out.index).astype("string")
    return out


def summarise(overflows: pd.DataFrame, column: str) -> dict[str, float | int]:
    """Counts and the per-overflow mean of ``column`` (``spills`` or ``hours``) over overflows with spill data."""
    with_data = overflows[overflows["spills"].notna()]
    total = float(with_data[column].sum())
    return {
        "listed": len(overflows),
        "with_data": len(with_data),
        "spills": float(with_data["spills"].sum()),
        "hours": float(with_data["hours"].sum()),
        "value": total / len(with_data) if len(with_data) else float("nan"),
    }


def _row(code: str, year: int, summary: dict[str, float | int], placed: str) -> dict[str, object]:
    overflows = "storm overflow" if summary["with_data"] == 1 else "storm overflows"
    notes = (f"{summary['with_data']:,} {overflows} with spill data ({summary['listed']:,} listed){placed}; "
             f"{summary['spills']:,.0f} counted spills; {summary['hours']:,.0f} spill hours")  # fmt: skip
    status = "" if summary["with_data"] else "no storm overflow with spill data in the area"
    return {"areacd": code, "period": str(year), "value": summary["value"], "status": status, "notes": notes}


class OverflowParams(ExtraSourceParams):
    """``extract.params`` of the ``storm_overflows`` builder."""

    measure: str
    boundaries: str


@builder("storm_overflows", params=OverflowParams)
def build_storm_overflows(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Mean counted spills (or spill hours) per storm overflow with spill data, by area and year.

    Raises
    ------
    CwbError
        When ``measure`` is unknown or two returns are for the same year.
    DataValidationError
        When a return or the boundary file is invalid.
    """
    measure = require_param(meta, "measure")
    if measure not in MEASURES:
        raise CwbError(f"indicator {meta.id}: extract.params.measure must be one of {sorted(MEASURES)}, "
                       f"not {measure!r}")  # fmt: skip
    column = MEASURES[measure]
    lsoas = district_lsoas(context, require_param(meta, "boundaries"))
    areas = area_lookup(context)
    rows: list[dict[str, object]] = []
    years: set[int] = set()
    for source in [meta.extract.source, *[s for s in extra_sources(meta) if s in context.files]]:
        path = context.path(source)
        table = context.cached(f"edm:{source}", lambda: read_edm_return(path))  # noqa: B023 (called at once)
        placed = context.cached(f"edm:placed:{source}", lambda: place_outlets(table, lsoas))  # noqa: B023
        for year, overflows in placed.groupby("year"):
            if year in years:
                raise CwbError(f"indicator {meta.id}: two EDM returns are for {year}")
            years.add(int(year))
            unplaced = int(overflows["easting"].isna().sum())
            where = f", {unplaced:,} without a usable grid reference" if unplaced else ""
            rows.append(_row(context.areas.country_code, int(year), summarise(overflows, column), where))
            in_area = overflows[overflows["lad_code"].notna()]
            if context.areas.has_county_row:
                rows.append(
                    _row(context.areas.county_code, int(year), summarise(in_area, column), " placed in the area")
                )
            for district in context.areas.districts:
                mine = in_area[in_area["lad_code"] == district.code]
                rows.append(_row(district.code, int(year), summarise(mine, column), " placed in the district"))
    built = pd.DataFrame(rows)
    return to_canonical(built[built["areacd"].isin(areas)], context, meta)
