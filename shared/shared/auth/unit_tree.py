"""Unit ancestry asked of plans-api, for services that do not own units (learning, reporting)."""

from __future__ import annotations

import time
from collections.abc import Callable
from uuid import UUID

from fastapi import FastAPI

from shared.http import ServiceClient, service_client, upstream_unavailable

ANCESTORS_PATH = "/api/plans/v1/units/{unit_id}/ancestors"


class HttpUnitTree:
    """``shared.auth.dependencies.UnitTree`` over plans-api's ancestors endpoint.

    Known units are cached for ``ttl`` seconds (units move rarely, and a stale answer only lasts
    that long); unknown ones are not, so a unit created a moment ago is found at once.
    """

    def __init__(
        self,
        plans: ServiceClient,
        *,
        ttl: float = 60,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._plans = plans
        self._ttl = ttl
        self._max_entries = max_entries
        self._clock = clock
        self._cache: dict[UUID, tuple[float, list[UUID]]] = {}

    async def ancestors(self, unit_id: UUID) -> list[UUID] | None:
        cached = self._cache.get(unit_id)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        chain = await self._fetch(unit_id)
        if chain is not None:
            self._remember(unit_id, chain)
        return chain

    async def _fetch(self, unit_id: UUID) -> list[UUID] | None:
        response = await self._plans.get(ANCESTORS_PATH.format(unit_id=unit_id))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise upstream_unavailable(str(response.url), f"answered {response.status_code}")
        return [UUID(str(value)) for value in response.json()]

    def _remember(self, unit_id: UUID, chain: list[UUID]) -> None:
        self._cache.pop(unit_id, None)
        if len(self._cache) >= self._max_entries:
            del self._cache[next(iter(self._cache))]  # the oldest entry
        self._cache[unit_id] = (self._clock() + self._ttl, chain)


def install_http_unit_tree(app: FastAPI) -> None:
    """``app.state.unit_tree`` for a service other than plans-api: plans-api asked over HTTP."""
    settings = app.state.settings
    plans = service_client(app, settings.services.plans)
    app.state.unit_tree = HttpUnitTree(plans, ttl=settings.auth.unit_tree_cache_seconds)
