"""Builders imd_share and imd_population_share, on Testshire fixtures and the real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import get_builder, known_methods
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS

OXFORDSHIRE_DISTRICTS = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181"]


def _meta(method: str = "imd_share", source: str = "imd/2019/file2", **params: object) -> IndicatorMeta:
    return IndicatorMeta.model_validate({
        "id": "imd_test", "title": "Test IMD share", "short_title": "IMD share",
        "definition": "Share of LSOAs among England's most deprived.", "unit": "%", "polarity": "lower_is_better",
        "ring": "social_foundation", "dimension": "income_work", "lens": "local_social",
        "why_this_proxy": "A test record only.",
        "threshold": {"kind": "zero_deprivation", "value": 0, "source": "Illustrative",
                      "rationale": "No one should live in deprivation.", "illustrative": True,
                      "basis": "illustrative"},
        "origin": {"producer": "MHCLG", "title": "English Indices of Deprivation", "url_main": "https://www.gov.uk/",
                   "licence": "OGL v3.0", "licence_url": "https://www.nationalarchives.gov.uk/",
                   "date_published": "2019-09-26", "citation": "MHCLG"},
        "extract": {"method": method, "source": source, "params": params},
        "geographies": ["country", "county", "district"],
    })  # fmt: skip


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["areacd"], frame["value"], strict=True))


def test_both_builders_are_registered() -> None:
    assert {"imd_share", "imd_population_share"} <= set(known_methods())


def test_imd_share_2019_most_deprived_10pct(testshire_context) -> None:
    meta = _meta(edition=2019, domain="imd", cutoff_decile=1)
    frame = get_builder("imd_share")(testshire_context(), meta)
    assert list(frame.columns) == list(CANONICAL_COLUMNS)
    assert list(frame["geography"]) == ["country", "county", "district", "district"]
    assert set(frame["period"]) == {"2019"} and set(frame["unit"]) == {"%"}
    # Fixture File 2, IMD decile 1: E01099901, E01099906 (county) and E01099998 (Otherplace), of 8.
    assert _values(frame) == pytest.approx(
        {"E92000001": 100 * 3 / 8, "E10099999": 100 * 2 / 6, "E07099901": 100 * 1 / 4, "E07099902": 100 * 1 / 2}
    )
    assert validate_frame(frame, "imd_test", expected_indicator="imd_test") == []
    assert frame.loc[frame["areacd"] == "E10099999", "notes"].item() == "2 of 6 LSOAs (2011) in IMD decile 1"


def test_imd_share_on_a_domain(testshire_context) -> None:
    meta = _meta(edition=2019, domain="education", cutoff_decile=1)
    frame = get_builder("imd_share")(testshire_context(), meta)
    # Education decile 1 in the fixture: E01099901, E01099902, E01099998.
    assert _values(frame) == pytest.approx(
        {"E92000001": 100 * 3 / 8, "E10099999": 100 * 2 / 6, "E07099901": 50.0, "E07099902": 0.0}
    )


def test_imd_share_2025_finds_the_county_through_the_ward25_lookup(testshire_context) -> None:
    meta = _meta(source="imd/2025/file7", edition=2025, domain="imd", cutoff_decile=2)
    frame = get_builder("imd_share")(testshire_context(), meta)
    # 2025 fixture deciles <= 2: E01099901, E01099903 (county), E01099998 (Otherplace).
    assert _values(frame) == pytest.approx(
        {"E92000001": 100 * 3 / 8, "E10099999": 100 * 2 / 6, "E07099901": 100 * 2 / 5, "E07099902": 0.0}
    )
    assert set(frame["period"]) == {"2025"}


def test_population_share_2019_weights_by_file6(testshire_context) -> None:
    meta = _meta("imd_population_share", edition=2019, domain="imd", cutoff_decile=2, extra_source="imd/2019/file6")
    frame = get_builder("imd_population_share")(testshire_context(), meta)
    assert _values(frame) == pytest.approx({
        "E92000001": 100 * (1500 + 1620 + 1700 + 1100) / 12010,
        "E10099999": 100 * (1500 + 1620 + 1700) / 9660,
        "E07099901": 100 * (1500 + 1620) / 6510,
        "E07099902": 100 * 1700 / 3150,
    })  # fmt: skip
    assert validate_frame(frame, "imd_test", expected_indicator="imd_test") == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"domain": "imd", "cutoff_decile": 2}, "edition is required"),
        ({"edition": 2018, "domain": "imd", "cutoff_decile": 2}, "edition must be one of"),
        ({"edition": 2019, "domain": "wealth", "cutoff_decile": 2}, "domain must be one of"),
        ({"edition": 2019, "domain": "imd", "cutoff_decile": 0}, "cutoff_decile must be"),
        ({"edition": 2019, "domain": "imd", "cutoff_decile": 2, "lookup": "lookup/lsoa21_ward25"}, "lookup must be"),
        ({"edition": 2019, "domain": "imd", "cutoff_decile": 2, "decile": 2}, "unknown keys"),
    ],
)
def test_bad_params_name_the_indicator_and_the_parameter(testshire_context, params: dict, message: str) -> None:
    with pytest.raises(CwbError, match=message) as error:
        get_builder("imd_share")(testshire_context(), _meta(**params))
    assert "imd_test" in str(error.value)


def test_a_domain_from_file1_and_a_2025_population_share_are_refused(testshire_context) -> None:
    with pytest.raises(CwbError, match="no Income deciles"):
        get_builder("imd_share")(testshire_context(), _meta(source="imd/2019/file1", edition=2019, domain="income",
                                                           cutoff_decile=1))  # fmt: skip
    meta = _meta("imd_population_share", source="imd/2025/file7", edition=2025, domain="imd", cutoff_decile=2)
    with pytest.raises(CwbError, match="no population"):
        get_builder("imd_population_share")(testshire_context(), meta)


# ----- the real files: values computed here from the raw CSVs with pandas ------------------------
@pytest.mark.integration
def test_real_2019_imd_share_matches_the_raw_file(mirror_context, mirror: Path) -> None:
    raw = pd.read_csv(mirror / "imd2019/csv/File_2_-_IoD2019_Domains_of_Deprivation.csv.gz", encoding="utf-8-sig")
    lad = raw["Local Authority District code (2019)"]
    deciles = raw["Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"]
    expected = {code: 100 * (deciles[lad == code] <= 2).mean() for code in OXFORDSHIRE_DISTRICTS}
    expected["E10000025"] = 100 * (deciles[lad.isin(OXFORDSHIRE_DISTRICTS)] <= 2).mean()
    expected["E92000001"] = 100 * (deciles <= 2).mean()
    frame = get_builder("imd_share")(mirror_context, _meta(edition=2019, domain="imd", cutoff_decile=2))
    assert _values(frame) == pytest.approx(expected)
    assert _values(frame)["E92000001"] == pytest.approx(20, abs=0.01)  # by definition
    assert _values(frame)["E10000025"] == pytest.approx(100 * 17 / 407)
    assert validate_frame(frame, "imd_test", expected_indicator="imd_test") == []


@pytest.mark.integration
def test_real_2025_education_share_matches_the_raw_file(mirror_context, mirror: Path) -> None:
    raw = pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21.csv.gz")
    wards = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv")
    county = raw.merge(wards, left_on="lsoa21_code", right_on="LSOA21CD")
    expected = {c: 100 * (county.loc[county["LAD25CD"] == c, "Education_decile"] == 1).mean()
                for c in OXFORDSHIRE_DISTRICTS}  # fmt: skip
    expected["E10000025"] = 100 * (county["Education_decile"] == 1).mean()
    expected["E92000001"] = 100 * (raw["Education_decile"] == 1).mean()
    meta = _meta(source="imd/2025/file7", edition=2025, domain="education", cutoff_decile=1)
    frame = get_builder("imd_share")(mirror_context, meta)
    assert _values(frame) == pytest.approx(expected)
    assert _values(frame)["E92000001"] == pytest.approx(10, abs=0.01)


@pytest.mark.integration
def test_real_2019_population_share_matches_the_raw_files(mirror_context, mirror: Path) -> None:
    imd = pd.read_csv(mirror / "imd2019/csv/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
                      encoding="utf-8-sig", thousands=",")  # fmt: skip
    pop = pd.read_csv(mirror / "imd2019/csv/File_6_-_IoD2019_Population_Denominators.csv.gz",
                      encoding="utf-8-sig", thousands=",")  # fmt: skip
    both = imd.merge(
        pop[["LSOA code (2011)", "Total population: mid 2015 (excluding prisoners)"]], on="LSOA code (2011)"
    )
    people = both["Total population: mid 2015 (excluding prisoners)"]
    deprived = both["Index of Multiple Deprivation (IMD) Decile"] <= 2
    oxon = both["Local Authority District code (2019)"].isin(OXFORDSHIRE_DISTRICTS)
    meta = _meta("imd_population_share", edition=2019, domain="imd", cutoff_decile=2)
    values = _values(get_builder("imd_population_share")(mirror_context, meta))
    assert values["E92000001"] == pytest.approx(100 * people[deprived].sum() / people.sum())
    assert values["E10000025"] == pytest.approx(100 * people[deprived & oxon].sum() / people[oxon].sum())
