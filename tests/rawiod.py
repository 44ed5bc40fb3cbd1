"""Expected values computed independently with plain pandas from the raw mirror files (no cwb_metrics code).

Which council an LSOA is in comes from the England-wide LSOA boundary files' own
``LADCD_ACTIVE`` property (read with ``json``), deprivation from MHCLG's files as published.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

DOMAINS_2025 = ("Income", "Employment", "Education", "Health", "Crime", "Housing_and_Services", "Environment")


@dataclass(frozen=True)
class Raw:
    """The raw tables the expectations are computed from."""

    lsoa11: pd.DataFrame  # lsoa, lad (current), county
    lsoa21: pd.DataFrame  # lsoa, lad (current), county
    file1: pd.DataFrame  # IoD2019 File 1: lsoa, lad19, IMD decile
    file6: pd.DataFrame  # IoD2019 File 6: lsoa, total population
    iod2025: pd.DataFrame  # the 2025 LSOA file as in the mirror


def _properties(path: Path, code: str) -> pd.DataFrame:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return pd.DataFrame(
        {
            "lsoa": [f["properties"][code] for f in features],
            "lad": [f["properties"]["LADCD_ACTIVE"] for f in features],
            "county": [f["properties"]["UTLACD"] for f in features],
        }
    )


@cache
def raw(mirror: Path) -> Raw:
    """Read the raw files once per test session."""
    england = mirror / "boundaries" / "england"
    file1 = pd.read_csv(
        mirror / "imd2019/csv/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
        encoding="utf-8-sig",
        thousands=",",
    )
    file1 = file1.iloc[:, [0, 2, 5]].set_axis(["lsoa", "lad19", "decile"], axis=1)
    file6 = pd.read_csv(
        mirror / "imd2019/csv/File_6_-_IoD2019_Population_Denominators.csv.gz", encoding="utf-8-sig", thousands=","
    )
    file6 = file6.iloc[:, [0, 4]].set_axis(["lsoa", "population"], axis=1)
    return Raw(
        lsoa11=_properties(england / "england_lsoa11_bgc.geojson.gz", "LSOA11CD"),
        lsoa21=_properties(england / "england_lsoa21_bgc.geojson.gz", "LSOA21CD"),
        file1=file1,
        file6=file6,
        iod2025=pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv.gz"),
    )


def lsoas(mirror: Path, council: str, vintage: int) -> set[str]:
    """A council's LSOAs of one vintage: those whose boundary file names it (or its county)."""
    frame = raw(mirror).lsoa11 if vintage == 2011 else raw(mirror).lsoa21
    return set(frame.loc[(frame["lad"] == council) | (frame["county"] == council), "lsoa"])


def deprived_counts(mirror: Path, council: str, edition: int, domain: str = "IMD") -> tuple[int, int, int]:
    """(LSOAs, in decile 1, in deciles 1-2) of a council, IoD2019 (IMD only) or IoD2025 (any domain)."""
    if edition == 2019:
        table = raw(mirror).file1
        decile = table.loc[table["lsoa"].isin(lsoas(mirror, council, 2011)), "decile"]
    else:
        table = raw(mirror).iod2025
        decile = table.loc[table["lsoa21_code"].isin(lsoas(mirror, council, 2021)), f"{domain}_decile"]
    return len(decile), int((decile == 1).sum()), int((decile <= 2).sum())


def population_share_20pct_2019(mirror: Path, council: str) -> float:
    """% of a council's residents (mid-2015, File 6) living in LSOAs in IMD 2019 deciles 1-2."""
    table = raw(mirror).file1.merge(raw(mirror).file6, on="lsoa")
    mine = table[table["lsoa"].isin(lsoas(mirror, council, 2011))]
    return 100 * mine.loc[mine["decile"] <= 2, "population"].sum() / mine["population"].sum()
