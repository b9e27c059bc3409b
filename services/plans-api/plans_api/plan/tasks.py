"""What plans ask of their task trees.

A unit officer sees the plans with a task of their subtree, and a change of a plan's years
reschedules its tasks: both are the task package's answers. The task package imports plan (a
task belongs to a plan), so plan asks through :class:`PlanTasks`, which ``main`` installs as
``app.state.plan_tasks`` (the task package's ``PlanTaskTrees``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Protocol

from fastapi import Depends, Request
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.access import UnitReach
from plans_api.plan.models import Plan

# (start_year, end_year, day issued): what a plan's task schedules are read against.
PlanYearsKey = tuple[int, int, date | None]


def years_key(plan: Plan) -> PlanYearsKey:
    return plan.start_year, plan.end_year, plan.issued_on


class PlanTasks(Protocol):
    def plans_reached(self, reach: UnitReach) -> ColumnElement[bool]:
        """The condition on plans: a task of the plan involves one of the reach's units."""
        ...

    async def replan(self, session: AsyncSession, plan: Plan, before: PlanYearsKey) -> None:
        """Reschedule the plan's tasks after its years changed from ``before``."""
        ...


def get_plan_tasks(request: Request) -> PlanTasks:
    tasks: PlanTasks = request.app.state.plan_tasks
    return tasks


PlanTasksDep = Annotated[PlanTasks, Depends(get_plan_tasks)]
