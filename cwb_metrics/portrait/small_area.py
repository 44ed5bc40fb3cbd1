"""Indicator rows for wards, neighbourhoods and LSOAs, built from LSOA-level tables.

Official indicators stop at districts; a neighbourhood portrait can only show what is
published by LSOA. :func:`small_area_indicator_rows` computes, for one area, canonical
rows (the columns of :data:`cwb_metrics.models.row.CANONICAL_COLUMNS`) of the catalogue
indicators that can be rebuilt from LSOAs:

- the IMD share indicators (builder ``imd_share``, ids ``imd_*_most_deprived_20pct``): %
  of the area's LSOAs among England's most deprived (deciles 1 to ``cutoff_decile``) on
  the IMD or one domain; IoD2019 on the area's 2011 LSOAs (``area.lsoa11``), IoD2025 on
  its 2021 LSOAs (``area.lsoa21``), each edition the catalogue record carries;
- ``imd_population_share`` records, where populations exist (IoD2019 File 6);
- the indicators of :data:`cwb_metrics.deprivation.lsoa_indicators.LSOA_INDICATORS`
  (fuel poverty, Census 2021, the IoD2025 absolute deprivation rates): 100 x the sum of the
  count over the sum of the base (households- or people-weighted), one period per data year,
  on the LSOA vintage of each edition, with a Wilson 95% interval of count / base. An LSOA
  whose count or base is missing (outside the extract of a file) leaves the area without a
  value, saying how many of its LSOAs have no data;
- for wards and neighbourhoods, the indicators of
  :data:`cwb_metrics.deprivation.elections.WARD_INDICATORS` (local election turnout): the
  sum over the area's May 2025 wards, or missing with the reason in ``status``.

The rows' ``areacd`` is the area's code (a neighbourhood's configured id such as
``blackbird-leys``: not a GSS code; the portrait only needs it to match) and
``geography`` its kind. :data:`METHOD_NOTE` says how the numbers were made and what
they cannot say; :func:`cwb_metrics.portrait.side_by_side.side_by_side` sets the area's
portrait beside its district's and the county's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.deprivation.elections import WARD_INDICATORS, ward_turnout_rows
from cwb_metrics.deprivation.lsoa_indicators import LSOA_INDICATORS
from cwb_metrics.deprivation.tables import IMD_TABLES
from cwb_metrics.errors import CwbError, NoDataError
from cwb_metrics.indicators.build_imd import imd_params
from cwb_metrics.intervals import wilson_interval
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.sources.imd import INDEX_LABELS, LSOA_VINTAGE
from cwb_metrics.store import DataStore

#: Area kinds whose indicator rows are built from LSOAs here.
SMALL_AREA_KINDS: tuple[str, ...] = ("ward", "neighbourhood", "lsoa")

METHOD_NOTE = (
    "Neighbourhood and ward figures are rebuilt from LSOA-level data, so only indicators published by LSOA "
    "appear: the % of residents, working-age residents, children and older people who are income- or "
    "employment-deprived (English Indices of Deprivation 2025 domain scores weighted by its population "
    "denominators), households in fuel poverty (DESNZ LSOA estimates, weighted by households), the Census "
    "2021 shares (sums of LSOA counts) and, as context, the shares of LSOAs among England's most deprived "
    "20% (IoD 2019 on 2011 LSOAs, 2025 on 2021 LSOAs); local election turnout is summed over the area's "
    "wards. Every other indicator is shown as missing, never borrowed from the district. A share of "
    "LSOAs counts neighbourhoods, not people, and with only a handful of LSOAs it moves in big steps: one "
    "LSOA of four is 25 points. IMD ranks are relative to England. The 2025 figures place LSOAs in May 2025 "
    "wards by an approximate lookup (each LSOA's representative point; not an official ONS best-fit lookup), "
    "and 2011 LSOAs of wards that did not exist in 2019 come from the ONS LSOA 2011 to 2021 best-fit lookup, "
    "so ward figures, especially for 2025, are approximate. Fuel poverty is modelled from the English Housing "
    "Survey; small-area estimates carry wide uncertainty that DESNZ does not publish."
)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in CANONICAL_COLUMNS})


def _editions(meta: IndicatorMeta) -> list[int]:
    params = meta.extract.params
    edition = params.get("edition")
    editions = {edition} if isinstance(edition, int) else set()
    earlier = re.match(r"^imd/(\d{4})/", str(params.get("earlier_source", "")))
    if earlier:
        editions.add(int(earlier[1]))
    return sorted(e for e in editions if e in IMD_TABLES)


def _approximate(area: ResolvedArea, edition: int) -> str:
    if edition in area.derived_editions:
        return "; LSOAs matched through the ONS LSOA 2011 to 2021 best-fit lookup (approximate)"
    if edition == 2025 and area.kind in ("ward", "neighbourhood"):
        return "; May 2025 wards from an approximate LSOA lookup"
    return ""


def _row(meta: IndicatorMeta, area: ResolvedArea, period: str, value: float, notes: str) -> dict[str, object]:
    return {
        "areacd": area.code,
        "areanm": area.name,
        "geography": area.kind,
        "indicator": meta.id,
        "period": period,
        "value": value,
        "unit": "%",
        "lci_95": math.nan,
        "uci_95": math.nan,
        "status": "" if not math.isnan(value) else "no LSOAs",
        "notes": notes,
    }


def _imd_rows(meta: IndicatorMeta, area: ResolvedArea, tables: dict[int, pd.DataFrame]) -> list[dict[str, object]]:
    _edition, domain, cutoff = imd_params(meta)
    weighted = meta.extract.method == "imd_population_share"
    label = "IMD" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    deciles_text = "decile 1" if cutoff == 1 else f"deciles 1-{cutoff}"
    rows = []
    for edition in _editions(meta):
        table = tables.get(edition)
        if table is None:
            continue
        lsoas = table[table["lsoa_code"].isin(area.lsoas(edition))]
        deprived = lsoas[f"{domain}_decile"].astype("Float64").le(cutoff).fillna(False).astype(bool)
        vintage = LSOA_VINTAGE[edition]
        if weighted:
            people = lsoas["population"].astype("Float64") if "population" in lsoas.columns else None
            if people is None or lsoas.empty or people.isna().any():
                continue  # no population for this edition: leave the period out
            total = float(people.sum())
            value = 100 * float(people[deprived].sum()) / total if total > 0 else math.nan
            notes = f"{int(people[deprived].sum()):,} of {int(total):,} residents live in LSOAs ({vintage}) in "
        else:
            value = 100 * int(deprived.sum()) / len(lsoas) if len(lsoas) else math.nan
            notes = f"{int(deprived.sum())} of {len(lsoas)} LSOAs ({vintage}) in "
        notes += f"{label} {deciles_text}{_approximate(area, edition)}"
        rows.append(_row(meta, area, str(edition), value, notes))
    return rows


def _lsoa_indicator_rows(meta: IndicatorMeta, area: ResolvedArea, table: pd.DataFrame) -> list[dict[str, object]]:
    spec = LSOA_INDICATORS[meta.id]
    if spec.count not in table.columns or spec.base not in table.columns:
        return []  # the table was built without this indicator's source
    rows = []
    for (year, vintage), group in table.groupby(["year", "lsoa_vintage"], sort=True):
        edition = 2019 if int(vintage) == 2011 else 2025
        wanted = area.lsoas(edition)
        if not wanted:
            continue
        chosen = group[group["lsoa_code"].isin(wanted)]
        count = pd.to_numeric(chosen[spec.count]).astype("float64")
        base = pd.to_numeric(chosen[spec.base]).astype("float64")
        known = count.notna() & base.notna()
        count, base = count[known], base[known]
        lacking = len(set(wanted)) - int(known.sum())
        interval = (math.nan, math.nan)
        if lacking or base.sum() <= 0:
            value = math.nan
            notes = (
                f"{lacking} of the area's {len(set(wanted))} LSOAs ({vintage}) have no data in {spec.table} "
                "(a source file covering only part of England, such as the mirror's Oxfordshire extract of the "
                "IoD2025 File 7, leaves other areas without a value)"
            )
        else:
            value = 100 * float(count.sum()) / float(base.sum())
            interval = wilson_interval(min(max(float(count.sum()), 0.0), float(base.sum())), float(base.sum()))
            notes = (
                f"{count.sum():,.0f} of {base.sum():,.0f} {spec.base_label} in {len(count)} LSOAs ({vintage}) "
                f"{spec.predicate}; {spec.base_label}-weighted from LSOA estimates{_approximate(area, edition)}"
            )
        row = _row(meta, area, str(int(year)), value, notes)
        row["lci_95"], row["uci_95"] = interval
        rows.append(row)
    return rows


def small_area_indicator_rows(
    store: DataStore, area: ResolvedArea, catalogue: Mapping[str, IndicatorMeta] | None = None
) -> pd.DataFrame:
    """Canonical indicator rows for a ward, neighbourhood or LSOA, built from LSOA-level tables.

    Parameters
    ----------
    store : DataStore
        The data folder: its current version's ``lsoa/imd2019.parquet``,
        ``lsoa/imd2025.parquet`` and LSOA indicator tables (``lsoa/fuel_poverty.parquet``).
    area : ResolvedArea
        From :func:`~cwb_metrics.areas.resolve.resolve_area`; a ward, neighbourhood or LSOA.
    catalogue : mapping, optional
        Indicator records (default: the committed catalogue with the data version's own
        records, :func:`~cwb_metrics.build.local_meta.catalogue_for`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~cwb_metrics.models.row.CANONICAL_COLUMNS`; ``areacd`` is
        ``area.code``, ``geography`` is ``area.kind``, unit ``%``; one row per indicator
        and period (IMD shares: ``"2019"``, ``"2025"``; fuel poverty: the data years);
        ``notes`` give the counts. Tables missing from the data version are skipped.

    Raises
    ------
    CwbError
        When ``area`` is not a ward, neighbourhood or LSOA.

    Examples
    --------
    >>> rows = small_area_indicator_rows(store, resolve_area("Blackbird Leys", store))  # doctest: +SKIP
    >>> rows.loc[rows["indicator"] == "imd_most_deprived_20pct", ["period", "value"]]  # doctest: +SKIP
      period  value
    0   2019   75.0
    1   2025   40.0
    """
    if area.kind not in SMALL_AREA_KINDS:
        raise CwbError(
            f"{area.name} is a {area.kind}: its indicators come from the official files, not from LSOAs. "
            f"Small-area rows are for {', '.join(SMALL_AREA_KINDS)}."
        )
    if catalogue is None:
        catalogue = catalogue_for(store)
    tables: dict[int, pd.DataFrame] = {}
    for edition, relative in IMD_TABLES.items():
        try:
            tables[edition] = store.read_table(relative)
        except NoDataError:
            continue
    lsoa_tables: dict[str, pd.DataFrame] = {}
    rows: list[dict[str, object]] = []
    for meta in catalogue.values():
        if meta.extract.method in ("imd_share", "imd_population_share"):
            rows += _imd_rows(meta, area, tables)
        elif meta.id in LSOA_INDICATORS:
            relative = LSOA_INDICATORS[meta.id].table
            if relative not in lsoa_tables:
                try:
                    lsoa_tables[relative] = store.read_table(relative)
                except NoDataError:
                    continue
            rows += _lsoa_indicator_rows(meta, area, lsoa_tables[relative])
        elif meta.id in WARD_INDICATORS and area.kind in ("ward", "neighbourhood"):
            relative = WARD_INDICATORS[meta.id].table
            if relative not in lsoa_tables:
                try:
                    lsoa_tables[relative] = store.read_table(relative)
                except NoDataError:
                    continue
            wards25 = set(tables[2025]["ward_code"].dropna()) if 2025 in tables else set()
            rows += ward_turnout_rows(meta.id, area, lsoa_tables[relative], wards25)
    if not rows:
        return _empty()
    return pd.DataFrame.from_records(rows, columns=list(CANONICAL_COLUMNS))
