"""Builders for indicators taken from publishers' workbooks and CSVs (not Explore Local Statistics).

Every builder keeps England, the county and its districts, uses published values
unchanged unless its entry below says otherwise, and parses each file once per refresh.
``extra_source`` (a source id, or a list of them) names further files a builder reads,
e.g. older editions of the same statistics; one that was not fetched (an optional source
missing from the mirror) is skipped, so the indicator simply has fewer periods.

``fuel_poverty``
    DESNZ sub-regional fuel poverty (LILEE), % of households fuel poor, from the LA table
    of each edition (``source`` plus ``extra_source``: one period per data year), with a
    Wilson 95% interval from the published counts (fuel-poor households out of
    households), as Fingertips computes it for fuel poverty. Params: none.
``defra_waste``
    Defra LA collected waste, Table 3. Params: ``measure`` = ``recycling_rate`` (share of
    household waste reused, recycled or composted; published as a fraction and written
    as a percentage) or ``residual_kg_per_household``; ``complement: true`` writes
    100 minus the recycling percentage (household waste *not* reused, recycled or
    composted), so that lower is better on an ecological ceiling.
``ashe_living_wage``
    ONS ASHE, % of employee jobs paid below the Living Wage Foundation rate, by place of
    work. Params: ``sheet`` (default ``All``). Suppressed estimates stay missing (``x``).
    The period is the survey year (ASHE is a snapshot of pay in April).
``ons_life_expectancy``
    ONS life expectancy for local areas. Params: ``sex`` (``Male``/``Female``),
    ``age_group`` (default ``<1``, at birth).
``ashe_pay_gap``
    Gender pay gap from ONS ASHE Table 8 (residence-based): 100 x (men's pay - women's
    pay) / men's pay, from two sheets of the same workbook. Params: ``statistic``
    (default ``median``), ``male_sheet`` / ``female_sheet`` (default ``Male Full-Time`` /
    ``Female Full-Time``). Derived, not published: the notes give both published values;
    where either is suppressed the gap is missing (``x``).
``la_co2``
    BEIS local authority CO2 within LAs' scope of influence (mySociety's table).
    Params: ``column`` (e.g. ``Per Person Emissions:t``); ``extra_source`` must name
    mySociety's GSS lookup.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Literal

import pandas as pd

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.build_els import area_lookup, to_canonical
from cwb_metrics.indicators.builders import BuilderParams, ExtraSourceParams, builder
from cwb_metrics.intervals import wilson_interval
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.ashe_table8 import read_ashe_table8
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fuel_poverty import read_fuel_poverty
from cwb_metrics.sources.la_co2 import read_gss_lookup, read_la_co2
from cwb_metrics.sources.life_expectancy import read_life_expectancy
from cwb_metrics.sources.living_wage import read_living_wage
from cwb_metrics.sources.waste import read_waste_indicators

log = logging.getLogger(__name__)


class WasteParams(BuilderParams):
    """``extract.params`` of ``defra_waste``."""

    measure: Literal["recycling_rate", "residual_kg_per_household"]
    complement: bool = False


class LivingWageParams(BuilderParams):
    """``extract.params`` of ``ashe_living_wage``."""

    sheet: str = "All"


class LifeExpectancyParams(BuilderParams):
    """``extract.params`` of ``ons_life_expectancy``."""

    sex: str
    age_group: str = "<1"


class PayGapParams(ExtraSourceParams):
    """``extract.params`` of ``ashe_pay_gap``."""

    statistic: str = "median"
    male_sheet: str = "Male Full-Time"
    female_sheet: str = "Female Full-Time"


class LaCo2Params(ExtraSourceParams):
    """``extract.params`` of ``la_co2``: ``extra_source`` names mySociety's GSS lookup."""

    column: str


def extra_sources(meta: IndicatorMeta) -> list[str]:
    """Return the ids listed in ``extract.params.extra_source`` (a string or a list)."""
    value = meta.extract.params.get("extra_source", [])
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _fetched_extras(context: BuildContext, meta: IndicatorMeta) -> list[str]:
    present = []
    for source in extra_sources(meta):
        if source in context.files:
            present.append(source)
        else:
            log.warning("indicator %s: extra source %s was not fetched; its periods are left out", meta.id, source)
    return present


@builder("fuel_poverty", params=ExtraSourceParams)
def build_fuel_poverty(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of households in fuel poverty (LILEE), one period per edition's data year."""
    frames = []
    for source in [meta.extract.source, *_fetched_extras(context, meta)]:
        table = context.cached(f"fuel_poverty:la:{source}", partial(read_fuel_poverty, context.path(source), "la"))
        frames.append(table)
    rows = pd.concat(frames, ignore_index=True)
    years = rows.groupby("year")["areacd"].count()
    if rows.duplicated(["areacd", "year"]).any():
        raise CwbError(f"indicator {meta.id}: two editions give the same data year ({years.to_dict()})")
    rows = rows.assign(period=rows["year"].astype(str), value=rows["fuel_poor_pct"])
    limits = [
        _wilson_or_nan(count, base)
        for count, base in zip(rows["fuel_poor_households"], rows["households"], strict=True)
    ]
    rows["lci_95"] = [low for low, _ in limits]
    rows["uci_95"] = [high for _, high in limits]
    return to_canonical(rows, context, meta)


def _wilson_or_nan(count: object, base: object) -> tuple[float, float]:
    """Wilson 95% limits (in %) of ``count / base``, or NaN where either is missing or impossible."""
    try:
        count, base = float(count), float(base)  # type: ignore[arg-type]
        return wilson_interval(count, base)
    except (TypeError, ValueError):
        return (float("nan"), float("nan"))


@builder("defra_waste", params=WasteParams)
def build_defra_waste(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Household recycling rate (or its complement) or residual waste per household, by financial year."""
    params = WasteParams.of(meta)
    measure = params.measure
    source = meta.extract.source
    table = context.cached(f"defra_waste:{source}", lambda: read_waste_indicators(context.path(source)))
    if measure == "recycling_rate":
        value = table["recycling_rate"] * 100
        if params.complement:
            value = 100 - value
        value, status = value.round(6), table["recycling_status"]
    else:  # residual_kg_per_household (WasteParams allows no other)
        value, status = table["residual_kg_per_household"], table["residual_status"]
    notes = table["authority_type"].map(
        {"Disposal": "Waste disposal authority: covers household waste collected across the county"}
    ).fillna("")  # fmt: skip
    rows = pd.DataFrame({"areacd": table["areacd"], "period": table["period"], "value": value, "status": status,
                         "notes": notes})  # fmt: skip
    return to_canonical(rows, context, meta)


@builder("ashe_living_wage", params=LivingWageParams)
def build_ashe_living_wage(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of employee jobs (by workplace) paid below the Living Wage Foundation rate."""
    sheet = LivingWageParams.of(meta).sheet
    source = meta.extract.source
    table = context.cached(f"ashe_living_wage:{source}:{sheet}", lambda: read_living_wage(context.path(source), sheet))
    rows = pd.DataFrame({"areacd": table["areacd"], "period": table["year"].astype(str), "value": table["pct_below"],
                         "status": table["status"]})  # fmt: skip
    return to_canonical(rows, context, meta)


@builder("ons_life_expectancy", params=LifeExpectancyParams)
def build_ons_life_expectancy(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Life expectancy (at birth by default) for one sex, with 95% confidence limits."""
    params = LifeExpectancyParams.of(meta)
    sex, age_group = params.sex, params.age_group
    source = meta.extract.source
    table = context.cached(f"life_expectancy:{source}", lambda: read_life_expectancy(context.path(source)))
    rows = table[(table["sex"] == sex) & (table["age_group"] == age_group)]
    if rows.empty:
        raise CwbError(f"indicator {meta.id}: {source} has no rows for sex {sex!r} and age group {age_group!r}")
    rows = rows[rows["areacd"].isin(area_lookup(context))]
    return to_canonical(rows.drop_duplicates(["areacd", "period", "value"]), context, meta)


@builder("ashe_pay_gap", params=PayGapParams)
def build_ashe_pay_gap(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Gender pay gap (% of men's pay) from the male and female sheets of an ASHE Table 8 workbook."""
    params = PayGapParams.of(meta)
    statistic = params.statistic
    sheets = (params.male_sheet, params.female_sheet)
    frames = []
    for source in [meta.extract.source, *_fetched_extras(context, meta)]:
        men, women = (
            context.cached(f"ashe8:{source}:{sheet}", partial(read_ashe_table8, context.path(source), sheet))
            for sheet in sheets
        )
        if statistic not in men:
            raise CwbError(f"indicator {meta.id}: extract.params.statistic {statistic!r} is not a Table 8 column")
        both = men.merge(women, on=["areacd", "year"], suffixes=("_m", "_f"))
        male, female = both[f"{statistic}_m"], both[f"{statistic}_f"]
        gap = 100 * (male - female) / male
        notes = [
            "" if pd.isna(m) or pd.isna(f) else f"{statistic} annual gross pay: men £{m:,.0f}, women £{f:,.0f}"
            for m, f in zip(male, female, strict=True)
        ]
        frames.append(pd.DataFrame({"areacd": both["areacd"], "period": both["year"].astype(str),
                                    "value": gap.round(6), "status": gap.isna().map({True: "x", False: ""}),
                                    "notes": notes}))  # fmt: skip
    return to_canonical(pd.concat(frames, ignore_index=True), context, meta)


@builder("la_co2", params=LaCo2Params)
def build_la_co2(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """One column of BEIS's LA-influence CO2 table (mySociety), by calendar year."""
    params = LaCo2Params.of(meta)
    column = params.column
    source = meta.extract.source
    extras = params.extra_source
    if len(extras) != 1:
        raise CwbError(f"indicator {meta.id}: extract.params.extra_source must name mySociety's GSS lookup")
    table = context.cached(f"la_co2:{source}", lambda: read_la_co2(context.path(source)))
    lookup = context.cached(f"la_co2_lookup:{extras[0]}", lambda: read_gss_lookup(context.path(extras[0])))
    if column not in table:
        raise CwbError(f"indicator {meta.id}: {source} has no column {column!r}")
    wanted = area_lookup(context)
    code_of = {la: next((g for g in gss if g in wanted), None) for la, gss in lookup.items()}
    areacd = table["la_code"].map(code_of)
    rows = pd.DataFrame({"areacd": areacd, "period": table["year"].astype(str), "value": table[column]})
    return to_canonical(rows[areacd.notna()], context, meta)
