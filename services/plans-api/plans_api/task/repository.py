"""Queries of the task tree, and which tasks a unit (with its subtree) leads or coordinates.

A unit is on a task directly (``task_units``) or through a group of the task (``Sở, ban, ngành``,
``UBND cấp xã``): a group reaches every unit of its levels that is valid today within the plan's
province. Groups without levels (``các cơ quan, đơn vị có liên quan``: the units concerned,
unnamed) reach no unit until a person names them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.period.models import Period
from plans_api.plan.models import Plan
from plans_api.report.models import ProgressReport
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.task.unit_text import _GROUP_SHAPES, GroupCode
from plans_api.unit.models import Unit
from shared.auth.dependencies import ALL_UNITS_ROLES
from shared.auth.tokens import Principal
from shared.search import contains

# The unit levels each group resolves to (unit_text keeps them with the group phrases).
GROUP_LEVELS: dict[str, frozenset[str]] = {
    code.value: frozenset(level.value for level in levels)
    for code, (levels, _every) in _GROUP_SHAPES.items()
}
ROLES = ("lead", "coordinating")
PERIOD_END_MONTH = {"q1": 3, "h1": 6, "q3": 9, "year": 12}


def valid_on(day: date) -> ColumnElement[bool]:
    return and_(
        or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
        or_(Unit.valid_to.is_(None), Unit.valid_to >= day),
    )


# ---------------------------------------------------------------- units
# Small CTE helpers of our own: besides the ids they give each unit's level and validity, which
# is what resolving groups needs (plans_api.unit.repository has the general-purpose ones).


async def _units(
    session: AsyncSession, unit_id: UUID, day: date, *, subtree: bool
) -> list[tuple[UUID, str, bool]]:
    """(id, level, valid on ``day``) of the unit, and with ``subtree`` of every unit below it."""
    query = select(Unit.id, Unit.level, valid_on(day))
    if subtree:
        tree = select(Unit.id).where(Unit.id == unit_id).cte("subtree", recursive=True)
        tree = tree.union(select(Unit.id).join(tree, Unit.parent_id == tree.c.id))
        query = query.join(tree, Unit.id == tree.c.id)
    else:
        query = query.where(Unit.id == unit_id)
    return [(row[0], row[1], bool(row[2])) for row in (await session.execute(query)).all()]


async def unit_provinces(session: AsyncSession, unit_ids: Iterable[UUID]) -> dict[UUID, UUID]:
    """The province of each existing unit among ``unit_ids``: the nearest unit of level
    ``province`` at or above it (as ``plans_api.unit.repository.province_of``, for many)."""
    ids = list(set(unit_ids))
    if not ids:
        return {}
    start = select(
        Unit.id.label("start"), Unit.id, Unit.parent_id, Unit.level, literal(0).label("depth")
    )
    chain = start.where(Unit.id.in_(ids)).cte("chain", recursive=True)
    chain = chain.union_all(
        select(chain.c.start, Unit.id, Unit.parent_id, Unit.level, chain.c.depth + 1)
        .join(chain, Unit.id == chain.c.parent_id)
        .where(chain.c.depth < 64)
    )
    query = (
        select(chain.c.start, chain.c.id)
        .where(chain.c.level == "province")
        .order_by(chain.c.start, chain.c.depth)
        .ext(distinct_on(chain.c.start))
    )
    return {start_id: province_id for start_id, province_id in (await session.execute(query)).all()}


@dataclass(frozen=True)
class UnitReach:
    """The units a caller speaks for, and the group codes that resolve to one of them today."""

    unit_ids: tuple[UUID, ...]
    province_id: UUID | None
    group_codes: tuple[str, ...]


async def unit_reach(
    session: AsyncSession, unit_id: UUID, day: date, *, subtree: bool = True
) -> UnitReach:
    """What ``unit_id`` (and, with ``subtree``, every unit below it) reaches on ``day``."""
    rows = await _units(session, unit_id, day, subtree=subtree)
    levels = {level for _, level, valid in rows if valid}
    codes = tuple(sorted(code for code, reach in GROUP_LEVELS.items() if reach & levels))
    provinces = await unit_provinces(session, [unit_id])
    return UnitReach(tuple(row[0] for row in rows), provinces.get(unit_id), codes)


async def caller_reach(session: AsyncSession, principal: Principal, day: date) -> UnitReach | None:
    """What a caller confined to their unit's subtree reaches; None for those who see all."""
    if principal.kind == "client" or principal.has_role(*ALL_UNITS_ROLES):
        return None
    if principal.unit_id is None:
        return UnitReach((), None, ())
    return await unit_reach(session, principal.unit_id, day)


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


# ---------------------------------------------------------------- tasks


def period_end_month() -> ColumnElement[int]:
    return case(PERIOD_END_MONTH, value=Period.kind)


def latest_status() -> ColumnElement[str]:
    """The status of the task's latest report (by period, then time); not_started without one."""
    latest = (
        select(ProgressReport.status)
        .join(Period, Period.id == ProgressReport.period_id)
        .where(ProgressReport.task_id == Task.id)
        .order_by(Period.year.desc(), period_end_month().desc(), ProgressReport.updated_at.desc())
        .limit(1)
        .correlate(Task)
        .scalar_subquery()
    )
    return func.coalesce(latest, "not_started")


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
        query = query.where(latest_status() == filters.status)
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


async def latest_statuses(session: AsyncSession, ids: Sequence[UUID]) -> dict[UUID, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(ProgressReport.task_id, ProgressReport.status)
        .join(Period, Period.id == ProgressReport.period_id)
        .where(ProgressReport.task_id.in_(ids))
        .order_by(
            ProgressReport.task_id,
            Period.year.desc(),
            period_end_month().desc(),
            ProgressReport.updated_at.desc(),
        )
        .ext(distinct_on(ProgressReport.task_id))
    )
    return {task_id: status for task_id, status in rows.all()}


async def done_periods(session: AsyncSession, task_id: UUID) -> list[tuple[int, str]]:
    """(year, kind) of the periods with a ``done`` report on the task."""
    return (await done_periods_of(session, [task_id]))[task_id]


async def done_periods_of(
    session: AsyncSession, task_ids: Sequence[UUID]
) -> dict[UUID, list[tuple[int, str]]]:
    found: dict[UUID, list[tuple[int, str]]] = {task_id: [] for task_id in task_ids}
    rows = await session.execute(
        select(ProgressReport.task_id, Period.year, Period.kind)
        .join(ProgressReport, ProgressReport.period_id == Period.id)
        .where(ProgressReport.task_id.in_(task_ids), ProgressReport.status == "done")
    )
    for task_id, year, kind in rows.all():
        found[task_id].append((year, kind))
    return found


async def plan_tasks(session: AsyncSession, plan_id: UUID) -> list[Task]:
    query = select(Task).where(Task.plan_id == plan_id).order_by(Task.sort_key)
    return list((await session.scalars(query)).all())
