"""The view state in the URL: strict parsing, canonical links, validation against known lists."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dashboard.state import DEFAULT, ViewState, parse, to_search, validate


def test_a_full_state_round_trips_through_the_query_string() -> None:
    state = ViewState(
        area="3701",
        level="village",
        metric="share_count",
        plan="village",
        fy=2568,
        sector="การศึกษา",
        agency=12,
        source="agency",
        compare=True,
        classes="jenks",
        lang="en",
        tiles=True,
        rank="pc",
    )
    search = to_search(state)
    assert parse(search) == state
    assert "sector=%E0%B8%81" in search  # Thai percent-encoded


def test_defaults_make_short_links() -> None:
    assert to_search(DEFAULT) == ""
    assert to_search(ViewState(area="37", level="district", fy=2569)) == "?area=37&fy=2569"
    assert parse("") == parse(None) == DEFAULT


@pytest.mark.parametrize(
    "search",
    [
        "?area=37;DROP TABLE areas",
        "?area=<script>",
        "?area=377",
        "?area=TH%00",
        "?area=" + "1" * 400,
        "?metric=evil&plan=x&fy=99999&cls=x&lang=fr&rank=x&source=bank&agency=-1&level=moon",
        "%%%",
        "?&&==",
        "?area=37&area=22",
    ],
)
def test_malformed_values_fall_back_one_by_one(search: str) -> None:
    state = parse(search)
    assert state.area in ("TH", "37")
    assert state.metric == DEFAULT.metric and state.plan == DEFAULT.plan and state.lang == "th"
    assert state.source is None and state.agency is None and state.fy is None


def test_the_map_level_must_fit_the_area() -> None:
    assert parse("?area=37&level=village").level == "district"  # a province shows districts
    assert parse("?area=37&level=tambon").level == "tambon"
    assert parse("?level=tambon").level == "tambon"  # a national tambon map
    assert parse("?area=C05&level=district").level == "province"
    assert parse("?area=37010101").level == "village"


def test_validation_uses_what_the_database_knows() -> None:
    state = ViewState(area="99", level="district", fy=2500, sector="ไม่มี", agency=7)
    checked = validate(state, area_exists=False, fiscal_years=[2568, 2569], sectors=["การศึกษา"], agency_ids=[1, 2])
    assert checked == replace(DEFAULT, fy=2569, plan="province", metric="gap")  # national view, latest year
    kept = validate(
        ViewState(area="37", level="district", fy=2568, sector="การศึกษา", agency=2),
        area_exists=True,
        fiscal_years=[2568, 2569],
        sectors=["การศึกษา"],
        agency_ids=[1, 2],
    )
    assert kept.area == "37" and kept.fy == 2568 and kept.sector == "การศึกษา" and kept.agency == 2


def test_default_year_skips_far_future_obligations() -> None:
    import datetime as dt

    from geodata.queries import Options

    opts = Options(fiscal_years=(2565, 2566, 2570, 2609), sectors=(), agencies=(), demand_years=(2563, 2565))
    assert opts.default_year(dt.date(2026, 11, 27)) == 2565  # latest year with plan items
    no_demand = Options(fiscal_years=(2565, 2566, 2609), sectors=(), agencies=())
    assert no_demand.default_year(dt.date(2026, 11, 27)) == 2566  # latest year already begun
    assert no_demand.default_year(dt.date(2020, 1, 1)) == 2609  # nothing begun: the latest
    checked = validate(
        ViewState(fy=None),
        area_exists=True,
        fiscal_years=opts.fiscal_years,
        sectors=(),
        agency_ids=(),
        default_year=2565,
    )
    assert checked.fy == 2565


def test_default_view_opens_where_the_data_is() -> None:
    """The real files: local-plan proposals of FY2563 and an unlinked Budget Bill of FY2565 open on
    the local plan, FY2563, by requested amount; the demo (province plans, linked funding) on the
    provincial plan's gap; a link that names a year or a plan keeps it."""
    import datetime as dt
    from decimal import Decimal

    from geodata.queries import Options

    today = dt.date(2026, 11, 30)
    real = Options(
        fiscal_years=(2563, 2565),
        sectors=(),
        agencies=(),
        demand_years=(2563,),
        demand=(("local", 2563, 30_180, Decimal("112765452716.65")),),
        supply=((2565, 31_605, Decimal("2381399027261.00"), Decimal(0)),),
    )
    assert real.default_view(None, None, None, today) == ("local", 2563, "requested")
    assert real.default_view(None, 2565, None, today) == ("province", 2565, "allocated")  # the budget's year
    assert real.default_view("local", None, "gap", today) == ("local", 2563, "gap")
    demo = Options(
        fiscal_years=(2568, 2569),
        sectors=(),
        agencies=(),
        demand_years=(2568, 2569),
        demand=(
            ("village", 2568, 900, Decimal(9)),
            ("province", 2568, 100, Decimal(9)),
            ("village", 2569, 880, Decimal(9)),
            ("province", 2569, 98, Decimal(9)),
        ),
        supply=((2568, 50, Decimal(100), Decimal(90)), (2569, 50, Decimal(100), Decimal(95))),
    )
    assert demo.default_view(None, None, None, today) == ("province", 2569, "gap")
    checked = validate(
        ViewState(),
        area_exists=True,
        fiscal_years=real.fiscal_years,
        sectors=(),
        agency_ids=(),
        default_view=lambda p, y, m: real.default_view(p, y, m, today),
    )
    assert (checked.plan, checked.fy, checked.metric) == ("local", 2563, "requested")
    assert to_search(checked, real.default_view(None, 2563, None, today)) == "?fy=2563"
    assert (
        to_search(replace(checked, metric="gap"), real.default_view(None, 2563, None, today)) == "?metric=gap&fy=2563"
    )
