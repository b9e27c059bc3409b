"""Evidence files as reports see them: a caller may read a file uploaded in their unit's subtree
(every file, for the roles that see every unit) or cited as evidence by a report they may read."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.access import caller_reach
from plans_api.file.exceptions import FileNotFound
from plans_api.file.models import StoredFile
from plans_api.file.repository import file_in_subtree
from plans_api.report import repository as repo
from plans_api.unit.repository import unit_scope
from shared.auth.tokens import Principal
from shared.clock import Clock


async def visible_file(
    session: AsyncSession, principal: Principal, file_id: UUID, clock: Clock
) -> StoredFile | None:
    """The file if the caller may read it; None otherwise."""
    found = await file_in_subtree(session, principal, file_id)
    if found is not None or unit_scope(principal) is None:
        return found
    reach = await caller_reach(session, principal, clock.today())
    units = None if reach is None else reach.unit_ids
    if not await repo.file_cited(session, file_id, units):
        return None
    return await session.get(StoredFile, file_id)


async def get_visible_file(
    session: AsyncSession, principal: Principal, file_id: UUID, clock: Clock
) -> StoredFile:
    """As :func:`visible_file`; another unit's file is not found (404)."""
    found = await visible_file(session, principal, file_id, clock)
    if found is None:
        raise FileNotFound()
    return found
