"""Builder ``census``: shares from counts for districts, the county and England (fixtures), and every record (mirror).

Expected values are worked out by hand from the fixtures (tests/fixtures/census) or with plain
pandas from the mirror's raw files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.sources.census import CENSUS_MEASURES
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import from_mirror
from cwb_metrics.sources.registry import load_sources

OXON = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181"]
CENSUS_IDS = sorted(CENSUS_MEASURES)


@pytest.fixture
def census_context(testshire_context, fixtures_dir: Path) -> BuildContext:
    folder = fixtures_dir / "census"
    return testshire_context(
        {
            "census/2021/ts037_lsoa": folder / "census2021-ts037-lsoa.csv",
            "census/2021/ts037_ltla": folder / "census2021-ts037-ltla.csv",
            "census/2021/ts052_lsoa": folder / "ts052_reshaped_lsoa.csv",
        }
    )


def _values(frame: pd.DataFrame) -> dict[str, float]:
    return dict(zip(frame["areacd"], frame["value"], strict=True))


def test_district_table_county_sum_and_england_sum(census_context: BuildContext) -> None:
    frame = get_builder("census")(census_context, load_catalogue()["census_bad_health"])
    assert validate_frame(frame, "built", expected_indicator="census_bad_health") == []
    values = _values(frame)
    # Northdale: ONS district row (281 + 120 of 5,502); Southdale has no district row: its one LSOA (100 of 2,000).
    assert values["E07099901"] == pytest.approx(100 * 401 / 5502)
    assert values["E07099902"] == pytest.approx(100 * 100 / 2000)
    assert values["E10099999"] == pytest.approx(100 * 501 / 7502)  # counts over bases, not a mean of shares
    assert values["E92000001"] == pytest.approx(100 * (401 + 250) / (5502 + 1500))  # English districts only
    notes = dict(zip(frame["areacd"], frame["notes"], strict=True))
    assert "401 of 5,502 residents" in notes["E07099901"] and "ONS district table" in notes["E07099901"]
    assert "sum of its 1 LSOAs" in notes["E07099902"]
    assert set(frame["period"]) == {"2021"} and set(frame["unit"]) == {"%"}


def test_lsoa_only_table_sums_lsoas_by_district(census_context: BuildContext) -> None:
    frame = get_builder("census")(census_context, load_catalogue()["census_overcrowding"])
    values = _values(frame)
    assert values["E07099901"] == pytest.approx(100 * 90 / 2200)
    assert values["E07099902"] == pytest.approx(100 * 40 / 800)
    assert values["E10099999"] == pytest.approx(100 * 130 / 3000)
    assert values["E92000001"] == pytest.approx(100 * 190 / 3400)  # England's LSOAs; the Welsh row is left out


def test_an_id_without_a_measure_is_an_error(census_context: BuildContext) -> None:
    meta = load_catalogue()["census_bad_health"].model_copy(update={"id": "census_something_else"})
    with pytest.raises(CwbError, match="CENSUS_MEASURES"):
        get_builder("census")(census_context, meta)


# ----- the mirror ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mirror_census_context(mirror: Path) -> BuildContext:
    sources = load_sources()
    wanted = [s for s in sources if s.startswith(("census/", "imd/2025/file7", "lookup/"))]
    # Optional sources absent from the mirror (the official LSOA21 -> ward 2025 lookup) are left out, as refresh does.
    present = [s for s in wanted if not sources[s].optional or (mirror / sources[s].mirror_path).is_file()]
    return BuildContext(files={s: from_mirror(sources[s], mirror) for s in present}, areas=load_area_config())


def _raw(mirror: Path, table: str, level: str) -> pd.DataFrame:
    folder = mirror / "indicators_raw/census2021_lsoa21"
    if table == "ts052":
        frame = pd.read_csv(folder / "census2021_ts052_occupancy_rating_bedrooms_lsoa21_ew.csv.gz")
    else:
        frame = pd.read_csv(folder / (f"census2021-{table}-{level}.csv" + (".gz" if level == "lsoa" else "")))
    headers = {c.split(": ", 1)[1].replace("; measures: Value", ""): c for c in frame.columns if ": " in c}
    return frame.rename(columns={v: k for k, v in headers.items()}).set_index("geography code")


@pytest.mark.parametrize("indicator", CENSUS_IDS)
def test_every_census_record_matches_plain_pandas(mirror_census_context, mirror: Path, indicator: str) -> None:
    meta = load_catalogue()[indicator]
    measure = CENSUS_MEASURES[indicator]
    frame = get_builder("census")(mirror_census_context, meta)
    assert validate_frame(frame, "built", expected_indicator=indicator) == []
    values = _values(frame)
    if measure.table == "ts052":  # LSOA table only: districts from the IoD2025 extract's LSOA-to-district mapping
        raw = _raw(mirror, "ts052", "lsoa")
        lad = pd.read_csv(mirror / "derived/oxfordshire_lsoa21_to_wd25_derived.csv").set_index("LSOA21CD")["LAD25CD"]
        raw = raw.assign(lad=raw.index.map(lad))
        by_district = raw.groupby("lad")[[*measure.count, measure.base]].sum()
        england = raw[raw.index.str.startswith("E01")]
    else:
        by_district = _raw(mirror, measure.table, "ltla")
        england = by_district[by_district.index.str.match(r"^E0[6-9]")]
    counts = by_district.loc[OXON, list(measure.count)].sum(axis=1)
    bases = by_district.loc[OXON, measure.base]
    for code in OXON:
        assert values[code] == pytest.approx(100 * counts[code] / bases[code], abs=1e-6), code
    assert values["E10000025"] == pytest.approx(100 * counts.sum() / bases.sum(), abs=1e-6)
    expected_england = 100 * england[list(measure.count)].sum().sum() / england[measure.base].sum()
    assert values["E92000001"] == pytest.approx(expected_england, abs=1e-6)


def test_england_households_deprived_is_onss_published_share(mirror_census_context) -> None:
    frame = get_builder("census")(mirror_census_context, load_catalogue()["census_households_deprived"])
    # ONS: 51.6% of households in England were deprived in at least one dimension in 2021.
    assert round(_values(frame)["E92000001"], 1) == 51.6
