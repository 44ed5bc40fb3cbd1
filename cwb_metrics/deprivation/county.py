"""The county's LSOAs with their IoD rows, and its part of the LSOA 2011 to 2021 best-fit lookup.

Which LSOAs, wards and districts make up the area is :mod:`cwb_metrics.areas.members`'
job; its names are re-exported here for the modules that import them from this one.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.areas.members import (
    BESTFIT_LOOKUP,
    BOUNDARIES_LSOA11,
    BOUNDARIES_LSOA21,
    IMD_SOURCE,
    PLACE_COLUMNS,
    POPULATION_SOURCE,
    WARD19_LOOKUP,
    WARD25_LOOKUP,
    bestfit_lookup,
    comparator_lsoas,
    county_lsoa11,
    county_lsoa21,
    england_lsoa11,
    england_lsoa21,
    imd_sources,
    imd_table,
    ward19_lookup,
    ward25_lookup,
)
from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.imd import imd_columns

__all__ = [
    "BESTFIT_LOOKUP",
    "BOUNDARIES_LSOA11",
    "BOUNDARIES_LSOA21",
    "IMD_SOURCE",
    "PLACE_COLUMNS",
    "POPULATION_SOURCE",
    "WARD19_LOOKUP",
    "WARD25_LOOKUP",
    "bestfit_lookup",
    "comparator_lsoas",
    "county_bestfit",
    "county_imd",
    "county_lsoa11",
    "county_lsoa21",
    "england_lsoa11",
    "england_lsoa21",
    "imd_sources",
    "imd_table",
    "table_columns",
    "ward19_lookup",
    "ward25_lookup",
]


def table_columns() -> list[str]:
    """Return the columns of a county LSOA table: place columns, then the IoD measures."""
    measures = [c for c in imd_columns() if c not in ("lsoa_code", "lsoa_name", "lad_code", "lad_name")]
    return PLACE_COLUMNS + measures


def county_imd(context: BuildContext, edition: int, source_id: str | None = None) -> pd.DataFrame:
    """Return the IoD rows of the county's LSOAs, with ward and district joined.

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files and cache.
    edition : {2019, 2025}
        The IoD edition (LSOA 2011 or LSOA 2021).
    source_id : str, optional
        The IoD file (default: :data:`IMD_SOURCE`).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`table_columns`, one row per county LSOA.

    Raises
    ------
    DataValidationError
        When a county LSOA of the lookup is missing from the IoD file.
    """
    sources = imd_sources(context, edition, source_id)

    def load() -> pd.DataFrame:
        places = county_lsoa11(context) if edition == 2019 else county_lsoa21(context, sources[0])
        imd = imd_table(context, edition, sources[0])
        missing = places.loc[~places["lsoa_code"].isin(imd["lsoa_code"]), "lsoa_code"].tolist()
        if missing:
            file = context.path(sources[0]).name
            shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
            message = f"{len(missing)} LSOAs of {context.areas.county_name} are not in this IoD{edition} file: {shown}"
            raise DataValidationError([Problem(file, None, None, message)])
        measures = imd.drop(columns=["lsoa_name", "lad_code", "lad_name"])
        frame = places.merge(measures, on="lsoa_code", how="left", validate="one_to_one")
        names = imd.set_index("lsoa_code")["lsoa_name"]
        frame["lsoa_name"] = frame["lsoa_name"].fillna(frame["lsoa_code"].map(names))
        return frame.loc[:, table_columns()].sort_values("lsoa_code", ignore_index=True)

    return context.cached(f"deprivation.county_imd:{edition}:{'+'.join(sources)}", load)


def county_bestfit(context: BuildContext) -> pd.DataFrame:
    """Return the county's part of the LSOA (2011) to LSOA (2021) best-fit lookup.

    Returns
    -------
    pandas.DataFrame
        ``lsoa11_code, lsoa11_name, lsoa21_code, lsoa21_name, lad22_code, lad22_name,
        code_changed`` (True where the 2021 code differs from the 2011 code).
    """
    best = bestfit_lookup(context)
    county11 = county_lsoa11(context)["lsoa_code"]
    rows = best[
        best["lsoa11_code"].isin(county11) | best["lad22_code"].isin([d.code for d in context.areas.districts])
    ].copy()
    rows["code_changed"] = rows["lsoa11_code"] != rows["lsoa21_code"]
    return rows.sort_values("lsoa11_code", ignore_index=True)
