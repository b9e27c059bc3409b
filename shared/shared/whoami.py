"""A "who am I" route every service mounts: proof that it accepts plans-api's tokens."""

from __future__ import annotations

from typing import Any

from shared.auth.dependencies import CurrentPrincipal
from shared.errors import problem_responses
from shared.routing import ServiceRouter


def whoami_router(prefix: str) -> ServiceRouter:
    router = ServiceRouter(prefix=prefix, tags=["identity"])

    @router.get(
        "/me",
        responses=problem_responses(401),
        summary="Who am I: the caller as this service sees the access token",
    )
    async def read_me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "id": principal.subject,
            "kind": principal.kind,
            "username": principal.username,
            "full_name": principal.full_name,
            "unit_id": principal.unit_id,
            "roles": sorted(principal.roles),
            "scopes": sorted(principal.scopes),
            "official_id": principal.official_id,
        }

    return router
