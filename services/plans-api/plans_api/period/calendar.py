"""Reporting periods: their data windows and deadlines, on working days.

Each year has four CCHC reporting periods (Nghị định 09/2019/NĐ-CP and the Ministry of Home
Affairs' CCHC reporting guidance): quarter I (``q1``), six months (``h1``), quarter III (``q3``)
and the year (``year``). A period counts data from ``data_start_day`` of the month before its
first month up to the day before ``data_start_day`` of its last month, and the province's report
is due on ``province_due_day`` of its last month. With the defaults (15th, 20th), before any move
to a working day:

    period  data from                  data to  province due
    q1      15/12 of the year before   14/3     20/3
    h1      15/12 of the year before   14/6     20/6
    q3      15/6                       14/9     20/9
    year    15/12 of the year before   14/12    20/12

A deadline that falls on a day off (a Saturday or Sunday that is not a working swap day, a public
holiday, a compensatory or swapped day off: :class:`WorkingDays`) moves to the next working day
(Bộ luật Dân sự 2015, article 148(5)). Units report to the Sở Nội vụ ``unit_lead_days`` working
days before the province's deadline (default 3, about the 15th), or, when the rules name a
``unit_due_day``, on that day of the period's last month (moved to a working day likewise). A
province whose units report on the 10th and the province on the 20th, with data from the 5th
(Cần Thơ's 2022 plan), is ``PeriodRules(data_start_day=5, province_due_day=20,
unit_due_day=10)``.

Rules are checked when made (:class:`InvalidPeriodRules`): the days are 1..28 so that every month
has them, lead days are not negative, a unit's day is not after the province's, and a unit's
deadline is not before the data window's end (it may be that very day). Holidays can still pull a
unit's deadline counted in working days before the window's end: it is then the first working day
from the window's end on, and never after the province's. With ``data_start_day=1`` the window ends
on the last day of the month before the period's last month.

Dates are plain dates in Asia/Ho_Chi_Minh. A deadline ends with its day there: a submission is
late from 00:00 of the next day, Vietnam time (:func:`is_late`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from shared.clock import VIETNAM


class PeriodKind(StrEnum):
    Q1 = "q1"
    H1 = "h1"
    Q3 = "q3"
    YEAR = "year"


# first and last month of each period; data start in the month before the first one
_MONTHS = {
    PeriodKind.Q1: (1, 3),
    PeriodKind.H1: (1, 6),
    PeriodKind.Q3: (7, 9),
    PeriodKind.YEAR: (1, 12),
}


def end_month(kind: str) -> int:
    """The last month of a period of ``kind`` (3 for q1, 6 for h1 …)."""
    return _MONTHS[PeriodKind(kind)][1]


def period_end(year: int, kind: str) -> date:
    """The last day of a period's last month: what a ``done`` report for it covers."""
    month = end_month(kind)
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


_LABELS = {
    PeriodKind.Q1: "Quý I năm {year}",
    PeriodKind.H1: "6 tháng đầu năm {year}",
    PeriodKind.Q3: "Quý III năm {year}",
    PeriodKind.YEAR: "Năm {year}",
}


class InvalidPeriodRules(ValueError):
    """Rules that cannot make a calendar; ``field`` and ``code`` name what is wrong."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_day(field: str, value: int) -> None:
    if not _is_int(value) or not 1 <= value <= 28:
        raise InvalidPeriodRules(field, "day_out_of_range", f"{field} must be 1..28")


@dataclass(frozen=True)
class PeriodRules:
    """How a province (or one plan) counts and dates its reports."""

    data_start_day: int = 15
    province_due_day: int = 20
    unit_lead_days: int = 3  # working days; not used when unit_due_day is set
    unit_due_day: int | None = None

    def __post_init__(self) -> None:
        _check_day("data_start_day", self.data_start_day)
        _check_day("province_due_day", self.province_due_day)
        if not _is_int(self.unit_lead_days) or self.unit_lead_days < 0:
            raise InvalidPeriodRules(
                "unit_lead_days", "negative_lead_days", "unit_lead_days must be 0 or more"
            )
        if self.unit_due_day is not None:
            self._check_unit_day(self.unit_due_day)
            return
        # both sides are days counted from the start of the period's last month
        if self.province_due_day - self.unit_lead_days < self.data_start_day - 1:
            raise InvalidPeriodRules(
                "unit_lead_days",
                "unit_due_before_data_end",
                "units would be due before the data window ends",
            )

    def _check_unit_day(self, day: int) -> None:
        _check_day("unit_due_day", day)
        if day > self.province_due_day:
            raise InvalidPeriodRules(
                "unit_due_day", "unit_due_after_province", "unit_due_day is after province_due_day"
            )
        if day < self.data_start_day - 1:
            raise InvalidPeriodRules(
                "unit_due_day",
                "unit_due_before_data_end",
                "units would be due before the data window ends",
            )


DEFAULT_RULES = PeriodRules()

# Kinds of dated days: a public holiday, a day off that is not one (compensatory, or swapped with
# a working Saturday), and a weekend day that is a working day (the Saturday of a swap).
DAY_KINDS = ("holiday", "day_off", "working_day")


@dataclass(frozen=True)
class WorkingDays:
    """Which days are working days: Monday to Friday, less ``days_off``, plus ``working_days``
    (weekend days the government made working days)."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    working_days: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def of(cls, days: Iterable[tuple[date, str]]) -> WorkingDays:
        """From (day, kind) pairs, kind one of :data:`DAY_KINDS`."""
        pairs = list(days)
        return cls(
            frozenset(d for d, kind in pairs if kind != "working_day"),
            frozenset(d for d, kind in pairs if kind == "working_day"),
        )

    def is_working(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day."""
        while not self.is_working(day):
            day += timedelta(days=1)
        return day

    def before(self, day: date, count: int) -> date:
        """The working day ``count`` working days before ``day`` (``day`` itself for 0)."""
        for _ in range(count):
            day -= timedelta(days=1)
            while not self.is_working(day):
                day -= timedelta(days=1)
        return day


WEEKENDS_ONLY = WorkingDays()


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    data_from: date
    data_to: date
    province_due_on: date
    unit_due_on: date

    @property
    def key(self) -> str:
        """A stable identifier such as ``2024-q1``."""
        return f"{self.year}-{self.kind.value}"

    @property
    def label(self) -> str:
        return _LABELS[self.kind].format(year=self.year)

    def contains(self, day: date) -> bool:
        """Whether ``day``'s data belongs in this period."""
        return self.data_from <= day <= self.data_to

    def is_late(self, submitted_at: datetime, *, province: bool = False) -> bool:
        """Whether a report submitted at ``submitted_at`` missed the unit's (or province's)
        deadline."""
        return is_late(submitted_at, self.province_due_on if province else self.unit_due_on)


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _unit_due(
    rules: PeriodRules, month: date, data_to: date, province_due: date, days: WorkingDays
) -> date:
    if rules.unit_due_day is not None:
        due = days.on_or_after(month.replace(day=rules.unit_due_day))
    else:
        due = days.before(province_due, rules.unit_lead_days)
        if due < data_to:
            due = days.on_or_after(data_to)
    return min(due, province_due)


def period_for(
    kind: PeriodKind,
    year: int,
    rules: PeriodRules = DEFAULT_RULES,
    days: WorkingDays = WEEKENDS_ONLY,
) -> Period:
    """The period with its deadlines on the working days of ``days``."""
    first_month, last_month = _MONTHS[kind]
    start_year, start_month = _month_before(year, first_month)
    month = date(year, last_month, 1)
    data_to = month.replace(day=rules.data_start_day) - timedelta(days=1)
    province_due = days.on_or_after(month.replace(day=rules.province_due_day))
    return Period(
        kind=kind,
        year=year,
        data_from=date(start_year, start_month, rules.data_start_day),
        data_to=data_to,
        province_due_on=province_due,
        unit_due_on=_unit_due(rules, month, data_to, province_due, days),
    )


def periods_for_year(
    year: int, rules: PeriodRules = DEFAULT_RULES, days: WorkingDays = WEEKENDS_ONLY
) -> list[Period]:
    """The year's periods in order: q1, h1, q3, year."""
    return [period_for(kind, year, rules, days) for kind in PeriodKind]


def periods_containing(day: date, rules: PeriodRules = DEFAULT_RULES) -> list[Period]:
    """Every period whose data window holds ``day`` (windows overlap), the first to close first."""
    candidates = periods_for_year(day.year, rules) + periods_for_year(day.year + 1, rules)
    found = [p for p in candidates if p.contains(day)]
    return sorted(found, key=lambda p: (p.data_to, p.data_from))


def period_containing(day: date, rules: PeriodRules = DEFAULT_RULES) -> Period:
    """The period ``day``'s data is next reported in: of the windows holding it, the first to
    close (15/2 → q1, 20/3 → h1, 20/6 → q3, 20/9 → year, 20/12 → next year's q1)."""
    return periods_containing(day, rules)[0]


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timestamp with a time zone is needed")
    return moment


def deadline_at(due_on: date) -> datetime:
    """The first instant after the due day, Vietnam time: submissions from then on are late."""
    return datetime.combine(due_on + timedelta(days=1), time.min, tzinfo=VIETNAM)


def is_late(submitted_at: datetime, due_on: date) -> bool:
    """Whether ``submitted_at`` (time-zone aware) is after the end of ``due_on`` in Vietnam."""
    return _aware(submitted_at) >= deadline_at(due_on)
