"""Login throttling in the database (shared by every replica): growing delays, never a lock.

Failures are counted under two keys: ``acct:<username>|<address>`` (guessing one account from one
address) and ``addr:<address>`` (one address trying many accounts). The address is the
connection's client address as uvicorn gives it: with ``--proxy-headers`` the gateway's
``X-Forwarded-For``, believed from ``FORWARDED_ALLOW_IPS`` only; nothing here reads that header.
So an attacker's failures from one address never slow the owner logging in from another, and a
successful login clears only its own (account, address) count. A password change or reset and
an admin unlock clear every count of the account (:func:`clear_account`).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.config import LoginThrottleSettings
from plans_api.identity.models import LoginFailure
from shared.errors import TooManyRequests

MAX_USERNAME = 150


def _account(username: str) -> str:
    return username.strip().lower()[:MAX_USERNAME]


def throttle_keys(username: str, address: str | None) -> dict[str, str]:
    address = address or "-"
    return {"account": f"acct:{_account(username)}|{address}", "address": f"addr:{address}"}


async def ensure_not_delayed(session: AsyncSession, keys: dict[str, str]) -> None:
    """429 with ``Retry-After`` while either key must wait."""
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


def delay_seconds(failures: int, free: int, settings: LoginThrottleSettings) -> int:
    """The wait after a key's ``failures``-th failure: none within ``free``, then doubling."""
    if failures < free:
        return 0
    doublings = min(failures - free, 30)
    return int(min(settings.max_delay_seconds, settings.base_delay_seconds * 2**doublings))


async def record_failure(
    session: AsyncSession, keys: dict[str, str], settings: LoginThrottleSettings
) -> None:
    now = datetime.now(UTC)
    forgotten = LoginFailure.__table__.c.last_failed_at < now - timedelta(
        seconds=settings.forget_after_seconds
    )
    free = {
        "account": settings.free_failures_per_account_address,
        "address": settings.free_failures_per_address,
    }
    for kind, key in keys.items():
        failures = await session.scalar(
            insert(LoginFailure)
            .values(key=key, failures=1, last_failed_at=now)
            .on_conflict_do_update(
                index_elements=[LoginFailure.key],
                set_={
                    "failures": case((forgotten, 1), else_=LoginFailure.__table__.c.failures + 1),
                    "last_failed_at": now,
                },
            )
            .returning(LoginFailure.failures)
        )
        delay = delay_seconds(failures or 0, free[kind], settings)
        if delay:
            await session.execute(
                update(LoginFailure)
                .where(LoginFailure.key == key)
                .values(locked_until=now + timedelta(seconds=delay))
            )


async def clear_success(session: AsyncSession, keys: dict[str, str]) -> None:
    """After a successful login: this (account, address) only, not other addresses' counts."""
    await session.execute(delete(LoginFailure).where(LoginFailure.key == keys["account"]))


async def clear_account(session: AsyncSession, username: str) -> None:
    """Every (account, address) count of ``username``: on a password change, reset or unlock."""
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.key.startswith(f"acct:{_account(username)}|", autoescape=True)
        )
    )
