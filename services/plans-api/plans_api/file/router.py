"""Evidence files for progress reports: upload once, cite by id in a report's evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, UploadFile, status

from plans_api.file import service
from plans_api.file.schemas import FileRead
from plans_api.file.storage import Store
from shared.auth.dependencies import UnitWriter
from shared.db import DbSession
from shared.errors import problem_responses
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["files"])


@router.post(
    "/files",
    response_model=FileRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 413, 415, 422),
    summary="Upload an evidence file",
)
async def upload_file(
    session: DbSession,
    principal: UnitWriter,
    store: Store,
    file: Annotated[UploadFile, File(description="PDF, PNG, JPEG, DOCX, XLSX or UTF-8 text")],
) -> FileRead:
    """The type is judged from the content (415 ``unsupported_file_type``; 415
    ``file_type_mismatch`` when the name's extension says otherwise); at most 10 MiB (413
    ``file_too_large``); empty is 422 ``file_empty``. Cite the answer's ``id`` in a report's
    ``evidence`` as ``{"kind": "file", "file_id": ...}``."""
    return await service.upload(session, principal, store, file)
