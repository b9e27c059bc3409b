"""Queries of reporting periods and their rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.period import calendar
from plans_api.period.models import Holiday, HolidayYear, Period, PeriodRuleSet


def _scope(model: type[Period] | type[PeriodRuleSet], province_id: UUID, plan_id: UUID | None):
    plan = model.plan_id.is_(None) if plan_id is None else model.plan_id == plan_id
    return (model.province_id == province_id) & plan


async def rule_set(
    session: AsyncSession, province_id: UUID, plan_id: UUID | None
) -> PeriodRuleSet | None:
    return await session.scalar(
        select(PeriodRuleSet).where(_scope(PeriodRuleSet, province_id, plan_id))
    )


async def plan_rule_set(session: AsyncSession, plan_id: UUID) -> PeriodRuleSet | None:
    return await session.scalar(select(PeriodRuleSet).where(PeriodRuleSet.plan_id == plan_id))


async def materialise(
    session: AsyncSession,
    province_id: UUID,
    plan_id: UUID | None,
    periods: Sequence[calendar.Period],
) -> None:
    """Store the periods unless they already are (``uq_periods_scope``: nulls not distinct)."""
    rows = [
        {
            "province_id": province_id,
            "plan_id": plan_id,
            "kind": p.kind.value,
            "year": p.year,
            "data_from": p.data_from,
            "data_to": p.data_to,
            "due_on": p.province_due_on,
            "unit_due_on": p.unit_due_on,
        }
        for p in periods
    ]
    await session.execute(insert(Period).values(rows).on_conflict_do_nothing())


async def periods_of_year(
    session: AsyncSession, province_id: UUID, plan_id: UUID | None, year: int
) -> list[Period]:
    query = (
        select(Period)
        .where(_scope(Period, province_id, plan_id), Period.year == year)
        .order_by(Period.data_to)
    )
    return list((await session.scalars(query)).all())


async def forget_periods(session: AsyncSession, province_id: UUID, plan_id: UUID | None) -> bool:
    """Drop the scope's stored periods so that new rules make them again. False, and nothing
    dropped, when a report uses one of them: the database keeps a period a report points at."""
    try:
        async with session.begin_nested():
            await session.execute(delete(Period).where(_scope(Period, province_id, plan_id)))
    except IntegrityError:
        return False
    return True


async def open_periods_of_year(session: AsyncSession, year: int, today: date) -> list[Period]:
    """The year's stored periods, every scope, whose deadlines are not an override and whose
    unit deadline is today or later."""
    query = select(Period).where(
        Period.year == year, Period.overridden.is_(False), Period.unit_due_on >= today
    )
    return list((await session.scalars(query.with_for_update())).all())


async def days_between(session: AsyncSession, first: date, last: date) -> list[Holiday]:
    query = select(Holiday).where(Holiday.day.between(first, last)).order_by(Holiday.day)
    return list((await session.scalars(query)).all())


async def holiday_year(session: AsyncSession, year: int) -> HolidayYear | None:
    return await session.scalar(select(HolidayYear).where(HolidayYear.year == year))


async def lock_holiday_year(session: AsyncSession, year: int) -> HolidayYear:
    """The year's row, locked until the transaction ends; made at version 0 (no list yet) when
    missing, so that two first writers of a year queue instead of colliding."""
    await session.execute(insert(HolidayYear).values(year=year, version=0).on_conflict_do_nothing())
    query = select(HolidayYear).where(HolidayYear.year == year).with_for_update()
    return (await session.scalars(query.execution_options(populate_existing=True))).one()


async def replace_days(session: AsyncSession, year: int, days: Sequence[Holiday]) -> None:
    await session.execute(
        delete(Holiday).where(Holiday.day.between(date(year, 1, 1), date(year, 12, 31)))
    )
    session.add_all(days)
    await session.flush()
