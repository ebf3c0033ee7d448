"""The vocabulary module: codes, levels, ancestors, fiscal years, ids and search patterns."""

from __future__ import annotations

import datetime as dt

import pytest

from geodata import areas


@pytest.mark.parametrize(
    "code, level",
    [
        ("TH", "country"),
        ("C05", "cluster"),
        ("37", "province"),
        ("3701", "district"),
        ("370101", "tambon"),
        ("37010103", "village"),
    ],
)
def test_level_of(code: str, level: str) -> None:
    assert areas.level_of(code) == level
    assert areas.precision_of(code) == ("none" if level == "country" else level)


@pytest.mark.parametrize("bad", ["", "3", "370", "TH37", "C5", "37' OR 1=1", None, 37])
def test_level_of_rejects_what_is_no_code(bad: object) -> None:
    with pytest.raises(ValueError):
        areas.level_of(bad)  # type: ignore[arg-type]
    assert not areas.is_area_code(bad)


def test_ancestors_parents_and_cuts() -> None:
    assert areas.ancestor_codes("37010103") == ["TH", "37", "3701", "370101", "37010103"]
    assert areas.ancestor_codes("C05") == ["TH", "C05"] and areas.ancestor_codes("TH") == ["TH"]
    assert [areas.parent_of(c) for c in ("TH", "C05", "37", "3701")] == [None, None, "TH", "37"]
    assert areas.cut_to("37010103", "district") == "3701" and areas.cut_to("37", "tambon") == "37"


def test_fiscal_years_are_buddhist_era_from_october() -> None:
    assert areas.fiscal_year_of(dt.date(2024, 9, 30)) == 2567
    assert areas.fiscal_year_of(dt.date(2024, 10, 1)) == 2568
    assert areas.current_fiscal_year(dt.date(2026, 11, 30)) == 2570


def test_ids_and_search_patterns() -> None:
    assert areas.is_id(1) and areas.is_id(2**63 - 1)
    assert not any(areas.is_id(v) for v in (0, -1, 2**63, True, "5", 1.0))
    assert areas.like_pattern("  ") is None
    assert areas.like_pattern("50%_a\\b") == "%50\\%\\_a\\\\b%"
    assert len(areas.like_pattern("ก" * 500)) == areas.SEARCH_MAX + 2
