"""Units (the registry grows in the plans issue; here: create, read, ancestry)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status

from plans_api.models import IDEMPOTENT, OUTBOX
from plans_api.unit.models import Unit
from plans_api.unit.repository import unit_ancestors
from plans_api.unit.schemas import UnitCreate, UnitRead
from shared.auth.dependencies import CurrentPrincipal, ensure_unit_access, require_roles
from shared.auth.tokens import Principal
from shared.db import DbSession, TransactionalRoute
from shared.errors import NotFound, Unprocessable, problem_responses
from shared.outbox import add_event

router = APIRouter(prefix="/api/plans/v1", tags=["units"], route_class=TransactionalRoute)
ReformAdmin = Annotated[Principal, Depends(require_roles("system_admin", "reform_admin"))]


class UnitNotFound(NotFound):
    code = "unit_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy đơn vị", "Unit not found")


@router.post(
    "/units",
    response_model=UnitRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 422),
    summary="Create a unit",
    dependencies=[IDEMPOTENT],
)
async def create_unit(data: UnitCreate, session: DbSession, _: ReformAdmin) -> UnitRead:
    if data.parent_id is not None and await session.get(Unit, data.parent_id) is None:
        raise Unprocessable(
            "Đơn vị cấp trên không tồn tại",
            "Unknown parent unit",
            errors=[{"field": "parent_id", "message": "unknown unit", "type": "unknown_unit"}],
        )
    unit = Unit(**data.model_dump())
    session.add(unit)
    await session.flush()
    created = UnitRead.model_validate(unit)
    await add_event(
        session, OUTBOX, "unit.created", aggregate_type="unit", aggregate_id=unit.id, data=created
    )
    return created


@router.get(
    "/units/{unit_id}",
    response_model=UnitRead,
    responses=problem_responses(401, 403, 404),
    summary="Read a unit",
)
async def read_unit(
    unit_id: UUID, request: Request, session: DbSession, principal: CurrentPrincipal
) -> UnitRead:
    """A unit officer may read their own unit and the units below it."""
    await ensure_unit_access(request, principal, unit_id)
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise UnitNotFound()
    return UnitRead.model_validate(unit)


@router.get(
    "/units/{unit_id}/ancestors",
    response_model=list[UUID],
    responses=problem_responses(401, 403, 404),
    summary="Ids of the unit and all units above it",
)
async def read_unit_ancestors(unit_id: UUID, session: DbSession, _: CurrentPrincipal) -> list[UUID]:
    """What other services ask to decide whether a unit officer may act on a unit."""
    chain = await unit_ancestors(session, unit_id)
    if chain is None:
        raise UnitNotFound()
    return chain
