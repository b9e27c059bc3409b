"""The task tree of a plan, and tasks across plans (by unit, status, overdue)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response, status
from pydantic import Field

from plans_api.access import caller_reach, unit_reach
from plans_api.outbox import IDEMPOTENT
from plans_api.plan.dependencies import VisiblePlan
from plans_api.task import repository as repo
from plans_api.task import service
from plans_api.task.repository import TaskFilters
from plans_api.task.schemas import TaskCreate, TaskNode, TaskRead, TaskRole, TaskStatus, TaskUpdate
from shared.auth.dependencies import Admin, CurrentPrincipal, ensure_unit_access
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["tasks"])
# A flat page, or with ?tree=true a page of root tasks with their subtrees.
TaskPage = Annotated[Page[TaskNode] | Page[TaskRead], Field(union_mode="left_to_right")]


@router.get(
    "/plans/{plan_id}/tasks",
    response_model=TaskPage,
    responses=problem_responses(401, 404),
    summary="A plan's task tree",
)
async def list_plan_tasks(
    plan_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    plan: VisiblePlan,
    page: Pagination,
    tree: Annotated[bool, Query(description="Nest children under their parents")] = False,
) -> Page[TaskNode] | Page[TaskRead]:
    """Flat, ordered by number (``parent_id`` and ``depth`` on each), or with ``tree=true`` the
    root tasks (paged) with their children nested. A unit officer sees their subtree's tasks."""
    reach = await caller_reach(session, principal, clock.today())
    filters = TaskFilters(plan_id=plan.id)
    if not tree:
        rows, total = await paginate(session, repo.tasks_query(filters, reach), page)
        items = await service.task_reads(session, rows)
        return Page(items=items, total=total, limit=page.limit, offset=page.offset)
    reads = await service.task_reads(session, await repo.list_tasks(session, filters, reach))
    roots = service.build_tree(reads)
    chosen = roots[page.offset : page.offset + page.limit]
    return Page(items=chosen, total=len(roots), limit=page.limit, offset=page.offset)


@router.post(
    "/plans/{plan_id}/tasks",
    response_model=TaskRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Add a task to a plan",
    dependencies=[IDEMPOTENT],
)
async def create_task(
    plan_id: UUID,
    data: TaskCreate,
    session: DbSession,
    _: Admin,
    plan: VisiblePlan,
    response: Response,
) -> TaskRead:
    """The number is unique in the plan (409); units belong to the plan's province; the
    schedule's words are parsed into due dates (``due_dates`` overrides them): a window is due
    at its end, a recurrence per period from the plan's issue date, a conditional task only once
    activated; a window ending before it starts is 422 ``schedule_window_reversed``."""
    read = await service.create_task(session, plan, data)
    set_etag(response, read.version)
    return read


@router.get(
    "/tasks",
    response_model=Page[TaskRead],
    responses=problem_responses(401, 403),
    summary="Tasks across plans",
)
async def list_tasks(
    request: Request,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    page: Pagination,
    unit_id: Annotated[UUID | None, Query(description="leads or coordinates; subtree")] = None,
    status: TaskStatus | None = None,
    overdue: Annotated[
        bool | None,
        Query(description="a due date passed, not done (a conditional task: once activated)"),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="accent-insensitive")] = None,
    plan_id: UUID | None = None,
    role: Annotated[TaskRole | None, Query(description="with unit_id: its role")] = None,
) -> Page[TaskRead]:
    """``unit_id`` counts the unit's subtree and the groups reaching it; ``status`` is the latest
    report's. A unit officer sees only their subtree's tasks."""
    today = clock.today()
    reach = await caller_reach(session, principal, today)
    if unit_id is not None:
        await ensure_unit_access(request, principal, unit_id)
        reach = await unit_reach(session, unit_id, today)
    filters = TaskFilters(
        plan_id=plan_id, status=status, overdue=overdue, q=q, role=role, today=today
    )
    rows, total = await paginate(session, repo.tasks_query(filters, reach), page)
    items = await service.task_reads(session, rows)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/tasks/{task_id}",
    response_model=TaskRead,
    responses=problem_responses(401, 404),
    summary="Read a task",
)
async def read_task(
    task_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    response: Response,
) -> TaskRead:
    task = await service.get_visible_task(session, principal, task_id, clock.today())
    set_etag(response, task.version)
    return (await service.task_reads(session, [task]))[0]


@router.patch(
    "/tasks/{task_id}",
    response_model=TaskRead,
    responses=problem_responses(401, 403, 404, 409, 412, 422),
    summary="Change a task",
)
async def update_task(
    task_id: UUID,
    data: TaskUpdate,
    session: DbSession,
    principal: Admin,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """Send the ``ETag`` you read as ``If-Match``: a stale one gives 412."""
    task = await service.get_visible_task(session, principal, task_id, clock.today())
    read = await service.update_task(session, task, data, parse_if_match(if_match))
    set_etag(response, read.version)
    return read


@router.post(
    "/tasks/{task_id}/activate",
    response_model=TaskRead,
    responses=problem_responses(401, 403, 404, 409, 412, 428),
    summary="Activate a conditional task",
)
async def activate_task(
    task_id: UUID,
    session: DbSession,
    principal: Admin,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> TaskRead:
    """A task whose schedule names a condition (``khi có yêu cầu``, ``(nếu cần thiết)``, ``khi
    có …``) is not due, and never overdue, until a reform admin says the condition is met: from
    today on its due dates count. ``If-Match`` is required (428 without, 412 stale); a task
    without a condition is 409 ``task_not_conditional``, activating twice 409
    ``task_already_activated``. Emits ``task.updated``."""
    task = await service.get_visible_task(session, principal, task_id, clock.today())
    read = await service.activate_task(session, task, parse_if_match(if_match), clock.today())
    set_etag(response, read.version)
    return read
