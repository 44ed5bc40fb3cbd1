"""Election turnout for wards, neighbourhoods and constituencies: tables written at refresh, rows built for a portrait.

Tables (a table producer, :func:`build_election_tables`):

``ward/local_turnout.parquet``
    The Electoral Commission's May 2022 ward results for the county's councils
    (:data:`LOCAL_TURNOUT_COLUMNS`): each ward of the workbook whose council is a
    configured district, matched **by name** to a May 2025 ward of that district (names
    compared case-folded, ``&`` as ``and``, spaces and punctuation ignored; see
    :func:`cwb_metrics.areas.resolve.normalise_name`). A ward that matches none keeps an
    empty ``ward_code`` (``matched`` False), so the table says what was left out.
``constituency/ge2024_turnout.parquet``
    Every constituency of the House of Commons Library's general election 2024 results
    (:data:`cwb_metrics.sources.elections.GE_COLUMNS`): turnout is published by
    constituency, and no constituency-to-district lookup is among the sources, so it is
    shown by constituency (:func:`constituency_turnout`).

:func:`ward_turnout_rows` gives a ward's or neighbourhood's turnout as the sum of ballot
papers over the sum of electors of its May 2025 wards; where any of them has no 2022
result the value is missing and the status says why. :data:`WARD_INDICATORS` names the
catalogue indicators built this way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea, normalise_name
from cwb_metrics.deprivation.county import WARD25_LOOKUP, county_lsoa21, imd_sources
from cwb_metrics.sources.context import BuildContext, Output
from cwb_metrics.sources.elections import read_ec_local_wards, read_hoc_ge_results
from cwb_metrics.store import DataStore

LOCAL_ELECTIONS_SOURCE = "electoral_commission/local_2022"
GENERAL_ELECTION_SOURCE = "hoc/ge2024"
LOCAL_TURNOUT_TABLE = "ward/local_turnout.parquet"
GE_TURNOUT_TABLE = "constituency/ge2024_turnout.parquet"
#: The year of the local elections in :data:`LOCAL_ELECTIONS_SOURCE` (May 2022).
LOCAL_ELECTION_YEAR = 2022
#: Columns of :data:`LOCAL_TURNOUT_TABLE`.
LOCAL_TURNOUT_COLUMNS: tuple[str, ...] = (
    "ward_code",
    "ward_name",
    "lad_code",
    "council",
    "source_ward",
    "matched",
    "year",
    "electorate",
    "ballots",
)
NO_RESULT = "no May 2022 result"

_COUNCIL_PREFIXES = ("london borough of ", "royal borough of ", "city of ")
_COUNCIL_SUFFIXES = (" council", " metropolitan borough", " district", " borough", " city", " county", " city of")


def council_key(name: str) -> str:
    """Return a council's name as matched to a district name.

    Examples
    --------
    >>> council_key("Oxford City Council"), council_key("West Oxfordshire District Council")
    ('oxford', 'west oxfordshire')
    """
    key = normalise_name(name)
    changed = True
    while changed:
        changed = False
        for prefix in _COUNCIL_PREFIXES:
            if key.startswith(prefix):
                key, changed = key[len(prefix) :], True
        for suffix in _COUNCIL_SUFFIXES:
            if key.endswith(suffix):
                key, changed = key[: -len(suffix)], True
    return key.strip()


def _ward_key(name: str) -> str:
    """A ward name as matched: :func:`normalise_name`, then letters and digits only ("Hill-Top" is "Hilltop")."""
    return re.sub(r"[\W_]+", "", normalise_name(name))


@dataclass(frozen=True)
class WardIndicator:
    """An indicator published by ward as a count out of a base (turnout: ballots out of electors)."""

    id: str
    table: str
    count: str
    base: str
    period: str
    notes: str


#: Ward-level indicators by catalogue id.
WARD_INDICATORS: dict[str, WardIndicator] = {
    "local_election_turnout": WardIndicator(
        id="local_election_turnout",
        table=LOCAL_TURNOUT_TABLE,
        count="ballots",
        base="electorate",
        period=str(LOCAL_ELECTION_YEAR),
        notes="ballot papers from {base:,.0f} electors in {n} ward(s), May 2022 local elections; "
        "2022 wards matched to May 2025 wards by name",
    ),
}


def county_local_turnout(context: BuildContext) -> pd.DataFrame:
    """Return the May 2022 ward results of the county's councils, matched to May 2025 wards by name.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCAL_TURNOUT_COLUMNS`, one row per ward of a configured district in the
        workbook; ``ward_code`` and ``ward_name`` empty where the name matched no ward.
    """
    wards = context.cached(
        f"elections:{LOCAL_ELECTIONS_SOURCE}", lambda: read_ec_local_wards(context.path(LOCAL_ELECTIONS_SOURCE))
    )
    places = county_lsoa21(context).dropna(subset=["ward_code"]).drop_duplicates("ward_code")
    records = []
    for district in context.areas.districts:
        rows = wards[wards["council"].map(council_key) == council_key(district.name)]
        own = places[places["lad_code"] == district.code]
        by_key = {_ward_key(n): (c, n) for c, n in zip(own["ward_code"], own["ward_name"], strict=True)}
        for council, ward, electorate, ballots in rows.loc[:, ["council", "ward", "electorate", "ballots"]].itertuples(
            index=False
        ):
            code, name = by_key.get(_ward_key(ward), (None, None))
            records.append(
                {
                    "ward_code": code,
                    "ward_name": name,
                    "lad_code": district.code,
                    "council": council,
                    "source_ward": ward,
                    "matched": code is not None,
                    "year": LOCAL_ELECTION_YEAR,
                    "electorate": electorate,
                    "ballots": ballots,
                }
            )
    frame = pd.DataFrame.from_records(records, columns=list(LOCAL_TURNOUT_COLUMNS))
    for column in ("ward_code", "ward_name", "lad_code", "council", "source_ward"):
        frame[column] = frame[column].astype("string")
    for column in ("electorate", "ballots"):
        frame[column] = frame[column].astype("Int64")
    frame["matched"] = frame["matched"].astype(bool)
    frame["year"] = frame["year"].astype("int64")
    return frame


def build_election_tables(context: BuildContext) -> list[Output]:
    """Build the ward turnout and constituency turnout tables (a table producer).

    Returns
    -------
    list of Output
        ``ward/local_turnout.parquet`` when the Electoral Commission's workbook was
        fetched; ``constituency/ge2024_turnout.parquet`` when the GE2024 results were.
    """
    outputs = []
    if LOCAL_ELECTIONS_SOURCE in context.files:
        places = [*imd_sources(context, 2025)] + ([WARD25_LOOKUP] if WARD25_LOOKUP in context.files else [])
        outputs.append(Output(LOCAL_TURNOUT_TABLE, county_local_turnout(context), (LOCAL_ELECTIONS_SOURCE, *places)))
    if GENERAL_ELECTION_SOURCE in context.files:
        table = context.cached(
            f"elections:{GENERAL_ELECTION_SOURCE}",
            lambda: read_hoc_ge_results(context.path(GENERAL_ELECTION_SOURCE)),
        )
        outputs.append(Output(GE_TURNOUT_TABLE, table, (GENERAL_ELECTION_SOURCE,)))
    return outputs


def ward_turnout_rows(
    indicator: str, area: ResolvedArea, table: pd.DataFrame, wards25: set[str]
) -> list[dict[str, object]]:
    """Canonical rows of a ward indicator for a ward or neighbourhood (empty for other areas).

    Parameters
    ----------
    indicator : str
        An id of :data:`WARD_INDICATORS`.
    area : ResolvedArea
        The ward or neighbourhood; its May 2025 wards are ``area.ward_codes`` that are in
        ``wards25``.
    table : pandas.DataFrame
        The indicator's ward table (e.g. :data:`LOCAL_TURNOUT_TABLE`).
    wards25 : set of str
        The county's May 2025 ward codes.

    Returns
    -------
    list of dict
        One row (columns :data:`~cwb_metrics.models.row.CANONICAL_COLUMNS`): the value is
        100 x the sum of counts over the sum of bases when every ward of the area has a
        result, else missing with a status and notes saying which wards lack one.
    """
    spec = WARD_INDICATORS[indicator]
    wanted = [c for c in dict.fromkeys(area.ward_codes) if c in wards25]
    if not wanted:
        return []
    matched = table[table["matched"] & table["ward_code"].isin(wanted)]
    found = set(matched["ward_code"].dropna())
    missing = [c for c in wanted if c not in found]
    row: dict[str, object] = {
        "areacd": area.code,
        "areanm": area.name,
        "geography": area.kind,
        "indicator": indicator,
        "period": spec.period,
        "unit": "%",
        "lci_95": math.nan,
        "uci_95": math.nan,
    }
    if missing:
        row.update(
            value=math.nan,
            status=NO_RESULT,
            notes=f"{len(missing)} of the area's {len(wanted)} wards have no May 2022 result: their council held no "
            "election that May, or the ward's 2022 name matched no May 2025 ward",
        )
        return [row]
    count = float(pd.to_numeric(matched[spec.count]).sum())
    base = float(pd.to_numeric(matched[spec.base]).sum())
    row.update(
        value=100 * count / base if base > 0 else math.nan,
        status="" if base > 0 else NO_RESULT,
        notes=f"{count:,.0f} " + spec.notes.format(base=base, n=len(wanted)),
    )
    return [row]


def constituency_turnout(store: DataStore, *, country: str | None = "England") -> pd.DataFrame:
    """General election 2024 turnout by constituency, as published (not apportioned to districts).

    Parameters
    ----------
    store : DataStore
        The data folder.
    country : str or None
        Keep one country's constituencies (``None``: the whole UK).

    Returns
    -------
    pandas.DataFrame
        :data:`cwb_metrics.sources.elections.GE_COLUMNS`, highest turnout first.

    Raises
    ------
    NoDataError
        When the table has not been built.
    """
    table = store.read_table(GE_TURNOUT_TABLE)
    if country is not None:
        table = table[table["country"] == country]
    return table.sort_values("turnout", ascending=False, ignore_index=True)
