"""Queries of plans, targets and milestones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.plan.models import Milestone, Plan, Target
from shared.search import contains


@dataclass(frozen=True)
class PlanFilters:
    status: str | None = None
    kind: str | None = None
    year: int | None = None
    q: str | None = None
    province_id: UUID | None = None


def plans_query(filters: PlanFilters, reached: ColumnElement[bool] | None) -> Select[Plan]:
    """Plans matching ``filters``; with ``reached``, only those it holds for."""
    query = select(Plan)
    if filters.status:
        query = query.where(Plan.status == filters.status)
    if filters.kind:
        query = query.where(Plan.kind == filters.kind)
    if filters.year is not None:
        query = query.where(Plan.start_year <= filters.year, Plan.end_year >= filters.year)
    if filters.province_id is not None:
        query = query.where(Plan.province_id == filters.province_id)
    if filters.q:
        query = query.where(or_(contains(Plan.title, filters.q), contains(Plan.code, filters.q)))
    if reached is not None:
        query = query.where(reached)
    return query.order_by(Plan.start_year.desc(), Plan.issued_on.desc().nulls_last(), Plan.code)


async def plan_visible(session: AsyncSession, plan_id: UUID, reached: ColumnElement[bool]) -> bool:
    query = select(Plan.id).where(Plan.id == plan_id, reached)
    return await session.scalar(query) is not None


async def plan_code_taken(
    session: AsyncSession, province_id: UUID, code: str, exclude: UUID | None = None
) -> bool:
    query = select(Plan.id).where(Plan.province_id == province_id, Plan.code == code)
    if exclude is not None:
        query = query.where(Plan.id != exclude)
    return await session.scalar(query.limit(1)) is not None


async def plan_ancestor_ids(session: AsyncSession, plan_id: UUID) -> list[UUID]:
    """The plan and every plan above it."""
    chain = select(Plan.id, Plan.parent_plan_id).where(Plan.id == plan_id)
    tree = chain.cte("plan_chain", recursive=True)
    tree = tree.union(
        select(Plan.id, Plan.parent_plan_id).join(tree, Plan.id == tree.c.parent_plan_id)
    )
    return list((await session.scalars(select(tree.c.id))).all())


def targets_query(plan_id: UUID) -> Select[Target]:
    return select(Target).where(Target.plan_id == plan_id).order_by(Target.position, Target.code)


async def target_code_taken(
    session: AsyncSession, plan_id: UUID, code: str, exclude: UUID | None = None
) -> bool:
    query = select(Target.id).where(Target.plan_id == plan_id, Target.code == code)
    if exclude is not None:
        query = query.where(Target.id != exclude)
    return await session.scalar(query.limit(1)) is not None


async def milestones_of(
    session: AsyncSession, target_ids: Sequence[UUID]
) -> dict[UUID, list[Milestone]]:
    found: dict[UUID, list[Milestone]] = {target_id: [] for target_id in target_ids}
    if not target_ids:
        return found
    query = (
        select(Milestone)
        .where(Milestone.target_id.in_(target_ids))
        .order_by(Milestone.target_id, Milestone.level.nulls_first(), Milestone.due_on)
    )
    for milestone in (await session.scalars(query)).all():
        found[milestone.target_id].append(milestone)
    return found


async def delete_milestones(session: AsyncSession, target_id: UUID) -> None:
    await session.execute(delete(Milestone).where(Milestone.target_id == target_id))


async def milestone_years(session: AsyncSession, plan_id: UUID) -> tuple[int | None, int | None]:
    """The first and last year of the plan's milestones."""
    year = func.extract("year", Milestone.due_on)
    row = (
        await session.execute(
            select(func.min(year), func.max(year))
            .join(Target, Target.id == Milestone.target_id)
            .where(Target.plan_id == plan_id)
        )
    ).one()
    return (None if row[0] is None else int(row[0]), None if row[1] is None else int(row[1]))


async def manual_targets(session: AsyncSession, plan_id: UUID) -> dict[UUID, Target]:
    query = select(Target).where(Target.plan_id == plan_id, Target.source == "manual")
    return {target.id: target for target in (await session.scalars(query)).all()}
