"""Table producer: indicators published by LSOA, for the county's LSOAs, written at each refresh.

``build_lsoa_indicators(context)`` returns one :class:`~cwb_metrics.sources.context.Output`
per LSOA-level indicator:

``lsoa/fuel_poverty.parquet``
    DESNZ sub-regional fuel poverty (LILEE) for every LSOA of the county, one row per LSOA
    and data year, every edition fetched: 2020 data on LSOA 2011; 2021 and 2023 data on
    LSOA 2021. Columns :data:`FUEL_POVERTY_TABLE_COLUMNS`.

Which LSOA vintage a workbook's LSOA table is on is read from its codes, not assumed from
its year: the table must hold every county LSOA of exactly one vintage (the county's LSOAs
come from :mod:`cwb_metrics.deprivation.county`). The county's households and fuel-poor
households are kept as published (counts, not rounded shares), so areas built from LSOAs
(wards, neighbourhoods) are households-weighted: sum of fuel-poor households over sum of
households.

:data:`LSOA_INDICATORS` names, for each LSOA table, the indicator of the catalogue it
stands for and its numerator and denominator; :mod:`cwb_metrics.portrait.small_area`
and :mod:`cwb_metrics.deprivation.distribution` read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd

from cwb_metrics.deprivation.county import (
    BESTFIT_LOOKUP,
    WARD19_LOOKUP,
    WARD25_LOOKUP,
    county_lsoa11,
    county_lsoa21,
    imd_sources,
)
from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.fuel_poverty import read_fuel_poverty

#: DESNZ fuel poverty workbooks with an LSOA table (source ids of ``data/sources.yaml``), oldest first.
FUEL_POVERTY_SOURCES: tuple[str, ...] = (
    "desnz/fuel_poverty_2020",
    "desnz/fuel_poverty_2021",
    "desnz/fuel_poverty_2023",
)
FUEL_POVERTY_TABLE = "lsoa/fuel_poverty.parquet"
#: Columns of :data:`FUEL_POVERTY_TABLE`.
FUEL_POVERTY_TABLE_COLUMNS: tuple[str, ...] = (
    "lsoa_code",
    "lsoa_name",
    "lsoa_vintage",
    "lad_code",
    "year",
    "households",
    "fuel_poor_households",
    "fuel_poor_pct",
    "source",
)


@dataclass(frozen=True)
class LsoaIndicator:
    """An indicator published by LSOA, as a count out of a base (a rate = 100 x count / base).

    Attributes
    ----------
    id : str
        The catalogue indicator it stands for (``fuel_poverty``).
    table : str
        Its table in the data version (``lsoa/fuel_poverty.parquet``).
    count, base : str
        Columns of the numerator and denominator (``fuel_poor_households``, ``households``).
    count_label, base_label : str
        What they count, in plain English ("households in fuel poverty", "households").
    predicate : str
        What is true of the counted ones, for sentences ("are in fuel poverty").
    """

    id: str
    table: str
    count: str
    base: str
    count_label: str
    base_label: str
    predicate: str


#: LSOA-level indicators by catalogue id.
LSOA_INDICATORS: dict[str, LsoaIndicator] = {
    "fuel_poverty": LsoaIndicator(
        id="fuel_poverty",
        table=FUEL_POVERTY_TABLE,
        count="fuel_poor_households",
        base="households",
        count_label="households in fuel poverty",
        base_label="households",
        predicate="are in fuel poverty",
    ),
}


def _vintage(
    frame: pd.DataFrame, county11: pd.DataFrame, county21: pd.DataFrame, file: str
) -> tuple[int, pd.DataFrame]:
    """The LSOA vintage whose every county LSOA is in ``frame``, and that vintage's places."""
    codes = set(frame["areacd"])
    missing = {2011: sorted(set(county11["lsoa_code"]) - codes), 2021: sorted(set(county21["lsoa_code"]) - codes)}
    for vintage, places in ((2021, county21), (2011, county11)):
        if not missing[vintage]:
            return vintage, places
    closest = min(missing, key=lambda v: len(missing[v]))
    shown = ", ".join(missing[closest][:10]) + (" ..." if len(missing[closest]) > 10 else "")
    raise DataValidationError(
        [
            Problem(
                file,
                None,
                "LSOA Code",
                f"the LSOA table lacks {len(missing[closest])} of the county's LSOAs ({closest}): {shown}; "
                "expected every LSOA of the county on LSOA 2011 or LSOA 2021 codes",
            )
        ]
    )


def county_fuel_poverty(context: BuildContext) -> pd.DataFrame:
    """Return the county's LSOA fuel poverty rows of every fetched DESNZ edition.

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files (any of :data:`FUEL_POVERTY_SOURCES`) and areas.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`FUEL_POVERTY_TABLE_COLUMNS`, one row per county LSOA and data year,
        sorted by year and LSOA code; ``lsoa_vintage`` is 2011 or 2021.

    Raises
    ------
    DataValidationError
        When a workbook's LSOA table fails validation, lacks some of the county's LSOAs,
        or two workbooks give the same data year.
    """
    county11, county21 = county_lsoa11(context), county_lsoa21(context)
    frames = []
    for source in FUEL_POVERTY_SOURCES:
        if source not in context.files:
            continue
        path = context.path(source)
        table = context.cached(f"fuel_poverty:lsoa:{source}", partial(read_fuel_poverty, path, "lsoa"))
        vintage, places = _vintage(table, county11, county21, path.name)
        rows = table[table["areacd"].isin(set(places["lsoa_code"]))]
        names = places.set_index("lsoa_code")
        frames.append(
            pd.DataFrame(
                {
                    "lsoa_code": rows["areacd"].astype("string"),
                    "lsoa_name": rows["areanm"].astype("string"),
                    "lsoa_vintage": vintage,
                    "lad_code": rows["areacd"].map(names["lad_code"]).astype("string"),
                    "year": rows["year"].astype("int64"),
                    "households": rows["households"].astype("Int64"),
                    "fuel_poor_households": rows["fuel_poor_households"].astype("Int64"),
                    "fuel_poor_pct": rows["fuel_poor_pct"].astype("float64"),
                    "source": source,
                }
            )
        )
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in FUEL_POVERTY_TABLE_COLUMNS})
    frame = pd.concat(frames, ignore_index=True)
    years = frame.drop_duplicates(["source", "year"])
    repeated = years[years["year"].duplicated(keep=False)]
    if not repeated.empty:
        raise DataValidationError(
            [
                Problem(src, None, None, f"gives fuel poverty for {year}, as another edition does")
                for src, year in zip(repeated["source"], repeated["year"], strict=True)
            ]
        )
    frame["source"] = frame["source"].astype("string")
    return frame.sort_values(["year", "lsoa_code"], ignore_index=True).loc[:, list(FUEL_POVERTY_TABLE_COLUMNS)]


def build_lsoa_indicators(context: BuildContext) -> list[Output]:
    """Build the county's LSOA-level indicator tables (a table producer).

    Parameters
    ----------
    context : BuildContext
        The refresh's fetched files and area configuration.

    Returns
    -------
    list of Output
        ``lsoa/fuel_poverty.parquet`` when at least one DESNZ workbook was fetched.

    Raises
    ------
    DataValidationError
        As :func:`county_fuel_poverty`.
    """
    frame = county_fuel_poverty(context)
    if frame.empty:
        return []
    places = [WARD19_LOOKUP, *imd_sources(context, 2025)]
    places += [s for s in (WARD25_LOOKUP, BESTFIT_LOOKUP) if s in context.files]
    sources = sorted(set(frame["source"].tolist()))
    return [Output(FUEL_POVERTY_TABLE, frame, tuple(dict.fromkeys([*sources, *places])))]
