"""Query parameters: each kind of bad value is ignored with a notice that repeats it safely."""

from __future__ import annotations

from cwb_metrics.views import query
from cwb_metrics.views.query import Ignored


def test_one_value_is_read_and_absence_is_none() -> None:
    assert query.single("area", ["E07000178"]) == "E07000178"
    assert query.single("area", []) is None


def test_a_parameter_given_twice_is_ignored() -> None:
    result = query.single("area", ["E07000178", "E07000177"])
    assert isinstance(result, Ignored) and result.reason == "it is given 2 times"


def test_overlong_values_and_control_characters_are_ignored() -> None:
    long = query.single("area", ["x" * (query.MAX_LENGTH + 1)])
    assert isinstance(long, Ignored) and "characters long" in long.reason
    assert query.single("area", ["x" * query.MAX_LENGTH]) == "x" * query.MAX_LENGTH
    for bad in ("a\nb", "a\x00b", "tab\there", "\x7f"):
        result = query.single("area", [bad])
        assert isinstance(result, Ignored) and result.reason == "it contains control characters"


def test_values_must_be_among_the_options() -> None:
    assert query.one_of("view", "bars", ["doughnut", "bars"]) == "bars"
    result = query.one_of("view", "pie", ["doughnut", "bars"], "views")
    assert isinstance(result, Ignored)
    assert result.notice == "The link's view=pie was ignored: it is not one of the views this page offers."


def test_lists_keep_known_items_once_and_name_the_rest() -> None:
    kept, ignored = query.some_of("compare", "a,b,a,zz,,yy", ["a", "b"], "areas")
    assert kept == ["a", "b"]
    assert ignored is not None and ignored.value == "zz,yy" and ignored.reason.startswith("they are not among")
    assert query.some_of("compare", "a", ["a"]) == (["a"], None)


def test_numbers_must_be_finite_decimals() -> None:
    assert query.number("x", "12.5") == 12.5 and query.number("x", "-1e3") == -1000
    for text in ("nan", "NaN", "inf", "-Infinity", "1e999"):
        result = query.number("x", text)
        assert isinstance(result, Ignored) and result.reason == "it is not a finite number", text
    for text in ("abc", "", "1,000", "0x10"):
        result = query.number("x", text)
        assert isinstance(result, Ignored) and result.reason == "it is not a number", text


def test_a_notice_repeats_at_most_forty_plain_characters() -> None:
    ignored = Ignored("area", "[click](javascript:alert(1))**<b>" + "x" * 100, "it is not an area")
    assert ignored.shown == "?click??javascript:alert?1?????b?" + "x" * 7 + "..."  # 33 + 7 = 40 characters
    assert all(c not in ignored.notice for c in "[]()*<>`")


def test_what_if_links_need_an_indicator_and_a_number() -> None:
    assert query.what_if_link("a:1.5", ["a"]) == query.WhatIfLink("a", 1.5)
    assert isinstance(query.what_if_link("a", ["a"]), Ignored)
    assert isinstance(query.what_if_link("b:1", ["a"]), Ignored)
    result = query.what_if_link("a:nan", ["a"])
    assert isinstance(result, Ignored) and result.value == "a:nan"
