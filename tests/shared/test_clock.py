"""Today is Vietnam's date, and a fixed clock set on an app moves every "today" default."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import httpx
import pytest
from fastapi import FastAPI

from shared.clock import SYSTEM_CLOCK, ClockDep, FixedClock, local_date


def test_local_date_is_vietnam_date() -> None:
    # 18:00 UTC on the 30th is 01:00 on the 1st in Vietnam (UTC+7).
    assert local_date(datetime(2026, 6, 30, 18, 0, tzinfo=UTC)) == date(2026, 7, 1)
    assert local_date(datetime(2026, 6, 30, 16, 59, tzinfo=UTC)) == date(2026, 6, 30)


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        local_date(datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="time zone"):
        FixedClock(datetime(2026, 1, 1))


def test_fixed_clock() -> None:
    moment = datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=7)))
    clock = FixedClock(moment)
    assert clock.now() == moment and clock.now().tzinfo == UTC
    assert clock.today() == date(2026, 3, 1)


async def test_routes_read_the_app_clock() -> None:
    app = FastAPI()

    @app.get("/today")
    async def today(clock: ClockDep) -> str:
        return clock.today().isoformat()

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/today")).json() == SYSTEM_CLOCK.today().isoformat()
        app.state.clock = FixedClock(datetime(2025, 7, 1, tzinfo=UTC))
        assert (await client.get("/today")).json() == "2025-07-01"
