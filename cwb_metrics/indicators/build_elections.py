"""Builders ``local_turnout`` and ``ge_turnout``: election turnout for districts, the county and England.

``local_turnout`` (source: the Electoral Commission's May 2022 local elections workbook)
    A district's turnout is the sum of ballot papers at the count over the sum of electors
    of its wards in the workbook (the Commission's "ballot box turnout"). The council is
    found by name (``Oxford City Council`` is the district ``Oxford``). A district whose
    council held no election in May 2022 is written with no value and a status saying so;
    the county only when every district voted (else no value, status giving how many did).
    England is all wards in the workbook: the councils with elections that May, not all of
    England. Period ``2022``. Wards and neighbourhoods come from
    :mod:`cwb_metrics.deprivation.elections`.
``ge_turnout`` (source: the House of Commons Library's GE2024 results by constituency)
    England is the sum of valid and invalid votes over the electorate of England's 543
    constituencies. Constituencies cross district and county boundaries and no
    constituency-to-district lookup is among the sources, so districts and the county are
    written with no value and a status saying so; the constituencies are kept in
    ``constituency/ge2024_turnout.parquet``. Period ``2024``.
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.deprivation.elections import LOCAL_ELECTION_YEAR, council_key
from cwb_metrics.indicators.build_els import to_canonical
from cwb_metrics.indicators.builders import builder
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.elections import read_ec_local_wards, read_hoc_ge_results

NO_LOCAL_ELECTION = "no local election in May 2022 (council not in the Electoral Commission's file)"
NOT_APPORTIONED = "published by constituency only; no constituency-to-district lookup, so not apportioned"


def _turnout_row(code: str, ballots: int, electorate: int, notes: str) -> dict[str, object]:
    value = 100 * ballots / electorate if electorate > 0 else float("nan")
    return {"areacd": code, "value": round(value, 6), "status": "", "notes": notes}


@builder("local_turnout")
def build_local_turnout(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Turnout at the May 2022 local elections (see the module docstring)."""
    source = meta.extract.source
    wards = context.cached(f"elections:{source}", lambda: read_ec_local_wards(context.path(source)))
    wards = wards[wards["ballots"].notna()]
    period = str(LOCAL_ELECTION_YEAR)
    keys = wards["council"].map(council_key)
    rows: list[dict[str, object]] = []
    voted: list[tuple[int, int]] = []
    for district in context.areas.districts:
        own = wards[keys == council_key(district.name)]
        if own.empty:
            rows.append({"areacd": district.code, "value": None, "status": NO_LOCAL_ELECTION, "notes": ""})
            continue
        ballots, electorate = int(own["ballots"].sum()), int(own["electorate"].sum())
        voted.append((ballots, electorate))
        notes = f"{ballots:,} ballot papers from {electorate:,} electors in {len(own)} wards ({own['council'].iloc[0]})"
        rows.append(_turnout_row(district.code, ballots, electorate, notes))
    count = len(context.areas.districts)
    if context.areas.has_county_row and len(voted) == count:
        ballots, electorate = sum(b for b, _ in voted), sum(e for _, e in voted)
        notes = f"{ballots:,} ballot papers from {electorate:,} electors: the wards of its {count} districts"
        rows.append(_turnout_row(context.areas.county_code, ballots, electorate, notes))
    elif context.areas.has_county_row:
        status = f"only {len(voted)} of its {count} districts held local elections in May 2022"
        rows.append({"areacd": context.areas.county_code, "value": None, "status": status, "notes": ""})
    ballots, electorate = int(wards["ballots"].sum()), int(wards["electorate"].sum())
    notes = (f"{ballots:,} ballot papers from {electorate:,} electors in the {len(wards):,} wards of the "
             f"{wards['council'].nunique()} councils with elections in May 2022 (not all of England)")  # fmt: skip
    rows.append(_turnout_row(context.areas.country_code, ballots, electorate, notes))
    return to_canonical(pd.DataFrame.from_records(rows).assign(period=period), context, meta)


@builder("ge_turnout")
def build_ge_turnout(context: BuildContext, meta: IndicatorMeta) -> pd.DataFrame:
    """Turnout at the 2024 general election: England's; districts and county not apportioned."""
    source = meta.extract.source
    table = context.cached(f"elections:{source}", lambda: read_hoc_ge_results(context.path(source)))
    england = table[table["country"] == context.areas.country_name]
    votes, electorate = int(england["votes"].sum()), int(england["electorate"].sum())
    notes = f"{votes:,} valid and invalid votes from {electorate:,} electors in {len(england)} constituencies"
    rows = [_turnout_row(context.areas.country_code, votes, electorate, notes)]
    county = [context.areas.county_code] if context.areas.has_county_row else []
    for code in (*county, *(d.code for d in context.areas.districts)):
        rows.append({"areacd": code, "value": None, "status": NOT_APPORTIONED, "notes": ""})
    return to_canonical(pd.DataFrame.from_records(rows).assign(period="2024"), context, meta)
