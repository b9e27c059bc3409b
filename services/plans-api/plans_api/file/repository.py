"""Queries of evidence files."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.file.models import StoredFile
from plans_api.unit.repository import unit_scope
from shared.auth.tokens import Principal


async def file_in_subtree(
    session: AsyncSession, principal: Principal, file_id: UUID
) -> StoredFile | None:
    """The file if it was uploaded in the caller's unit subtree (any file for the roles that see
    every unit)."""
    scope = unit_scope(principal, StoredFile.unit_id)
    query = select(StoredFile).where(StoredFile.id == file_id)
    return await session.scalar(query if scope is None else query.where(scope))
