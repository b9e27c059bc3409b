"""Reporting periods made from their rules (plan's own, else the province's, else the defaults)
and the year's holidays, stored the first time someone asks.

When a year's holidays change, its stored periods that are still open (unit deadline today or
later, deadlines not set by hand) get their deadlines again from the new list, unless that would
put the unit deadline in the past; periods already due keep the dates their reports were judged
by."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.period import calendar, holidays
from plans_api.period import repository as repo
from plans_api.period.calendar import DEFAULT_RULES, InvalidPeriodRules, PeriodRules
from plans_api.period.exceptions import (
    DeadlineBeforeDataEnd,
    InvalidRules,
    OneScope,
    OneUnitDeadline,
    PeriodRulesInUse,
    PeriodStale,
    ProvinceRequired,
    UnitDueAfterProvince,
    UnknownPeriod,
    UnknownPlan,
    UnknownProvince,
)
from plans_api.period.models import Period, PeriodRuleSet
from plans_api.period.schemas import (
    HolidaysPut,
    HolidaysRead,
    PeriodDeadlinesPatch,
    PeriodRulesPut,
    PeriodRulesRead,
)
from plans_api.plan.exceptions import PlanNotFound
from plans_api.plan.models import Plan
from plans_api.plan.service import get_visible_plan
from plans_api.plan.tasks import PlanTasks
from plans_api.task.repository import plan_has_reports
from plans_api.unit.models import Unit
from plans_api.unit.repository import unit_provinces
from shared.auth.tokens import Principal
from shared.etag import ensure_fresh

RuleSource = Literal["plan", "province", "default"]


def _rules(row: PeriodRuleSet) -> PeriodRules:
    return PeriodRules(
        row.data_start_day, row.province_due_day, row.unit_lead_days, row.unit_due_day
    )


async def effective_rules(
    session: AsyncSession, province_id: UUID, plan_id: UUID | None
) -> tuple[PeriodRules, UUID | None, RuleSource]:
    """The rules in force and the scope of their periods (the plan when it has its own)."""
    if plan_id is not None:
        own = await repo.plan_rule_set(session, plan_id)
        if own is not None:
            return _rules(own), plan_id, "plan"
    province = await repo.rule_set(session, province_id, None)
    if province is not None:
        return _rules(province), None, "province"
    return DEFAULT_RULES, None, "default"


async def periods_for(
    session: AsyncSession, province_id: UUID, plan_id: UUID | None, year: int
) -> list[Period]:
    """The year's four periods for the province (or the plan), stored on first ask."""
    rules, scope, _ = await effective_rules(session, province_id, plan_id)
    stored = await repo.periods_of_year(session, province_id, scope, year)
    if len(stored) == len(calendar.PeriodKind):
        return stored
    days = await holidays.working_days(session, year)
    made = calendar.periods_for_year(year, rules, days)
    await repo.materialise(session, province_id, scope, made)
    return await repo.periods_of_year(session, province_id, scope, year)


async def _scope_rules(session: AsyncSession, province_id: UUID, plan_id: UUID | None):
    """The rules that made the periods of a stored scope (a plan's own, or the province's)."""
    row = await (
        repo.plan_rule_set(session, plan_id)
        if plan_id is not None
        else repo.rule_set(session, province_id, None)
    )
    return _rules(row) if row is not None else DEFAULT_RULES


async def refresh_deadlines(session: AsyncSession, year: int, today: date) -> None:
    """Date the year's open stored periods again on the current holidays (see the module)."""
    days = await holidays.working_days(session, year)
    rules: dict[tuple[UUID, UUID | None], PeriodRules] = {}
    for period in await repo.open_periods_of_year(session, year, today):
        scope = (period.province_id, period.plan_id)
        if scope not in rules:
            rules[scope] = await _scope_rules(session, *scope)
        made = calendar.period_for(calendar.PeriodKind(period.kind), year, rules[scope], days)
        if made.unit_due_on < today:
            continue
        if (period.due_on, period.unit_due_on) != (made.province_due_on, made.unit_due_on):
            period.due_on, period.unit_due_on = made.province_due_on, made.unit_due_on
            period.version += 1
    await session.flush()


async def put_holidays(
    session: AsyncSession, year: int, data: HolidaysPut, if_match: int | None, today: date
) -> HolidaysRead:
    """Replace a year's holidays and move the open periods' deadlines with them."""
    await holidays.replace_year(session, year, data, if_match)
    await refresh_deadlines(session, year, today)
    return await holidays.read_year(session, year)


async def get_period(
    session: AsyncSession,
    principal: Principal,
    period_id: UUID,
    *,
    today: date,
    tasks: PlanTasks,
    lock: bool = False,
) -> Period:
    """The stored period, or 404 (also for a plan's period the caller may not read); with
    ``lock``, held until the transaction ends (a write)."""
    period = await session.get(Period, period_id, with_for_update=lock)
    if period is None:
        raise UnknownPeriod()
    if period.plan_id is not None:
        try:
            await get_visible_plan(session, principal, period.plan_id, today, tasks)
        except PlanNotFound:
            raise UnknownPeriod() from None
    return period


async def override_deadlines(
    session: AsyncSession, period: Period, data: PeriodDeadlinesPatch, if_match: int | None
) -> Period:
    """Set a period's own deadlines, kept as sent (holiday changes leave them alone)."""
    ensure_fresh(if_match, period.version, PeriodStale)
    due_on = data.due_on or period.due_on
    unit_due_on = data.unit_due_on or period.unit_due_on
    if due_on < period.data_to:
        raise DeadlineBeforeDataEnd("due_on")
    if unit_due_on < period.data_to:
        raise DeadlineBeforeDataEnd("unit_due_on")
    if unit_due_on > due_on:
        raise UnitDueAfterProvince()
    period.due_on, period.unit_due_on, period.overridden = due_on, unit_due_on, True
    period.version += 1
    await session.flush()
    return period


async def period_scope(session: AsyncSession, plan: Plan) -> UUID | None:
    """The ``plan_id`` of the periods a plan reports in: its own when it has rules."""
    return plan.id if await repo.plan_rule_set(session, plan.id) is not None else None


async def _province(session: AsyncSession, province_id: UUID) -> UUID:
    unit = await session.get(Unit, province_id)
    if unit is None or unit.level != "province":
        raise UnknownProvince()
    return unit.id


async def visible_plan(
    session: AsyncSession, principal: Principal, plan_id: UUID, today: date, tasks: PlanTasks
) -> Plan:
    """The plan if the caller may read it; a missing or unseen one is the same 422."""
    try:
        return await get_visible_plan(session, principal, plan_id, today, tasks)
    except PlanNotFound:
        raise UnknownPlan() from None


async def resolve_scope(
    session: AsyncSession,
    principal: Principal,
    province_id: UUID | None,
    plan_id: UUID | None,
    *,
    today: date,
    tasks: PlanTasks,
) -> tuple[UUID, UUID | None]:
    """(province, plan) to list periods for; the caller's own province when neither is given.
    A plan the caller may not read is unknown, as its tasks and reports are."""
    if plan_id is not None:
        plan = await visible_plan(session, principal, plan_id, today, tasks)
        return plan.province_id, plan.id
    if province_id is not None:
        return await _province(session, province_id), None
    if principal.unit_id is not None:
        root = (await unit_provinces(session, [principal.unit_id])).get(principal.unit_id)
        if root is not None:
            return root, None
    raise ProvinceRequired()


def _read(province_id: UUID, plan_id: UUID | None, rules: PeriodRules, source: RuleSource):
    return PeriodRulesRead(
        province_id=province_id,
        plan_id=plan_id,
        data_start_day=rules.data_start_day,
        province_due_day=rules.province_due_day,
        unit_lead_days=rules.unit_lead_days,
        unit_due_day=rules.unit_due_day,
        source=source,
    )


async def read_rules(
    session: AsyncSession,
    principal: Principal,
    province_id: UUID | None,
    plan_id: UUID | None,
    *,
    today: date,
    tasks: PlanTasks,
) -> PeriodRulesRead:
    province, plan = await resolve_scope(
        session, principal, province_id, plan_id, today=today, tasks=tasks
    )
    rules, scope, source = await effective_rules(session, province, plan)
    return _read(province, scope, rules, source)


async def put_rules(
    session: AsyncSession,
    principal: Principal,
    data: PeriodRulesPut,
    *,
    today: date,
    tasks: PlanTasks,
) -> PeriodRulesRead:
    """Set a province's or a plan's rules. Periods already reported on keep theirs (409)."""
    if (data.province_id is None) == (data.plan_id is None):
        raise OneScope()
    if data.unit_lead_days is not None and data.unit_due_day is not None:
        raise OneUnitDeadline()
    lead = DEFAULT_RULES.unit_lead_days if data.unit_lead_days is None else data.unit_lead_days
    try:
        rules = PeriodRules(data.data_start_day, data.province_due_day, lead, data.unit_due_day)
    except InvalidPeriodRules as error:
        raise InvalidRules(error) from None
    province, plan = await resolve_scope(
        session, principal, data.province_id, data.plan_id, today=today, tasks=tasks
    )
    current, scope, _ = await effective_rules(session, province, plan)
    # The same dates in the same scope: the stored periods stay right. Otherwise they go, unless
    # reports use them (for a plan: any report on its tasks, whatever the periods' scope).
    unchanged = scope == plan and current == rules
    if not unchanged:
        if plan is not None and await plan_has_reports(session, plan):
            raise PeriodRulesInUse()
        if not await repo.forget_periods(session, province, plan):
            raise PeriodRulesInUse()
    row = await repo.rule_set(session, province, plan)
    if row is None:
        row = PeriodRuleSet(province_id=province, plan_id=plan)
        session.add(row)
    row.data_start_day, row.province_due_day = rules.data_start_day, rules.province_due_day
    row.unit_lead_days, row.unit_due_day = rules.unit_lead_days, rules.unit_due_day
    await session.flush()
    return _read(province, plan, rules, "plan" if plan else "province")
