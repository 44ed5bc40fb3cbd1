"""Helpers of the small-area, change and distribution tests.

- :func:`make_small_store`: a data folder holding the Testshire LSOA tables (built from
  the hand-written fixtures by ``testshire_store``) plus a hand-written fuel poverty table and
  the change lookup of :func:`cwb_metrics.deprivation.change.match_lsoas` over hand-written
  boundary overlaps. All numbers are made up.
- ``raw_*``: read the mirror's official files with plain pandas, independently of the
  library, so integration tests can compute their expectations (cached: do not modify the
  frames they return).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from cwb_metrics.deprivation.change import CHANGE_TABLE, match_lsoas
from cwb_metrics.deprivation.lsoa_indicators import FUEL_POVERTY_TABLE
from cwb_metrics.deprivation.tables import BESTFIT_TABLE, IMD2019_TABLE, IMD2025_TABLE
from cwb_metrics.store import DataStore

OXFORDSHIRE_DISTRICTS = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181"]

#: Made-up fuel poverty: (LSOA, vintage, year, households, households in fuel poverty).
TESTSHIRE_FUEL_POVERTY = [
    ("E01099901", 2011, 2020, 200, 20),
    ("E01099902", 2011, 2020, 200, 60),
    ("E01099903", 2011, 2020, 500, 25),
    ("E01099904", 2011, 2020, 800, 40),
    ("E01099905", 2011, 2020, 400, 20),
    ("E01099906", 2011, 2020, 600, 90),
    ("E01099901", 2021, 2023, 100, 10),
    ("E01099902", 2021, 2023, 300, 90),
    ("E01099903", 2021, 2023, 500, 50),
    ("E01099907", 2021, 2023, 400, 20),
    ("E01099904", 2021, 2023, 400, 40),
    ("E01099909", 2021, 2023, 1000, 50),
]

#: Made-up overlaps of the Testshire LSOAs: 002B (E01099904) split into itself and 002C
#: (E01099907, absent from the best-fit fixture); Southdale 001A and 001B merged into 001E.
TESTSHIRE_OVERLAPS = pd.DataFrame(
    [
        ("E01099901", "E01099901", 1.0, 0.999),
        ("E01099902", "E01099902", 1.0, 1.0),
        ("E01099903", "E01099903", 1.0, 1.0),
        ("E01099904", "E01099904", 0.6, 1.0),
        ("E01099904", "E01099907", 0.4, 0.98),
        ("E01099903", "E01099907", 0.001, 0.02),
        ("E01099905", "E01099909", 1.0, 0.45),
        ("E01099906", "E01099909", 1.0, 0.55),
    ],
    columns=["lsoa11_code", "lsoa21_code", "share_of_lsoa11", "share_of_lsoa21"],
)


def fuel_poverty_frame(rows: list[tuple[str, int, int, int, int]]) -> pd.DataFrame:
    """A table shaped like ``lsoa/fuel_poverty.parquet`` from (code, vintage, year, households, fuel poor)."""
    frame = pd.DataFrame(rows, columns=["lsoa_code", "lsoa_vintage", "year", "households", "fuel_poor_households"])
    frame["lsoa_name"] = frame["lsoa_code"]
    frame["lad_code"] = "E07099901"
    frame["fuel_poor_pct"] = 100 * frame["fuel_poor_households"] / frame["households"]
    frame["source"] = "fixture"
    return frame


def make_small_store(testshire_store: DataStore, root: Path) -> DataStore:
    """A new data folder: the Testshire LSOA tables, made-up fuel poverty and the change lookup."""
    store = DataStore(root)
    with store.new_version("refresh") as writer:
        for relative in (IMD2019_TABLE, IMD2025_TABLE, BESTFIT_TABLE):
            writer.write_table(relative, testshire_store.read_table(relative), ["fixture"])
        writer.write_table(FUEL_POVERTY_TABLE, fuel_poverty_frame(TESTSHIRE_FUEL_POVERTY), ["fixture"])
        best = testshire_store.read_table(BESTFIT_TABLE)
        codes = testshire_store.read_table(IMD2025_TABLE)["lsoa_code"].tolist()
        writer.write_table(CHANGE_TABLE, match_lsoas(best, codes, TESTSHIRE_OVERLAPS), ["fixture"])
    return store


# ----- the mirror's official files, read with plain pandas --------------------------------------
@lru_cache(maxsize=8)
def raw_ward19(mirror: Path) -> pd.DataFrame:
    frame = pd.read_csv(mirror / "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz", encoding="utf-8-sig")
    return frame[frame["LAD19CD"].isin(OXFORDSHIRE_DISTRICTS)]


@lru_cache(maxsize=8)
def raw_ward25(mirror: Path) -> pd.DataFrame:
    return pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv", encoding="utf-8-sig")


@lru_cache(maxsize=8)
def raw_imd2019(mirror: Path) -> pd.DataFrame:
    """IoD2019 File 2 with File 6's total population, columns renamed to ``code, imd_rank, imd_decile ...``."""
    file2 = pd.read_csv(
        mirror / "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", encoding="utf-8-sig", thousands=","
    )
    file6 = pd.read_csv(
        mirror / "imd2019/csv/File_6_-_IoD2019_Population_Denominators.csv.gz", encoding="utf-8-sig", thousands=","
    )
    out = pd.DataFrame(
        {
            "code": file2.iloc[:, 0],
            "imd_rank": file2.iloc[:, 4],
            "imd_decile": file2.iloc[:, 5],
            "education_decile": file2.iloc[:, 11],
        }
    )
    population = file6.set_index(file6.columns[0])[file6.columns[4]]
    out["population"] = out["code"].map(population)
    return out


@lru_cache(maxsize=8)
def raw_imd2025(mirror: Path) -> pd.DataFrame:
    return pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv.gz")


@lru_cache(maxsize=8)
def raw_bestfit(mirror: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        mirror / "lookups/lsoa11_to_lsoa21_best_fit_lookup_england_wales_v2.csv.gz", encoding="utf-8-sig"
    )
    return frame[frame["LAD22CD"].isin(OXFORDSHIRE_DISTRICTS)]


@lru_cache(maxsize=8)
def raw_fuel_poverty_lsoa(path: Path) -> pd.DataFrame:
    """The LSOA table of a DESNZ workbook: the sheet whose header row starts with 'LSOA Code'."""
    for sheet, cells in pd.read_excel(path, sheet_name=None, header=None, engine="calamine").items():
        first = cells.iloc[:40, 0].astype(str).str.strip().str.casefold()
        hits = first.index[first == "lsoa code"]
        if len(hits) and "number of households" in [str(c).strip().casefold() for c in cells.iloc[hits[0]]]:
            table = cells.iloc[hits[0] + 1 :].copy()
            table.columns = [str(c).strip() for c in cells.iloc[hits[0]]]
            table = table[table["LSOA Code"].astype(str).str.match(r"^E01\d{6}$")]
            households = next(c for c in table.columns if c.casefold() == "number of households")
            poor = next(c for c in table.columns if c.casefold().startswith("number of households in fuel poverty"))
            return pd.DataFrame(
                {
                    "code": table["LSOA Code"].astype(str),
                    "households": pd.to_numeric(table[households]),
                    "fuel_poor": pd.to_numeric(table[poor]),
                    "sheet": sheet,
                }
            )
    raise AssertionError(f"no LSOA table in {path}")
