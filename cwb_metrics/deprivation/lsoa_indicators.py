"""Table producer: indicators published by LSOA, for the county's LSOAs, written at each refresh.

``build_lsoa_indicators(context)`` returns one :class:`~cwb_metrics.sources.context.Output`
per LSOA-level indicator:

``lsoa/fuel_poverty.parquet``
    DESNZ sub-regional fuel poverty (LILEE) for every LSOA of the county, one row per LSOA
    and data year, every edition fetched: 2020 data on LSOA 2011; 2021 and 2023 data on
    LSOA 2021. Columns :data:`FUEL_POVERTY_TABLE_COLUMNS`.
``lsoa/iod_rates.parquet``
    IoD2025 absolute deprivation (income, employment, IDACI, IDAOPI) for every LSOA of the
    county: each measure's count (domain score x population denominator) and base. Columns
    :data:`cwb_metrics.deprivation.iod_rates.IOD_RATES_COLUMNS`.

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

from cwb_metrics.deprivation.census_lsoa import CENSUS_TABLE, base_column, build_census_lsoa_table, count_column
from cwb_metrics.deprivation.county import (
    BESTFIT_LOOKUP,
    WARD19_LOOKUP,
    WARD25_LOOKUP,
    county_lsoa11,
    county_lsoa21,
    imd_sources,
)
from cwb_metrics.deprivation.iod_rates import IOD_RATES_TABLE, RATE_MEASURES, county_lsoa_rates
from cwb_metrics.deprivation.subdomains_lsoa import SUBDOMAIN_TABLE, build_subdomain_lsoa_table, deprived_column
from cwb_metrics.errors import DataValidationError, Problem
from cwb_metrics.sources.census import CENSUS_MEASURES
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.fuel_poverty import read_fuel_poverty
from cwb_metrics.sources.imd_subdomains import SUBDOMAIN_INDICATORS, SUBDOMAINS

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

# ----- Census 2021 (issue 12): counts out of bases for the county's LSOAs 2021 (lsoa/census2021.parquet) -----
LSOA_INDICATORS.update(
    {
        indicator: LsoaIndicator(
            id=indicator,
            table=CENSUS_TABLE,
            count=count_column(indicator),
            base=base_column(indicator),
            count_label=measure.count_label,
            base_label=measure.base_label,
            predicate=measure.predicate,
        )
        for indicator, measure in CENSUS_MEASURES.items()
    }
)
# ----- IoD2025 sub-domains (issue 12): residents of LSOAs in England's most deprived 20% (context) -----
LSOA_INDICATORS.update(
    {
        indicator: LsoaIndicator(
            id=indicator,
            table=SUBDOMAIN_TABLE,
            count=deprived_column(key),
            base="residents",
            count_label=f"residents of LSOAs among England's 20% most deprived on the {SUBDOMAINS[key]} sub-domain",
            base_label="residents",
            predicate=f"live in LSOAs among England's 20% most deprived on the {SUBDOMAINS[key]} sub-domain",
        )
        for indicator, key in SUBDOMAIN_INDICATORS.items()
    }
)
# ----- IoD2025 absolute deprivation in % of people (issue 10): lsoa/iod_rates.parquet -----
#: Catalogue id of each IoD rate measure (:data:`cwb_metrics.deprivation.iod_rates.RATE_MEASURES`).
IOD_RATE_IDS: dict[str, str] = {
    "income": "income_deprivation_rate",
    "employment": "employment_deprivation_rate",
    "idaci": "children_income_deprived",
    "idaopi": "older_people_income_deprived",
}
LSOA_INDICATORS.update(
    {
        indicator: LsoaIndicator(
            id=indicator,
            table=IOD_RATES_TABLE,
            count=RATE_MEASURES[measure].count_column,
            base=RATE_MEASURES[measure].base,
            count_label=RATE_MEASURES[measure].count_label,
            base_label=RATE_MEASURES[measure].base_label,
            predicate=RATE_MEASURES[measure].predicate,
        )
        for measure, indicator in IOD_RATE_IDS.items()
    }
)


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
        ``lsoa/fuel_poverty.parquet`` when at least one DESNZ workbook was fetched;
        ``lsoa/census2021.parquet`` when at least one Census LSOA file was fetched;
        ``lsoa/iod2025_subdomains.parquet`` when the sub-domains and TS037 were;
        ``lsoa/iod_rates.parquet`` when an IoD2025 denominators file was.

    Raises
    ------
    DataValidationError
        As :func:`county_fuel_poverty`, or when the IoD2025 File 6 and File 7 disagree.
    """
    outputs = build_census_lsoa_table(context) + build_subdomain_lsoa_table(context)
    places = [WARD19_LOOKUP, *imd_sources(context, 2025)]
    places += [s for s in (WARD25_LOOKUP, BESTFIT_LOOKUP) if s in context.files]
    frame = county_fuel_poverty(context)
    if not frame.empty:
        sources = sorted(set(frame["source"].tolist()))
        outputs.insert(0, Output(FUEL_POVERTY_TABLE, frame, tuple(dict.fromkeys([*sources, *places]))))
    rates = county_lsoa_rates(context)
    if not rates.empty:
        sources = [s for s in str(rates["source"].iloc[0]).split("+") if s]
        outputs.append(Output(IOD_RATES_TABLE, rates, tuple(dict.fromkeys([*sources, *places]))))
    return outputs
