"""Adapter for the ONS Explore Local Statistics "similar areas" files.

- ``global-neighbours.csv``, ``economic-neighbours.csv``, ``demographic-neighbours.csv``:
  for each area (``AREACD``: UK local authorities E06/E07/E08/E09, W06, S12, N09, English
  counties E10 and combined authorities E47), its 20 most similar areas in order (columns
  ``1`` ... ``20``). ONS's app labels the *global* list "All indicators" and shows it
  first: it is the headline "similar areas" list.
- ``cluster-allocation.csv``: ``AREACD, AREANM, Global, Economic, Demographic``, the
  cluster letter of each local authority (its names are used for neighbours' names).

UTF-8 with a byte-order mark; read with :func:`cwb_metrics.sources.rawtable.read_raw_table`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cwb_metrics.models.row import GSS_CODE_PATTERN
from cwb_metrics.sources.rawtable import ProblemList, check_codes, check_unique, read_raw_table, text_column

#: The neighbour lists ONS publishes; ``global`` is the headline list.
NEIGHBOUR_KINDS: tuple[str, ...] = ("global", "economic", "demographic")
_GSS = GSS_CODE_PATTERN.strip("^$")


def read_neighbours(path: Path) -> dict[str, list[str]]:
    """Read one neighbours file: area code -> its similar areas, most similar first.

    Raises
    ------
    DataValidationError
        When ``AREACD`` or the rank columns are missing, a code is not a GSS code, a rank is
        blank before a listed one, or an area is listed twice in one row.
    """
    table = read_raw_table(
        Path(path), is_header=lambda cells: "AREACD" in [c.upper() for c in cells], what="an ONS neighbours file"
    )
    problems = ProblemList(table.file)
    frame = table.frame.rename(columns=lambda c: str(c).strip().upper())
    ranks = [c for c in frame.columns if c.isdigit()]
    if "AREACD" not in frame.columns or not ranks:
        problems.add("expected columns AREACD, 1, 2, ... 20 (the most similar area first)")
        problems.raise_if_any()
    ranks.sort(key=int)
    codes = text_column(frame["AREACD"])
    check_codes(problems, table, codes, "AREACD", _GSS, "a GSS code")
    check_unique(problems, table, codes, "AREACD")
    lists = frame[ranks].apply(lambda col: text_column(col))
    for column in ranks:
        values = lists[column]
        present = values.notna()
        check_codes(problems, table, values.where(present, "E00000000"), column, _GSS, "a GSS code")
    # A blank rank before a listed one would move every later neighbour up a place.
    later = lists.notna().iloc[:, ::-1].cummax(axis=1).iloc[:, ::-1].shift(-1, axis=1, fill_value=False)
    for column in ranks:
        gap = lists[column].isna() & later[column].astype(bool)
        if gap.any():
            problems.add_rows(
                table, gap, column, "blank, but a less similar area is listed after it: ranks would shift"
            )
        again = pd.Series(False, index=lists.index)
        for earlier in ranks[: ranks.index(column)]:
            again |= lists[column].notna() & (lists[column] == lists[earlier]).fillna(False)
        again |= lists[column].notna() & (lists[column] == codes).fillna(False)
        if again.any():
            problems.add_rows(table, again, column, "listed earlier in the row (or is the area itself)", lists[column])
    problems.raise_if_any()
    return {
        str(code): [str(v) for v in row if isinstance(v, str) and v]
        for code, row in zip(codes, lists.itertuples(index=False), strict=True)
    }


def read_cluster_allocation(path: Path) -> pd.DataFrame:
    """Read ``cluster-allocation.csv``: ``code, name, global, economic, demographic``.

    Raises
    ------
    DataValidationError
        When a column is missing or a code is not a GSS code.
    """
    table = read_raw_table(
        Path(path),
        is_header=lambda cells: "AREACD" in [c.upper() for c in cells],
        what="an ONS cluster allocation file",
    )
    problems = ProblemList(table.file)
    frame = table.frame.rename(columns=lambda c: str(c).strip().casefold())
    missing = [c for c in ("areacd", "areanm", *NEIGHBOUR_KINDS) if c not in frame.columns]
    if missing:
        problems.add(f"missing columns {missing}; expected AREACD, AREANM, Global, Economic, Demographic")
        problems.raise_if_any()
    out = pd.DataFrame({"code": text_column(frame["areacd"]), "name": text_column(frame["areanm"])})
    for kind in NEIGHBOUR_KINDS:
        out[kind] = text_column(frame[kind])
    check_codes(problems, table, out["code"], "AREACD", _GSS, "a GSS code")
    check_unique(problems, table, out["code"], "AREACD")
    problems.raise_if_any()
    return out
