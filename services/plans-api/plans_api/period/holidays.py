"""Dated days off and working swap days, for the whole country, one list per year: what moves
period deadlines to working days (:class:`plans_api.period.calendar.WorkingDays`).

The migration loads 2022-2030 (Bộ luật Lao động 2019, article 112, with what the government
announced for Tết and the 30/4 swaps where known); an admin replaces a year's list with
``PUT /holidays/{year}``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.period import repository as repo
from plans_api.period.calendar import WorkingDays
from plans_api.period.exceptions import (
    DuplicateHoliday,
    HolidayOutsideYear,
    HolidaysStale,
    WorkingDayNotWeekend,
)
from plans_api.period.models import Holiday
from plans_api.period.schemas import HolidayDay, HolidaysPut, HolidaysRead
from shared.etag import ensure_fresh


async def working_days(session: AsyncSession, year: int) -> WorkingDays:
    """The working days the deadlines of ``year``'s periods fall on (they may move into the
    January after)."""
    days = await repo.days_between(session, date(year, 1, 1), date(year + 1, 1, 31))
    return WorkingDays.of((d.day, d.kind) for d in days)


async def read_year(session: AsyncSession, year: int) -> HolidaysRead:
    days = await repo.days_between(session, date(year, 1, 1), date(year, 12, 31))
    row = await repo.holiday_year(session, year)
    return HolidaysRead(
        year=year,
        days=[HolidayDay.model_validate(d) for d in days],
        version=row.version if row else 0,
    )


def check_days(year: int, data: HolidaysPut) -> None:
    """Every day in ``year``, none twice, working swap days on a weekend: else 422."""
    seen: set[date] = set()
    for index, item in enumerate(data.days):
        if item.day.year != year:
            raise HolidayOutsideYear(index, year)
        if item.day in seen:
            raise DuplicateHoliday(index)
        if item.kind == "working_day" and item.day.weekday() < 5:
            raise WorkingDayNotWeekend(index)
        seen.add(item.day)


async def replace_year(
    session: AsyncSession, year: int, data: HolidaysPut, if_match: int | None
) -> None:
    """Replace the year's list; 412 when ``If-Match`` names another version (0: no list yet)."""
    check_days(year, data)
    row = await repo.lock_holiday_year(session, year)
    ensure_fresh(if_match, row.version, HolidaysStale)
    row.version += 1
    await repo.replace_days(
        session, year, [Holiday(day=d.day, name=d.name, kind=d.kind) for d in data.days]
    )
