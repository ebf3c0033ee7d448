"""Posted values checked at the edge: wrong types count as absent, text is made safe to store and
send on, and the pure pieces of the shell and the URL parser take whatever the browser sends."""

from __future__ import annotations

import pytest

from dashboard import ids, posted, shell
from dashboard.context import version_of
from dashboard.state import DEFAULT, ViewState, parse

WRONG = (None, True, -1, 1.5, float("nan"), "", [], ["x"], {}, {"a": [1]})


def test_text_drops_controls_surrogates_and_caps() -> None:
    assert posted.text("  ถนน\x00 ลาดยาง\n ") == "ถนน ลาดยาง"
    assert posted.text("a\ud800b") == "ab"
    assert posted.text("x" * 100_000) == "x" * 100
    assert posted.text("abc", max_len=2) == "ab"
    assert posted.text("\x00\x01 ") is None
    for value in WRONG:
        assert posted.text(value) is None


def test_wrong_types_count_as_absent() -> None:
    for value in WRONG:
        assert posted.mapping(value) == (value if isinstance(value, dict) else {})
        assert posted.integer(value, 0, 10) is None
        assert posted.choice(value, ("th", "en")) is None
        assert posted.area_code(value) is None
    assert posted.integer(True, 0, 10) is None and posted.integer(11, 0, 10) is None
    assert posted.element(["a", "b"], 1) == "b" and posted.element("ab", 1) is None
    assert posted.element([], 0) is None and posted.element(["a"], -2) is None
    assert posted.ticked(["1"]) is True and posted.ticked([]) is False and posted.ticked("1") is None
    assert posted.area_code("37") == "37" and posted.area_code("37\n") is None


def test_parse_takes_anything() -> None:
    for value in (*WRONG, "?" + "a=1&" * 1000, "?area=37\x00", "?area=\ud800", "?sector=a%00b"):
        assert parse(value).area == "TH" and parse(value).sector is None
    assert parse("?area=37&fy=2569\x00").fy is None  # the bad value only
    assert parse("?area=37&fy=2569\x00").area == "37"


def test_version_of_any_store() -> None:
    assert version_of({"ok": True, "version": 7}) == 7
    for value in (*WRONG, {"version": "7"}, {"version": 10**30}, {"version": -1}, {"version": True}):
        assert version_of(value) == 0


@pytest.mark.parametrize(
    "click",
    [
        {"points": "x"},
        {"points": [None]},
        {"points": [[{"location": "37"}]]},
        {"points": [{"location": 37, "customdata": "a"}]},
        {"points": [{"customdata": ["name"]}]},
        {"points": [{"location": "37\n"}]},
        *WRONG,
    ],
)
def test_a_malformed_click_selects_nothing(click: object) -> None:
    assert shell.clicked_code(click) is None
    assert shell.cell_code(click) is None and shell.cell_item(click) is None


def test_a_click_selects_its_area() -> None:
    assert shell.clicked_code({"points": [{"location": "37"}]}) == "37"
    assert shell.clicked_code({"points": [{"customdata": ["x", "37010101"]}]}) == "37010101"


def test_controls_take_only_their_own_values() -> None:
    state = ViewState(area="37", level="district")
    for key in shell.CONTROLS:
        for value in ({}, True, 1.5, "\x00", "x" * 100_000, {"points": []}):
            assert shell.control_change(key, value, state) is None, (key, value)
    assert shell.control_change("compare", ["1"], state) == {"compare": True}
    assert shell.control_change("tiles", [], state) == {"tiles": False}
    assert shell.control_change("fy", 2568, state) == {"fy": 2568}
    assert shell.control_change("sector", None, state) == {"sector": None}
    assert shell.control_change("agency", 12, state) == {"agency": 12}
    assert shell.control_change("level", "tambon", state) == {"level": "tambon"}
    assert shell.control_change("level", "province", state) is None  # not a level of a province's map
    assert shell._changed(DEFAULT, {"type": ids.REVIEW_DECIDE}, {"compare": True}) == DEFAULT
