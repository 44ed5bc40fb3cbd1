"""Builders ``imd_share`` and ``imd_population_share``: an area's share of deprived LSOAs.

They measure how much of an area is among England's most deprived LSOAs on the IMD or one
of its domains: by LSOA count (``imd_share``) or by population (``imd_population_share``).

Catalogue usage::

    extract:
      method: imd_share              # or imd_population_share
      source: imd/2019/file2         # the IoD file: imd/2019/file2 (or file1 for the IMD only),
                                     # or imd/2025/file7
      params:
        edition: 2019                # 2019 or 2025 (int)
        domain: education            # imd, income, employment, education, health, crime,
                                     # barriers or living_environment
        cutoff_decile: 1             # 1: England's most deprived 10%; 2: most deprived 20%

Parameters (``extract.params``):

``edition`` (int, required)
    2019 (LSOA 2011) or 2025 (LSOA 2021); must match the IoD file in ``extract.source``.
``domain`` (str, required)
    ``imd`` for the Index of Multiple Deprivation, or one of the seven domains.
``cutoff_decile`` (int, required)
    LSOAs in deciles 1..cutoff count as deprived: 1 is the most deprived 10%, 2 the 20%.
``extra_source`` (str, optional)
    Ignored by the builders; the refresh records it as a source of the indicator (e.g.
    ``imd/2019/file6`` for ``imd_population_share``).
``earlier_source`` (str, optional)
    An IoD file of an earlier edition (e.g. ``imd/2019/file2``): its rows are added as a
    further period, so one indicator carries both IMD 2019 and IMD 2025.
``lookup`` (str, optional)
    Not needed; accepted for records that name the lookup (``lookup/lsoa11_ward19`` for
    2019; ``lookup/lsoa21_ward25`` or ``lookup/lsoa11_lsoa21`` for 2025). Any other value
    is an error.

The builders find their own lookups by edition, so the catalogue needs only
``extract.source``: IoD2019 LSOAs are placed in districts by ``lookup/lsoa11_ward19``
(LAD 2019); IoD2025 LSOAs by ``lookup/lsoa21_ward25`` (LAD 2025), the district codes of
an official File 7, and ``lookup/lsoa11_lsoa21`` (LAD 2022). ``imd_population_share``
weights by population: IoD2019 File 6 (``imd/2019/file6``, mid-2015), or the population
columns of an official IoD2025 File 7 (the mirror's 2025 extract has none, so it fails
with a clear message).

Output: one row for England (``country``; about 10% or 20% by definition, computed from
the file), the area, each district and each comparator (e.g. a district's county, from
the LSOAs of its districts), each code once (a unitary council is its own district);
period ``"2019"`` or ``"2025"``; unit ``%``; ``notes`` give the counts (e.g. "17 of 407
LSOAs (2011) in IMD deciles 1-2").
"""

from __future__ import annotations

import math
import re
from typing import Literal

import pandas as pd
from pydantic import Field, field_validator, model_validator

from cwb_metrics.deprivation.county import (
    BESTFIT_LOOKUP,
    POPULATION_SOURCE,
    WARD19_LOOKUP,
    WARD25_LOOKUP,
    comparator_lsoas,
    county_imd,
    imd_table,
)
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import BuilderParams, ExtraSourceParams, builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.imd import EDITIONS, INDEX_LABELS, INDICES, LSOA_VINTAGE

#: Lookups each edition may name in the optional ``lookup`` parameter (the builder uses them all anyway).
_LOOKUPS: dict[int, set[str]] = {2019: {WARD19_LOOKUP}, 2025: {WARD25_LOOKUP, BESTFIT_LOOKUP}}


class ImdParams(BuilderParams):
    """``extract.params`` of ``imd_share`` and ``imd_population_share`` (see the module docstring)."""

    edition: int
    domain: str
    cutoff_decile: int = Field(ge=1, le=9)
    extra_source: str | None = None
    lookup: str | None = None
    earlier_source: str | None = None

    @field_validator("edition")
    @classmethod
    def _known_edition(cls, value: int) -> int:
        if value not in EDITIONS:
            raise ValueError(f"must be one of {list(EDITIONS)}")
        return value

    @field_validator("domain")
    @classmethod
    def _known_domain(cls, value: str) -> str:
        if value not in INDICES:
            raise ValueError(f"must be one of {list(INDICES)}")
        return value

    @model_validator(mode="after")
    def _lookup_and_earlier_source(self) -> ImdParams:
        if self.lookup is not None and self.lookup not in _LOOKUPS[self.edition]:
            allowed = sorted(_LOOKUPS[self.edition])
            raise ValueError(f"lookup must be one of {allowed} for IoD{self.edition}, not {self.lookup!r}")
        if self.earlier_source is not None and self.earlier_edition is None:
            raise ValueError(f"earlier_source {self.earlier_source!r} is not an earlier IoD file")
        return self

    @property
    def earlier_edition(self) -> int | None:
        """The edition of ``earlier_source`` (``imd/<year>/...``), when it is an earlier IoD file."""
        match = re.match(r"^imd/(\d{4})/", self.earlier_source or "")
        year = int(match[1]) if match else None
        return year if year in EDITIONS and year < self.edition else None


def imd_params(meta: IndicatorMeta) -> tuple[int, str, int]:
    """Return ``(edition, domain, cutoff_decile)`` from a catalogue record, checked.

    Raises
    ------
    CwbError
        Naming the indicator and the parameter that is missing or wrong.
    """
    params = ImdParams.of(meta)
    return params.edition, params.domain, params.cutoff_decile


def _deciles(frame: pd.DataFrame, meta: IndicatorMeta, domain: str) -> pd.Series:
    deciles = frame[f"{domain}_decile"]
    if deciles.isna().all():
        raise CwbError(
            f"indicator {meta.id}: {meta.extract.source} has no {INDEX_LABELS[domain]} deciles "
            "(IoD2019 Files 1 and 3 carry only the IMD; use imd/2019/file2)"
        )
    return deciles


def _rows(context: BuildContext, meta: IndicatorMeta, *, weighted: bool) -> pd.DataFrame:
    params = ImdParams.of(meta)
    edition, domain, cutoff = params.edition, params.domain, params.cutoff_decile
    frames = [_edition_rows(context, meta, edition, meta.extract.source, domain, cutoff, weighted=weighted)]
    if params.earlier_source is not None and params.earlier_edition is not None:
        earlier = (params.earlier_edition, params.earlier_source)
        frames.insert(0, _edition_rows(context, meta, *earlier, domain, cutoff, weighted=weighted))
    return pd.concat(frames, ignore_index=True)


def _edition_rows(
    context: BuildContext,
    meta: IndicatorMeta,
    edition: int,
    source: str,
    domain: str,
    cutoff: int,
    *,
    weighted: bool,
) -> pd.DataFrame:
    england = imd_table(context, edition, source)
    county = county_imd(context, edition, source)
    if weighted and england["population"].isna().any():
        raise CwbError(
            f"indicator {meta.id}: no population for the IoD{edition} LSOAs: "
            + (
                f"fetch {POPULATION_SOURCE[edition]}"
                if edition in POPULATION_SOURCE
                else f"{source} has no population columns (the official File 7 has them)"
            )
        )
    groups = _area_groups(context, edition, source, england, county)
    label = "IMD" if domain == "imd" else f"{INDEX_LABELS[domain]} domain"
    deciles_text = "decile 1" if cutoff == 1 else f"deciles 1-{cutoff}"
    vintage = LSOA_VINTAGE[edition]
    records = []
    for code, name, geography, frame in groups:
        deciles = _deciles(frame, meta, domain)
        deprived = deciles.le(cutoff).fillna(False)
        value, status = math.nan, ""
        if weighted:
            people = frame["population"].astype("float64")
            total = float(people.sum())
            if total > 0:
                value = 100 * float(people[deprived].sum()) / total
            notes = (f"{int(people[deprived].sum()):,} of {int(total):,} residents live in LSOAs ({vintage}) "
                     f"in {label} {deciles_text}")  # fmt: skip
        else:
            if len(frame):
                value = 100 * int(deprived.sum()) / len(frame)
            notes = f"{int(deprived.sum())} of {len(frame)} LSOAs ({vintage}) in {label} {deciles_text}"
        if math.isnan(value):
            status = "no LSOAs"
        records.append({"areacd": code, "areanm": name, "geography": geography, "indicator": meta.id,
                        "period": str(edition), "value": value, "unit": "%", "lci_95": math.nan,
                        "uci_95": math.nan, "status": status, "notes": notes})  # fmt: skip
    return pd.DataFrame.from_records(records, columns=list(CANONICAL_COLUMNS))


def _area_groups(
    context: BuildContext, edition: int, source: str, england: pd.DataFrame, county: pd.DataFrame
) -> list[tuple[str, str, str, pd.DataFrame]]:
    """(code, name, geography, LSOA rows) of England, the area, its districts and its comparators (cached)."""

    def load() -> list[tuple[str, str, str, pd.DataFrame]]:
        areas = context.areas
        comparators = {c.code: c for c in areas.comparators}
        by_district = dict(tuple(county.groupby("lad_code", sort=False)))
        groups = []
        for code, name, geography in areas.area_list():
            if code == areas.country_code:
                frame = england
            elif code == areas.county_code:
                frame = county
            elif code in comparators:
                lsoas = set(comparator_lsoas(context, edition, comparators[code].districts, source))
                frame = england[england["lsoa_code"].isin(lsoas)]
            else:
                frame = by_district.get(code, county.iloc[0:0])
            groups.append((code, name, geography, frame))
        return groups

    return context.cached(f"imd.area_groups:{edition}:{source}:{id(england)}:{id(county)}", load)


@builder("imd_share", params=ImdParams)
def build_imd_share(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of an area's LSOAs among England's most deprived (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Canonical rows for England, the county and each district.

    Raises
    ------
    CwbError
        On bad ``extract.params`` or an IoD file without the domain's deciles.
    DataValidationError
        When a source file fails validation.
    """
    return _rows(context, meta, weighted=False)


@builder("imd_population_share", params=ImdParams)
def build_imd_population_share(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of an area's residents living in LSOAs among England's most deprived (see the module docstring).

    Returns
    -------
    pandas.DataFrame
        Canonical rows for England, the county and each district.

    Raises
    ------
    CwbError
        On bad ``extract.params``, or when no population denominators are available.
    DataValidationError
        When a source file fails validation.
    """
    return _rows(context, meta, weighted=True)


class IodRateParams(ExtraSourceParams):
    """``extract.params`` of ``iod_rate``: which rate (``extra_source`` only records the files read)."""

    measure: Literal["income", "employment", "idaci", "idaopi"]


@builder("iod_rate", params=IodRateParams)
def build_iod_rate(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """% of people deprived, from IoD domain scores weighted by the IoD population denominators.

    Catalogue usage::

        extract:
          method: iod_rate
          source: imd/2025/file10          # IoD2025 File 10 (district summaries)
          params:
            measure: income                # income, employment, idaci or idaopi
            extra_source: [imd/2025/file6, imd/2025/file7_national, imd/2025/file7,
                           imd/2019/file10, imd/2019/file6]

    The builder finds its files by edition (see :mod:`cwb_metrics.deprivation.iod_rates`):
    IoD2025 File 10, File 6 and File 7 (national, or the mirror's Oxfordshire extract) and
    the LSOA scores of ``imd/2025/file7``; IoD2019 File 10 and File 6 when fetched (a
    further period). ``extra_source`` only records them as sources of the indicator.

    Returns
    -------
    pandas.DataFrame
        Canonical rows for England, the county and each district: value in %, Wilson 95%
        limits, notes with the count and base (or why the value is missing).

    Raises
    ------
    CwbError
        On unknown or missing ``extract.params``.
    """
    from cwb_metrics.deprivation.iod_rates import la_rate_rows
    from cwb_metrics.indicators.build_els import to_canonical

    params = IodRateParams.of(meta)
    return to_canonical(la_rate_rows(context, params.measure), context, meta)
