"""Reporting periods (Q1, 6 months, Q3, year) and the rules that date them."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query

from plans_api.period import service
from plans_api.period.schemas import PeriodRead, PeriodRulesPut, PeriodRulesRead
from shared.auth.dependencies import CurrentPrincipal, require_roles
from shared.auth.tokens import Principal
from shared.clock import ClockDep
from shared.db import DbSession, TransactionalRoute
from shared.errors import problem_responses

router = APIRouter(prefix="/api/plans/v1", tags=["periods"], route_class=TransactionalRoute)
ReformAdmin = Annotated[Principal, Depends(require_roles("system_admin", "reform_admin"))]
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
    year: Year = None,
    plan_id: UUID | None = None,
    province_id: UUID | None = None,
) -> list[PeriodRead]:
    """q1, h1, q3 and year with their data windows and deadlines; without ``plan_id`` or
    ``province_id``, the caller's own province."""
    province, plan = await service.resolve_scope(session, principal, province_id, plan_id)
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
    plan_id: UUID | None = None,
    province_id: UUID | None = None,
) -> PeriodRulesRead:
    """The plan's own rules, else the province's, else the defaults (15th, 20th, 5 days)."""
    return await service.read_rules(session, principal, province_id, plan_id)


@router.put(
    "/period-rules",
    response_model=PeriodRulesRead,
    responses=problem_responses(401, 403, 409, 422),
    summary="Set the period rules of a province or a plan",
)
async def put_period_rules(
    data: PeriodRulesPut, session: DbSession, principal: ReformAdmin
) -> PeriodRulesRead:
    """reform_admin. Refused (409) once reports use the periods the current rules made."""
    return await service.put_rules(session, principal, data)
