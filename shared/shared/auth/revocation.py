"""Access tokens that end before their ``exp``: the accounts whose tokens are valid only after a
moment (a password change, deactivation, a role or unit change), per user id.

plans-api keeps ``users.tokens_valid_after`` and publishes the entries of the last access-token
lifetime at ``GET /api/auth/v1/revocations`` (scope ``auth:revocations``). Every service keeps
that list for at most ``AUTH__REVOCATION_CACHE_SECONDS`` (60 s by default) and
``TokenVerifier`` refuses a user's token whose ``iat`` is before the user's moment: so a
deactivated or demoted account's access tokens stop working within that bound everywhere (at
once on the plans-api replica that made the change). When the list cannot be fetched, the last
one is kept (and a fetch retried after ``RETRY_AFTER_FAILURE`` seconds), as with the JWKS: an
outage of plans-api does not log everyone out.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from fastapi import FastAPI

from shared.http import ServiceClient, UpstreamUnavailable, service_client

logger = logging.getLogger("shared.auth.revocation")
REVOCATIONS_PATH = "/api/auth/v1/revocations"
REVOCATIONS_SCOPE = "auth:revocations"
RETRY_AFTER_FAILURE = 5.0

# user id -> the first ``iat`` (seconds since the epoch) still accepted
ValidAfter = dict[str, int]


class RevocationList(Protocol):
    async def valid_after(self, subject: str) -> int | None:
        """The first ``iat`` still accepted for ``subject``'s tokens, or None for any."""


class CachedRevocations:
    """The list from ``fetch``, kept for ``ttl`` seconds; ``invalidate`` forgets it."""

    def __init__(
        self,
        fetch: Callable[[], Awaitable[ValidAfter]],
        *,
        ttl: float = 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._ttl = ttl
        self._clock = clock
        self._entries: ValidAfter = {}
        self._next_fetch = float("-inf")
        self._generation = 0
        self._lock = asyncio.Lock()

    async def valid_after(self, subject: str) -> int | None:
        if self._clock() >= self._next_fetch:
            await self._refresh()
        return self._entries.get(subject)

    def invalidate(self) -> None:
        self._next_fetch = float("-inf")
        self._generation += 1

    async def _refresh(self) -> None:
        generation = self._generation
        async with self._lock:
            if self._clock() < self._next_fetch and generation == self._generation:
                return  # another task fetched while we waited
            started = self._clock()
            try:
                self._entries = await self._fetch()
                self._next_fetch = started + self._ttl
            except (UpstreamUnavailable, ValueError, KeyError, TypeError) as exc:
                logger.warning("revocation list fetch failed", extra={"error": type(exc).__name__})
                self._next_fetch = started + min(self._ttl, RETRY_AFTER_FAILURE)


def parse_revocations(body: Any) -> ValidAfter:
    """``{"items": [{"user_id": …, "valid_after": <epoch seconds>}, …]}`` as a dict."""
    return {str(item["user_id"]): int(item["valid_after"]) for item in body["items"]}


def http_revocations(plans: ServiceClient, *, ttl: float = 60) -> CachedRevocations:
    """The list asked of plans-api with this service's client-credentials token."""

    async def fetch() -> ValidAfter:
        response = await plans.get(REVOCATIONS_PATH)
        if response.status_code != 200:
            raise UpstreamUnavailable(REVOCATIONS_PATH, f"answered {response.status_code}")
        return parse_revocations(response.json())

    return CachedRevocations(fetch, ttl=ttl)


RevocationsFactory = Callable[[FastAPI], RevocationList]


def install_revocations(app: FastAPI, factory: RevocationsFactory | None = None) -> None:
    """Make ``app``'s token verifier honour the list: for a service other than plans-api, asked
    of plans-api over HTTP unless ``factory`` says otherwise (tests)."""
    if factory is None:
        settings = app.state.settings

        def factory(app: FastAPI) -> RevocationList:
            plans = service_client(app, settings.services.plans)
            return http_revocations(plans, ttl=settings.auth.revocation_cache_seconds)

    app.state.token_verifier.revocations = factory(app)
