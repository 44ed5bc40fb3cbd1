"""Residents in LSOAs among England's most deprived on the IoD2025 sub-domains, by LSOA (a table producer).

``lsoa/iod2025_subdomains.parquet`` holds, for every LSOA 2021 of the county, its
residents at Census 2021 (TS037 total usual residents: England-wide, unlike the mirror's
IoD population extract), each sub-domain's score and decile, and ``<key>_deprived_residents``:
its residents when its decile is 1 to
:data:`~cwb_metrics.sources.imd_subdomains.SUBDOMAIN_CUTOFF_DECILE` (England's most
deprived 20%), else 0. Summed over an area, deprived residents over residents is the share
of its people living in such LSOAs; :func:`england_subdomain_residents` gives the same
sums for all of England and each district.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.county import WARD25_LOOKUP, county_lsoa21, imd_sources
from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.sources.census import census_source, read_census_table
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.imd_subdomains import SUBDOMAIN_CUTOFF_DECILE, SUBDOMAINS, read_iod_subdomains

SUBDOMAIN_SOURCE = "imd/2025/subdomains"
POPULATION_SOURCE = census_source("ts037", "lsoa")
SUBDOMAIN_TABLE = "lsoa/iod2025_subdomains.parquet"
#: The IoD edition of the sub-domains (the period written).
SUBDOMAIN_EDITION = 2025
_RESIDENTS = "Total: All usual residents"


def deprived_column(key: str) -> str:
    """The column of :data:`SUBDOMAIN_TABLE` counting residents of the sub-domain's most deprived LSOAs."""
    return f"{key}_deprived_residents"


def england_subdomains(context: BuildContext) -> pd.DataFrame:
    """Return every English LSOA's sub-domain deciles and scores with its Census 2021 residents, read once.

    Returns
    -------
    pandas.DataFrame
        ``lsoa_code``, ``residents`` (``Int64``), ``<key>_score``, ``<key>_decile`` and
        ``<key>_deprived_residents`` for each sub-domain.

    Raises
    ------
    DataValidationError
        When an LSOA of the sub-domain file has no Census population.
    """

    def load() -> pd.DataFrame:
        sub = read_iod_subdomains(context.path(SUBDOMAIN_SOURCE))
        people = context.cached(
            f"census:{POPULATION_SOURCE}", lambda: read_census_table(context.path(POPULATION_SOURCE), level="lsoa")
        )
        residents = people.set_index("areacd")[_RESIDENTS]
        missing = sorted(set(sub["lsoa_code"]) - set(residents.index))
        if missing:
            shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
            message = f"{len(missing)} LSOAs of the IoD2025 sub-domains have no Census 2021 population: {shown}"
            raise DataValidationError([Problem(context.path(POPULATION_SOURCE).name, None, "geography code", message)])
        frame = pd.DataFrame(
            {"lsoa_code": sub["lsoa_code"], "residents": sub["lsoa_code"].map(residents).astype("Int64")}
        )
        for key in SUBDOMAINS:
            frame[f"{key}_score"] = sub[f"{key}_score"]
            frame[f"{key}_decile"] = sub[f"{key}_decile"]
            deprived = sub[f"{key}_decile"].le(SUBDOMAIN_CUTOFF_DECILE).fillna(False).astype(bool)
            frame[deprived_column(key)] = frame["residents"].where(deprived, 0).astype("Int64")
        return frame

    return context.cached("deprivation.england_subdomains", load)


def county_subdomains(context: BuildContext) -> pd.DataFrame:
    """Return the county's LSOAs 2021 with their district and :func:`england_subdomains` columns.

    Raises
    ------
    DataValidationError
        When a county LSOA is not in the sub-domain file.
    """
    places = county_lsoa21(context)
    england = england_subdomains(context)
    missing = sorted(set(places["lsoa_code"]) - set(england["lsoa_code"]))
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        message = f"lacks {len(missing)} of the county's LSOAs (2021): {shown}"
        raise DataValidationError([Problem(context.path(SUBDOMAIN_SOURCE).name, None, "LSOA code (2021)", message)])
    frame = places.loc[:, ["lsoa_code", "lsoa_name", "lad_code"]].merge(england, on="lsoa_code", how="left")
    frame.insert(2, "lsoa_vintage", 2021)
    frame.insert(4, "year", SUBDOMAIN_EDITION)
    return frame.sort_values("lsoa_code", ignore_index=True)


def build_subdomain_lsoa_table(context: BuildContext) -> list[Output]:
    """Build ``lsoa/iod2025_subdomains.parquet`` when the sub-domains and the Census population were fetched."""
    if SUBDOMAIN_SOURCE not in context.files or POPULATION_SOURCE not in context.files:
        return []
    places = [*imd_sources(context, 2025)] + ([WARD25_LOOKUP] if WARD25_LOOKUP in context.files else [])
    built_from = (SUBDOMAIN_SOURCE, POPULATION_SOURCE, *places)
    return [Output(SUBDOMAIN_TABLE, county_subdomains(context), tuple(dict.fromkeys(built_from)))]
