"""The view state in the URL: strict parsing, canonical links, validation against known lists."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.state import DEFAULT, ViewState, parse, to_search, validate


def test_a_full_state_round_trips_through_the_query_string() -> None:
    state = ViewState(area="3701", level="village", metric="share_count", plan="village", fy=2568,
                      sector="การศึกษา", agency=12, source="agency", compare=True, classes="jenks",
                      lang="en", tiles=True, rank="pc")
    search = to_search(state)
    assert parse(search) == state
    assert "sector=%E0%B8%81" in search                                  # Thai percent-encoded


def test_defaults_make_short_links() -> None:
    assert to_search(DEFAULT) == ""
    assert to_search(ViewState(area="37", level="district", fy=2569)) == "?area=37&fy=2569"
    assert parse("") == parse(None) == DEFAULT


@pytest.mark.parametrize("search", [
    "?area=37;DROP TABLE areas", "?area=<script>", "?area=377", "?area=TH%00", "?area=" + "1" * 400,
    "?metric=evil&plan=x&fy=99999&cls=x&lang=fr&rank=x&source=bank&agency=-1&level=moon",
    "%%%", "?&&==", "?area=37&area=22",
])
def test_malformed_values_fall_back_one_by_one(search: str) -> None:
    state = parse(search)
    assert state.area in ("TH", "37")
    assert state.metric == DEFAULT.metric and state.plan == DEFAULT.plan and state.lang == "th"
    assert state.source is None and state.agency is None and state.fy is None


def test_the_map_level_must_fit_the_area() -> None:
    assert parse("?area=37&level=village").level == "district"        # a province shows districts
    assert parse("?area=37&level=tambon").level == "tambon"
    assert parse("?level=tambon").level == "tambon"                    # a national tambon map
    assert parse("?area=C05&level=district").level == "province"
    assert parse("?area=37010101").level == "village"


def test_validation_uses_what_the_database_knows() -> None:
    state = ViewState(area="99", level="district", fy=2500, sector="ไม่มี", agency=7)
    checked = validate(state, area_exists=False, fiscal_years=[2568, 2569], sectors=["การศึกษา"],
                       agency_ids=[1, 2])
    assert checked == replace(DEFAULT, fy=2569)                        # the national view, latest year
    kept = validate(ViewState(area="37", level="district", fy=2568, sector="การศึกษา", agency=2),
                    area_exists=True, fiscal_years=[2568, 2569], sectors=["การศึกษา"], agency_ids=[1, 2])
    assert kept.area == "37" and kept.fy == 2568 and kept.sector == "การศึกษา" and kept.agency == 2


def test_default_year_skips_far_future_obligations() -> None:
    import datetime as dt

    from geodata.queries import Options

    opts = Options(fiscal_years=(2565, 2566, 2570, 2609), sectors=(), agencies=(), demand_years=(2563, 2565))
    assert opts.default_year(dt.date(2026, 11, 27)) == 2565   # latest year with plan items
    no_demand = Options(fiscal_years=(2565, 2566, 2609), sectors=(), agencies=())
    assert no_demand.default_year(dt.date(2026, 11, 27)) == 2566  # latest year already begun
    assert no_demand.default_year(dt.date(2020, 1, 1)) == 2609    # nothing begun: the latest
    checked = validate(ViewState(fy=None), area_exists=True, fiscal_years=opts.fiscal_years, sectors=(),
                       agency_ids=(), default_year=2565)
    assert checked.fy == 2565
