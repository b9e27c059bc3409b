"""Plans (kế hoạch, đề án, quyết định, chương trình) and their targets."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Response, status

from plans_api.outbox import IDEMPOTENT
from plans_api.plan import repository as repo
from plans_api.plan import service
from plans_api.plan.dependencies import VisiblePlan, VisibleTarget
from plans_api.plan.repository import PlanFilters
from plans_api.plan.schemas import (
    PlanCreate,
    PlanKind,
    PlanRead,
    PlanStatus,
    PlanUpdate,
    TargetCreate,
    TargetRead,
    TargetUpdate,
)
from plans_api.plan.tasks import PlanTasksDep
from shared.auth.dependencies import Admin, CurrentPrincipal
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["plans"])


@router.get(
    "/plans",
    response_model=Page[PlanRead],
    responses=problem_responses(401),
    summary="List plans",
)
async def list_plans(
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
    page: Pagination,
    status: PlanStatus | None = None,
    kind: PlanKind | None = None,
    year: Annotated[int | None, Query(ge=1945, le=2100, description="covered year")] = None,
    q: Annotated[str | None, Query(max_length=200, description="title or code")] = None,
    province_id: UUID | None = None,
) -> Page[PlanRead]:
    """Filters: ``status``, ``kind``, ``year`` (covered), ``q`` (accent-insensitive title or
    code), ``province_id``. A unit officer sees the plans with a task of their subtree."""
    reached = await service.plans_reached(session, principal, clock.today(), tasks)
    filters = PlanFilters(status=status, kind=kind, year=year, q=q, province_id=province_id)
    rows, total = await paginate(session, repo.plans_query(filters, reached), page)
    items = [PlanRead.model_validate(plan) for plan in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/plans",
    response_model=PlanRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
    summary="Create a plan",
    dependencies=[IDEMPOTENT],
)
async def create_plan(
    data: PlanCreate, session: DbSession, _: Admin, response: Response
) -> PlanRead:
    """reform_admin. The province is the issuer's; the code is unique within it (409)."""
    plan, read = await service.create_plan(session, data)
    set_etag(response, plan.version)
    return read


@router.get(
    "/plans/{plan_id}",
    response_model=PlanRead,
    responses=problem_responses(401, 404),
    summary="Read a plan",
)
async def read_plan(
    plan_id: UUID,
    plan: VisiblePlan,
    response: Response,
) -> PlanRead:
    set_etag(response, plan.version)
    return PlanRead.model_validate(plan)


@router.patch(
    "/plans/{plan_id}",
    response_model=PlanRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Change a plan",
)
async def update_plan(
    plan_id: UUID,
    data: PlanUpdate,
    session: DbSession,
    _: Admin,
    plan: VisiblePlan,
    tasks: PlanTasksDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlanRead:
    """Send the ``ETag`` you read as ``If-Match``: a stale one gives 412."""
    plan, read = await service.update_plan(session, plan, data, parse_if_match(if_match), tasks)
    set_etag(response, plan.version)
    return read


@router.get(
    "/plans/{plan_id}/targets",
    response_model=Page[TargetRead],
    responses=problem_responses(401, 404),
    summary="List a plan's targets",
)
async def list_targets(
    plan_id: UUID,
    session: DbSession,
    plan: VisiblePlan,
    page: Pagination,
) -> Page[TargetRead]:
    """In their order (``position``, then code), each with its milestones."""
    rows, total = await paginate(session, repo.targets_query(plan.id), page)
    milestones = await repo.milestones_of(session, [t.id for t in rows])
    items = [service.target_read(t, milestones[t.id]) for t in rows]
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/plans/{plan_id}/targets",
    response_model=TargetRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Add a target to a plan",
    dependencies=[IDEMPOTENT],
)
async def create_target(
    plan_id: UUID,
    data: TargetCreate,
    session: DbSession,
    _: Admin,
    plan: VisiblePlan,
    response: Response,
) -> TargetRead:
    """Milestones fall within the plan's years, in date order per level; percentages 0..100."""
    read = await service.create_target(session, plan, data)
    set_etag(response, read.version)
    return read


@router.get(
    "/targets/{target_id}",
    response_model=TargetRead,
    responses=problem_responses(401, 404),
    summary="Read a target",
)
async def read_target(
    target_id: UUID,
    session: DbSession,
    visible: VisibleTarget,
    response: Response,
) -> TargetRead:
    target, _ = visible
    set_etag(response, target.version)
    milestones = await repo.milestones_of(session, [target.id])
    return service.target_read(target, milestones[target.id])


@router.patch(
    "/targets/{target_id}",
    response_model=TargetRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Change a target",
)
async def update_target(
    target_id: UUID,
    data: TargetUpdate,
    session: DbSession,
    _: Admin,
    visible: VisibleTarget,
    response: Response,
    if_match: IfMatch = None,
) -> TargetRead:
    """``milestones`` replaces them all. Send the ``ETag`` you read as ``If-Match``."""
    target, plan = visible
    read = await service.update_target(session, target, plan, data, parse_if_match(if_match))
    set_etag(response, read.version)
    return read
