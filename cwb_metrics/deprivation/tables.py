"""Table producer: the county's LSOA-level deprivation tables, written at each refresh.

``build_lsoa_tables(context)`` returns three :class:`~cwb_metrics.sources.context.Output`:

``lsoa/imd2019.parquet``
    The county's LSOAs (2011) with IoD2019 ranks and deciles of the IMD and its seven
    domains (File 2), the mid-2015 population (File 6), the May 2019 ward and the
    district (ONS LSOA 2011 to Ward 2019 lookup). Scores are missing: the mirror has no
    File 5/7 for 2019.
``lsoa/imd2025.parquet``
    The county's LSOAs (2021) with IoD2025 scores, ranks and deciles (File 7), the May
    2025 ward (LSOA 2021 to Ward 2025 lookup; approximate where that lookup is the
    mirror's derived one) and the district.
``lsoa/lsoa11_lsoa21.parquet``
    The county's part of the ONS LSOA (2011) to LSOA (2021) best-fit lookup, with
    ``code_changed``.

The two IoD tables share the columns of :func:`cwb_metrics.deprivation.county.table_columns`:
``lsoa_code, lsoa_name, ward_code, ward_name, lad_code, lad_name, imd_rank, imd_decile,
imd_score, {domain}_rank, {domain}_decile, {domain}_score ..., population``.
"""

from __future__ import annotations

from cwb_metrics.deprivation.county import (
    BESTFIT_LOOKUP,
    WARD19_LOOKUP,
    WARD25_LOOKUP,
    county_bestfit,
    county_imd,
    imd_sources,
)
from cwb_metrics.sources.context import BuildContext, Output

IMD2019_TABLE = "lsoa/imd2019.parquet"
IMD2025_TABLE = "lsoa/imd2025.parquet"
BESTFIT_TABLE = "lsoa/lsoa11_lsoa21.parquet"
#: The county LSOA table of each IoD edition.
IMD_TABLES: dict[int, str] = {2019: IMD2019_TABLE, 2025: IMD2025_TABLE}


def build_lsoa_tables(context: BuildContext) -> list[Output]:
    """Build the county's LSOA deprivation tables and the county's LSOA 2011 to 2021 lookup.

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files (the IoD files, the lookups) and the area configuration.

    Returns
    -------
    list of Output
        ``lsoa/imd2019.parquet``, ``lsoa/imd2025.parquet`` and ``lsoa/lsoa11_lsoa21.parquet``.

    Raises
    ------
    DataValidationError
        When a source file fails validation or a county LSOA is missing from an IoD file.
    SourceUnavailableError
        When a source the tables need was not fetched.
    """
    sources_2025 = [*imd_sources(context, 2025), *(s for s in (WARD25_LOOKUP, BESTFIT_LOOKUP) if s in context.files)]
    return [
        Output(IMD2019_TABLE, county_imd(context, 2019), tuple([*imd_sources(context, 2019), WARD19_LOOKUP])),
        Output(IMD2025_TABLE, county_imd(context, 2025), tuple(sources_2025)),
        Output(BESTFIT_TABLE, county_bestfit(context), (BESTFIT_LOOKUP, WARD19_LOOKUP)),
    ]
