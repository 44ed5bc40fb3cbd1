"""An area's LSOA 2011 to 2021 crosswalk, with each LSOA's own IMD rank and decile in its edition.

One row per (LSOA 2011, LSOA 2021) pair of the area's 2021 LSOAs, as the ONS exact-fit
lookup would list them, with the relationship as ONS names it (``unchanged``, ``split``,
``merged``, or ``other`` for redrawn boundaries and LSOAs that could not be matched). The
pairs and relationships are :mod:`cwb_metrics.deprivation.change`'s match table (built at
refresh from the ONS best-fit lookup and the boundaries); ``rank_2019`` and ``decile_2019``
are the LSOA 2011's official IoD2019 figures, ``rank_2025`` and ``decile_2025`` the LSOA
2021's official IoD2025 figures. Nothing is averaged: for a merged LSOA each 2011 part has
its own row (the population-weighted comparison is :func:`~cwb_metrics.deprivation.change.lsoa_change`'s).
"""

from __future__ import annotations

import pandas as pd

from cwb_metrics.areas.resolve import ResolvedArea
from cwb_metrics.deprivation.change import CHANGE_TABLE
from cwb_metrics.deprivation.tables import IMD2019_TABLE, IMD2025_TABLE
from cwb_metrics.errors import CwbError
from cwb_metrics.sources.imd import INDICES
from cwb_metrics.store import DataStore

#: The relationship of each match kind of :data:`~cwb_metrics.deprivation.change.MATCH_KINDS`.
RELATIONSHIP: dict[str, str] = {
    "unchanged": "unchanged",
    "split": "split",
    "merged": "merged",
    "complex": "other",
    "unmatched": "other",
}
#: Columns of :func:`area_crosswalk`.
CROSSWALK_COLUMNS: tuple[str, ...] = (
    "lsoa11",
    "lsoa21",
    "relationship",
    "decile_2019",
    "decile_2025",
    "rank_2019",
    "rank_2025",
)


def area_crosswalk(store: DataStore, area: ResolvedArea, index: str = "imd") -> pd.DataFrame:
    """The area's LSOA 2011 to 2021 pairs with their IoD2019 and IoD2025 ranks and deciles.

    Parameters
    ----------
    store : DataStore
        The data folder (its current version's IMD tables and LSOA change table).
    area : ResolvedArea
        From :func:`~cwb_metrics.areas.resolve.resolve_area`; its 2021 LSOAs are listed.
    index : str
        ``imd`` or a domain.

    Returns
    -------
    pandas.DataFrame
        :data:`CROSSWALK_COLUMNS`, sorted by ``lsoa21`` then ``lsoa11``; ranks and deciles
        are nullable integers (missing where an LSOA has no figure, and ``lsoa11`` is
        missing for an LSOA 2021 that could not be matched).

    Raises
    ------
    CwbError
        For an unknown ``index``.
    NoDataError
        When the tables have not been built (refresh).
    """
    if index not in INDICES:
        raise CwbError(f"index must be one of {list(INDICES)}, not {index!r}")
    rank, decile = f"{index}_rank", f"{index}_decile"
    wanted = list(dict.fromkeys(area.lsoa21))
    pairs = store.read_table(CHANGE_TABLE)
    pairs = pairs.loc[pairs["lsoa21_code"].isin(wanted), ["lsoa11_code", "lsoa21_code", "match"]].astype(object)
    missing = [code for code in wanted if code not in set(pairs["lsoa21_code"])]
    unmatched = pd.DataFrame({"lsoa11_code": [None] * len(missing), "lsoa21_code": missing, "match": "unmatched"})
    pairs = pd.concat([pairs, unmatched], ignore_index=True) if missing else pairs
    t19 = store.read_table(IMD2019_TABLE).loc[:, ["lsoa_code", rank, decile]]
    t25 = store.read_table(IMD2025_TABLE).loc[:, ["lsoa_code", rank, decile]]
    out = pairs.merge(t19.rename(columns={"lsoa_code": "lsoa11_code"}), on="lsoa11_code", how="left")
    out = out.rename(columns={rank: "rank_2019", decile: "decile_2019"})
    out = out.merge(t25.rename(columns={"lsoa_code": "lsoa21_code"}), on="lsoa21_code", how="left")
    out = out.rename(
        columns={rank: "rank_2025", decile: "decile_2025", "lsoa11_code": "lsoa11", "lsoa21_code": "lsoa21"}
    )
    out["relationship"] = out["match"].astype(str).map(RELATIONSHIP)
    for column in ("rank_2019", "decile_2019", "rank_2025", "decile_2025"):
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    out["lsoa11"] = out["lsoa11"].astype("string")
    out["lsoa21"] = out["lsoa21"].astype("string")
    return out.loc[:, list(CROSSWALK_COLUMNS)].sort_values(["lsoa21", "lsoa11"], ignore_index=True)


def crosswalk_records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """JSON-ready rows of :func:`area_crosswalk` (missing values as ``None``)."""
    return [
        {column: (None if pd.isna(value) else int(value) if column.startswith(("rank", "decile")) else str(value))
         for column, value in row.items()}
        for row in frame.to_dict("records")
    ]  # fmt: skip
