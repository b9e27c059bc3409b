"""Queries of the task tree, and which tasks a unit (with its subtree) leads or coordinates.

A unit is on a task directly (``task_units``) or through a group of the task (``Sở, ban, ngành``,
``UBND cấp xã``): a group reaches every unit of its levels that is valid today within the plan's
province. Groups without levels (``các cơ quan, đơn vị có liên quan``: the units concerned,
unnamed) reach no unit until a person names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    false,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.access import UnitReach
from plans_api.plan.models import Plan
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.unit.groups import GroupCode
from shared.search import contains

ROLES = ("lead", "coordinating")


def involves(reach: UnitReach, role: str | None = None) -> ColumnElement[bool]:
    """Tasks the reach's units lead or coordinate (``role``: only that one)."""
    if not reach.unit_ids:
        return false()
    direct = select(TaskUnit.task_id).where(
        TaskUnit.task_id == Task.id, TaskUnit.unit_id.in_(reach.unit_ids)
    )
    if role:
        direct = direct.where(TaskUnit.role == role)
    condition: ColumnElement[bool] = exists(direct)
    if reach.group_codes and reach.province_id is not None:
        grouped = select(TaskUnitGroup.task_id).where(
            TaskUnitGroup.task_id == Task.id, TaskUnitGroup.group_code.in_(reach.group_codes)
        )
        if role:
            grouped = grouped.where(TaskUnitGroup.role == role)
        in_province = Task.plan_id.in_(select(Plan.id).where(Plan.province_id == reach.province_id))
        condition = or_(condition, and_(in_province, exists(grouped)))
    return condition


def plans_with_tasks_of(reach: UnitReach) -> ColumnElement[bool]:
    """The condition on plans: a task of the plan involves one of the reach's units."""
    return exists(select(Task.id).where(Task.plan_id == Plan.id, involves(reach)))


# ---------------------------------------------------------------- tasks


@dataclass(frozen=True)
class TaskFilters:
    plan_id: UUID | None = None
    status: str | None = None
    overdue: bool | None = None
    q: str | None = None
    role: str | None = None
    today: date | None = None


def tasks_query(filters: TaskFilters, reach: UnitReach | None) -> Select[Task]:
    """Tasks matching ``filters``; with ``reach``, only those its units are on."""
    query = select(Task)
    if filters.plan_id is not None:
        query = query.where(Task.plan_id == filters.plan_id)
    if reach is not None:
        query = query.where(involves(reach, filters.role))
    if filters.status:
        query = query.where(func.coalesce(Task.latest_status, "not_started") == filters.status)
    if filters.overdue is not None and filters.today is not None:
        if filters.overdue:
            query = query.where(Task.done.is_(False), Task.next_due_on < filters.today)
        else:
            query = query.where(
                or_(Task.done, Task.next_due_on.is_(None), Task.next_due_on >= filters.today)
            )
    if filters.q:
        query = query.where(contains(Task.title, filters.q))
    if filters.overdue:
        return query.order_by(Task.next_due_on, Task.plan_id, Task.sort_key)
    return query.order_by(Task.plan_id, Task.sort_key)


async def list_tasks(
    session: AsyncSession, filters: TaskFilters, reach: UnitReach | None
) -> list[Task]:
    """Every task :func:`tasks_query` finds, unpaged."""
    return list((await session.scalars(tasks_query(filters, reach))).all())


async def task_by_number(session: AsyncSession, plan_id: UUID, number: str) -> Task | None:
    return await session.scalar(select(Task).where(Task.plan_id == plan_id, Task.number == number))


async def task_ancestor_ids(session: AsyncSession, task_id: UUID) -> list[UUID]:
    """The ids above ``task_id`` in its tree (nearest first is not guaranteed)."""
    chain = select(Task.parent_id).where(Task.id == task_id).cte("ancestors", recursive=True)
    chain = chain.union_all(select(Task.parent_id).join(chain, Task.id == chain.c.parent_id))
    ids = (
        await session.scalars(select(chain.c.parent_id).where(chain.c.parent_id.isnot(None)))
    ).all()
    return list(ids)


async def task_depths(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, int]:
    """How many ancestors each task has (0: a root)."""
    if not ids:
        return {}
    start = select(Task.id.label("origin"), Task.parent_id).where(Task.id.in_(ids))
    chain = start.cte("depths", recursive=True)
    chain = chain.union_all(
        select(chain.c.origin, Task.parent_id).join(chain, Task.id == chain.c.parent_id)
    )
    rows = await session.execute(
        select(chain.c.origin, func.count(chain.c.parent_id)).group_by(chain.c.origin)
    )
    return {origin: int(count) for origin, count in rows.all()}


@dataclass
class TaskLinks:
    """The units and groups named in a task's lead and coordinating cells."""

    lead_unit_ids: list[UUID]
    coordinating_unit_ids: list[UUID]
    lead_groups: list[str]
    coordinating_groups: list[str]


async def task_links(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, TaskLinks]:
    links = {task_id: TaskLinks([], [], [], []) for task_id in ids}
    if not ids:
        return links
    units = await session.execute(
        select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role)
        .where(TaskUnit.task_id.in_(ids))
        .order_by(TaskUnit.unit_id)
    )
    for task_id, unit_id, role in units.all():
        entry = links[task_id]
        (entry.lead_unit_ids if role == "lead" else entry.coordinating_unit_ids).append(unit_id)
    groups = await session.execute(
        select(TaskUnitGroup.task_id, TaskUnitGroup.group_code, TaskUnitGroup.role)
        .where(TaskUnitGroup.task_id.in_(ids))
        .order_by(TaskUnitGroup.group_code)
    )
    for task_id, code, role in groups.all():
        entry = links[task_id]
        (entry.lead_groups if role == "lead" else entry.coordinating_groups).append(code)
    return links


async def replace_units(
    session: AsyncSession, task_id: UUID, role: str, unit_ids: Sequence[UUID]
) -> None:
    await session.execute(
        delete(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.role == role)
    )
    session.add_all(
        TaskUnit(task_id=task_id, unit_id=u, role=role) for u in dict.fromkeys(unit_ids)
    )


async def replace_groups(
    session: AsyncSession, task_id: UUID, role: str, codes: Sequence[GroupCode], text: str
) -> None:
    await session.execute(
        delete(TaskUnitGroup).where(TaskUnitGroup.task_id == task_id, TaskUnitGroup.role == role)
    )
    session.add_all(
        TaskUnitGroup(task_id=task_id, group_code=code.value, role=role, text=text)
        for code in dict.fromkeys(codes)
    )


async def set_progress(session: AsyncSession, task_id: UUID, **values: object) -> None:
    await session.execute(update(Task).where(Task.id == task_id).values(**values))


async def task_due_state(
    session: AsyncSession, task_id: UUID
) -> tuple[list[date], bool, date | None]:
    """A task's due dates, whether it is conditional, and the day it was activated."""
    query = select(Task.due_dates, Task.conditional, Task.activated_on).where(Task.id == task_id)
    row = (await session.execute(query)).one()
    return list(row.due_dates or []), bool(row.conditional), row.activated_on


async def plan_has_reports(session: AsyncSession, plan_id: UUID) -> bool:
    """Whether a task of the plan has a progress report."""
    query = select(Task.id).where(Task.plan_id == plan_id, Task.latest_status.isnot(None))
    return await session.scalar(query.limit(1)) is not None


async def plan_tasks(session: AsyncSession, plan_id: UUID) -> list[Task]:
    query = select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_key)
    return list((await session.scalars(query)).all())
