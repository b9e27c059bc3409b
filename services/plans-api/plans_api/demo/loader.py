"""Loading the demo data: units, the four seed plans with their targets, milestones and task
tables, synthetic officials and (in demo mode) the demo accounts.

Idempotent: every row is looked up by its natural key first (a unit by code, name and start; a
plan by province and code; a target by plan and code; a milestone by target, date and level; a
task by plan and number; an official by employee code; an account by username) and only what is
missing is inserted, so a second run inserts nothing. The session is flushed, never committed.

No outbox events are written here: :class:`DemoLoadResult` lists what was created, for a caller
that wants to announce it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.demo.accounts import DEMO_ACCOUNTS, demo_settings
from plans_api.demo.officials import OfficialRecord, generate_officials
from plans_api.demo.records import PlanRecord, TargetRecord, UnitRecord
from plans_api.demo.seeds import PLANS
from plans_api.demo.tasks import TaskRows
from plans_api.demo.units import SUCCESSIONS, UNITS
from plans_api.identity.models import User
from plans_api.identity.passwords import hash_secret
from plans_api.official.models import Official, OfficialVersion
from plans_api.plan.models import Milestone, Plan, Target
from plans_api.task.models import Task
from plans_api.unit.models import Unit, UnitSuccession


@dataclass
class DemoLoadResult:
    """What this run inserted (rows that already existed are not listed)."""

    units: list[Unit] = field(default_factory=list)
    successions: list[UnitSuccession] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    users: list[User] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


async def load_demo(session: AsyncSession, settings: object) -> DemoLoadResult:
    """Insert whatever of the demo data is missing; accounts only in demo mode."""
    result = DemoLoadResult()
    units = await _load_units(session, UNITS, result)
    await _load_successions(session, units, result)
    plans: dict[str, Plan] = {}
    for record in PLANS:
        plans[record.key] = await _load_plan(session, record, units, plans, result)
        await _load_targets(session, plans[record.key], record.targets, result)
        rows = TaskRows(session, plans[record.key], record)
        result.tasks.extend(await rows.load())
    officials = generate_officials(UNITS, SUCCESSIONS)
    await _load_officials(session, officials, units, result)
    demo = demo_settings(settings)
    if demo.enabled:
        await _load_accounts(session, units, demo.password.get_secret_value(), result)
    await session.flush()
    return result


# ---------------------------------------------------------------- units


async def _load_units(
    session: AsyncSession, records: Sequence[UnitRecord], result: DemoLoadResult
) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for record in records:  # parents come before their children
        unit = await session.scalar(
            select(Unit).where(
                Unit.code == record.code,
                Unit.name == record.name,
                Unit.valid_from.is_not_distinct_from(record.valid_from),
            )
        )
        if unit is None:
            unit = Unit(
                code=record.code,
                name=record.name,
                short_name=record.short_name,
                level=record.level,
                parent_id=units[record.parent].id if record.parent else None,
                valid_from=record.valid_from,
                valid_to=record.valid_to,
            )
            session.add(unit)
            await session.flush()
            result.units.append(unit)
        units[record.key] = unit
    return units


async def _load_successions(
    session: AsyncSession, units: dict[str, Unit], result: DemoLoadResult
) -> None:
    for record in SUCCESSIONS:
        before, after = units[record.predecessor], units[record.successor]
        found = await session.scalar(
            select(UnitSuccession.id).where(
                UnitSuccession.predecessor_id == before.id,
                UnitSuccession.successor_id == after.id,
            )
        )
        if found is None:
            succession = UnitSuccession(
                predecessor_id=before.id,
                successor_id=after.id,
                kind=record.kind,
                effective_on=record.effective_on,
            )
            session.add(succession)
            result.successions.append(succession)


# ---------------------------------------------------------------- plans and targets


async def _load_plan(
    session: AsyncSession,
    record: PlanRecord,
    units: dict[str, Unit],
    plans: dict[str, Plan],
    result: DemoLoadResult,
) -> Plan:
    province = units[record.province]
    plan = await session.scalar(
        select(Plan).where(Plan.province_id == province.id, Plan.code == record.code)
    )
    if plan is not None:
        return plan
    plan = Plan(
        code=record.code,
        kind=record.kind,
        title=record.title,
        summary=record.summary,
        issuer_unit_id=units[record.issuer].id,
        province_id=province.id,
        issued_on=record.issued_on,
        start_year=record.start_year,
        end_year=record.end_year,
        parent_plan_id=plans[record.parent].id if record.parent else None,
        status="active",
        legal_bases=[basis.as_json() for basis in record.legal_bases],
    )
    session.add(plan)
    await session.flush()
    result.plans.append(plan)
    return plan


async def _load_targets(
    session: AsyncSession, plan: Plan, records: Sequence[TargetRecord], result: DemoLoadResult
) -> None:
    existing = {
        t.code: t for t in await session.scalars(select(Target).where(Target.plan_id == plan.id))
    }
    for position, record in enumerate(records, start=1):
        target = existing.get(record.code)
        if target is None:
            target = Target(
                plan_id=plan.id,
                code=record.code,
                title=record.title,
                measure=record.measure,
                comparator=record.comparator,
                source=record.source,
                group=record.group,
                position=position,
                note=record.note,
            )
            session.add(target)
            await session.flush()
            result.targets.append(target)
        await _load_milestones(session, target, record, result)


async def _load_milestones(
    session: AsyncSession, target: Target, record: TargetRecord, result: DemoLoadResult
) -> None:
    due = set(
        await session.scalars(
            select(Milestone.due_on).where(
                Milestone.target_id == target.id, Milestone.level.is_(None)
            )
        )
    )
    for item in record.milestones:
        if item.due_on in due:
            continue
        milestone = Milestone(
            target_id=target.id, due_on=item.due_on, value=item.value, comparator=item.comparator
        )
        session.add(milestone)
        result.milestones.append(milestone)


# ---------------------------------------------------------------- officials and accounts


async def _load_officials(
    session: AsyncSession,
    records: Sequence[OfficialRecord],
    units: dict[str, Unit],
    result: DemoLoadResult,
) -> None:
    codes = [r.employee_code for r in records]
    existing = set(
        await session.scalars(
            select(Official.employee_code).where(Official.employee_code.in_(codes))
        )
    )
    for record in records:
        if record.employee_code in existing:
            continue
        official = Official(
            employee_code=record.employee_code,
            unit_id=units[record.unit].id,
            **_official_fields(record),
        )
        session.add(official)
        result.officials.append(official)
    await session.flush()
    by_code = {o.employee_code: o for o in result.officials}
    for record in records:
        if record.employee_code in by_code:
            _add_versions(session, by_code[record.employee_code], record, units)


def _official_fields(record: OfficialRecord) -> dict[str, Any]:
    names = (
        "full_name",
        "position",
        "is_leader",
        "cchc_role",
        "one_stop_shop",
        "education_level",
        "cchc_since",
        "expert_pool",
        "leadership_source",
        "email",
        "joined_on",
        "left_on",
    )
    return {name: getattr(record, name) for name in names}


def _add_versions(
    session: AsyncSession, official: Official, record: OfficialRecord, units: dict[str, Unit]
) -> None:
    for stint in record.stints:
        session.add(
            OfficialVersion(
                official_id=official.id,
                valid_from=stint.valid_from,
                valid_to=stint.valid_to,
                unit_id=units[stint.unit].id,
                is_leader=record.is_leader,
                cchc_role=record.cchc_role,
                one_stop_shop=record.one_stop_shop,
                expert_pool=record.expert_pool,
                leadership_source=record.leadership_source,
            )
        )


async def _load_accounts(
    session: AsyncSession, units: dict[str, Unit], password: str, result: DemoLoadResult
) -> None:
    names = [a.username for a in DEMO_ACCOUNTS]
    existing = set(await session.scalars(select(User.username).where(User.username.in_(names))))
    missing = [a for a in DEMO_ACCOUNTS if a.username not in existing]
    for account in missing:
        user = User(
            username=account.username,
            password_hash=await to_thread.run_sync(hash_secret, password),
            full_name=account.full_name,
            unit_id=units[account.unit].id,
            roles=list(account.roles),
        )
        session.add(user)
        result.users.append(user)
