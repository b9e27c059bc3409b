"""Progress reports of units on tasks, per period, with their revision trail."""

from __future__ import annotations

from uuid import UUID

from fastapi import Response, status

from plans_api.outbox import IDEMPOTENT
from plans_api.report import repository as repo
from plans_api.report import service
from plans_api.report.repository import ReportFilters
from plans_api.report.schemas import ReportCreate, ReportRead, ReportUpdate, RevisionRead
from plans_api.task.schemas import TaskStatus
from plans_api.task.service import get_visible_task
from shared.auth.dependencies import CurrentPrincipal, UnitWriter
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["reports"])


@router.get(
    "/tasks/{task_id}/reports",
    response_model=Page[ReportRead],
    responses=problem_responses(401, 404),
    summary="A task's progress reports",
)
async def list_reports(
    task_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    page: Pagination,
    period_id: UUID | None = None,
    unit_id: UUID | None = None,
    status: TaskStatus | None = None,
) -> Page[ReportRead]:
    """The latest period first. A unit officer sees the reports of their subtree's units."""
    task = await get_visible_task(session, principal, task_id, clock.today())
    units = await service.visible_unit_ids(session, principal, clock)
    query = repo.reports_query(
        task.id, ReportFilters(period_id=period_id, unit_id=unit_id, status=status), units
    )
    rows, total = await paginate(session, query, page)
    items = [ReportRead.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/tasks/{task_id}/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Report progress on a task for a period",
    dependencies=[IDEMPOTENT],
)
async def create_report(
    task_id: UUID,
    data: ReportCreate,
    session: DbSession,
    principal: UnitWriter,
    clock: ClockDep,
    response: Response,
) -> ReportRead:
    """One report per task, unit and period (a second one is 409 ``report_exists``: PATCH it).
    The unit (default: yours) leads or coordinates the task; late submissions are flagged."""
    task = await get_visible_task(session, principal, task_id, clock.today())
    read = await service.create_report(session, principal, task, data, clock)
    set_etag(response, read.version)
    return read


@router.get(
    "/reports/{report_id}",
    response_model=ReportRead,
    responses=problem_responses(401, 404),
    summary="Read a progress report",
)
async def read_report(
    report_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    response: Response,
) -> ReportRead:
    """Another unit's report is not found (404)."""
    report = await service.get_visible_report(session, principal, report_id, clock)
    set_etag(response, report.version)
    return ReportRead.model_validate(report)


@router.patch(
    "/reports/{report_id}",
    response_model=ReportRead,
    responses=problem_responses(401, 403, 404, 412, 422),
    summary="Change a progress report",
)
async def update_report(
    report_id: UUID,
    data: ReportUpdate,
    session: DbSession,
    principal: UnitWriter,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> ReportRead:
    """Until the end of the period's unit deadline (Asia/Ho_Chi_Minh), then by a reform_admin
    only (403 ``report_locked``). Every change is kept as a revision."""
    report = await service.get_visible_report(session, principal, report_id, clock)
    read = await service.update_report(
        session, principal, report, data, parse_if_match(if_match), clock
    )
    set_etag(response, read.version)
    return read


@router.get(
    "/reports/{report_id}/revisions",
    response_model=Page[RevisionRead],
    responses=problem_responses(401, 404),
    summary="Who changed a report, when, and what it held before and after",
)
async def list_revisions(
    report_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    page: Pagination,
) -> Page[RevisionRead]:
    report = await service.get_visible_report(session, principal, report_id, clock)
    rows, total = await paginate(session, repo.revisions_query(report.id), page)
    items = [RevisionRead.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
