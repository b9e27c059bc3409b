"""Events from the other services' outboxes (service accounts only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from reporting_api.event import service
from reporting_api.event.schemas import MAX_BATCH, EventBatch, EventBatchResult
from shared.auth.dependencies import require_scopes
from shared.auth.tokens import Principal
from shared.db import DbSession
from shared.errors import Forbidden, problem_responses
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/reporting/v1", tags=["events"])
EventWriter = Annotated[Principal, Depends(require_scopes("events:write"))]


@router.post(
    "/events",
    response_model=EventBatchResult,
    responses={
        **problem_responses(401, 403, 413),
        422: {
            **problem_responses(422)[422],
            "description": "`validation_error` (the batch's shape), `unknown_event_type` (a type"
            " without a contract) or `invalid_event_data` (data off its type's contract);"
            " `errors` names each field. Nothing of the batch is stored.",
        },
    },
    summary="Receive a batch of events (service accounts with `events:write`)",
    description=f"""At most {MAX_BATCH} events per call. Each event is stored once: an `id`
already received counts as a duplicate and is left as it was, so a producer may send a batch
again after a failure. Answers how many events were new (`applied`) and how many were
`duplicates`. Consumers order an aggregate's events by `sequence`.

Each event's `data` must match the contract of its `type` (`shared.events`: one schema per type,
the one the producer writes with); its `aggregate_type` is the type's first word (`unit.created`:
`unit`). An unknown type or data off its contract refuses the whole batch (422). Data is stored as
its contract reads it: text in NFC, fields the contract does not name left out.""",
)
async def receive_events(
    batch: EventBatch, session: DbSession, writer: EventWriter
) -> EventBatchResult:
    """A service account may only send events of its own ``source`` (its client id)."""
    foreign = sorted({e.source for e in batch.events} - {writer.claims.get("client_id")})
    if foreign:
        raise Forbidden(
            "Tài khoản dịch vụ chỉ được gửi sự kiện của chính mình",
            "A service account may only send its own events",
            sources=foreign,
        )
    return await service.store_events(session, batch.events)
