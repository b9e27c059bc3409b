"""Login throttling per username and per client address, shared by every replica (in the DB)."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.config import LoginThrottleSettings
from plans_api.identity.models import LoginFailure
from shared.errors import TooManyRequests


def throttle_keys(username: str, address: str | None) -> dict[str, str]:
    keys = {"user": f"user:{username.strip().lower()[:150]}"}
    if address:
        keys["addr"] = f"addr:{address}"
    return keys


async def ensure_not_locked(session: AsyncSession, keys: dict[str, str]) -> None:
    now = datetime.now(UTC)
    locked_until = await session.scalar(
        select(LoginFailure.locked_until)
        .where(LoginFailure.key.in_(keys.values()), LoginFailure.locked_until > now)
        .order_by(LoginFailure.locked_until.desc())
        .limit(1)
    )
    if locked_until is not None:
        raise TooManyRequests(
            max(1, math.ceil((locked_until - now).total_seconds())),
            "Đăng nhập sai quá nhiều lần, vui lòng thử lại sau",
            "Too many failed logins; try again later",
        )


async def record_failure(
    session: AsyncSession, keys: dict[str, str], settings: LoginThrottleSettings
) -> None:
    now = datetime.now(UTC)
    window_start = now - timedelta(seconds=settings.window_seconds)
    limits = {"user": settings.max_failures_per_username, "addr": settings.max_failures_per_address}
    for kind, key in keys.items():
        table = LoginFailure.__table__
        expired = table.c.window_started_at < window_start
        stmt = (
            insert(LoginFailure)
            .values(key=key, failures=1, window_started_at=now)
            .on_conflict_do_update(
                index_elements=[LoginFailure.key],
                set_={
                    "failures": case((expired, 1), else_=table.c.failures + 1),
                    "window_started_at": case((expired, now), else_=table.c.window_started_at),
                },
            )
            .returning(LoginFailure.failures)
        )
        failures = await session.scalar(stmt)
        if failures is not None and failures >= limits[kind]:
            await session.execute(
                update(LoginFailure)
                .where(LoginFailure.key == key)
                .values(locked_until=now + timedelta(seconds=settings.lockout_seconds))
            )


async def clear_username(session: AsyncSession, keys: dict[str, str]) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.key == keys["user"]))
