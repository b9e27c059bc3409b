"""Reporting periods: the Ministry's defaults, Cần Thơ's 2022 rules, deadlines on working days,
rule checks, which period a day belongs to, and late submissions in Vietnam time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from plans_api.period.calendar import (
    DEFAULT_RULES,
    InvalidPeriodRules,
    Period,
    PeriodKind,
    PeriodRules,
    WorkingDays,
    deadline_at,
    is_late,
    period_containing,
    period_for,
    periods_containing,
    periods_for_year,
)
from shared.clock import VIETNAM

# Units report on the 10th, the province on the 20th, data from the 5th
CAN_THO_2022 = PeriodRules(data_start_day=5, province_due_day=20, unit_due_day=10)


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


# ---------------------------------------------------------------- calendars


@pytest.mark.parametrize(
    ("kind", "data_from", "data_to", "province_due_on", "unit_due_on"),
    [
        (
            PeriodKind.Q1,
            date(2023, 12, 15),
            date(2024, 3, 14),
            date(2024, 3, 20),
            date(2024, 3, 15),
        ),
        (
            PeriodKind.H1,
            date(2023, 12, 15),
            date(2024, 6, 14),
            date(2024, 6, 20),
            date(2024, 6, 17),  # 3 working days before Thursday 20/6: Monday 17/6
        ),
        (PeriodKind.Q3, date(2024, 6, 15), date(2024, 9, 14), date(2024, 9, 20), date(2024, 9, 17)),
        (
            PeriodKind.YEAR,
            date(2023, 12, 15),
            date(2024, 12, 14),
            date(2024, 12, 20),
            date(2024, 12, 17),
        ),
    ],
)
def test_default_calendar(
    kind: PeriodKind, data_from: date, data_to: date, province_due_on: date, unit_due_on: date
) -> None:
    assert period_for(kind, 2024) == Period(
        kind, 2024, data_from, data_to, province_due_on, unit_due_on
    )


def test_periods_for_year_in_order() -> None:
    periods = periods_for_year(2024)
    assert [p.kind for p in periods] == [
        PeriodKind.Q1,
        PeriodKind.H1,
        PeriodKind.Q3,
        PeriodKind.YEAR,
    ]
    assert [p.key for p in periods] == ["2024-q1", "2024-h1", "2024-q3", "2024-year"]
    assert [p.label for p in periods] == [
        "Quý I năm 2024",
        "6 tháng đầu năm 2024",
        "Quý III năm 2024",
        "Năm 2024",
    ]
    assert periods == periods_for_year(2024, DEFAULT_RULES)


def test_defaults_follow_the_ministry() -> None:
    assert PeriodRules() == PeriodRules(
        data_start_day=15, province_due_day=20, unit_lead_days=3, unit_due_day=None
    )


@pytest.mark.parametrize(
    ("kind", "data_from", "data_to", "province_due_on", "unit_due_on"),
    [
        # Sunday 20/3 moves to Monday 21/3
        (PeriodKind.Q1, date(2021, 12, 5), date(2022, 3, 4), date(2022, 3, 21), date(2022, 3, 10)),
        (PeriodKind.H1, date(2021, 12, 5), date(2022, 6, 4), date(2022, 6, 20), date(2022, 6, 10)),
        # Saturday 10/9 moves to Monday 12/9
        (PeriodKind.Q3, date(2022, 6, 5), date(2022, 9, 4), date(2022, 9, 20), date(2022, 9, 12)),
        (
            PeriodKind.YEAR,
            date(2021, 12, 5),
            date(2022, 12, 4),
            date(2022, 12, 20),
            date(2022, 12, 12),
        ),
    ],
)
def test_can_tho_2022_rules(
    kind: PeriodKind, data_from: date, data_to: date, province_due_on: date, unit_due_on: date
) -> None:
    """Cần Thơ's 2022 plan: data from the 5th to the 4th, units due on the 10th, the province
    on the 20th, each on the next working day when it falls on a weekend."""
    found = period_for(kind, 2022, CAN_THO_2022)
    assert (found.data_from, found.data_to) == (data_from, data_to)
    assert (found.province_due_on, found.unit_due_on) == (province_due_on, unit_due_on)


def working_days_between(first: date, last: date, working: WorkingDays) -> int:
    """Working days after ``first`` up to ``last``."""
    return sum(working.is_working(d) for d in days(first + timedelta(1), last))


@pytest.mark.parametrize("lead", [0, 1, 3, 4])
def test_unit_lead_days_count_working_days(lead: int) -> None:
    plain = WorkingDays()
    for year in range(2022, 2031):
        for found in periods_for_year(year, PeriodRules(unit_lead_days=lead)):
            assert plain.is_working(found.unit_due_on)
            assert found.unit_due_on >= found.data_to
            between = working_days_between(found.unit_due_on, found.province_due_on, plain)
            assert between == lead


def test_lead_days_reaching_before_the_window_end_stop_at_it() -> None:
    """Six working days before Friday 20/9/2024 is Thursday 12/9, before the window's last day
    (Saturday 14/9): units are due on the first working day from it, Monday 16/9."""
    q3 = period_for(PeriodKind.Q3, 2024, PeriodRules(unit_lead_days=6))
    assert (q3.data_to, q3.unit_due_on, q3.province_due_on) == (
        date(2024, 9, 14),
        date(2024, 9, 16),
        date(2024, 9, 20),
    )


def test_unit_deadline_may_fall_in_the_month_before() -> None:
    rules = PeriodRules(data_start_day=1, province_due_day=3, unit_lead_days=3)
    q1 = period_for(PeriodKind.Q1, 2024, rules)
    assert q1.data_to == date(2024, 2, 29)
    assert q1.unit_due_on == date(2024, 2, 29)
    assert q1.province_due_on == date(2024, 3, 4)  # Sunday 3/3 → Monday 4/3


# ---------------------------------------------------------------- working days


def test_working_days_of_a_swap() -> None:
    """30/4-1/5/2024: Monday 29/4 off, Saturday 4/5 worked instead."""
    working = WorkingDays.of(
        [
            (date(2024, 4, 29), "day_off"),
            (date(2024, 4, 30), "holiday"),
            (date(2024, 5, 1), "holiday"),
            (date(2024, 5, 4), "working_day"),
        ]
    )
    assert [d.day for d in days(date(2024, 4, 26), date(2024, 5, 6)) if working.is_working(d)] == [
        26,
        2,
        3,
        4,
        6,
    ]
    assert working.on_or_after(date(2024, 4, 27)) == date(2024, 5, 2)
    assert working.on_or_after(date(2024, 5, 4)) == date(2024, 5, 4)
    assert working.before(date(2024, 5, 2), 1) == date(2024, 4, 26)
    assert working.before(date(2024, 5, 6), 2) == date(2024, 5, 3)
    assert working.before(date(2024, 5, 6), 0) == date(2024, 5, 6)


def test_a_holiday_on_the_due_day_moves_both_deadlines() -> None:
    """A (made-up) holiday on Wednesday 20/3/2024: the province is due on Thursday 21/3, units
    3 working days before it, the holiday not counted: Tuesday 19, Monday 18, Friday 15."""
    working = WorkingDays.of([(date(2024, 3, 20), "holiday")])
    q1 = period_for(PeriodKind.Q1, 2024, DEFAULT_RULES, working)
    assert (q1.unit_due_on, q1.province_due_on) == (date(2024, 3, 15), date(2024, 3, 21))


def test_unit_due_day_never_after_the_province() -> None:
    """Units on the 20th, the province on the 21st: a day off on the 20th moves the units to the
    21st, no later than the province, and a swap Saturday is a working day for a due day."""
    rules = PeriodRules(data_start_day=15, province_due_day=21, unit_due_day=20)
    working = WorkingDays.of([(date(2024, 3, 20), "day_off"), (date(2024, 9, 21), "working_day")])
    q1 = period_for(PeriodKind.Q1, 2024, rules, working)
    assert (q1.unit_due_on, q1.province_due_on) == (date(2024, 3, 21), date(2024, 3, 21))
    q3 = period_for(PeriodKind.Q3, 2024, rules, working)
    assert (q3.unit_due_on, q3.province_due_on) == (date(2024, 9, 20), date(2024, 9, 21))


def test_start_day_one_ends_the_window_with_the_month_before() -> None:
    rules = PeriodRules(data_start_day=1, province_due_day=10)
    year = period_for(PeriodKind.YEAR, 2023, rules)
    assert (year.data_from, year.data_to) == (date(2022, 12, 1), date(2023, 11, 30))


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("rules", [DEFAULT_RULES, CAN_THO_2022])
def test_windows_chain_without_gaps(year: int, rules: PeriodRules) -> None:
    q1, h1, q3, whole = periods_for_year(year, rules)
    assert q1.data_from == h1.data_from == whole.data_from
    assert q3.data_from == h1.data_to + timedelta(days=1)
    assert whole.data_to == q3.data_to + timedelta(days=91)
    next_year = period_for(PeriodKind.YEAR, year + 1, rules)
    assert next_year.data_from == whole.data_to + timedelta(days=1)
    for found in (q1, h1, q3, whole):
        assert found.data_from < found.data_to < found.unit_due_on <= found.province_due_on


# ---------------------------------------------------------------- rule checks


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"data_start_day": 0}, "data_start_day", "day_out_of_range"),
        ({"data_start_day": 29}, "data_start_day", "day_out_of_range"),
        ({"data_start_day": 31}, "data_start_day", "day_out_of_range"),
        ({"province_due_day": 0}, "province_due_day", "day_out_of_range"),
        ({"province_due_day": 29}, "province_due_day", "day_out_of_range"),
        ({"data_start_day": True}, "data_start_day", "day_out_of_range"),
        ({"data_start_day": 15.0}, "data_start_day", "day_out_of_range"),
        ({"unit_lead_days": -1}, "unit_lead_days", "negative_lead_days"),
        ({"unit_due_day": 0}, "unit_due_day", "day_out_of_range"),
        ({"unit_due_day": 21}, "unit_due_day", "unit_due_after_province"),
        ({"unit_due_day": 13}, "unit_due_day", "unit_due_before_data_end"),
        ({"unit_lead_days": 7}, "unit_lead_days", "unit_due_before_data_end"),
        ({"province_due_day": 10}, "unit_lead_days", "unit_due_before_data_end"),
        (
            {"data_start_day": 5, "province_due_day": 10, "unit_lead_days": 7},
            "unit_lead_days",
            "unit_due_before_data_end",
        ),
        (
            {"data_start_day": 20, "province_due_day": 15, "unit_lead_days": 0},
            "unit_lead_days",
            "unit_due_before_data_end",
        ),
    ],
)
def test_invalid_rules(fields: dict[str, object], field: str, code: str) -> None:
    with pytest.raises(InvalidPeriodRules) as raised:
        PeriodRules(**fields)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert raised.value.code == code
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "fields",
    [
        {"unit_lead_days": 6},  # units due on the 14th, the data window's last day
        {"data_start_day": 5, "province_due_day": 10, "unit_lead_days": 6},
        {"data_start_day": 1, "province_due_day": 1, "unit_lead_days": 1},
        {"data_start_day": 28, "province_due_day": 28, "unit_lead_days": 1},
        {"unit_lead_days": 0},
    ],
)
def test_boundary_rules_are_accepted(fields: dict[str, int]) -> None:
    rules = PeriodRules(**fields)
    for found in periods_for_year(2024, rules):
        assert found.unit_due_on >= found.data_to


# ---------------------------------------------------------------- the period of a day


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2023, 12, 14), "2023-year"),
        (date(2023, 12, 15), "2024-q1"),
        (date(2024, 1, 1), "2024-q1"),
        (date(2024, 2, 29), "2024-q1"),
        (date(2024, 3, 14), "2024-q1"),
        (date(2024, 3, 15), "2024-h1"),
        (date(2024, 6, 14), "2024-h1"),
        (date(2024, 6, 15), "2024-q3"),
        (date(2024, 9, 14), "2024-q3"),
        (date(2024, 9, 15), "2024-year"),
        (date(2024, 12, 14), "2024-year"),
        (date(2024, 12, 31), "2025-q1"),
    ],
)
def test_period_containing(day: date, key: str) -> None:
    assert period_containing(day).key == key


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2022, 3, 4), "2022-q1"),
        (date(2022, 3, 5), "2022-h1"),
        (date(2022, 6, 5), "2022-q3"),
        (date(2022, 9, 5), "2022-year"),
        (date(2022, 12, 5), "2023-q1"),
    ],
)
def test_period_containing_with_can_tho_rules(day: date, key: str) -> None:
    assert period_containing(day, CAN_THO_2022).key == key


def test_periods_containing_lists_overlapping_windows_first_to_close_first() -> None:
    found = periods_containing(date(2024, 2, 1))
    assert [p.key for p in found] == ["2024-q1", "2024-h1", "2024-year"]
    assert [p.key for p in periods_containing(date(2024, 7, 1))] == ["2024-q3", "2024-year"]


@pytest.mark.parametrize("rules", [DEFAULT_RULES, CAN_THO_2022, PeriodRules(1, 5, 0)])
def test_every_day_has_a_period_that_holds_it(rules: PeriodRules) -> None:
    for day in days(date(2023, 1, 1), date(2025, 12, 31)):
        found = period_containing(day, rules)
        assert found.contains(day)
        assert found.year in (day.year, day.year + 1)
        for other in periods_containing(day, rules)[1:]:
            assert other.data_to >= found.data_to


# ---------------------------------------------------------------- deadlines

VN = timezone(timedelta(hours=7))


def test_deadline_is_the_end_of_the_due_day_in_vietnam() -> None:
    end = deadline_at(date(2024, 3, 15))
    assert end == datetime(2024, 3, 16, tzinfo=VN)
    assert end.utcoffset() == timedelta(hours=7)
    assert end.tzinfo is VIETNAM


@pytest.mark.parametrize(
    ("submitted_at", "late"),
    [
        (datetime(2024, 3, 15, 23, 59, 59, 999999, tzinfo=VN), False),
        (datetime(2024, 3, 16, 0, 0, tzinfo=VN), True),
        (datetime(2024, 3, 15, 16, 59, 59, tzinfo=UTC), False),  # 23:59:59 in Hà Nội
        (datetime(2024, 3, 15, 17, 0, tzinfo=UTC), True),  # 00:00 the next day in Hà Nội
        (datetime(2024, 3, 15, 12, 0, tzinfo=timezone(timedelta(hours=-5))), True),
        (datetime(2024, 3, 1, 8, 0, tzinfo=VIETNAM), False),
    ],
)
def test_is_late(submitted_at: datetime, late: bool) -> None:
    assert is_late(submitted_at, date(2024, 3, 15)) is late


def test_unit_and_province_deadlines_of_a_period() -> None:
    q1 = period_for(PeriodKind.Q1, 2024)
    on_the_17th = datetime(2024, 3, 17, 9, 0, tzinfo=VN)
    assert q1.is_late(on_the_17th)
    assert not q1.is_late(on_the_17th, province=True)
    assert q1.is_late(datetime(2024, 3, 21, 0, 0, tzinfo=VN), province=True)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError):
        is_late(datetime(2024, 3, 15, 12, 0), date(2024, 3, 15))
