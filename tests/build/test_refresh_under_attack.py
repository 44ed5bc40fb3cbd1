"""A refresh that meets a malformed official file of a newer source: a clear error, and the data as it was.

Each case breaks one real file of the mirror (a copy of it, in a mirror of symlinks) the
way a portal or a hand edit does, and refreshes the one indicator built from it. The error
must name the file (and the row, for a cell), and the data folder must stay byte-identical
with the same version current. The adapters' own tests (tests/sources/
test_adapters_under_attack.py) try every attack on every adapter; these check the refresh.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.build.refresh import refresh
from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.indicators.builders import builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.store import DataStore
from tests.build.test_refresh import broken_mirror, snapshot
from tests.sources.test_adapters_under_attack import HTML_PAGE

pytestmark = pytest.mark.integration

RAW = "indicators_raw"


def set_cell(row: int, column: str, value: str) -> Callable[[bytes], bytes]:
    """Write ``value`` into one cell (row: the file's line, header = 1) of a CSV, as a hand edit would."""

    def change(raw: bytes) -> bytes:
        bom = raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        rows[row - 1][rows[0].index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")

    return change


def cut_in_row(row: int) -> Callable[[bytes], bytes]:
    """The file as a download cut off half-way through line ``row``."""

    def change(raw: bytes) -> bytes:
        lines = raw.split(b"\n")
        return b"\n".join(lines[: row - 1]) + b"\n" + lines[row - 1][: len(lines[row - 1]) // 3]

    return change


def in_cp1252(row: int, column: str) -> Callable[[bytes], bytes]:
    """The file re-saved by a spreadsheet in Windows-1252, with an accented name in one row."""

    def change(raw: bytes) -> bytes:
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        rows[row - 1][rows[0].index(column)] += " (révisé)"
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("cp1252")

    return change


def other_workbook(raw: bytes) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Download report"])
    book.active.append(["Your file could not be generated"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CENSUS = f"{RAW}/census2021_lsoa21/census2021-ts037-ltla.csv"
CASES: dict[str, tuple[str, str, Callable[[bytes], bytes], list[str]]] = {
    # case: (indicator, mirror file, breaker, words the message must hold)
    "Census count written 1_000": ("census_bad_health", CENSUS, set_cell(2, "General health: Bad health", "1_000"),
                                   ["census2021-ts037-ltla.csv", "row 2", "General health: Bad health"]),
    "Census count with a misplaced separator": ("census_bad_health", CENSUS, set_cell(3, "General health: Bad health",
                                                "7,96"), ["census2021-ts037-ltla.csv", "row 3", "'7,96'"]),
    "GE results replaced by an HTML error page": ("ge2024_turnout",
                                                  f"{RAW}/hoc_ge2024_results/HoC-GE2024-results-by-constituency.csv",
                                                  lambda raw: HTML_PAGE, ["HoC-GE2024", "HTML"]),
    "Fingertips export cut off mid-row": ("pm25_mortality_fraction",
                                          f"{RAW}/ohid_fingertips_air_pollution/new_series_from_stable_link.csv",
                                          cut_in_row(5), ["new_series_from_stable_link.csv", "row 5", "cut short"]),
    "SDG file re-saved as Windows-1252": ("land_consumption_ratio", f"{RAW}/ons_sdg_uk/indicator_11-3-1.csv",
                                          in_cp1252(4, "Series"), ["indicator_11-3-1.csv", "row 4", "UTF-8"]),
    "IoD File 10 scale written 12%": ("children_income_deprived", "imd2025/imd2025_england_ltla24.csv",
                                      set_cell(2, "income_scale", "12%"),
                                      ["imd2025_england_ltla24.csv", "row 2", "income_scale"]),
    "gardens workbook saved as CSV text": ("homes_without_outdoor_space",
                                           f"{RAW}/ons_access_to_gardens/osprivateoutdoorspacereferencetables.xlsx",
                                           lambda raw: b"LAD code,Address count\nE07000178,100\n",
                                           ["osprivateoutdoorspacereferencetables.xlsx", "spreadsheet"]),
    "Health Index workbook cut short": ("health_index_air_pollution",
                                        f"{RAW}/ons_health_index/healthindexscoresengland.xlsx",
                                        lambda raw: raw[: len(raw) // 2], ["healthindexscoresengland.xlsx"]),
    "renewables workbook empty": ("renewable_generation_per_household",
                                  f"{RAW}/desnz_renewable_electricity/"
                                  "Renewable_electricity_by_local_authority_2014-2021_Nov22update.xlsx",
                                  lambda raw: b"", ["Renewable_electricity_by_local_authority", "empty"]),
    "EDM return replaced by an HTML page": ("storm_overflow_spill_hours",
                                            f"{RAW}/ea_edm_storm_overflows/EDM 2022 Storm Overflow Annual Return - "
                                            "all water and sewerage companies.xlsx",
                                            lambda raw: HTML_PAGE, ["EDM 2022 Storm Overflow", "HTML"]),
    "Electoral Commission workbook replaced by another": ("local_election_turnout",
                                                          f"{RAW}/electoral_commission_local_2022/"
                                                          "2022 England Electoral data_0.xlsx", other_workbook,
                                                          ["2022 England Electoral data_0.xlsx", "Ward data"]),
}  # fmt: skip


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path) -> DataStore:
    shutil.copytree(built_store.root, tmp_path / "data")
    return DataStore(tmp_path / "data")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_file_stops_the_refresh_and_keeps_the_data(
    case: str, store: DataStore, mirror: Path, tmp_path: Path
) -> None:
    indicator, relative, breaker, words = CASES[case]
    catalogue = {indicator: load_catalogue()[indicator]}
    before, version = snapshot(store.root), store.current_version()
    broken = broken_mirror(mirror, tmp_path, relative, breaker)
    with pytest.raises(CwbError) as caught:
        refresh(store, load_area_config(), mirror=broken, catalogue=catalogue, producers=[])
    message = str(caught.value)
    for word in words:
        assert word in message, f"{case}: {word!r} not in the message:\n{message}"
    assert "Traceback" not in message
    assert store.current_version() == version
    assert snapshot(store.root) == before, f"{case}: the data folder changed"


def test_the_same_indicators_refresh_from_the_intact_mirror(store: DataStore, mirror: Path) -> None:
    """The cases above fail because of the breakage, not because a one-indicator refresh cannot run."""
    catalogue = {indicator: load_catalogue()[indicator] for indicator, *_ in CASES.values()}
    result = refresh(store, load_area_config(), mirror=mirror, catalogue=catalogue, producers=[])
    assert set(result.indicators) == set(catalogue)


@builder("test_explodes")
def _explodes(context, meta) -> pd.DataFrame:
    pd.read_csv(context.path(meta.extract.source)).loc[:, "no such column"]  # a KeyError no adapter foresaw
    raise AssertionError("unreachable")


def test_an_error_no_adapter_foresaw_names_the_file_and_keeps_the_data(store: DataStore, mirror: Path) -> None:
    meta = load_catalogue()["census_bad_health"]
    odd = meta.model_copy(update={"extract": meta.extract.model_copy(update={"method": "test_explodes"})})
    before, version = snapshot(store.root), store.current_version()
    with pytest.raises(DataValidationError) as caught:
        refresh(store, load_area_config(), mirror=mirror, catalogue={odd.id: odd}, producers=[])
    message = str(caught.value)
    assert "census2021-ts037-ltla.csv" in message and "KeyError" in message and "census_bad_health" in message
    assert "no builder named" not in message  # a KeyError inside a builder is not a missing builder
    assert store.current_version() == version and snapshot(store.root) == before
