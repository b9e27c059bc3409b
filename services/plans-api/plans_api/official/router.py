"""Officials registry (CBCCVC): records, filters, exact counts as of a date, bulk import."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from fastapi import File, Form, Query, Response, UploadFile
from fastapi import status as http

from plans_api.imports import ImportSlots
from plans_api.official import importer
from plans_api.official import service as svc
from plans_api.official.repository import OfficialFilters, list_query
from plans_api.official.schemas import (
    COUNT_GROUPS,
    CchcRole,
    CountGroup,
    ImportReport,
    OfficialCounts,
    OfficialCreate,
    OfficialRead,
    OfficialUpdate,
)
from plans_api.outbox import IDEMPOTENT
from shared.auth.dependencies import Reader, UnitWriter
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["officials"])
Sort = Literal["full_name", "-full_name", "unit", "-unit"]


@router.get(
    "/officials",
    response_model=Page[OfficialRead],
    responses=problem_responses(401, 403, 422),
    summary="List officials",
)
async def list_officials(
    session: DbSession,
    principal: Reader,
    page: Pagination,
    clock: ClockDep,
    unit_id: Annotated[UUID | None, Query(description="this unit and every unit below it")] = None,
    cchc_role: Annotated[list[CchcRole] | None, Query(description="repeatable")] = None,
    one_stop_shop: bool | None = None,
    is_leader: bool | None = None,
    expert_pool: bool | None = None,
    leadership_source: bool | None = None,
    q: Annotated[str | None, Query(max_length=100, description="name, accent-insensitive")] = None,
    active_on: Annotated[
        date | None, Query(description="serving on this day (default today)")
    ] = None,
    sort: Sort = "full_name",
) -> Page[OfficialRead]:
    """A unit officer sees only the officials of their unit's subtree."""
    filters = OfficialFilters(
        active_on=active_on or clock.today(),
        unit_id=unit_id,
        cchc_roles=cchc_role or (),
        one_stop_shop=one_stop_shop,
        is_leader=is_leader,
        expert_pool=expert_pool,
        leadership_source=leadership_source,
        q=q,
        sort=sort,
    )
    query = list_query(filters, svc.read_scope(principal).root)
    rows, total = await paginate(session, query, page)
    items = [OfficialRead.model_validate(o) for o in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/officials",
    response_model=OfficialRead,
    status_code=http.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
    summary="Register an official",
    dependencies=[IDEMPOTENT],
)
async def create_official(
    data: OfficialCreate,
    session: DbSession,
    principal: UnitWriter,
    response: Response,
    clock: ClockDep,
) -> OfficialRead:
    """The first version starts on ``joined_on`` (default today) and ends on ``left_on``. An
    employee code already held answers 409 ``employee_code_taken`` to an administrator or when
    the holder is in the caller's units; otherwise 422 as for any invalid code."""
    created = await svc.create_official(session, svc.write_scope(principal), data, clock.today())
    set_etag(response, created.version)
    return created


@router.get(
    "/officials/counts",
    response_model=OfficialCounts,
    responses=problem_responses(401, 403, 422),
    summary="Exact counts of officials by group and unit as of a date",
)
async def count_officials(
    session: DbSession,
    principal: Reader,
    clock: ClockDep,
    unit_id: UUID | None = None,
    as_of: Annotated[date | None, Query(description="default today")] = None,
    group: Annotated[list[CountGroup] | None, Query(description="repeatable; default all")] = None,
) -> OfficialCounts:
    """The denominators of training targets: ``groups`` over the unit's subtree, ``by_unit``
    for each direct child rolled up over its own subtree (provinces when no unit is given)."""
    return await svc.count_officials(
        session, svc.read_scope(principal), unit_id, as_of or clock.today(), group or COUNT_GROUPS
    )


@router.post(
    "/officials/import",
    response_model=ImportReport,
    responses=problem_responses(401, 403, 413, 415, 422),
    summary="Import officials from XLSX or CSV (all or nothing)",
)
async def import_officials(
    session: DbSession,
    principal: UnitWriter,
    clock: ClockDep,
    slots: ImportSlots,
    file: Annotated[UploadFile, File(description="XLSX or CSV (UTF-8, ',' or ';')")],
    dry_run: Annotated[bool, Form()] = False,
    effective_on: Annotated[date | None, Form(description="date of the changes")] = None,
    unit_id: Annotated[UUID | None, Form(description="match unit names below this unit")] = None,
) -> ImportReport:
    """Rows whose employee code exists update that official; the others create one. Unit names
    are matched accent-insensitively among the caller's units (or below ``unit_id``, e.g. the
    province), or given as unit codes. Any row error answers 422 with every error listed and
    nothing written; ``dry_run`` never writes. Files are parsed a few at a time
    (``PLANS_IMPORTS__MAX_CONCURRENT``); more wait their turn."""
    scope = await svc.narrow_scope(session, svc.write_scope(principal), unit_id)
    return await importer.import_officials(
        session,
        scope,
        file.file,
        file.filename,
        dry_run=dry_run,
        effective_on=effective_on or clock.today(),
        slots=slots,
    )


@router.get(
    "/officials/{official_id}",
    response_model=OfficialRead,
    responses=problem_responses(401, 403, 404),
    summary="Read an official",
)
async def read_official(
    official_id: UUID, session: DbSession, principal: Reader, response: Response
) -> OfficialRead:
    """Another unit's official answers 404 to a unit officer."""
    official = await svc.get_official(session, svc.read_scope(principal), official_id)
    set_etag(response, official.version)
    return OfficialRead.model_validate(official)


@router.patch(
    "/officials/{official_id}",
    response_model=OfficialRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Change an official (dated by effective_on)",
)
async def update_official(
    official_id: UUID,
    data: OfficialUpdate,
    session: DbSession,
    principal: UnitWriter,
    response: Response,
    clock: ClockDep,
    if_match: IfMatch = None,
) -> OfficialRead:
    """Send the ``ETag`` you read as ``If-Match`` (412 when stale). The change holds from
    ``effective_on`` (default today; when only ``left_on`` is sent, that day)."""
    scope = svc.write_scope(principal)
    official = await svc.get_official(session, scope, official_id, for_update=True)
    changes = data.model_dump(exclude_unset=True)
    updated = await svc.update_official(
        session, scope, official, changes, parse_if_match(if_match), clock.today()
    )
    set_etag(response, updated.version)
    return updated
