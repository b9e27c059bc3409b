"""Token grants: password, refresh token (rotated, reuse revokes the family), client credentials."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from anyio import to_thread
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plans_api.config import PlansSettings
from plans_api.identity import throttle
from plans_api.identity.exceptions import (
    InvalidClient,
    InvalidCredentials,
    InvalidRefreshToken,
    UsersOnly,
    WrongPassword,
)
from plans_api.identity.models import ApiClient, RefreshToken, User
from plans_api.identity.passwords import hash_secret, needs_rehash, verify_secret
from plans_api.identity.schemas import TokenResponse
from plans_api.identity.sessions import end_sessions, epoch, revoke_refresh_tokens
from plans_api.identity.signing import KeyRing
from shared.auth.tokens import Principal


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class TokenService:
    """Each grant runs its own short transactions: a failed login must still be counted (and a
    reused refresh token's family revoked) even though the request answers with an error."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: PlansSettings,
        keyring: KeyRing,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.keyring = keyring

    async def password_grant(
        self, username: str, password: str, address: str | None
    ) -> TokenResponse:
        keys = throttle.throttle_keys(username, address)
        async with self.sessionmaker() as session:
            await throttle.ensure_not_delayed(session, keys)
            user = await session.scalar(
                select(User).where(User.username == username.strip().lower())
            )
        # An unknown or inactive account still costs one argon2 verify (of a dummy hash).
        stored = user.password_hash if user is not None and user.is_active else None
        if not await to_thread.run_sync(verify_secret, stored, password):
            async with self.sessionmaker() as session, session.begin():
                await throttle.record_failure(session, keys, self.settings.login_throttle)
            raise InvalidCredentials()
        assert user is not None
        async with self.sessionmaker() as session, session.begin():
            await throttle.clear_success(session, keys)
            if needs_rehash(user.password_hash):
                new_hash = await to_thread.run_sync(hash_secret, password)
                await session.execute(
                    update(User).where(User.id == user.id).values(password_hash=new_hash)
                )
            refresh = await self._new_refresh_token(session, user.id, family_id=uuid.uuid4())
        return self._user_tokens(user, refresh)

    async def refresh_grant(self, presented: str) -> TokenResponse:
        now = datetime.now(UTC)
        user: User | None = None
        async with self.sessionmaker() as session, session.begin():
            token = await session.scalar(
                select(RefreshToken)
                .where(RefreshToken.token_hash == _sha256(presented))
                .with_for_update()
            )
            if token is None:
                raise InvalidRefreshToken()
            if token.used_at is not None or token.revoked_at is not None:
                await session.execute(
                    update(RefreshToken)
                    .where(
                        RefreshToken.family_id == token.family_id, RefreshToken.revoked_at.is_(None)
                    )
                    .values(revoked_at=now)
                )
                reused = True
            else:
                reused = False
                user = await session.get(User, token.user_id)
                if user is None or not user.is_active:
                    # Deactivated (or gone): every refresh token of the account is revoked, and
                    # that is committed before the refusal below.
                    await revoke_refresh_tokens(session, token.user_id)
                    user = None
                elif token.expires_at <= now:
                    user = None
                else:
                    token.used_at = now
                    refresh = await self._new_refresh_token(session, user.id, token.family_id)
        if reused or user is None:  # raised after the commit, so revocations stay
            raise InvalidRefreshToken()
        return self._user_tokens(user, refresh)

    async def change_own_password(
        self, principal: Principal, current: str, new: str, address: str | None
    ) -> TokenResponse:
        """The caller's own password, given the current one (throttled like logins). Every
        session of the account ends; the answer is a fresh one for the caller."""
        if principal.kind != "user":
            raise UsersOnly()
        user_id = _uuid_or_none(principal.subject)
        async with self.sessionmaker() as session:
            user = await session.get(User, user_id) if user_id else None
        keys = throttle.throttle_keys(user.username if user else principal.subject, address)
        async with self.sessionmaker() as session:
            await throttle.ensure_not_delayed(session, keys)
        stored = user.password_hash if user is not None and user.is_active else None
        if not await to_thread.run_sync(verify_secret, stored, current):
            async with self.sessionmaker() as session, session.begin():
                await throttle.record_failure(session, keys, self.settings.login_throttle)
            raise WrongPassword()
        assert user is not None
        new_hash = await to_thread.run_sync(hash_secret, new)
        async with self.sessionmaker() as session, session.begin():
            user = await session.get(User, user.id, with_for_update=True)
            assert user is not None
            user.password_hash = new_hash
            await end_sessions(session, user, refresh_tokens=True)
            await throttle.clear_account(session, user.username)
            refresh = await self._new_refresh_token(session, user.id, family_id=uuid.uuid4())
        return self._user_tokens(user, refresh)

    async def client_credentials_grant(self, client_id: str, secret: str) -> TokenResponse:
        async with self.sessionmaker() as session:
            client = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
        stored = client.secret_hash if client is not None and client.is_active else None
        if not await to_thread.run_sync(verify_secret, stored, secret):
            raise InvalidClient()
        assert client is not None
        ttl = self.settings.signing.client_token_minutes * 60
        scope = " ".join(sorted(client.scopes))
        claims = {
            "sub": f"client:{client.client_id}",
            "client_id": client.client_id,
            "name": client.name,
            "scope": scope,
            "roles": [],
            "token_use": "client",
        }
        return TokenResponse(access_token=self._sign(claims, ttl), expires_in=ttl, scope=scope)

    async def _new_refresh_token(
        self, session: AsyncSession, user_id: uuid.UUID, family_id: uuid.UUID
    ) -> str:
        value = secrets.token_urlsafe(48)
        days = self.settings.signing.refresh_token_days
        session.add(
            RefreshToken(
                user_id=user_id,
                family_id=family_id,
                token_hash=_sha256(value),
                expires_at=datetime.now(UTC) + timedelta(days=days),
            )
        )
        await session.flush()
        return value

    def _user_tokens(self, user: User, refresh: str) -> TokenResponse:
        ttl = self.settings.signing.access_token_minutes * 60
        claims = {
            "sub": str(user.id),
            "preferred_username": user.username,
            "name": user.full_name,
            "roles": list(user.roles),
            "unit_id": str(user.unit_id) if user.unit_id else None,
            "official_id": str(user.official_id) if user.official_id else None,
            "token_use": "access",
        }
        # Never before the account's tokens_valid_after (see plans_api.identity.sessions).
        issued_at = epoch(user.tokens_valid_after)
        return TokenResponse(
            access_token=self._sign(claims, ttl, issued_at), expires_in=ttl, refresh_token=refresh
        )

    def _sign(self, claims: dict[str, Any], ttl: int, issued_at: int | None = None) -> str:
        return self.keyring.sign(
            claims,
            issuer=self.settings.auth.issuer,
            audience=self.settings.auth.audience,
            ttl_seconds=ttl,
            issued_at=issued_at,
        )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
