"""Election turnout: Electoral Commission local election data by ward; Commons Library general election results.

- :func:`read_ec_local_wards`: the Electoral Commission's workbook of electoral data for
  the May 2022 local elections in England, sheet ``Ward data``
  (``Local Authority Name, Ward Name, Electorate, Ballot papers at the count``, rejected
  ballots by reason, postal ballots). Councils and wards are named, not coded. Only
  councils that held elections that May are listed.
- :func:`read_hoc_ge_results`: the House of Commons Library's results by constituency
  for the general election of 4 July 2024 (``ONS ID, Constituency name, Region name,
  Country name, Electorate, Valid votes, Invalid votes`` ...; numbers with thousands
  separators).

Turnout is ``100 x ballots / electorate``: for local elections the Commission's "ballot
box turnout" (ballot papers at the count, including those later rejected); for the
general election valid plus invalid votes. Each reader returns validated rows or raises
:class:`~cwb_metrics.errors.DataValidationError` naming the file, row and column (a
blank or negative count, more ballots than electors, a missing column).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cwb_metrics.sources.rawtable import (
    ProblemList,
    RawTable,
    check_codes,
    check_integers,
    check_unique,
    normalise_header,
    read_raw_table,
    text_column,
)

#: Columns of :func:`read_ec_local_wards`.
LOCAL_WARD_COLUMNS: tuple[str, ...] = ("council", "ward", "electorate", "ballots", "turnout")
#: Columns of :func:`read_hoc_ge_results`.
GE_COLUMNS: tuple[str, ...] = (
    "pcon_code",
    "pcon_name",
    "region",
    "country",
    "electorate",
    "votes",
    "turnout",
)
_MAX_ELECTORATE = 50_000_000


def _column(problems: ProblemList, table: RawTable, wanted: str) -> pd.Series | None:
    by_normal = {normalise_header(h): h for h in table.frame.columns}
    header = by_normal.get(normalise_header(wanted))
    if header is None:
        problems.add(f"missing column {wanted!r}", row=table.header_row, column=wanted)
        return None
    return table.frame[header]


def _turnout(
    problems: ProblemList, table: RawTable, electorate: pd.Series, ballots: pd.Series, column: str
) -> pd.Series:
    over = electorate.notna() & ballots.notna() & (ballots > electorate)
    if over.any():
        problems.add_rows(table, over, column, "more ballots than electors", ballots.astype("string"))
    return (100 * ballots.astype("Float64") / electorate.astype("Float64").where(electorate > 0)).astype("Float64")


def read_ec_local_wards(path: Path) -> pd.DataFrame:
    """Read the ``Ward data`` sheet of the Electoral Commission's local election workbook.

    Parameters
    ----------
    path : pathlib.Path
        The workbook (``2022 England Electoral data.xlsx``), or that sheet saved as CSV.

    Returns
    -------
    pandas.DataFrame
        :data:`LOCAL_WARD_COLUMNS`: ``council`` and ``ward`` as written (text),
        ``electorate`` and ``ballots`` (``Int64``; ballots missing where no poll was
        recorded), ``turnout`` (``Float64``, %), one row per ward.

    Raises
    ------
    DataValidationError
        When a column is missing, a council or ward name is blank, a ward is listed twice
        for one council, a count is not a whole number of 0 or more, or a ward has more
        ballots than electors.
    """

    def is_header(cells: list[str]) -> bool:
        return "ward name" in cells and "local authority name" in cells

    table = read_raw_table(Path(path), is_header=is_header, what="the Electoral Commission's 'Ward data' sheet")
    problems = ProblemList(table.file)
    columns = {
        name: _column(problems, table, name)
        for name in ("Local Authority Name", "Ward Name", "Electorate", "Ballot papers at the count")
    }
    problems.raise_if_any()
    council = text_column(columns["Local Authority Name"])
    ward = text_column(columns["Ward Name"])
    for values, name in ((council, "Local Authority Name"), (ward, "Ward Name")):
        if values.isna().any():
            problems.add_rows(table, values.isna(), name, "blank name")
    electorate = check_integers(
        problems, table, columns["Electorate"], "Electorate", low=0, high=_MAX_ELECTORATE, what="electorate"
    )
    ballots = check_integers(
        problems,
        table,
        columns["Ballot papers at the count"],
        "Ballot papers at the count",
        low=0,
        high=_MAX_ELECTORATE,
        what="ballot papers",
        required=False,
    )
    keys = council.fillna("") + "\u0000" + ward.fillna("")
    check_unique(problems, table, keys.where(council.notna() & ward.notna()), "Ward Name")
    turnout = _turnout(problems, table, electorate, ballots, "Ballot papers at the count")
    problems.raise_if_any()
    return pd.DataFrame(
        {"council": council, "ward": ward, "electorate": electorate, "ballots": ballots, "turnout": turnout}
    ).reset_index(drop=True)


def read_hoc_ge_results(path: Path) -> pd.DataFrame:
    """Read the House of Commons Library's general election results by constituency.

    Parameters
    ----------
    path : pathlib.Path
        ``HoC-GE2024-results-by-constituency.csv`` (or the same columns as XLSX).

    Returns
    -------
    pandas.DataFrame
        :data:`GE_COLUMNS`: the constituency's ONS code and name, region and country
        names, ``electorate`` and ``votes`` (valid plus invalid; ``Int64``) and
        ``turnout`` (``Float64``, %), one row per constituency.

    Raises
    ------
    DataValidationError
        When a column is missing, an ONS code is not a constituency code or is listed
        twice, a count is blank or not a whole number, or votes exceed the electorate.
    """

    def is_header(cells: list[str]) -> bool:
        return "ons id" in cells and "electorate" in cells

    table = read_raw_table(
        Path(path), is_header=is_header, what="the House of Commons Library's results by constituency"
    )
    problems = ProblemList(table.file)
    wanted = (
        "ONS ID",
        "Constituency name",
        "Region name",
        "Country name",
        "Electorate",
        "Valid votes",
        "Invalid votes",
    )
    columns = {name: _column(problems, table, name) for name in wanted}
    problems.raise_if_any()
    codes = text_column(columns["ONS ID"])
    check_codes(problems, table, codes, "ONS ID", r"(?:E14|S14|W07|N05|N06)[0-9]{6}", "a Westminster constituency code")
    check_unique(problems, table, codes, "ONS ID")
    counts = {
        name: check_integers(problems, table, columns[name], name, low=0, high=_MAX_ELECTORATE, what=name.lower())
        for name in ("Electorate", "Valid votes", "Invalid votes")
    }
    votes = (counts["Valid votes"] + counts["Invalid votes"]).astype("Int64")
    turnout = _turnout(problems, table, counts["Electorate"], votes, "Valid votes")
    problems.raise_if_any()
    return pd.DataFrame(
        {
            "pcon_code": codes,
            "pcon_name": text_column(columns["Constituency name"]),
            "region": text_column(columns["Region name"]),
            "country": text_column(columns["Country name"]),
            "electorate": counts["Electorate"],
            "votes": votes,
            "turnout": turnout,
        }
    ).reset_index(drop=True)
