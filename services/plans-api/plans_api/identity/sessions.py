"""Ending an account's sessions: its refresh tokens revoked, its access tokens refused.

``users.tokens_valid_after`` is the first ``iat`` still accepted for the account's access
tokens (rounded up to the next second, and new tokens are signed with at least that ``iat``, so
a token from before the change is always refused and one from after it never is). Every service
reads the recent entries through :mod:`shared.auth.revocation`; plans-api reads them from its
own database (:class:`DbRevocations` below).
"""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plans_api.identity.models import RefreshToken, User
from shared.auth.revocation import CachedRevocations, ValidAfter


def epoch(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


async def revoke_refresh_tokens(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


async def end_sessions(session: AsyncSession, user: User, *, refresh_tokens: bool) -> None:
    """Refuse ``user``'s access tokens issued until now and, with ``refresh_tokens``, revoke
    every refresh token (a password change or deactivation; a role change only needs the
    former: a refresh reads the roles afresh)."""
    user.tokens_valid_after = datetime.fromtimestamp(math.ceil(datetime.now(UTC).timestamp()), UTC)
    if refresh_tokens:
        await revoke_refresh_tokens(session, user.id)
    await session.flush()


async def recent_valid_after(session: AsyncSession, window_seconds: int) -> ValidAfter:
    """The accounts whose ``tokens_valid_after`` is within the last ``window_seconds`` (older
    entries only concern tokens that have expired anyway)."""
    since = datetime.now(UTC) - timedelta(seconds=window_seconds)
    rows = await session.execute(
        select(User.id, User.tokens_valid_after).where(User.tokens_valid_after > since)
    )
    return {str(user_id): epoch(moment) or 0 for user_id, moment in rows}


def revocation_window_seconds(app: FastAPI) -> int:
    """An access token's lifetime plus the verifiers' leeway."""
    settings = app.state.settings
    return settings.signing.access_token_minutes * 60 + settings.auth.leeway_seconds


def db_revocations(app: FastAPI) -> CachedRevocations:
    """plans-api's own verifier: the list from its database, cached like everywhere else (and
    invalidated at once when this replica ends a session)."""

    async def fetch() -> ValidAfter:
        maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
        async with maker() as session:
            return await recent_valid_after(session, revocation_window_seconds(app))

    return CachedRevocations(fetch, ttl=app.state.settings.auth.revocation_cache_seconds)


def sessions_ended(app: FastAPI) -> None:
    """Tell this replica's verifier at once (the others learn within the cache bound)."""
    revocations = getattr(app.state.token_verifier, "revocations", None)
    if isinstance(revocations, CachedRevocations):
        revocations.invalidate()
