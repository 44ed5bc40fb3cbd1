"""Builders of issue 12's social indicators: turnout, police-force-area inheritance, IoD2025 sub-domains, ELS records.

Fixture expectations are worked out by hand; mirror expectations are computed from the raw files
with plain pandas.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cwb_metrics.areas.config import load_area_config
from cwb_metrics.errors import CwbError, DataValidationError
from cwb_metrics.indicators.build_elections import NO_LOCAL_ELECTION, NOT_APPORTIONED
from cwb_metrics.indicators.builders import get_builder
from cwb_metrics.indicators.catalogue import load_catalogue
from cwb_metrics.indicators.validate import validate_frame
from cwb_metrics.models.area import PoliceForceArea
from cwb_metrics.sources.context import BuildContext
from cwb_metrics.sources.fetch import FetchedFile, from_mirror
from cwb_metrics.sources.imd_subdomains import read_iod_subdomains
from cwb_metrics.sources.registry import load_sources

OXON = ["E07000177", "E07000178", "E07000179", "E07000180", "E07000181"]
ELS = "indicators_raw/ons_explore_local_statistics"


def _by_code(frame: pd.DataFrame, column: str = "value") -> dict[str, object]:
    return dict(zip(frame["areacd"], frame[column], strict=True))


@pytest.fixture
def social_context(testshire_context, fixtures_dir: Path) -> BuildContext:
    return testshire_context(
        {
            "census/2021/ts037_lsoa": fixtures_dir / "census" / "census2021-ts037-lsoa.csv",
            "imd/2025/subdomains": fixtures_dir / "iod" / "iod2025_file7_subdomains.csv",
            "electoral_commission/local_2022": fixtures_dir / "elections" / "ec_ward_data.csv",
            "hoc/ge2024": fixtures_dir / "elections" / "hoc_ge_results.csv",
        }
    )


def test_local_turnout_districts_county_and_england(social_context) -> None:
    frame = get_builder("local_turnout")(social_context, load_catalogue()["local_election_turnout"])
    assert validate_frame(frame, "built", expected_indicator="local_election_turnout") == []
    values, status = _by_code(frame), _by_code(frame, "status")
    assert values["E07099901"] == pytest.approx(100 * 2600 / 9000)  # all three Northdale wards, matched or not
    assert math.isnan(values["E07099902"]) and status["E07099902"] == NO_LOCAL_ELECTION
    assert math.isnan(values["E10099999"]) and status["E10099999"].startswith("only 1 of its 2 districts")
    assert values["E92000001"] == pytest.approx(100 * 4100 / 14000)
    assert set(frame["period"]) == {"2022"}


def test_general_election_england_only_and_why(social_context) -> None:
    frame = get_builder("ge_turnout")(social_context, load_catalogue()["ge2024_turnout"])
    values, status = _by_code(frame), _by_code(frame, "status")
    assert values["E92000001"] == pytest.approx(100 * (45_100 + 48_200) / 150_000)  # the Welsh seat is left out
    assert math.isnan(values["E07099901"]) and status["E07099901"] == NOT_APPORTIONED
    assert set(frame["period"]) == {"2024"}


def test_subdomain_adapter_reads_official_headers(fixtures_dir: Path) -> None:
    frame = read_iod_subdomains(fixtures_dir / "iod" / "iod2025_file7_subdomains.csv")
    row = frame.set_index("lsoa_code").loc["E01099903"]
    assert (row["indoors_decile"], row["indoors_rank"], row["indoors_score"]) == (2, 3475, 2.25)
    assert len(frame) == 8


def test_subdomain_adapter_names_a_missing_column(fixtures_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "file7.csv"
    bad.write_text(
        (fixtures_dir / "iod" / "iod2025_file7_subdomains.csv")
        .read_text()
        .replace("Outdoors Sub-domain Rank", "Outdoor Rank")
    )
    with pytest.raises(DataValidationError, match="Outdoors sub-domain rank column is missing"):
        read_iod_subdomains(bad)


def test_subdomain_share_weights_lsoas_by_census_residents(social_context) -> None:
    frame = get_builder("iod_subdomain_share")(social_context, load_catalogue()["iod_indoors_most_deprived_20pct"])
    assert validate_frame(frame, "built", expected_indicator="iod_indoors_most_deprived_20pct") == []
    values = _by_code(frame)
    assert values["E07099901"] == pytest.approx(100 * 3000 / 5500)
    assert values["E07099902"] == 0.0
    assert values["E10099999"] == pytest.approx(100 * 3000 / 7500)
    assert values["E92000001"] == pytest.approx(100 * 4000 / 9000)


def test_police_force_area_is_inherited_and_said(fixtures_dir: Path, tmp_path: Path) -> None:
    csv = tmp_path / "homicide.csv"
    csv.write_text(
        "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
        "E92000001,England,Nation,Homicide Offences,2021-04-01/P3Y,10.1,Rate,Rate per million,,,,\n"
        "E92000001,England,Nation,Homicide Offences,2022-04-01/P3Y,9.1,Rate,Rate per million,,,,\n"
        "E23000029,Thames Valley,Police Force Area,Homicide Offences,2021-04-01/P3Y,6.7,Rate,Rate per million,,,,\n"
        "E23000029,Thames Valley,Police Force Area,Homicide Offences,2022-04-01/P3Y,5.5,Rate,Rate per million,,,,\n"
        "E23000001,Elsewhere,Police Force Area,Homicide Offences,2022-04-01/P3Y,20.0,Rate,Rate per million,,,,\n"
    )
    record = load_sources()["els/homicide-offences"]
    areas = load_area_config("oxfordshire")
    context = BuildContext(
        files={record.id: FetchedFile(record, csv, str(csv), "", csv.stat().st_size, "")}, areas=areas
    )
    meta = load_catalogue()["homicide_rate"]
    frame = get_builder("els_police_force_area")(context, meta)
    latest = frame[frame["period"] == "2022-04-01/P3Y"]
    assert _by_code(latest) == {"E92000001": 9.1, "E10000025": 5.5, **dict.fromkeys(OXON, 5.5)}
    assert "Thames Valley police force area (E23000029)" in _by_code(latest, "notes")["E07000178"]
    unset = BuildContext(files=context.files, areas=areas.model_copy(update={"police_force_area": None}))
    without = get_builder("els_police_force_area")(unset, meta)
    # No value is guessed: England as published; the county and districts say why they have none (latest period).
    assert without.loc[without["areacd"] == "E92000001", "value"].tolist() == [10.1, 9.1]
    others = without[without["areacd"] != "E92000001"]
    assert set(others["areacd"]) == {"E10000025", *OXON} and others["value"].isna().all()
    assert set(others["period"]) == {"2022-04-01/P3Y"}
    assert set(others["status"]) == {
        "published by police force area only; set police_force_area in the area configuration"
    }
    wrong = areas.model_copy(update={"police_force_area": PoliceForceArea(code="E23000099", name="Nowhere")})
    with pytest.raises(CwbError, match="no rows for the police force area Nowhere"):
        get_builder("els_police_force_area")(BuildContext(files=context.files, areas=wrong), meta)


# ----- the mirror ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mirror_social_context(mirror: Path) -> BuildContext:
    sources = load_sources()
    wanted = [s for s in sources if s.startswith(("census/", "imd/2025/", "lookup/", "els/", "electoral", "hoc/"))]
    # Optional sources absent from the mirror (the official LSOA21 -> ward 2025 lookup) are left out, as refresh does.
    present = [s for s in wanted if not sources[s].optional or (mirror / sources[s].mirror_path).is_file()]
    return BuildContext(files={s: from_mirror(sources[s], mirror) for s in present}, areas=load_area_config())


@pytest.mark.parametrize(
    ("indicator", "file", "label"),
    [
        ("gigabit_broadband", "gigabit-capable-broadband", "Gigabit capable broadband"),
        ("persistent_absence", "persistent-absences-for-all-pupils", "Persistent absences for all pupils"),
        ("ks2_expected_standard", "pupils-at-expected-standards-by-end-of-primary-school",
         "Pupils meeting the expected standard in reading, writing and maths"),
        ("travel_time_to_work_public_transport", "average-travel-time", "Public transport or walk to work"),
    ],
)  # fmt: skip
def test_els_records_equal_the_raw_csv(mirror_social_context, mirror: Path, indicator, file, label) -> None:
    frame = get_builder("els")(mirror_social_context, load_catalogue()[indicator])
    assert validate_frame(frame, "built", expected_indicator=indicator) == []
    raw = pd.read_csv(mirror / ELS / f"{file}.csv", encoding="utf-8-sig")
    raw = raw[(raw["indicator"] == label) & raw["areacd"].isin([*OXON, "E10000025", "E92000001"])]
    raw = raw.drop_duplicates(["areacd", "period"])
    expected = {(a, p): v for a, p, v in zip(raw["areacd"], raw["period"], raw["observation"], strict=True)}
    built = {(a, p): v for a, p, v in zip(frame["areacd"], frame["period"], frame["value"], strict=True)}
    assert built.keys() == expected.keys()
    for key, value in expected.items():
        assert built[key] == pytest.approx(value), key


def test_homicide_districts_show_thames_valley(mirror_social_context, mirror: Path) -> None:
    frame = get_builder("els_police_force_area")(mirror_social_context, load_catalogue()["homicide_rate"])
    raw = pd.read_csv(mirror / ELS / "homicide-offences.csv", encoding="utf-8-sig")
    thames = raw[raw["areacd"] == "E23000029"].set_index("period")["observation"]
    for code in [*OXON, "E10000025"]:
        own = frame[frame["areacd"] == code].set_index("period")["value"]
        assert own.to_dict() == pytest.approx(thames.to_dict()), code
    england = raw[raw["areacd"] == "E92000001"].drop_duplicates("period").set_index("period")["observation"]
    assert frame[frame["areacd"] == "E92000001"].set_index("period")["value"].to_dict() == pytest.approx(
        england.to_dict()
    )


def test_local_turnout_on_the_mirror(mirror_social_context, mirror: Path) -> None:
    frame = get_builder("local_turnout")(mirror_social_context, load_catalogue()["local_election_turnout"])
    values = _by_code(frame)
    councils = pd.read_excel(
        mirror / "indicators_raw/electoral_commission_local_2022/2022 England Electoral data_0.xlsx",
        sheet_name="All local authorities", header=1, engine="calamine",
    ).set_index("Unnamed: 0")  # fmt: skip
    for code, council in (("E07000177", "Cherwell District Council"), ("E07000178", "Oxford City Council"),
                          ("E07000181", "West Oxfordshire District Council")):  # fmt: skip
        assert values[code] == pytest.approx(100 * councils.loc[council, "Ballot box turnout"], abs=1e-4)
    assert math.isnan(values["E07000179"]) and math.isnan(values["E07000180"]) and math.isnan(values["E10000025"])


def test_subdomain_shares_on_the_mirror(mirror_social_context, mirror: Path) -> None:
    frame = get_builder("iod_subdomain_share")(
        mirror_social_context, load_catalogue()["iod_wider_barriers_most_deprived_20pct"]
    )
    sub = pd.read_csv(mirror / "imd2025/imd2025_england_lsoa21_subdomains.csv.gz")
    people = pd.read_csv(mirror / "indicators_raw/census2021_lsoa21/census2021-ts037-lsoa.csv.gz")
    people = people.rename(columns={"geography code": "lsoa21_code", "General health: Total: All usual residents": "n"})
    joined = sub.merge(people[["lsoa21_code", "n", "geography"]], on="lsoa21_code")
    joined["lad"] = joined["geography"].str.rsplit(" ", n=1).str[0]  # "Oxford 008A" -> "Oxford"
    joined["deprived"] = joined["n"].where(joined["wider_barriers_decile"] <= 2, 0)
    values = _by_code(frame)
    assert values["E92000001"] == pytest.approx(100 * joined["deprived"].sum() / joined["n"].sum())
    for district in load_area_config().districts:
        own = joined[joined["lad"] == district.name]
        assert values[district.code] == pytest.approx(100 * own["deprived"].sum() / own["n"].sum()), district.name
    oxon = joined[joined["lad"].isin([d.name for d in load_area_config().districts])]
    assert values["E10000025"] == pytest.approx(100 * oxon["deprived"].sum() / oxon["n"].sum())
