"""The 'beyond the anchors' pages (AppTest) on data built from the real files.

Neighbourhood portraits, IMD 2019 -> 2025, who bears the shortfall, the CWB action plan, and
the what-if thresholds of the portrait. Every page runs on its own; the numbers it shows are
the library's own results on the same data. Tests that write (a status update, a council
threshold) work on a private copy of the built data folder.
"""

from __future__ import annotations

import hashlib
import html
import math
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from cwb_metrics.actions.load import ACTIONS_FILE, load_actions
from cwb_metrics.areas.resolve import resolve_area
from cwb_metrics.build.local_meta import catalogue_for
from cwb_metrics.deprivation.change import CHANGE_CAVEAT, lsoa_change, match_summary, most_moved
from cwb_metrics.deprivation.distribution import distribution_sentences, shortfall_by_decile
from cwb_metrics.portrait.for_area import portrait_for
from cwb_metrics.portrait.sentences import format_value
from cwb_metrics.portrait.side_by_side import side_by_side
from cwb_metrics.portrait.small_area import METHOD_NOTE
from cwb_metrics.store import DataStore
from tests.app.apphelpers import REPO_ROOT, TIMEOUT, assert_clean, html_text, markdown_text

pytestmark = pytest.mark.integration

PAGES = {
    "neighbourhoods": (REPO_ROOT / "pages" / "neighbourhoods.py", "Neighbourhood portraits"),
    "deprivation_change": (REPO_ROOT / "pages" / "deprivation_change.py", "IMD 2019 → 2025"),
    "who_bears": (REPO_ROOT / "pages" / "who_bears.py", "Who bears the shortfall"),
    "action_plan": (REPO_ROOT / "pages" / "action_plan.py", "CWB action plan"),
}
PORTRAIT = REPO_ROOT / "pages" / "portrait.py"
OXFORD, COUNTY = "E07000178", "E10000025"


def run(name_or_path: str | Path, **query: str) -> AppTest:
    path = PAGES[name_or_path][0] if isinstance(name_or_path, str) else name_or_path
    at = AppTest.from_file(str(path), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def store(built_store: DataStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DataStore:
    """A private copy of the built data, set as CWB_DATA_DIR for this test only."""
    shutil.copytree(built_store.root, tmp_path / "data")
    monkeypatch.setenv("CWB_DATA_DIR", str(tmp_path / "data"))
    return DataStore(tmp_path / "data")


@pytest.fixture(scope="module")
def data(app_data_dir: Path) -> DataStore:
    """The shared built data (read only)."""
    return DataStore(app_data_dir)


# ----- every page ------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PAGES))
def test_page_runs_on_its_own(data: DataStore, name: str) -> None:
    at = run(name)
    assert_clean(at)
    assert at.title[0].value == PAGES[name][1]
    assert at.get("vega_lite_chart"), "no chart drawn"
    footer = html_text(at)
    assert f"Data version <code>{data.current_version()}</code>" in footer
    assert "Open Government Licence" in footer


@pytest.mark.parametrize("name", list(PAGES))
def test_no_data_yet_is_a_message_not_a_traceback(empty_data_dir: Path, name: str) -> None:
    at = run(name)
    assert not at.exception
    assert any("No data has been built yet" in str(i.value) for i in at.info)


# ----- neighbourhood portraits ------------------------------------------------------------
def expected_comparison(store: DataStore, area: str, period: str = "latest") -> pd.DataFrame:
    result = side_by_side(store, area, period=period)
    rows = []
    for r in result["comparison"].to_dict("records"):
        fmt = {"decimals": int(r["decimals"] or 0), "unit_short": str(r["unit_short"] or ""), "missing": "–"}
        rows.append(
            [r["title"], r["period_label"] or ""]
            + [format_value(r[k], fmt["decimals"], fmt["unit_short"], missing="–") for k in ("area", "district")]
            + [format_value(r[k], fmt["decimals"], fmt["unit_short"], missing="–") for k in ("county", "england")]
        )
    names = [result["area"].area_name, result["district"].area_name, result["county"].area_name, "England"]
    return pd.DataFrame(rows, columns=["Indicator", "Period", *names])


def test_blackbird_leys_side_by_side_is_the_library_comparison(data: DataStore) -> None:
    at = run("neighbourhoods")
    assert_clean(at)
    assert at.selectbox(key="area").value == "blackbird-leys", "the featured neighbourhoods come first"
    assert list(at.selectbox(key="area").options[:3]) == [
        "Blackbird Leys (neighbourhood, Oxford)",
        "The Leys (neighbourhood, Oxford)",
        "Banbury (neighbourhood, Cherwell)",
    ]
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(shown, expected_comparison(data, "blackbird-leys"), check_dtype=False)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3, "the neighbourhood, its district and the county"
    for name, chart in zip(("Blackbird Leys", "Oxford", "Oxfordshire"), charts, strict=True):
        assert f'"{name}"' in str(chart.proto.spec), f"the doughnut of {name}"
    assert METHOD_NOTE in markdown_text(at)
    assert dict(at.query_params) == {"area": "blackbird-leys", "period": "latest"}


def test_blackbird_leys_in_imd_2019_shows_three_of_four_lsoas(data: DataStore) -> None:
    at = run("neighbourhoods", area="blackbird-leys", period="2019")
    assert_clean(at)
    shown = at.dataframe[0].value.set_index("Indicator")
    pd.testing.assert_frame_equal(
        shown.reset_index(), expected_comparison(data, "blackbird-leys", "2019"), check_dtype=False
    )
    imd = shown.loc["Neighbourhoods in England's most deprived 20% (IMD)"]
    assert imd["Blackbird Leys"] == "75.0%", "three of Blackbird Leys' four LSOAs (IMD 2019)"
    assert imd["Period"] == "2019"


def test_any_ward_can_be_picked(data: DataStore) -> None:
    at = run("neighbourhoods")
    wards = [o for o in at.selectbox(key="area").options if " ward, " in o]
    assert len(wards) >= 100
    code = resolve_area("Holywell", data).code
    at.selectbox(key="area").select(code).run()
    assert_clean(at)
    assert at.query_params["area"] == code
    pd.testing.assert_frame_equal(at.dataframe[0].value, expected_comparison(data, code), check_dtype=False)
    assert at.header[0].value == "Holywell beside its district, the county and England"


# ----- IMD 2019 -> 2025 -------------------------------------------------------------------
def test_change_page_shows_the_caveat_the_wards_that_moved_most_and_the_boundary_changes(data: DataStore) -> None:
    at = run("deprivation_change")
    assert_clean(at)
    assert CHANGE_CAVEAT in at.warning[0].value, "the caveat that ranks are relative, at the top"
    assert list(at.get("vega_lite_chart")[0].proto.selection_mode) == []
    wards, changed = (frame.value for frame in at.dataframe)
    library = most_moved(data, n=0, min_lsoas=3)
    first, expected = wards.iloc[0], library.iloc[0]
    assert first["ward_name"] == expected["ward_name"] and first["ward_code"] == expected["ward_code"]
    assert first["mean_decile_change"] == pytest.approx(expected["mean_decile_change"])
    assert list(wards["ward_code"]) == list(library["ward_code"].head(15))
    assert first["map"] == f"/deprivation_map?edition=change&domain=imd&area={expected['ward_code']}"

    summary = match_summary(data)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Split"] == str(summary["split"]) and metrics["Merged"] == str(summary["merged"])
    assert metrics["Unchanged"] == str(summary["unchanged"])
    every = lsoa_change(data)
    assert set(changed["lsoa21_code"]) == set(every.loc[every["match"] != "unchanged", "lsoa21_code"])
    assert set(changed["match"]) <= {"split", "merged", "complex", "unmatched"}
    sentences = html_text(at)
    assert f"{summary['lsoa11_split']} LSOAs of 2011 were split into {summary['split']} LSOAs of 2021" in sentences


def test_change_page_follows_the_measure_and_ward_size(data: DataStore) -> None:
    at = run("deprivation_change", domain="income", min_lsoas="1", district=OXFORD)
    assert_clean(at)
    library = most_moved(data, n=0, index="income", min_lsoas=1)
    assert list(at.dataframe[0].value["ward_code"]) == list(library["ward_code"].head(15))
    assert at.header[0].value == "Oxford: IMD 2019 to IMD 2025"
    assert at.get("download_button"), "every ward as a CSV"


# ----- who bears the shortfall ------------------------------------------------------------
def test_fuel_poverty_by_decile_is_the_library_table(data: DataStore) -> None:
    at = run("who_bears")
    assert_clean(at)
    assert at.selectbox(key="data").value == "2025-2023", "IMD 2025 with the 2023 estimates first"
    table = shortfall_by_decile(data, "fuel_poverty", 2025, year=2023)
    pd.testing.assert_frame_equal(at.dataframe[0].value, table, check_dtype=False)
    assert list(table["share_of_count"].round(6)) == list(at.dataframe[0].value["share_of_count"].round(6))
    for sentence in distribution_sentences(table, area_name="Oxfordshire"):
        assert html.escape(sentence) in html_text(at)
    assert len(at.get("vega_lite_chart")) == 2
    assert at.get("download_button")


def test_fuel_poverty_2020_on_imd_2019_deciles(data: DataStore) -> None:
    at = run("who_bears")
    assert "IMD 2019 deciles, fuel poverty 2020 (2011 LSOAs)" in at.selectbox(key="data").options
    at.selectbox(key="data").select("2019-2020").run()
    assert_clean(at)
    table = shortfall_by_decile(data, "fuel_poverty", 2019, year=2020)
    pd.testing.assert_frame_equal(at.dataframe[0].value, table, check_dtype=False)
    assert at.query_params["data"] == "2019-2020"
    assert "(2020)" in html_text(at)


# ----- the CWB action plan ----------------------------------------------------------------
def test_action_counts_by_status_are_those_of_the_committed_plan(data: DataStore) -> None:
    record = yaml.safe_load(ACTIONS_FILE.read_text(encoding="utf-8"))
    statuses = Counter(str(a["status"]).split(" (")[0] for a in record["actions"])
    at = run("action_plan")
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Actions"] == str(len(record["actions"]))
    for status in ("Not yet started", "In progress", "Complete", "Paused", "Withdrawn"):
        assert metrics[status] == str(statuses.get(status, 0)), status
    progress = at.dataframe[0].value.set_index("theme")
    themes = Counter(a["theme"] for a in record["actions"])
    assert progress.loc["All themes", "actions"] == len(record["actions"])
    for theme, count in themes.items():
        assert progress.loc[theme, "actions"] == count
    assert f"Statuses in data version **{data.current_version()}**" in markdown_text(at)


def test_each_action_links_its_indicators_to_the_explorer(data: DataStore) -> None:
    at = run("action_plan")
    text = markdown_text(at)
    plan = load_actions(data)
    catalogue = catalogue_for(data)
    for action in plan.actions:
        for indicator in action.indicators:
            assert f"[{catalogue[indicator].short_title}](/explorer?indicator={indicator})" in text
    assert "**Intended impact.**" in text and "**Resources.**" in text
    no_measure, no_action = at.dataframe[1].value, at.dataframe[2].value
    assert list(no_measure["number"]) == [a.number for a in plan.actions if not a.indicators]
    linked = {i for a in plan.actions for i in a.indicators}
    assert list(no_action["id"]) == [i for i in catalogue if i not in linked]
    assert set(no_action["link"]) == {f"/explorer?indicator={i}" for i in no_action["id"]}


def test_filtering_the_actions_by_theme_and_status(data: DataStore) -> None:
    at = run("action_plan", theme="Social Economy", status="Complete")
    assert_clean(at)
    plan = load_actions(data)
    wanted = [a for a in plan.actions if a.theme == "Social Economy" and a.status_category == "Complete"]
    shown = [e.label for e in at.expander]
    assert shown == [f"**Social Economy**: {len(wanted)} action(s), {len(wanted)} complete"]
    assert f"{len(wanted)} of {len(plan.actions)} actions" in "\n".join(c.value for c in at.caption)


def test_a_bad_status_csv_shows_problems_and_changes_nothing(store: DataStore) -> None:
    before = snapshot(store.root)
    at = run("action_plan")
    at.segmented_control(key="status_how").set_value("upload").run()
    bad = b"number,status\n1.1.1,Done\n9.9.9,In progress\n1.2.2,Complete\n"
    at.file_uploader[0].set_value(("statuses.csv", bad, "text/csv")).run()
    at.button(key="check_upload").click().run()
    assert not at.exception
    assert "statuses.csv: 2 problem(s); nothing has changed." in at.error[0].value
    problems = at.dataframe[-1].value
    assert list(problems.columns) == ["File", "Row", "Column", "Problem"]
    assert problems[["Row", "Column"]].values.tolist() == [[2, "status"], [3, "number"]]
    assert "'Done' is not a status" in problems.iloc[0]["Problem"]
    assert not [b for b in at.button if "save_statuses" in str(b.key)], "no Save for a file with problems"
    assert snapshot(store.root) == before


def test_editing_statuses_then_saving_writes_a_new_version(store: DataStore) -> None:
    before = store.current_version()
    at = run("action_plan")
    numbers = list(at.data_editor[0].value["number"])
    row = numbers.index("1.2.2")
    at.session_state["status_editor"] = {
        "edited_rows": {row: {"status": "In progress", "note": "training booked"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="check_edits").click().run()
    assert_clean(at)
    changes = at.dataframe[-1].value
    assert changes[["number", "old_status", "new_status"]].values.tolist() == [
        ["1.2.2", "Not yet started", "In progress (training booked)"]
    ]
    assert store.current_version() == before, "checking wrote nothing"
    at.text_input(key="status_who").input("Officer O")  # a form: its values go with the submit
    at.button(key="FormSubmitter:save_statuses-Save").click().run()
    assert_clean(at)
    after = store.current_version()
    assert after != before
    assert load_actions(store).action("1.2.2").status == "In progress (training booked)"
    entry = store.manifest()["imports"][-1]
    assert entry["kind"] == "action_status" and entry["who"] == "Officer O"
    assert f"new data version **{after}**" in at.success[0].value
    assert f"Statuses in data version **{after}**" in markdown_text(at)
    assert {m.label: m.value for m in at.metric}["Not yet started"] == str(
        sum(a.status_category == "Not yet started" for a in load_actions(store).actions)
    )


# ----- what-if thresholds on the portrait -------------------------------------------------
def hand_score(value: float, threshold: float, kind: str, polarity: str) -> tuple[str, float]:
    """The Doughnut scoring rules, written out again (PRODUCT.md), not the library's."""
    if kind == "zero_deprivation":
        gap = value / 100
        return ("shortfall" if gap > 0 else "within"), gap
    if kind == "ceiling":
        over = max(0.0, value / threshold - 1)
        return ("overshoot" if over > 0 else "within"), over
    if polarity == "higher_is_better":
        gap = max(0.0, (threshold - value) / threshold)
    else:  # the bounded 0-1 rule for a target where lower is better (issue 10): 1 - T / v above T
        gap = 0.0 if value <= threshold else 1 - threshold / value
    return ("shortfall" if gap > 0 else "within"), gap


def flippable(store: DataStore, area: str) -> tuple[object, float]:
    """A target indicator in shortfall close to its threshold, and a what-if threshold that meets it."""
    portrait = portrait_for(store, area)
    entry = min(
        (e for e in portrait.entries if e.threshold_kind == "target" and e.status == "shortfall" and e.value),
        key=lambda e: e.score,
    )
    step = 10.0**-entry.decimals
    if entry.polarity == "lower_is_better":
        value = math.ceil(entry.value * 1.02 / step) * step
    else:
        value = math.floor(entry.value * 0.98 / step) * step
    return entry, round(value, entry.decimals)


STATUS = {"shortfall": "Shortfall", "within": "Within", "overshoot": "Overshoot"}


def test_moving_the_slider_flips_a_status_as_scored_by_hand_and_writes_nothing(data: DataStore) -> None:
    entry, value = flippable(data, OXFORD)
    before = snapshot(data.root)
    at = run(PORTRAIT, area=OXFORD)
    at.selectbox(key="whatif_indicator").select(entry.id).run()
    assert "whatif" not in at.query_params, "no what-if until the slider moves"
    at.slider(key=f"whatif_{entry.id}").set_value(value).run()
    assert_clean(at)
    old_status, old_score = hand_score(entry.value, entry.threshold, "target", entry.polarity)
    new_status, new_score = hand_score(entry.value, value, "target", entry.polarity)
    assert (old_status, new_status) == ("shortfall", "within")
    row = at.dataframe[0].value.iloc[0]
    assert row["Indicator"] == entry.title
    assert (row["Status now"], row["What-if status"]) == (STATUS[old_status], STATUS[new_status])
    assert row["Score now"] == pytest.approx(old_score, abs=1e-6) and row["What-if score"] == pytest.approx(new_score)
    assert bool(row["Status changes"]) is True
    assert at.query_params["whatif"].startswith(f"{entry.id}:")
    assert float(at.query_params["whatif"].split(":")[1]) == pytest.approx(value)
    spec = str(at.get("vega_lite_chart")[0].proto.spec)
    assert "(not saved)" in spec, "the doughnut is redrawn with the what-if threshold"
    assert snapshot(data.root) == before


def test_a_what_if_link_opens_the_panel_with_that_threshold(data: DataStore) -> None:
    entry, value = flippable(data, OXFORD)
    at = run(PORTRAIT, area=OXFORD, whatif=f"{entry.id}:{value}")
    assert_clean(at)
    assert at.selectbox(key="whatif_indicator").value == entry.id
    assert at.slider(key=f"whatif_{entry.id}").value == pytest.approx(value)
    assert at.dataframe[0].value.iloc[0]["What-if status"] == "Within"


def test_saving_a_council_threshold_makes_a_new_version_the_portrait_uses(store: DataStore) -> None:
    entry, value = flippable(store, OXFORD)
    before = store.current_version()
    at = run(PORTRAIT, area=OXFORD, whatif=f"{entry.id}:{value}")
    at.text_input(key="save_source").input("Oxfordshire County Council Cabinet, test decision")
    at.text_input(key="save_rationale").input("A test of the what-if panel: the council's own threshold.")
    at.text_input(key="save_who").input("Councillor C")  # a form: its values go with the submit
    at.button(key="FormSubmitter:save_threshold-Save as the council's threshold").click().run()
    assert_clean(at)
    after = store.current_version()
    assert after != before
    assert f"new data version **{after}**" in at.success[0].value
    saved = catalogue_for(store)[entry.id].threshold
    # No URL to the decision was given, so its basis is illustrative (issue 10: 'illustrative' follows 'basis').
    assert saved.value == pytest.approx(value) and saved.basis == "illustrative"
    assert saved.source == "Oxfordshire County Council Cabinet, test decision"
    entry_log = store.manifest()["imports"][-1]
    assert (
        entry_log["kind"] == "threshold" and entry_log["indicator"] == entry.id and entry_log["who"] == "Councillor C"
    )
    assert "whatif" not in at.query_params, "after saving there is nothing to try"
    at.toggle(key="show_table").set_value(True).run()
    table = at.dataframe[-1].value.set_index("Indicator")
    assert table.loc[entry.title, "Threshold"] == format_value(value, entry.decimals, entry.unit_short)
    assert table.loc[entry.title, "Status"] == "Within"


def test_a_bad_council_threshold_is_refused_and_changes_nothing(store: DataStore) -> None:
    entry, value = flippable(store, OXFORD)
    before = snapshot(store.root)
    at = run(PORTRAIT, area=OXFORD, whatif=f"{entry.id}:{value}")
    at.text_input(key="save_source").input("x")
    at.text_input(key="save_who").input("Councillor C")
    at.button(key="FormSubmitter:save_threshold-Save as the council's threshold").click().run()
    assert not at.exception
    assert "The threshold was not saved; nothing has changed." in at.error[0].value
    assert snapshot(store.root) == before
