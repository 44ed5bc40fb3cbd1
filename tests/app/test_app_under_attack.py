"""Issue 9, the app: links with anything in them, a damaged data version, oversized or unreadable uploads.

Each case is ignored with a notice or shown as one clear message: never a traceback, and
looking at pages never changes the data folder. Runs on the fixture data version.
"""

from __future__ import annotations

import ast
import hashlib
import tomllib
from pathlib import Path

import pytest

from cwb_metrics.build.importer import rollback
from cwb_metrics.store import DataStore
from tests.app.apphelpers import PAGES, REPO_ROOT, assert_clean, markdown_text, run_page

LONG = "E" + "0" * 20_000

BAD_LINKS = [
    ("portrait", {"whatif": "gdhi_per_head:nan"}, "whatif"),
    ("portrait", {"whatif": "gdhi_per_head:inf"}, "whatif"),
    ("portrait", {"whatif": "gdhi_per_head:-1e999"}, "whatif"),
    ("portrait", {"whatif": "gdhi_per_head:1e9"}, "whatif"),
    ("portrait", {"whatif": "gdhi_per_head:twelve"}, "whatif"),
    ("portrait", {"whatif": "nope:12"}, "whatif"),
    ("portrait", {"whatif": "gdhi_per_head"}, "whatif"),
    ("portrait", {"area": "E99999999"}, "area"),
    ("portrait", {"area": ["E07099901", "E07099902"]}, "area"),
    ("portrait", {"area": LONG}, "area"),
    ("portrait", {"area": "E07099901\n<script>"}, "area"),
    ("portrait", {"period": "1700"}, "period"),
    ("portrait", {"view": "pie"}, "view"),
    ("portrait", {"indicator": "nope"}, "indicator"),
    ("explorer", {"indicator": "nope"}, "indicator"),
    ("explorer", {"compare": "E10099999,nowhere"}, "compare"),
    ("deprivation_map", {"edition": "abc"}, "edition"),
    ("deprivation_map", {"domain": "nope"}, "domain"),
    ("deprivation_map", {"area": "nowhere"}, "area"),
    ("deprivation_map", {"lsoa": "E01000000"}, "lsoa"),
    ("neighbourhoods", {"area": "nowhere"}, "area"),
    ("neighbourhoods", {"period": "2031"}, "period"),
    ("deprivation_change", {"district": "x"}, "district"),
    ("deprivation_change", {"min_lsoas": "0"}, "min_lsoas"),
    ("who_bears", {"data": "2025-1999"}, "data"),
    ("who_bears", {"domain": ["imd", "income"]}, "domain"),
    ("action_plan", {"theme": "x"}, "theme"),
    ("action_plan", {"status": "Done"}, "status"),
    ("briefing", {"area": "nowhere"}, "area"),
    ("briefing", {"period": "nan"}, "period"),
]


def _tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.mark.parametrize(("page", "query", "param"), BAD_LINKS, ids=[f"{p}-{k}-{i}" for i, (p, _q, k) in
                                                                      enumerate(BAD_LINKS)])  # fmt: skip
def test_an_invalid_link_parameter_is_ignored_with_a_notice(on_fixture, page, query, param) -> None:
    at = run_page(PAGES[page], **query)
    assert_clean(at)
    notices = [i.value for i in at.info if "was ignored" in i.value]
    assert len(notices) == 1, [i.value for i in at.info]
    assert notices[0].startswith(f"The link's {param}=")
    assert len(notices[0]) < 300  # a 20,000-character value is not repeated
    assert "<script>" not in notices[0] and "\n" not in notices[0]
    assert at.query_params.get(param) != query[param]  # gone from the URL, or replaced by what is shown


def test_an_ignored_what_if_leaves_the_saved_threshold_drawn(on_fixture) -> None:
    from cwb_metrics.indicators.catalogue import load_catalogue

    at = run_page(PAGES["portrait"], area="E07099901", whatif="gdhi_per_head:nan")
    assert "whatif" not in at.query_params
    slider = at.slider[0]
    indicator = slider.key.removeprefix("whatif_")
    assert slider.value == pytest.approx(load_catalogue()[indicator].threshold.value)  # the threshold now
    # No what-if changes table (the largest shortfalls and overshoots are tables too): nothing is tried.
    assert at.dataframe and not [d for d in at.dataframe if "What-if status" in d.value.columns]


# ----- a damaged current version -------------------------------------------------------------------
def _damage(store: DataStore, how: str) -> tuple[str, str]:
    """Damage the current version (a second one; the first stays sound), or ``CURRENT``.

    Returns the file the message should name, and the newest version still sound.
    """
    first = store.current_version()
    assert first is not None
    second = rollback(store, first, who="tests")
    folder = store.versions_dir / second
    if how == "truncated parquet":
        path = folder / "lsoa" / "imd2025.parquet"
        data = path.read_bytes()
        path.unlink()  # a hard link into the first version: write a new file
        path.write_bytes(data[:200])
        return f"versions/{second}/lsoa/imd2025.parquet", first
    if how == "garbage csv":
        path = folder / "indicators" / "gdhi_per_head.csv"
        path.unlink()
        path.write_bytes(b"areacd,areanm\n\x00\xff\x00 garbage\n")
        return f"versions/{second}/indicators/gdhi_per_head.csv", first
    if how == "manifest not json":
        (folder / "manifest.json").write_text('{"version": "trunc', encoding="utf-8")
        return f"versions/{second}/manifest.json", first
    if how == "binary CURRENT":
        store.current_file.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
        return "CURRENT", second
    if how == "missing version folder":
        store.current_file.write_text("v0042-20300101T000000Z\n", encoding="utf-8")
        return "CURRENT", second
    raise AssertionError(how)


DAMAGES = ["truncated parquet", "garbage csv", "manifest not json", "binary CURRENT", "missing version folder"]


@pytest.mark.parametrize("how", DAMAGES)
def test_every_page_says_what_is_damaged_and_that_rollback_restores(fixture_copy, how) -> None:
    named, _sound = _damage(fixture_copy, how)
    before = _tree(fixture_copy.root)
    for name in PAGES:
        at = run_page(PAGES[name])
        assert not at.exception, (name, [e.value for e in at.exception])
        errors = [e.value for e in at.error]
        assert len(errors) == 1, (name, errors)
        assert errors[0].startswith("**The current data is damaged"), (name, errors[0])
        assert f"{named} " in errors[0] and "Roll back" in errors[0], (name, errors[0])
        assert "No data has been built yet" not in markdown_text(at)
    assert _tree(fixture_copy.root) == before  # looking changes nothing


@pytest.mark.parametrize("how", DAMAGES)
def test_the_data_page_rolls_a_damaged_version_back(fixture_copy, how) -> None:
    _named, sound = _damage(fixture_copy, how)
    at = run_page(PAGES["data"])
    assert not at.exception
    at.text_input(key="who").set_value("Sam Analyst").run()
    assert at.selectbox(key="rollback_target").value == sound  # the newest sound version
    at.button(key="rollback").click().run()
    at.button(key="rollback_confirm").click().run()
    assert_clean(at)
    now = fixture_copy.current_version()
    assert now not in (None, sound) and fixture_copy.manifest(now)["based_on"] == sound
    assert_clean(run_page(PAGES["portrait"]))


# ----- uploads --------------------------------------------------------------------------------------
def test_a_status_csv_with_a_200_kb_cell_is_one_clear_problem(fixture_copy) -> None:
    before = _tree(fixture_copy.root)
    at = run_page(PAGES["action_plan"])
    at.segmented_control(key="status_how").set_value("upload").run()
    content = b"number,status\n1.1.1," + b"x" * 200_000 + b"\n"
    at.file_uploader[0].set_value(("statuses.csv", content, "text/csv")).run()
    at.button(key="check_upload").click().run()
    assert_clean_but_the_problem(at, "statuses.csv: 1 problem(s); nothing has changed.")
    problems = at.dataframe[-1].value
    assert "could not be read as CSV" in problems["Problem"].iloc[0]
    assert _tree(fixture_copy.root) == before


def test_a_status_csv_over_the_limit_is_refused_before_it_is_read(fixture_copy) -> None:
    at = run_page(PAGES["action_plan"])
    at.segmented_control(key="status_how").set_value("upload").run()
    at.file_uploader[0].set_value(("big.csv", b"number,status\n" + b"1" * 1_100_000, "text/csv")).run()
    assert not at.exception
    assert any(e.value.startswith("big.csv is 1.1 MB; a status file can be at most 1.0 MB.") for e in at.error)
    assert not [b for b in at.button if b.key == "check_upload"]


def test_an_indicator_csv_over_the_limit_is_refused_before_it_is_read(fixture_copy) -> None:
    at = run_page(PAGES["data"], tab="Import a CSV")
    at.file_uploader[0].set_value(("huge.csv", b"a" * 20_000_001, "text/csv")).run()
    assert not at.exception
    assert any(e.value.startswith("huge.csv is 20.0 MB; an indicator CSV can be at most 20.0 MB.") for e in at.error)


def assert_clean_but_the_problem(at, headline: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(f"**{headline}"), errors


def test_the_server_refuses_uploads_over_50_mb() -> None:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < config["server"]["maxUploadSize"] <= 50


# ----- bounded caches, and the briefing built once per version, area and period ---------------------
def _cache_decorators() -> list[tuple[str, int, ast.Call | ast.Attribute]]:
    found = []
    for path in sorted((REPO_ROOT / "app_support").rglob("*.py")) + sorted((REPO_ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                        found.append((str(path.relative_to(REPO_ROOT)), node.lineno, decorator))
    return found


def test_every_streamlit_cache_is_bounded() -> None:
    decorators = _cache_decorators()
    assert len(decorators) > 50
    unbounded = [
        f"{path}:{line}"
        for path, line, decorator in decorators
        if not isinstance(decorator, ast.Call) or "max_entries" not in {k.arg for k in decorator.keywords}
    ]
    assert unbounded == []


def test_a_second_viewer_gets_the_same_briefing(on_fixture) -> None:
    from app_support import cached

    run_page(PAGES["briefing"])
    ref = cached.data_ref()
    assert cached.briefing(ref, "E10099999", "latest") is cached.briefing(ref, "E10099999", "latest")
    assert cached.briefing_file(ref, "E10099999", "latest", "html").startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("page", "written", "chosen"),
    [
        ("portrait", "northdale", "E07099901"),  # a district by name, in any case
        ("briefing", "Southdale", "E07099902"),
        ("explorer", "Testshire", "E10099999"),  # the county by name
        ("neighbourhoods", "Flats", "the-flats"),  # a neighbourhood by one of its aliases
    ],
)
def test_a_link_may_name_the_area_instead_of_its_code(on_fixture, page, written, chosen) -> None:
    # Names and aliases from tests/fixtures/areas/testshire.yaml; codes as the pickers hold them.
    at = run_page(PAGES[page], area=written)
    assert_clean(at)
    assert not [i.value for i in at.info if "was ignored" in i.value]
    assert at.selectbox(key="area").value == chosen
