"""The LSOA table producer: county LSOAs of both IoD editions, wards and districts joined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cwb_metrics.deprivation.county import table_columns
from cwb_metrics.deprivation.tables import build_lsoa_tables
from cwb_metrics.errors import DataValidationError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _by_name(outputs):
    return {o.relative: o for o in outputs}


def test_three_tables_with_their_sources(testshire_context) -> None:
    outputs = _by_name(build_lsoa_tables(testshire_context()))
    assert set(outputs) == {"lsoa/imd2019.parquet", "lsoa/imd2025.parquet", "lsoa/lsoa11_lsoa21.parquet"}
    assert set(outputs["lsoa/imd2019.parquet"].built_from) == {
        "imd/2019/file2", "imd/2019/file6", "lookup/lsoa11_ward19",
    }  # fmt: skip
    assert {"imd/2025/file7", "lookup/lsoa21_ward25"} <= set(outputs["lsoa/imd2025.parquet"].built_from)


def test_2019_table_has_the_county_lsoas_with_ward_district_and_population(testshire_context) -> None:
    table = _by_name(build_lsoa_tables(testshire_context()))["lsoa/imd2019.parquet"].payload
    assert list(table.columns) == table_columns()
    # The fixture lookup puts six LSOAs in Northdale and Southdale; Otherplace's two are outside.
    assert sorted(table["lsoa_code"]) == [f"E0109990{i}" for i in range(1, 7)]
    row = table.set_index("lsoa_code").loc["E01099904"]
    assert (row["ward_code"], row["ward_name"], row["lad_name"]) == ("E05099902", "Hilltop", "Northdale")
    assert (row["imd_rank"], row["population"]) == (20000, 2010)


def test_2025_table_takes_lsoas_wards_and_names_from_the_ward25_lookup(testshire_context) -> None:
    table = _by_name(build_lsoa_tables(testshire_context()))["lsoa/imd2025.parquet"].payload
    expected = ["E01099901", "E01099902", "E01099903", "E01099904", "E01099907", "E01099909"]
    assert sorted(table["lsoa_code"]) == expected
    row = table.set_index("lsoa_code").loc["E01099907"]
    # The renamed extract has no names: the name comes from the lookup.
    assert (row["lsoa_name"], row["ward_name"], row["lad_code"]) == ("Northdale 002C", "Hilltop", "E07099901")
    assert row["imd_score"] == pytest.approx(22.2)
    assert table["population"].isna().all()


def test_2025_from_the_official_file7_without_a_ward_lookup_uses_the_file_district_codes(testshire_context) -> None:
    context = testshire_context({
        "imd/2025/file7": FIXTURES / "iod" / "iod2025_file7_official.csv", "lookup/lsoa21_ward25": None,
    })  # fmt: skip
    table = _by_name(build_lsoa_tables(context))["lsoa/imd2025.parquet"].payload
    assert sorted(table["lsoa_code"]) == ["E01099901", "E01099902", "E01099903", "E01099904", "E01099907", "E01099909"]
    assert table["ward_code"].isna().all()
    assert table.set_index("lsoa_code").loc["E01099909", "population"] == 3230


def test_the_bestfit_table_flags_changed_codes(testshire_context) -> None:
    table = _by_name(build_lsoa_tables(testshire_context()))["lsoa/lsoa11_lsoa21.parquet"].payload
    assert len(table) == 6
    assert sorted(table.loc[table["code_changed"], "lsoa11_code"]) == ["E01099905", "E01099906"]


def test_a_county_lsoa_missing_from_the_iod_file_is_an_error(
    testshire_context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cwb_metrics.sources import imd

    source = FIXTURES / "iod" / "iod2019_file2_domains.csv"
    lines = source.read_text(encoding="utf-8-sig").splitlines()
    cut = tmp_path / "file2_without_E01099903.csv"
    cut.write_text("\n".join(line for line in lines if not line.startswith("E01099903")) + "\n", encoding="utf-8")
    context = testshire_context({"imd/2019/file2": cut, "imd/2019/file6": None})
    monkeypatch.setitem(imd.EXPECTED_ROWS, 2019, 7)  # the file is complete; only the county LSOA is gone
    with pytest.raises(DataValidationError) as error:
        build_lsoa_tables(context)
    assert any("E01099903" in p.message and p.file == cut.name for p in error.value.problems)


def test_tables_round_trip_through_the_store(testshire_store) -> None:
    table = testshire_store.read_table("lsoa/imd2019.parquet")
    assert str(table["imd_rank"].dtype) == "Int64" and len(table) == 6
    manifest = testshire_store.manifest()
    assert manifest["outputs"]["lsoa/imd2025.parquet"]["rows"] == 6


# ----- the real files -------------------------------------------------------------------------------
def _feature_codes(path: Path, key: str) -> set[str]:
    return {f["properties"][key] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}


@pytest.mark.integration
def test_real_tables_cover_exactly_the_lsoas_of_the_oxfordshire_boundaries(mirror: Path, lsoa_store) -> None:
    boundaries = mirror / "boundaries" / "oxfordshire"
    imd2019 = lsoa_store.read_table("lsoa/imd2019.parquet")
    imd2025 = lsoa_store.read_table("lsoa/imd2025.parquet")
    assert len(imd2019) == 407 and len(imd2025) == 428  # SOURCES.md
    assert set(imd2019["lsoa_code"]) == _feature_codes(
        boundaries / "oxfordshire_E10000025_lsoa11_bgc.geojson", "LSOA11CD"
    )
    assert set(imd2025["lsoa_code"]) == _feature_codes(
        boundaries / "oxfordshire_E10000025_lsoa21_bgc.geojson", "LSOA21CD"
    )
    assert imd2019["ward_code"].notna().all() and imd2025["ward_code"].notna().all()
    assert imd2019["population"].notna().all() and imd2019["imd_rank"].notna().all()


@pytest.mark.integration
def test_real_bestfit_table_has_the_21_code_changes(lsoa_store) -> None:
    table = lsoa_store.read_table("lsoa/lsoa11_lsoa21.parquet")
    assert len(table) == 407 and int(table["code_changed"].sum()) == 21  # SOURCES.md
