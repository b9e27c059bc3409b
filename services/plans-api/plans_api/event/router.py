"""``GET /events/export``: the current state as snapshot events, for reporting-api's rebuild."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query

from plans_api.event import service
from plans_api.event.schemas import AggregateType, SnapshotPage
from shared.auth.dependencies import require_scopes
from shared.auth.tokens import Principal
from shared.db import DbSession
from shared.errors import problem_responses
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["events"])
Exporter = Annotated[Principal, Depends(require_scopes("events:export"))]


@router.get(
    "/events/export",
    response_model=SnapshotPage,
    responses=problem_responses(401, 403, 422),
    summary="Current state as snapshot events (service accounts with `events:export`)",
)
async def export_events(
    session: DbSession,
    _: Exporter,
    aggregate_type: AggregateType,
    after: Annotated[UUID | None, Query(description="The last id of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> SnapshotPage:
    """Pages of ``{type: "<aggregate>.snapshot", aggregate_type, aggregate_id, sequence, data}``
    in id order; events with a higher sequence than a snapshot's are newer than it."""
    return await service.export_page(session, aggregate_type, after, limit)
