"""Downloading an evidence file: the reports decide who may read it."""

from __future__ import annotations

from uuid import UUID

from fastapi.responses import FileResponse

from plans_api.file.exceptions import FileNotFound
from plans_api.file.service import content_disposition
from plans_api.file.storage import Store
from plans_api.report.evidence import get_visible_file
from shared.auth.dependencies import CurrentPrincipal
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["files"])


@router.get(
    "/files/{file_id}",
    response_class=FileResponse,
    responses={
        200: {"description": "The file's bytes, as an attachment"},
        **problem_responses(401, 404),
    },
    summary="Download an evidence file",
)
async def download_file(
    file_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    store: Store,
    clock: ClockDep,
) -> FileResponse:
    """Files uploaded in your unit's subtree and the evidence of reports you may read; another
    unit's file is not found (404)."""
    found = await get_visible_file(session, principal, file_id, clock)
    path = store.path(found.storage_key)
    if not path.is_file():
        raise FileNotFound()
    return FileResponse(
        path,
        media_type=found.content_type,
        headers={
            "Content-Disposition": content_disposition(found.name),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
