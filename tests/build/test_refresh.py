"""Refresh on the real mirror, and on broken copies of it: a clear error, previous data intact."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.build.refresh import refresh
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.store import DataStore

pytestmark = pytest.mark.integration

ELS = "indicators_raw/ons_explore_local_statistics"


def test_refresh_builds_every_indicator_and_records_provenance(built_store: DataStore) -> None:
    manifest = built_store.manifest()
    catalogue = load_catalogue()
    built = {Path(k).stem for k in manifest["outputs"] if k.startswith("indicators/")}
    assert built == set(catalogue) - set(manifest["skipped_indicators"])
    assert len(built) >= 25
    for source in manifest["sources"].values():
        assert len(source["sha256"]) == 64 and source["bytes"] > 0
    for output in manifest["outputs"].values():
        assert output["built_from"], "every output names what it was built from"
    for table in ("lsoa/imd2019.parquet", "lsoa/imd2025.parquet", "geo/lsoa11.topo.json", "geo/lsoa21.topo.json"):
        assert table in manifest["outputs"]


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def broken_mirror(mirror: Path, tmp_path: Path, relative: str, breaker: Callable[[bytes], bytes | None]) -> Path:
    """A mirror of symlinks to the real files, with one file replaced (or removed when breaker gives None)."""
    copy = tmp_path / "mirror"
    for path in mirror.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(mirror)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.symlink_to(path)
    target = copy / relative
    content = breaker((mirror / relative).read_bytes())
    target.unlink()
    if content is not None:
        target.write_bytes(content)
    return copy


def _replace_text(old: str, new: str, count: int = 1) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        text = raw.decode("utf-8-sig")
        assert old in text, f"test setup: {old!r} not in file"
        return text.replace(old, new, count).encode("utf-8")

    return change


def _truncate_middle(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _gz(change: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    return lambda raw: gzip.compress(change(gzip.decompress(raw)))


def _duplicate_first_data_row(raw: bytes) -> bytes:
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    return "".join([lines[0], lines[1], *lines[1:]]).encode("utf-8")


def _non_numeric_value(raw: bytes) -> bytes:
    lines = raw.decode("utf-8-sig").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    column = header.index("observation")
    for number, line in enumerate(lines[1:], start=1):
        fields = line.rstrip("\r\n").split(",")
        if len(fields) == len(header) and fields[0] == "E07000178":
            fields[column] = "n/a!"
            lines[number] = ",".join(fields) + "\n"
            break
    return "".join(lines).encode("utf-8")


BREAKAGES = {
    # case: (mirror path, breaker, words expected in the error message)
    "ELS file half-written": (
        f"{ELS}/housing-affordability-ratio.csv",
        _truncate_middle,
        ["housing-affordability-ratio.csv", "row"],
    ),
    "ELS column renamed": (
        f"{ELS}/claimant-count.csv",
        _replace_text(",observation,", ",obs_value,"),
        ["claimant-count.csv", "observation"],
    ),
    "ELS value not a number": (
        f"{ELS}/greenhouse-gas-emissions.csv",
        _non_numeric_value,
        ["greenhouse-gas-emissions.csv", "row", "not a number"],
    ),
    "ELS duplicate rows": (
        f"{ELS}/employment-rate.csv",
        _duplicate_first_data_row,
        ["employment-rate.csv", "duplicate"],
    ),
    "ELS file empty": (f"{ELS}/cigarette-smokers.csv", lambda raw: b"", ["cigarette-smokers.csv", "empty"]),
    "required source missing": (f"{ELS}/claimant-count.csv", lambda raw: None, ["claimant-count.csv", "mirror"]),
    "IMD 2019 gzip cut short": (
        "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        _truncate_middle,
        ["File_2_-_IoD2019_Domains_of_Deprivation"],
    ),
    "IMD 2025 bad LSOA code": (
        "imd2025/imd2025_england_lsoa21.csv.gz",
        _gz(_replace_text("E01000001,", "X01000001,")),
        ["imd2025_england_lsoa21", "row 2", "X01000001"],
    ),
    "IMD 2019 column renamed": (
        "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
        _gz(_replace_text("Income Rank", "Income Rnk")),
        ["File_2_-_IoD2019_Domains_of_Deprivation", "Income"],
    ),
    "boundary file half-written": (
        "boundaries/england/england_lsoa21_bgc.geojson.gz",
        _truncate_middle,
        ["england_lsoa21_bgc.geojson.gz"],
    ),
    "lookup with a non-English code": (
        "lookups/LSOA11_WD19_LAD19_EW_LU.csv.gz",
        _gz(_replace_text(",E01012057,", ",Q01012057,")),
        ["LSOA11_WD19_LAD19_EW_LU", "Q01012057"],
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_broken_input_fails_clearly_and_keeps_previous_data(
    case: str, built_store: DataStore, mirror: Path, tmp_path: Path
) -> None:
    relative, breaker, words = BREAKAGES[case]
    data = tmp_path / "data"
    shutil.copytree(built_store.root, data)
    store = DataStore(data)
    before, version = snapshot(data), store.current_version()
    with pytest.raises(CwbError) as caught:
        refresh(store, load_area_config(), mirror=broken_mirror(mirror, tmp_path, relative, breaker))
    message = str(caught.value)
    for word in words:
        assert word in message, f"{case}: {word!r} not in error message:\n{message}"
    assert store.current_version() == version
    assert snapshot(data) == before, f"{case}: the previous data changed"


def test_imd_share_carries_both_editions(built_store: DataStore, mirror: Path) -> None:
    import pandas as pd

    rows = built_store.read_indicator("imd_most_deprived_20pct")
    assert set(rows["period"]) == {"2019", "2025"}
    # 2019, computed here straight from MHCLG File 2 and the ONS LSOA -> ward/LAD 2019 lookup
    file2 = pd.read_csv(mirror / "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", encoding="utf-8-sig")
    decile = next(c for c in file2.columns if c.startswith("Index of Multiple Deprivation (IMD) Decile"))
    cherwell = file2[file2["Local Authority District code (2019)"] == "E07000177"]
    expected = 100 * (cherwell[decile] <= 2).sum() / len(cherwell)
    got = rows[(rows["areacd"] == "E07000177") & (rows["period"] == "2019")]["value"].iloc[0]
    assert got == pytest.approx(expected)


def test_every_source_a_record_names_is_in_its_provenance(built_store: DataStore) -> None:
    outputs = built_store.manifest()["outputs"]
    catalogue = load_catalogue()
    for meta in catalogue.values():
        built_from = set(outputs[f"indicators/{meta.id}.csv"]["built_from"])
        named = {meta.extract.source}
        for value in meta.extract.params.values():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and "/" in item:
                    named.add(item)
        assert named <= built_from, f"{meta.id}: {named - built_from} missing from its provenance"
