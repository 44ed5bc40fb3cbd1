"""Census 2021 adapter: the Nomis bulk and reshaped layouts (fixtures), errors, and the real files (mirror)."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import DataValidationError
from cwb_metrics.sources.census import (
    CENSUS_MEASURES,
    category_label,
    census_source,
    measure_counts,
    read_census_table,
)
from cwb_metrics.sources.registry import load_sources

CENSUS = "indicators_raw/census2021_lsoa21"


def test_nomis_layout_keeps_codes_names_and_categories(fixtures_dir: Path) -> None:
    table = read_census_table(fixtures_dir / "census" / "census2021-ts037-lsoa.csv")
    assert list(table.columns[:3]) == ["areacd", "areanm", "Total: All usual residents"]
    assert "Very bad health" in table.columns and "date" not in table.columns
    row = table.set_index("areacd").loc["E01099903"]
    assert row["areanm"] == "Northdale 002A"
    assert (row["Bad health"], row["Very bad health"]) == (60, 40)
    assert str(table["Bad health"].dtype) == "Int64"


def test_ts011_quoted_headers_crlf_and_measures_suffix(fixtures_dir: Path) -> None:
    table = read_census_table(fixtures_dir / "census" / "census2021-ts011-ltla.csv")
    assert "Total: All households" in table.columns
    assert "Household is deprived in four dimensions" in table.columns
    counts = measure_counts(table, CENSUS_MEASURES["census_households_deprived"], "f").set_index("areacd")
    assert counts.loc["E07099901", ["count", "base"]].tolist() == [700 + 300 + 90 + 10, 2300]


def test_reshaped_layout_has_no_names(fixtures_dir: Path) -> None:
    table = read_census_table(fixtures_dir / "census" / "ts052_reshaped_lsoa.csv")
    assert set(table["areanm"]) == {""}
    counts = measure_counts(table, CENSUS_MEASURES["census_overcrowding"], "f").set_index("areacd")
    assert counts.loc["E01099901", ["count", "base"]].tolist() == [25, 400]


def test_gzip_and_nomis_zip_pick_the_member_of_the_level(fixtures_dir: Path, tmp_path: Path) -> None:
    lsoa = fixtures_dir / "census" / "census2021-ts037-lsoa.csv"
    ltla = fixtures_dir / "census" / "census2021-ts037-ltla.csv"
    gz = tmp_path / "census2021-ts037-lsoa.csv.gz"
    gz.write_bytes(gzip.compress(lsoa.read_bytes()))
    assert len(read_census_table(gz)) == 9
    archive = tmp_path / "census2021-ts037.csv.gz"  # a download keeps the mirror's name, holding Nomis's zip
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(lsoa, "census2021-ts037-lsoa.csv")
        zipped.write(ltla, "census2021-ts037-ltla.csv")
        zipped.writestr("metadata/ts037-2021-1.txt", "Title: General health")
    assert set(read_census_table(archive, level="ltla")["areacd"]) == {"E07099901", "E07099999", "W06099901"}
    assert len(read_census_table(archive, level="lsoa")) == 9
    with pytest.raises(DataValidationError, match="member in the Nomis zip"):
        read_census_table(archive)


def test_bad_counts_and_codes_are_named_by_row_and_column(fixtures_dir: Path, tmp_path: Path) -> None:
    text = (fixtures_dir / "census" / "census2021-ts037-ltla.csv").read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace(",281,", ",-3,").replace("E07099999", "Otherplace"))
    with pytest.raises(DataValidationError) as error:
        read_census_table(bad)
    messages = [str(p) for p in error.value.problems]
    assert any("row 2" in m and "General health: Bad health" in m and "outside" in m for m in messages)
    assert any("row 3" in m and "geography code" in m and "GSS" in m for m in messages)


def test_repeated_code_missing_total_and_wrong_table(fixtures_dir: Path, tmp_path: Path) -> None:
    lines = (fixtures_dir / "census" / "census2021-ts037-ltla.csv").read_text().splitlines()
    repeated = tmp_path / "repeated.csv"
    repeated.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(DataValidationError, match="listed twice"):
        read_census_table(repeated)
    no_total = tmp_path / "no_total.csv"
    no_total.write_text("\n".join([lines[0].replace("Total: All usual residents", "All"), *lines[1:]]) + "\n")
    with pytest.raises(DataValidationError):
        read_census_table(no_total)
    table = read_census_table(fixtures_dir / "census" / "census2021-ts037-ltla.csv")
    with pytest.raises(DataValidationError, match="no category 'No central heating' in this TS046 table"):
        measure_counts(table, CENSUS_MEASURES["census_no_central_heating"], "ts037.csv")


def test_category_label_and_source_ids() -> None:
    assert category_label("Occupancy rating for bedrooms: -2 or less (overcrowded)") == "-2 or less (overcrowded)"
    assert category_label("\ufeffDisability: Disabled under the Equality Act") == "Disabled under the Equality Act"
    sources = load_sources()
    for measure in CENSUS_MEASURES.values():
        assert census_source(measure.table, "lsoa") in sources


# ----- the mirror's files --------------------------------------------------------------------------
@pytest.mark.parametrize("table", sorted({m.table for m in CENSUS_MEASURES.values()}))
def test_every_mirror_table_reads_and_carries_its_measures(mirror: Path, table: str) -> None:
    sources = load_sources()
    for level in ("lsoa", "ltla"):
        source = census_source(table, level)
        if source not in sources:
            continue
        path = mirror / sources[source].mirror_path
        frame = read_census_table(path, level=level)
        raw = pd.read_csv(path)
        assert len(frame) == len(raw) == (35_672 if level == "lsoa" else 331)
        for indicator, measure in CENSUS_MEASURES.items():
            if measure.table != table:
                continue
            counts = measure_counts(frame, measure, path.name).set_index("areacd")
            code = "E07000178" if level == "ltla" else "E01028541"
            own = raw[raw["geography code"] == code].iloc[0]
            headers = {c.split(": ", 1)[1].replace("; measures: Value", ""): c for c in raw.columns if ": " in c}
            expected = sum(int(own[headers[k]]) for k in measure.count)
            assert counts.loc[code, "base"] == int(own[headers[measure.base]]), indicator
            assert counts.loc[code, "count"] == expected, indicator
