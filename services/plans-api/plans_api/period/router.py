"""Reporting periods (Q1, 6 months, Q3, year), the rules that date them, and the holidays their
deadlines move around."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Path, Query, Response

from plans_api.period import holidays, service
from plans_api.period.schemas import (
    HolidaysPut,
    HolidaysRead,
    PeriodDeadlinesPatch,
    PeriodRead,
    PeriodRulesPut,
    PeriodRulesRead,
)
from plans_api.plan.tasks import PlanTasksDep
from shared.auth.dependencies import Admin, CurrentPrincipal
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["periods"])
Year = Annotated[int | None, Query(ge=2000, le=2100, description="Default: this year")]


@router.get(
    "/periods",
    response_model=list[PeriodRead],
    responses=problem_responses(401, 422),
    summary="The year's reporting periods of a province or a plan",
)
async def list_periods(
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
    year: Year = None,
    plan_id: UUID | None = None,
    province_id: UUID | None = None,
) -> list[PeriodRead]:
    """q1, h1, q3 and year with their data windows and deadlines (moved to working days:
    ``GET /holidays``); without ``plan_id`` or ``province_id``, the caller's own province."""
    province, plan = await service.resolve_scope(
        session, principal, province_id, plan_id, today=clock.today(), tasks=tasks
    )
    periods = await service.periods_for(session, province, plan, year or clock.today().year)
    return [PeriodRead.model_validate(p) for p in periods]


@router.get(
    "/period-rules",
    response_model=PeriodRulesRead,
    responses=problem_responses(401, 422),
    summary="The period rules in force for a province or a plan",
)
async def read_period_rules(
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
    plan_id: UUID | None = None,
    province_id: UUID | None = None,
) -> PeriodRulesRead:
    """The plan's own rules, else the province's, else the defaults (15th, 20th, 3 working
    days)."""
    return await service.read_rules(
        session, principal, province_id, plan_id, today=clock.today(), tasks=tasks
    )


@router.put(
    "/period-rules",
    response_model=PeriodRulesRead,
    responses=problem_responses(401, 403, 409, 422),
    summary="Set the period rules of a province or a plan",
)
async def put_period_rules(
    data: PeriodRulesPut, session: DbSession, principal: Admin, clock: ClockDep, tasks: PlanTasksDep
) -> PeriodRulesRead:
    """reform_admin. Deadlines on a day off move to the next working day; units are due
    ``unit_lead_days`` working days before the province (default 3) or on ``unit_due_day``.
    Refused (409) once reports use the periods the current rules made."""
    return await service.put_rules(session, principal, data, today=clock.today(), tasks=tasks)


@router.get(
    "/periods/{period_id}",
    response_model=PeriodRead,
    responses=problem_responses(401, 404, 422),
    summary="One stored period",
)
async def read_period(
    period_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
    response: Response,
) -> PeriodRead:
    """With its ``ETag``, for ``PATCH``; a plan's period only if you may read the plan."""
    period = await service.get_period(
        session, principal, period_id, today=clock.today(), tasks=tasks
    )
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)


@router.patch(
    "/periods/{period_id}",
    response_model=PeriodRead,
    responses=problem_responses(401, 403, 404, 412, 422),
    summary="Set one period's own deadlines",
)
async def override_period_deadlines(
    period_id: UUID,
    data: PeriodDeadlinesPatch,
    session: DbSession,
    principal: Admin,
    clock: ClockDep,
    tasks: PlanTasksDep,
    response: Response,
    if_match: IfMatch = None,
) -> PeriodRead:
    """reform_admin: e.g. the 6-month report tied to the People's Council session. Kept as
    sent, not before the data window's end (422 ``deadline_before_data_end``), the units' not
    after the province's (422 ``unit_due_after_province``); holiday changes no longer move
    them. Send the ``ETag`` you read as ``If-Match``: a stale one gives 412."""
    period = await service.get_period(
        session, principal, period_id, today=clock.today(), tasks=tasks, lock=True
    )
    period = await service.override_deadlines(session, period, data, parse_if_match(if_match))
    set_etag(response, period.version)
    return PeriodRead.model_validate(period)


HolidayYear = Annotated[int, Path(ge=2000, le=2100)]


@router.get(
    "/holidays",
    response_model=HolidaysRead,
    responses=problem_responses(401, 422),
    summary="A year's holidays, days off and working swap days",
)
async def list_holidays(
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    response: Response,
    year: Year = None,
) -> HolidaysRead:
    """The dated days that move period deadlines, for the whole country, with the year's
    ``ETag`` (``"0"`` while the year has no list)."""
    read = await holidays.read_year(session, year or clock.today().year)
    set_etag(response, read.version)
    return read


@router.put(
    "/holidays/{year}",
    response_model=HolidaysRead,
    responses=problem_responses(401, 403, 412, 422),
    summary="Replace a year's holidays",
)
async def put_holidays(
    year: HolidayYear,
    data: HolidaysPut,
    session: DbSession,
    principal: Admin,
    clock: ClockDep,
    response: Response,
    if_match: IfMatch = None,
) -> HolidaysRead:
    """reform_admin. The whole list: every day in ``year`` (422 ``holiday_outside_year``), none
    twice (422 ``duplicate_holiday``), a ``working_day`` on a Saturday or Sunday (422
    ``working_day_not_weekend``). The year's stored periods whose unit deadline is today or
    later, and not set by hand, take the new deadlines. Send the ``ETag`` you read as
    ``If-Match``: a stale one gives 412."""
    read = await service.put_holidays(session, year, data, parse_if_match(if_match), clock.today())
    set_etag(response, read.version)
    return read
