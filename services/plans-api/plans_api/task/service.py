"""The task tree: numbering, parents, units and groups, schedules and their due dates, and the
``done`` / ``next_due_on`` pair that makes "overdue" one indexed comparison."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from fastapi.encoders import jsonable_encoder
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.access import UnitReach, caller_reach
from plans_api.outbox import OUTBOX
from plans_api.plan.exceptions import UnknownArea
from plans_api.plan.models import Plan
from plans_api.plan.tasks import PlanYearsKey, years_key
from plans_api.task import repository as repo
from plans_api.task.exceptions import (
    DueDateOutOfPlanYears,
    ScheduleWindowReversed,
    TaskAlreadyActivated,
    TaskNotConditional,
    TaskNotFound,
    TaskNumberTaken,
    TaskParentCycle,
    UnitOutsideProvince,
    UnknownParentTask,
)
from plans_api.task.models import Task
from plans_api.task.schedule import FlagReason, PlanYears, meaning, recurrence
from plans_api.task.schemas import TaskCreate, TaskNode, TaskRead, TaskUpdate
from plans_api.unit.repository import area_exists, unit_provinces
from shared.auth.tokens import Principal
from shared.db import flush_unique
from shared.etag import ensure_fresh
from shared.events.plans import TaskData
from shared.outbox import add_event


def sort_key(number: str) -> list[int]:
    return [int(part) for part in number.split(".")]


def progress(
    due: Sequence[date], done_through: date | None, *, counting_from: date | None = None
) -> tuple[date | None, bool]:
    """(next_due_on, done). ``done_through`` is the last day the task's ``done`` reports cover
    (a done report covers every due date up to its period's end); the first due date after it is
    the next one. A task is done when a ``done`` report exists and no due date is left. With
    ``counting_from`` (an activated conditional task), due dates before that day do not count."""
    open_dates = sorted(
        d
        for d in due
        if (done_through is None or d > done_through)
        and (counting_from is None or d >= counting_from)
    )
    next_due = open_dates[0] if open_dates else None
    return next_due, next_due is None and done_through is not None


def due_state(
    due: Sequence[date], done_through: date | None, conditional: bool, activated_on: date | None
) -> tuple[date | None, bool]:
    """(next_due_on, done) of a task: a conditional task not yet activated has nothing due, so
    it is never overdue; once activated, its due dates count from the activation day."""
    if conditional and activated_on is None:
        return progress((), done_through)
    return progress(due, done_through, counting_from=activated_on if conditional else None)


def refresh_progress(task: Task) -> None:
    """``next_due_on`` and ``done`` from the task's due dates, done reports and activation."""
    task.next_due_on, task.done = due_state(
        task.due_dates, task.done_through, task.conditional, task.activated_on
    )


async def record_progress(
    session: AsyncSession, task_id: UUID, latest_status: str | None, done_through: date | None
) -> None:
    """The one way reports change a task, called when one is written or revised: the latest
    report's status and the last day the done reports cover; ``next_due_on`` and ``done``
    follow. No new version: progress is derived, not edited."""
    due, conditional, activated_on = await repo.task_due_state(session, task_id)
    next_due, done = due_state(due, done_through, conditional, activated_on)
    await repo.set_progress(
        session,
        task_id,
        latest_status=latest_status,
        done_through=done_through,
        next_due_on=next_due,
        done=done,
    )


# ---------------------------------------------------------------- reading


async def get_visible_task(
    session: AsyncSession, principal: Principal, task_id: UUID, today: date
) -> Task:
    """The task if the caller may read it (a unit officer: their subtree is on it)."""
    task = await session.get(Task, task_id)
    if task is None:
        raise TaskNotFound()
    reach = await caller_reach(session, principal, today)
    if reach is not None:
        query = select(Task.id).where(Task.id == task_id, repo.involves(reach))
        if await session.scalar(query) is None:
            raise TaskNotFound()
    return task


async def task_reads(session: AsyncSession, tasks: Sequence[Task]) -> list[TaskRead]:
    ids = [task.id for task in tasks]
    links = await repo.task_links(session, ids)
    depths = await repo.task_depths(session, ids)
    return [
        TaskRead(
            **{name: getattr(task, name) for name in _COLUMNS},
            area=task.area_code,
            depth=depths.get(task.id, 0),
            status=task.latest_status or "not_started",
            **dataclasses.asdict(links[task.id]),
        )
        for task in tasks
    ]


_COLUMNS = (
    "id",
    "plan_id",
    "parent_id",
    "number",
    "kind",
    "title",
    "lead_text",
    "coordinating_text",
    "product",
    "schedule_text",
    "schedule",
    "schedule_flagged",
    "recurrence",
    "due_dates",
    "next_due_on",
    "done",
    "conditional",
    "activated_on",
    "note",
    "version",
)


def build_tree(reads: Sequence[TaskRead]) -> list[TaskNode]:
    """Nest ``reads`` (in order) under their parents; a task whose parent is not among them is
    a root."""
    nodes = {r.id: TaskNode(**r.model_dump(), children=[]) for r in reads}
    roots: list[TaskNode] = []
    for read in reads:
        node = nodes[read.id]
        parent = nodes.get(read.parent_id) if read.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


# ---------------------------------------------------------------- writing


async def _parent_for(
    session: AsyncSession, plan: Plan, number: str, parent_id: UUID | None, explicit: bool
) -> UUID | None:
    """The explicit parent (any task of the plan), else the task whose number prefixes this."""
    if explicit:
        if parent_id is None:
            return None
        parent = await session.get(Task, parent_id)
        if parent is None or parent.plan_id != plan.id:
            raise UnknownParentTask("Nhiệm vụ cấp trên không thuộc kế hoạch", "Unknown parent task")
        return parent.id
    if "." not in number:
        return None
    prefix = number.rsplit(".", 1)[0]
    parent = await repo.task_by_number(session, plan.id, prefix)
    if parent is None:
        raise UnknownParentTask(
            f"Chưa có nhiệm vụ số {prefix} để làm cấp trên", f"No task {prefix} to be the parent"
        )
    return parent.id


async def _check_units(session: AsyncSession, plan: Plan, field: str, ids: Sequence[UUID]) -> None:
    provinces = await unit_provinces(session, ids)
    if any(provinces.get(unit_id) != plan.province_id for unit_id in ids):
        raise UnitOutsideProvince(field)


def _plan_years(key: PlanYearsKey) -> PlanYears:
    start_year, end_year, issued_on = key
    return PlanYears(start_year, end_year, issued_on=issued_on)


def plan_years(plan: Plan) -> PlanYears:
    """What a plan's schedules are read against."""
    return _plan_years(years_key(plan))


def apply_schedule(task: Task, plan: Plan, text: str | None) -> None:
    """The schedule's meaning, flag, recurrence, due dates and condition from its words (the
    progress follows with :func:`refresh_progress`)."""
    years = plan_years(plan)
    parsed = years.parse(text)
    task.schedule = None if parsed is None else jsonable_encoder(meaning(parsed))
    task.schedule_flagged = parsed is not None and parsed.flagged
    task.recurrence = None if parsed is None else recurrence(parsed)
    task.due_dates = [] if parsed is None else years.due(parsed)
    task.conditional = parsed is not None and parsed.conditional


def check_schedule(plan: Plan, text: str | None) -> None:
    """A schedule typed through the API must not be a window ending before it starts (422);
    a table import keeps such words, flagged ``reversed_range``."""
    parsed = plan_years(plan).parse(text)
    if parsed is not None and parsed.reason is FlagReason.REVERSED_RANGE:
        raise ScheduleWindowReversed()


def _explicit_due_dates(plan: Plan, dates: Sequence[date], field: str = "due_dates") -> list[date]:
    for index, day in enumerate(dates):
        if not plan.start_year <= day.year <= plan.end_year:
            raise DueDateOutOfPlanYears(f"{field}.{index}")
    return sorted(set(dates))


async def _check_fields(session: AsyncSession, plan: Plan, values: dict[str, Any]) -> None:
    for field in ("lead_unit_ids", "coordinating_unit_ids"):
        if values.get(field):
            await _check_units(session, plan, field, values[field])
    if values.get("area") and not await area_exists(session, values["area"]):
        raise UnknownArea("area")


async def _save_links(session: AsyncSession, task: Task, values: dict[str, Any]) -> None:
    for role in repo.ROLES:
        if f"{role}_unit_ids" in values:
            await repo.replace_units(session, task.id, role, values[f"{role}_unit_ids"])
        if f"{role}_groups" in values:
            text = values.get(f"{role}_text") or getattr(task, f"{role}_text") or ""
            await repo.replace_groups(session, task.id, role, values[f"{role}_groups"], text)


async def _publish(session: AsyncSession, task: Task, verb: str) -> TaskRead:
    await session.flush()
    read = (await task_reads(session, [task]))[0]
    await add_event(
        session,
        OUTBOX,
        f"task.{verb}",
        aggregate_type="task",
        aggregate_id=task.id,
        data=TaskData.model_validate(read),
    )
    return read


_PLAIN = ("title", "kind", "lead_text", "coordinating_text", "product", "note")


async def create_task(session: AsyncSession, plan: Plan, data: TaskCreate) -> TaskRead:
    values = data.model_dump(exclude_unset=False)
    await _check_fields(session, plan, values)
    check_schedule(plan, data.schedule_text)
    if await repo.task_by_number(session, plan.id, data.number) is not None:
        raise TaskNumberTaken(data.number)
    parent_id = await _parent_for(
        session, plan, data.number, data.parent_id, "parent_id" in data.model_fields_set
    )
    task = Task(
        plan_id=plan.id,
        parent_id=parent_id,
        number=data.number,
        sort_key=sort_key(data.number),
        area_code=data.area,
        schedule_text=data.schedule_text,
        **{name: values[name] for name in _PLAIN},
    )
    apply_schedule(task, plan, data.schedule_text)
    if data.due_dates is not None:
        task.due_dates = _explicit_due_dates(plan, data.due_dates)
    refresh_progress(task)
    session.add(task)
    await flush_unique(session, "uq_tasks_plan_number", lambda: TaskNumberTaken(data.number))
    await _save_links(session, task, values)
    return await _publish(session, task, "created")


async def update_task(
    session: AsyncSession, task: Task, data: TaskUpdate, if_match: int | None
) -> TaskRead:
    ensure_fresh(if_match, task.version)
    plan = await session.get_one(Plan, task.plan_id)
    values = data.model_dump(exclude_unset=True)
    await _check_fields(session, plan, values)
    if "schedule_text" in values:
        check_schedule(plan, values["schedule_text"])
    if "number" in values and values["number"] != task.number:
        if await repo.task_by_number(session, plan.id, values["number"]) is not None:
            raise TaskNumberTaken(values["number"])
        task.number, task.sort_key = values["number"], sort_key(values["number"])
    if "parent_id" in values or "number" in values:
        await _move(session, task, plan, values.get("parent_id"), "parent_id" in values)
    for name in (*_PLAIN, "schedule_text"):
        if name in values:
            setattr(task, name, values[name])
    if "area" in values:
        task.area_code = values["area"]
    await _reschedule(session, task, plan, values)
    await _save_links(session, task, values)
    return await _publish(session, task, "updated")


async def _move(
    session: AsyncSession, task: Task, plan: Plan, parent_id: UUID | None, explicit: bool
) -> None:
    new_parent = await _parent_for(session, plan, task.number, parent_id, explicit)
    if new_parent is not None and (
        new_parent == task.id or task.id in await repo.task_ancestor_ids(session, new_parent)
    ):
        raise TaskParentCycle()
    task.parent_id = new_parent


async def _reschedule(
    session: AsyncSession, task: Task, plan: Plan, values: dict[str, Any]
) -> None:
    """New due dates from a new schedule text, or the explicit ones; then the progress."""
    if "schedule_text" not in values and "due_dates" not in values:
        return
    if "schedule_text" in values or values.get("due_dates", []) is None:
        apply_schedule(task, plan, task.schedule_text)  # due_dates: null goes back to the parsed
    if values.get("due_dates") is not None:
        task.due_dates = _explicit_due_dates(plan, values["due_dates"])
    refresh_progress(task)


async def activate_task(
    session: AsyncSession, task: Task, if_match: int | None, today: date
) -> TaskRead:
    """A reform admin says the condition of a conditional task is met: from today on its due
    dates count (and it can be overdue). Only once (409); ``If-Match`` is required."""
    ensure_fresh(if_match, task.version, required=True)
    if not task.conditional:
        raise TaskNotConditional()
    if task.activated_on is not None:
        raise TaskAlreadyActivated(task.activated_on)
    task.activated_on = today
    refresh_progress(task)
    return await _publish(session, task, "updated")


_DERIVED = (
    "schedule",
    "schedule_flagged",
    "recurrence",
    "due_dates",
    "conditional",
    "next_due_on",
    "done",
)


async def replan(session: AsyncSession, plan: Plan, before: PlanYearsKey) -> None:
    """After a plan's years (or issue date) changed from ``before``: parse the schedules anew;
    explicit due dates are kept and must still fall within the plan's years (422)."""
    before_years = _plan_years(before)
    tasks = await repo.plan_tasks(session, plan.id)
    changed = []
    for task in tasks:
        old = tuple(getattr(task, name) for name in _DERIVED)
        explicit = task.due_dates != before_years.due_dates(task.schedule_text)
        dates = list(task.due_dates)
        apply_schedule(task, plan, task.schedule_text)
        if explicit:
            task.due_dates = _explicit_due_dates(plan, dates, f"tasks.{task.number}.due_dates")
        refresh_progress(task)
        if tuple(getattr(task, name) for name in _DERIVED) != old:
            changed.append(task)
    for task in changed:
        await _publish(session, task, "updated")


class PlanTaskTrees:
    """The task trees' answers to plans (:class:`plans_api.plan.tasks.PlanTasks`)."""

    def plans_reached(self, reach: UnitReach) -> ColumnElement[bool]:
        return repo.plans_with_tasks_of(reach)

    async def replan(self, session: AsyncSession, plan: Plan, before: PlanYearsKey) -> None:
        await replan(session, plan, before)
