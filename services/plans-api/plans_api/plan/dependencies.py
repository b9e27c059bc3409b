"""Loaders that turn a path id into a plan or target the caller may see, or a 404.

Routes using them still name the path id (``plan_id: UUID``) first, so that it leads their
documented parameters as it always has. A route that checks roles declares that dependency
before the loader: a caller without the role gets 403, not 404."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from plans_api.plan import service
from plans_api.plan.models import Plan, Target
from plans_api.plan.tasks import PlanTasksDep
from shared.auth.dependencies import CurrentPrincipal
from shared.clock import ClockDep
from shared.db import DbSession


async def get_visible_plan(
    plan_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
) -> Plan:
    return await service.get_visible_plan(session, principal, plan_id, clock.today(), tasks)


async def get_visible_target(
    target_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    tasks: PlanTasksDep,
) -> tuple[Target, Plan]:
    return await service.get_visible_target(session, principal, target_id, clock.today(), tasks)


VisiblePlan = Annotated[Plan, Depends(get_visible_plan)]
VisibleTarget = Annotated[tuple[Target, Plan], Depends(get_visible_target)]
