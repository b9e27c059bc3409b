"""Evidence files: the upload (size, type, one copy per content) and the download's headers.
Who may download a file is the report package's rule (a file is seen through the reports citing
it): :func:`plans_api.report.evidence.visible_file`."""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import quote

import anyio
from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.file.exceptions import UnitRequired
from plans_api.file.models import StoredFile
from plans_api.file.schemas import FileRead
from plans_api.file.storage import FileStore
from shared.auth.roles import ADMIN_ROLES
from shared.auth.tokens import Principal
from shared.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    XLSX,
    UploadLimits,
    check_upload,
    clean_filename,
)

# Who may upload without a unit of their own (their files are seen through reports and by the
# roles that see every unit).
UNITLESS_UPLOADERS = ADMIN_ROLES
# Judged from the bytes; markup (HTML, SVG, XML) is refused, as a browser could run it.
EVIDENCE_KINDS = (PDF, PNG, JPEG, DOCX, XLSX, TEXT)


async def upload(
    session: AsyncSession, principal: Principal, store: FileStore, file: UploadFile
) -> FileRead:
    if principal.unit_id is None and not principal.has_role(*UNITLESS_UPLOADERS):
        raise UnitRequired()
    data = await file.read(store.max_bytes + 1)  # one byte over is enough to refuse it
    name = clean_filename(file.filename)
    limits = UploadLimits(max_bytes=store.max_bytes)
    kind = await anyio.to_thread.run_sync(check_upload, data, name, EVIDENCE_KINDS, limits)
    sha256 = hashlib.sha256(data).hexdigest()
    key = await anyio.to_thread.run_sync(store.put, data, sha256)
    row = StoredFile(
        name=name,
        size=len(data),
        sha256=sha256,
        content_type=kind.content_type,
        storage_key=key,
        uploaded_by=principal.subject,
        unit_id=principal.unit_id,
    )
    session.add(row)
    await session.flush()
    return FileRead.model_validate(row)


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact name in
    ``filename*`` (RFC 6266 / RFC 8187), so no quote, slash or line break reaches the header."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in " ._-()") else "_"
        for c in ascii_name
        if not unicodedata.combining(c)
    )
    return (
        f"attachment; filename=\"{ascii_name or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
