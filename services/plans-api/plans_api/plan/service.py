"""Plans: who sees which, and the rules of their codes, years and parent plans."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any, get_args
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from plans_api.access import caller_reach
from plans_api.outbox import OUTBOX
from plans_api.plan import repository as repo
from plans_api.plan.exceptions import (
    GroupNotAllowed,
    InvalidPlanYears,
    IssuedOnOutOfRange,
    IssuerOtherProvince,
    MetricGroupRequired,
    MilestoneOutOfPlanYears,
    MilestonesOutOfOrder,
    ParentPlanCycle,
    ParentPlanOtherProvince,
    PercentOutOfRange,
    PlanCodeTaken,
    PlanNotFound,
    TargetCodeTaken,
    TargetNotFound,
    UnknownArea,
    UnknownParentPlan,
    UnknownUnit,
)
from plans_api.plan.models import Milestone, Plan, Target
from plans_api.plan.schemas import (
    MilestoneIn,
    MilestoneRead,
    OfficialGroup,
    PlanCreate,
    PlanRead,
    PlanUpdate,
    TargetCreate,
    TargetRead,
    TargetUpdate,
)
from plans_api.plan.tasks import PlanTasks, years_key
from plans_api.unit.repository import area_exists, unit_provinces
from shared.auth.tokens import Principal
from shared.db import flush_unique
from shared.etag import ensure_fresh
from shared.events.plans import PlanData, TargetData
from shared.outbox import add_event

# A plan may be issued a little before the years it covers (an annual plan issued in December),
# never after them.
ISSUED_YEARS_BEFORE_START = 3


async def plans_reached(
    session: AsyncSession, principal: Principal, today: date, tasks: PlanTasks
) -> ColumnElement[bool] | None:
    """The plans the caller may read (a unit officer: those with a task of their subtree);
    None: every plan."""
    reach = await caller_reach(session, principal, today)
    return None if reach is None else tasks.plans_reached(reach)


async def get_visible_plan(
    session: AsyncSession, principal: Principal, plan_id: UUID, today: date, tasks: PlanTasks
) -> Plan:
    """The plan if the caller may read it; another's is not found (404)."""
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise PlanNotFound()
    reached = await plans_reached(session, principal, today, tasks)
    if reached is not None and not await repo.plan_visible(session, plan_id, reached):
        raise PlanNotFound()
    return plan


async def _province_of(session: AsyncSession, unit_id: UUID) -> UUID:
    root = (await unit_provinces(session, [unit_id])).get(unit_id)
    if root is None:
        raise UnknownUnit("issuer_unit_id")
    return root


def _check_years(start_year: int, end_year: int, issued_on: date | None) -> None:
    if start_year > end_year:
        raise InvalidPlanYears()
    if issued_on is not None and not (
        start_year - ISSUED_YEARS_BEFORE_START <= issued_on.year <= end_year
    ):
        raise IssuedOnOutOfRange()


async def _check_parent(
    session: AsyncSession, plan_id: UUID | None, parent_id: UUID | None, province_id: UUID
) -> None:
    if parent_id is None:
        return
    parent = await session.get(Plan, parent_id)
    if parent is None:
        raise UnknownParentPlan()
    if parent.province_id != province_id:
        raise ParentPlanOtherProvince()
    if plan_id is not None and plan_id in await repo.plan_ancestor_ids(session, parent_id):
        raise ParentPlanCycle()


async def _publish(session: AsyncSession, plan: Plan, verb: str) -> PlanRead:
    read = PlanRead.model_validate(plan)
    await add_event(
        session,
        OUTBOX,
        f"plan.{verb}",
        aggregate_type="plan",
        aggregate_id=plan.id,
        data=PlanData.model_validate(read),
    )
    return read


async def create_plan(session: AsyncSession, data: PlanCreate) -> tuple[Plan, PlanRead]:
    province_id = await _province_of(session, data.issuer_unit_id)
    _check_years(data.start_year, data.end_year, data.issued_on)
    await _check_parent(session, None, data.parent_plan_id, province_id)
    if await repo.plan_code_taken(session, province_id, data.code):
        raise PlanCodeTaken(data.code)
    values = data.model_dump(exclude={"legal_bases"})
    plan = Plan(**values, province_id=province_id, legal_bases=_legal_bases(data.legal_bases))
    session.add(plan)
    await flush_unique(session, "uq_plans_province_code", lambda: PlanCodeTaken(data.code))
    return plan, await _publish(session, plan, "created")


def _legal_bases(bases: list[Any] | None) -> list[dict[str, Any]]:
    return [basis.model_dump(mode="json") for basis in bases or []]


async def update_plan(
    session: AsyncSession, plan: Plan, data: PlanUpdate, if_match: int | None, tasks: PlanTasks
) -> tuple[Plan, PlanRead]:
    ensure_fresh(if_match, plan.version)
    changes = data.model_dump(exclude_unset=True, exclude={"legal_bases"})
    if (
        "issuer_unit_id" in changes
        and await _province_of(session, changes["issuer_unit_id"]) != plan.province_id
    ):
        raise IssuerOtherProvince()
    start = changes.get("start_year", plan.start_year)
    end = changes.get("end_year", plan.end_year)
    _check_years(start, end, changes.get("issued_on", plan.issued_on))
    await _check_milestone_years(session, plan.id, start, end)
    if "parent_plan_id" in changes:
        await _check_parent(session, plan.id, changes["parent_plan_id"], plan.province_id)
    code = changes.get("code")
    if code and await repo.plan_code_taken(session, plan.province_id, code, exclude=plan.id):
        raise PlanCodeTaken(code)
    before = years_key(plan)
    for field, value in changes.items():
        setattr(plan, field, value)
    if "legal_bases" in data.model_fields_set:
        plan.legal_bases = _legal_bases(data.legal_bases)
    await session.flush()
    read = await _publish(session, plan, "updated")
    if before != years_key(plan):
        await tasks.replan(session, plan, before)
    return plan, read


async def _check_milestone_years(
    session: AsyncSession, plan_id: UUID, start_year: int, end_year: int
) -> None:
    first, last = await repo.milestone_years(session, plan_id)
    if first is not None and first < start_year:
        raise MilestoneOutOfPlanYears("start_year")
    if last is not None and last > end_year:
        raise MilestoneOutOfPlanYears("end_year")


# ---------------------------------------------------------------- targets

# Automatic metrics computed by reporting-api, with the groups of officials each can count.
AUTOMATIC_METRICS: dict[str, frozenset[str]] = {
    "training_coverage": frozenset(get_args(OfficialGroup)),
}


def target_read(target: Target, milestones: Sequence[Milestone]) -> TargetRead:
    values = {
        name: getattr(target, name) for name in TargetRead.model_fields if name != "milestones"
    }
    values["milestones"] = [MilestoneRead.model_validate(m) for m in milestones]
    return TargetRead.model_validate(values)


async def get_visible_target(
    session: AsyncSession, principal: Principal, target_id: UUID, today: date, tasks: PlanTasks
) -> tuple[Target, Plan]:
    target = await session.get(Target, target_id)
    if target is None:
        raise TargetNotFound()
    try:
        plan = await get_visible_plan(session, principal, target.plan_id, today, tasks)
    except PlanNotFound:
        raise TargetNotFound() from None
    return target, plan


def _check_source(source: str, group: str | None) -> None:
    if source == "manual":
        if group is not None:
            raise GroupNotAllowed()
        return
    groups = AUTOMATIC_METRICS[source]
    if group not in groups:
        raise MetricGroupRequired(source, sorted(groups))


def check_milestones(milestones: Sequence[MilestoneIn | Milestone], measure: str, plan: Plan):
    """Within the plan's years, dates strictly increasing per level, percentages 0..100."""
    last: dict[str | None, date] = {}
    for index, milestone in enumerate(milestones):
        if not plan.start_year <= milestone.due_on.year <= plan.end_year:
            raise MilestoneOutOfPlanYears(f"milestones.{index}.due_on")
        previous = last.get(milestone.level)
        if previous is not None and milestone.due_on <= previous:
            raise MilestonesOutOfOrder(index)
        last[milestone.level] = milestone.due_on
        if measure == "percent" and milestone.value > 100:
            raise PercentOutOfRange(f"milestones.{index}.value")


async def _check_target(session: AsyncSession, plan: Plan, target: Target, exclude: UUID | None):
    _check_source(target.source, target.group)
    if target.area_code is not None and not await area_exists(session, target.area_code):
        raise UnknownArea("area_code")
    if await repo.target_code_taken(session, plan.id, target.code, exclude=exclude):
        raise TargetCodeTaken(target.code)


def _milestone_rows(target_id: UUID, milestones: Sequence[MilestoneIn]) -> list[Milestone]:
    return [Milestone(target_id=target_id, **m.model_dump()) for m in milestones]


async def _publish_target(
    session: AsyncSession, target: Target, milestones: Sequence[Milestone], verb: str
) -> TargetRead:
    read = target_read(target, milestones)
    await add_event(
        session,
        OUTBOX,
        f"target.{verb}",
        aggregate_type="target",
        aggregate_id=target.id,
        data=TargetData.model_validate(read),
    )
    return read


async def create_target(session: AsyncSession, plan: Plan, data: TargetCreate) -> TargetRead:
    target = Target(plan_id=plan.id, **data.model_dump(exclude={"milestones"}))
    target.id = uuid.uuid4()
    await _check_target(session, plan, target, exclude=None)
    check_milestones(data.milestones, data.measure, plan)
    milestones = _milestone_rows(target.id, data.milestones)
    session.add(target)
    await flush_unique(session, "uq_targets_plan_code", lambda: TargetCodeTaken(target.code))
    session.add_all(milestones)
    await session.flush()
    return await _publish_target(session, target, milestones, "created")


async def update_target(
    session: AsyncSession, target: Target, plan: Plan, data: TargetUpdate, if_match: int | None
) -> TargetRead:
    ensure_fresh(if_match, target.version)
    changes = data.model_dump(exclude_unset=True, exclude={"milestones"})
    if changes.get("source") == "manual" and "group" not in changes:
        changes["group"] = None
    for field, value in changes.items():
        setattr(target, field, value)
    await _check_target(session, plan, target, exclude=target.id)
    milestones: Sequence[MilestoneIn | Milestone]
    if data.milestones is not None:
        milestones = data.milestones
    else:
        milestones = (await repo.milestones_of(session, [target.id]))[target.id]
    check_milestones(milestones, target.measure, plan)
    if data.milestones is not None:
        await repo.delete_milestones(session, target.id)
        milestones = _milestone_rows(target.id, data.milestones)
        session.add_all(milestones)
    flag_modified(target, "title")  # a new version (and ETag) even when only milestones change
    await session.flush()
    stored = (await repo.milestones_of(session, [target.id]))[target.id]
    return await _publish_target(session, target, stored, "updated")
