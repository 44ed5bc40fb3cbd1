"""Builder ``els``: canonical rows from an Explore Local Statistics CSV (fixtures), and every ELS indicator (mirror)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.errors import CwbError
from cwb_metrics.indicators import build_els
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.indicator import IndicatorMeta
from cwb_metrics.models.row import CANONICAL_COLUMNS
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import FetchedFile, from_mirror
from cwb_metrics.sources.registry import load_sources

OXON = {"E10000025", "E07000177", "E07000178", "E07000179", "E07000180", "E07000181"}


def meta_for(source: str, **params: object) -> IndicatorMeta:
    """A catalogue record pointed at ``source`` with the given params (a real record, re-targeted)."""
    base = load_catalogue()["housing_affordability"]
    return base.model_copy(update={"extract": base.extract.model_copy(update={"source": source, "params": params})})


def context_for(path: Path, source: str = "els/housing-affordability-ratio") -> BuildContext:
    record = load_sources()[source]
    fetched = FetchedFile(record, path, str(path), "", path.stat().st_size, "")
    return BuildContext(files={source: fetched}, areas=load_area_config("oxfordshire"))


@pytest.fixture
def affordability(fixtures_dir: Path) -> pd.DataFrame:
    path = fixtures_dir / "els" / "tidy_observation_first.csv"
    meta = meta_for("els/housing-affordability-ratio", indicator="Housing affordability ratio (residence-based)")
    return get_builder("els")(context_for(path), meta)


def test_canonical_columns_and_only_configured_areas(affordability: pd.DataFrame) -> None:
    assert tuple(affordability.columns) == CANONICAL_COLUMNS
    assert set(affordability["areacd"]) <= OXON | {"E92000001"}  # no ITL or other rows
    assert set(affordability["indicator"]) == {"housing_affordability"}
    assert validate_frame(affordability, "built", expected_indicator="housing_affordability") == []


def test_geography_and_names_come_from_the_area_config(affordability: pd.DataFrame) -> None:
    by_code = affordability.drop_duplicates("areacd").set_index("areacd")
    assert by_code.loc["E92000001", "geography"] == "country"
    assert by_code.loc["E10000025", "geography"] == "county"
    assert by_code.loc["E07000178", ["areanm", "geography"]].tolist() == ["Oxford", "district"]
    assert list(affordability["geography"]) == sorted(affordability["geography"], key=build_els.GEOGRAPHY_ORDER.get)


def test_values_as_published_and_unit_from_the_catalogue(affordability: pd.DataFrame) -> None:
    oxford = affordability[affordability["areacd"] == "E07000178"]
    assert list(oxford["period"]) == ["2024-04-01", "2025-04-01"]  # sorted by period
    assert list(oxford["value"]) == [10.9, 10.4]
    assert set(affordability["unit"]) == {"ratio"}  # not ELS's wrong "%"


def test_suppressed_value_stays_missing_with_its_status(affordability: pd.DataFrame) -> None:
    cherwell = affordability[affordability["areacd"] == "E07000177"].iloc[0]
    assert pd.isna(cherwell["value"]) and cherwell["status"] == "x"


def test_missing_county_row_is_not_invented(fixtures_dir: Path) -> None:
    path = fixtures_dir / "els" / "tidy_measure_first.csv"
    meta = meta_for("els/personal-wellbeing-estimates", indicator="Anxiety")
    built = get_builder("els")(context_for(path, "els/personal-wellbeing-estimates"), meta)
    assert list(built["areacd"]) == ["E07000178"]
    assert (built["lci_95"].item(), built["uci_95"].item()) == (2.6, 3.4)


def test_measure_param_picks_one_measure(fixtures_dir: Path) -> None:
    path = fixtures_dir / "els" / "tidy_measure_first.csv"
    context = context_for(path, "els/personal-wellbeing-estimates")
    meta = meta_for("els/personal-wellbeing-estimates", indicator="Satisfaction", measure="satisfied")
    assert len(get_builder("els")(context, meta)) == 4  # England, county, Oxford, West Oxfordshire
    with pytest.raises(CwbError, match="no measure containing 'Median'"):
        get_builder("els")(context, meta_for("els/personal-wellbeing-estimates", indicator="Satisfaction",
                                             measure="Median"))  # fmt: skip


def test_unknown_indicator_names_what_the_file_has(fixtures_dir: Path) -> None:
    path = fixtures_dir / "els" / "tidy_measure_first.csv"
    with pytest.raises(CwbError, match=r"no indicator 'Happiness' \(it has 'Satisfaction', 'Anxiety'\)"):
        get_builder("els")(context_for(path), meta_for("els/housing-affordability-ratio", indicator="Happiness"))


def test_indicator_param_is_required(fixtures_dir: Path) -> None:
    path = fixtures_dir / "els" / "tidy_measure_first.csv"
    with pytest.raises(CwbError, match=r"extract\.params\.indicator is required"):
        get_builder("els")(context_for(path), meta_for("els/housing-affordability-ratio"))


def test_several_measures_need_a_measure_param(tmp_path: Path) -> None:
    header = "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes"
    rows = ["E07000178,Oxford,Local Authority District,Active businesses,2024,5330,Number of enterprises,n,,,,",
            "E07000178,Oxford,Local Authority District,Active businesses,2024,12.5,Percentage,%,,,,"]  # fmt: skip
    path = tmp_path / "business.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(CwbError, match="several measures"):
        get_builder("els")(
            context_for(path), meta_for("els/housing-affordability-ratio", indicator="Active businesses")
        )


def test_file_is_parsed_once_per_refresh(fixtures_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = build_els.read_els_csv
    monkeypatch.setattr(build_els, "read_els_csv", lambda path: calls.append(path) or real(path))
    context = context_for(fixtures_dir / "els" / "tidy_measure_first.csv", "els/personal-wellbeing-estimates")
    for indicator in ("Satisfaction", "Anxiety"):
        get_builder("els")(context, meta_for("els/personal-wellbeing-estimates", indicator=indicator))
    assert len(calls) == 1


# --- every ELS indicator of the catalogue, from the real files -----------------------------------------

ELS_METAS = [m for m in load_catalogue().values() if m.extract.method == "els"]

#: Plausible range of every value of each ELS indicator (a wrong column or unit falls outside).
RANGES = {
    "life_satisfaction": (6, 9), "anxiety": (1.5, 4.5), "healthy_life_expectancy_female": (55, 75),
    "healthy_life_expectancy_male": (55, 75), "smoking_prevalence": (2, 25), "preventable_cvd_mortality": (5, 120),
    "adult_obesity": (8, 40), "gcse_english_maths": (50, 95), "early_years_communication": (60, 95),
    "qualifications_level3": (40, 95), "employment_rate": (60, 95), "economic_inactivity": (5, 35),
    "modelled_unemployment": (0.5, 12), "claimant_count": (0.1, 10), "children_low_income_bhc": (2, 35),
    "children_low_income_ahc": (5, 45), "gdhi_per_head": (8_000, 60_000), "median_weekly_pay": (250, 1_200),
    "housing_affordability": (2, 20), "net_additional_dwellings": (-5, 60), "arts_engagement": (60, 100),
    "ev_public_chargers": (10, 2_000), "ghg_emissions_per_capita": (1, 20), "domestic_gas_consumption": (6_000, 25_000),
    "ghg_per_capita_fair_share": (1, 20),
    # issue 12 (social)
    "gigabit_broadband": (50, 100), "persistent_absence": (5, 35), "ks2_expected_standard": (40, 85),
    "travel_time_to_work_public_transport": (3, 40),
}  # fmt: skip


@pytest.fixture(scope="module")
def mirror_context(mirror: Path) -> BuildContext:
    sources = load_sources()
    files = {m.extract.source: from_mirror(sources[m.extract.source], mirror) for m in ELS_METAS}
    return BuildContext(files=files, areas=load_area_config("oxfordshire"))


@pytest.fixture(scope="module")
def built(mirror_context: BuildContext) -> dict[str, pd.DataFrame]:
    return {m.id: get_builder("els")(mirror_context, m) for m in ELS_METAS}


def latest(frame: pd.DataFrame, period: str) -> dict[str, float]:
    return frame[frame["period"] == period].set_index("areacd")["value"].to_dict()


@pytest.mark.integration
@pytest.mark.parametrize("meta", ELS_METAS, ids=[m.id for m in ELS_METAS])
def test_every_els_indicator_builds_valid_rows_in_range(built: dict[str, pd.DataFrame], meta: IndicatorMeta) -> None:
    frame = built[meta.id]
    assert validate_frame(frame, meta.id, expected_indicator=meta.id) == []
    # The catalogue's geographies are exactly the levels the source has rows for.
    assert set(frame["geography"]) == set(meta.geographies)
    if "district" in meta.geographies:
        assert OXON - {"E10000025"} <= set(frame["areacd"]), "all five districts"
    low, high = RANGES[meta.id]
    values = frame["value"].dropna()
    assert values.between(low, high).all(), f"{meta.id}: values outside {low}..{high}: {values.min()}..{values.max()}"


def test_every_els_indicator_has_a_range() -> None:
    assert set(RANGES) == {m.id for m in ELS_METAS}


@pytest.mark.integration
def test_cross_check_values_from_sources_md(built: dict[str, pd.DataFrame]) -> None:
    codes = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181", "E10000025", "E92000001"]
    # SOURCES.md "Quick cross-check values": Cherwell, Oxford, South Oxon, Vale, West Oxon, Oxfordshire, England.
    expected = {
        ("ghg_emissions_per_capita", "2023-01-01/P1Y"): [6.58, 3.45, 5.16, 5.64, 4.64, 5.11, 4.78],
        ("life_satisfaction", "2022-04-01/P1Y"): [7.57, 7.80, 7.81, 7.73, 7.94, 7.77, 7.44],
        ("housing_affordability", "2025-04-01"): [8.54, 10.40, 9.27, 9.05, 8.99, 9.19, 7.64],
    }
    for (indicator, period), values in expected.items():
        found = latest(built[indicator], period)
        assert [found[c] for c in codes] == pytest.approx(values, abs=0.005), indicator


@pytest.mark.integration
def test_documented_gaps_stay_missing(built: dict[str, pd.DataFrame]) -> None:
    assert set(built["healthy_life_expectancy_female"]["areacd"]) == {"E92000001", "E10000025"}  # no districts
    assert "E10000025" not in set(built["smoking_prevalence"]["areacd"])  # ELS has no county row
    assert "E92000001" not in set(built["children_low_income_bhc"]["areacd"])  # ELS has no England row
