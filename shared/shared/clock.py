"""The clock every "as of today" default reads: now in UTC, today in Vietnam.

Routes take :data:`ClockDep`; a test freezes time for an app with
``app.state.clock = FixedClock(moment)``, and every default that says "today" follows it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Request


def _vietnam() -> tzinfo:
    try:
        return ZoneInfo("Asia/Ho_Chi_Minh")
    except ZoneInfoNotFoundError:  # no tz database in the image: Vietnam is UTC+7, no DST
        return timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


VIETNAM = _vietnam()


def local_date(moment: datetime) -> date:
    """The calendar day ``moment`` (time-zone aware) falls on in Vietnam."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timestamp with a time zone is needed")
    return moment.astimezone(VIETNAM).date()


class Clock:
    """The time now and today's date in Vietnam."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return local_date(self.now())


class FixedClock(Clock):
    """A clock stopped at ``moment``, for tests and for replaying a day."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a timestamp with a time zone is needed")
        self.moment = moment.astimezone(UTC)

    def now(self) -> datetime:
        return self.moment


SYSTEM_CLOCK = Clock()


def get_clock(request: Request) -> Clock:
    clock = getattr(request.app.state, "clock", None)
    return clock if isinstance(clock, Clock) else SYSTEM_CLOCK


ClockDep = Annotated[Clock, Depends(get_clock)]
