"""Units registry: the dated unit tree, succession of units, and the reform areas catalogue."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response, status

from plans_api.outbox import IDEMPOTENT
from plans_api.unit import repository, service
from plans_api.unit.exceptions import UnitNotFound
from plans_api.unit.models import Unit
from plans_api.unit.schemas import (
    PredecessorRead,
    ReformAreaRead,
    SuccessionCreate,
    SuccessionRead,
    UnitCreate,
    UnitLevel,
    UnitRead,
    UnitUpdate,
)
from shared.auth.dependencies import Admin, CurrentPrincipal, ensure_unit_access
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1")
UNITS: list[str | Enum] = ["units"]  # the areas route has its own tag
AsOf = Annotated[
    date | None, Query(description="The day whose tree to see (default: today in Vietnam)")
]


def _read(unit: Unit, response: Response) -> UnitRead:
    set_etag(response, unit.version)
    return UnitRead.model_validate(unit)


@router.get(
    "/units",
    tags=UNITS,
    response_model=Page[UnitRead],
    responses=problem_responses(401, 422),
    summary="List units as of a date",
)
async def list_units(
    session: DbSession,
    principal: CurrentPrincipal,
    page: Pagination,
    clock: ClockDep,
    as_of: AsOf = None,
    parent_id: UUID | None = None,
    level: Annotated[list[UnitLevel] | None, Query(description="one or more levels")] = None,
    province_id: Annotated[UUID | None, Query(description="units in this subtree")] = None,
    code: Annotated[str | None, Query(max_length=32, description="the unit bearing it")] = None,
    agency_code: Annotated[str | None, Query(max_length=32)] = None,
    q: Annotated[str | None, Query(max_length=100, description="part of the name")] = None,
    include_retired: Annotated[
        bool, Query(description="also units that ended before as_of")
    ] = False,
    sort: repository.SortKey = "name",
) -> Page[UnitRead]:
    """The units valid on ``as_of`` (accent-insensitive ``q``); a unit officer sees only their
    unit's subtree."""
    where = repository.UnitFilter(
        as_of=as_of or clock.today(),
        parent_id=parent_id,
        levels=tuple(level or ()),
        province_id=province_id,
        code=code.strip() if code else None,
        agency_code=agency_code.strip() if agency_code else None,
        q=q.strip() if q else None,
        include_retired=include_retired,
    )
    query = repository.list_units_select(where, repository.unit_scope(principal), sort)
    rows, total = await paginate(session, query, page)
    items = [UnitRead.model_validate(u) for u in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/units",
    tags=UNITS,
    response_model=UnitRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
    summary="Create a unit",
    dependencies=[IDEMPOTENT],
)
async def create_unit(
    data: UnitCreate, session: DbSession, _: Admin, response: Response
) -> UnitRead:
    """A ``code`` borne by another unit on one of the new unit's days gives 409; the parent must
    exist on the unit's ``valid_from``."""
    return _read(await service.create_unit(session, data), response)


@router.get(
    "/units/{unit_id}",
    tags=UNITS,
    response_model=UnitRead,
    responses=problem_responses(401, 403, 404),
    summary="Read a unit",
)
async def read_unit(
    unit_id: UUID,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    response: Response,
) -> UnitRead:
    """A unit officer may read their own unit and the units below it."""
    await ensure_unit_access(request, principal, unit_id)
    return _read(await service.get_unit(session, unit_id), response)


@router.patch(
    "/units/{unit_id}",
    tags=UNITS,
    response_model=UnitRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Change a unit",
)
async def update_unit(
    unit_id: UUID,
    data: UnitUpdate,
    session: DbSession,
    _: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> UnitRead:
    """Moving a unit under itself or one of its descendants gives 422 ``unit_cycle``."""
    unit = await service.get_unit(session, unit_id, for_update=True)
    unit = await service.update_unit(session, unit, data, parse_if_match(if_match))
    return _read(unit, response)


@router.get(
    "/units/{unit_id}/ancestors",
    tags=UNITS,
    response_model=list[UUID],
    responses=problem_responses(401, 403, 404),
    summary="Ids of the unit and all units above it",
)
async def read_unit_ancestors(
    unit_id: UUID, request: Request, session: DbSession, principal: CurrentPrincipal
) -> list[UUID]:
    """What other services ask (with their service account) to decide whether a unit officer
    may act on a unit; a unit officer may ask only about units of their own subtree."""
    await ensure_unit_access(request, principal, unit_id)
    chain = await repository.unit_ancestors(session, unit_id)
    if chain is None:
        raise UnitNotFound()
    return chain


@router.post(
    "/units/{unit_id}/succession",
    tags=UNITS,
    response_model=SuccessionRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Record a merge, split or rename",
    dependencies=[IDEMPOTENT],
)
async def create_succession(
    unit_id: UUID,
    data: SuccessionCreate,
    session: DbSession,
    _: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> SuccessionRead:
    """The unit ends the day before ``effective_on``; its successors (which must exist that
    day) carry its work from then. A unit that ended earlier gives 409."""
    unit = await service.get_unit(session, unit_id, for_update=True)
    result = await service.record_succession(session, unit, data, parse_if_match(if_match))
    set_etag(response, unit.version)
    return result


@router.get(
    "/units/{unit_id}/successors",
    tags=UNITS,
    response_model=list[UnitRead],
    responses=problem_responses(401, 403, 404),
    summary="Units carrying a unit's work on a date",
)
async def read_successors(
    unit_id: UUID,
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    on: AsOf = None,
) -> list[UnitRead]:
    """The unit itself while it is valid, else its successors along chains of successions."""
    await ensure_unit_access(request, principal, unit_id)
    await service.get_unit(session, unit_id)
    rows = await repository.roll_up_units(session, unit_id, on or clock.today())
    return [UnitRead.model_validate(u) for u in rows]


@router.get(
    "/units/{unit_id}/predecessors",
    tags=UNITS,
    response_model=list[PredecessorRead],
    responses=problem_responses(401, 403, 404),
    summary="Units whose work passed to this unit",
)
async def read_predecessors(
    unit_id: UUID, request: Request, session: DbSession, principal: CurrentPrincipal
) -> list[PredecessorRead]:
    """Every succession link leading to the unit, directly or along chains, latest first."""
    await ensure_unit_access(request, principal, unit_id)
    await service.get_unit(session, unit_id)
    return await service.predecessors(session, unit_id)


@router.get(
    "/areas",
    tags=["areas"],
    response_model=Page[ReformAreaRead],
    responses=problem_responses(401),
    summary="The seven CCHC reform areas",
)
async def list_areas(
    session: DbSession, _: CurrentPrincipal, page: Pagination
) -> Page[ReformAreaRead]:
    """The catalogue of reform areas (lĩnh vực CCHC), in their official order."""
    rows, total = await paginate(session, repository.areas_query(), page)
    items = [ReformAreaRead.model_validate(a) for a in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
