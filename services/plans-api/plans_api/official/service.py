"""Rules of the officials registry: who sees whom, and a dated version for every change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.official import repository as repo
from plans_api.official.exceptions import (
    EffectiveBeforeCurrentVersion,
    EmployeeCodeTaken,
    InvalidEmployeeCode,
    LeftBeforeCurrentVersion,
    OfficialChanged,
    OfficialNotFound,
    UnitOutOfScope,
    UnknownUnit,
)
from plans_api.official.models import Official, OfficialVersion
from plans_api.official.schemas import OfficialCounts, OfficialCreate, OfficialRead, UnitCounts
from plans_api.outbox import OUTBOX
from plans_api.unit.models import Unit
from plans_api.unit.repository import unit_ancestors
from shared.auth.roles import ADMIN_ROLES, ALL_UNITS_ROLES, Role
from shared.auth.tokens import Principal
from shared.errors import Forbidden, Unprocessable, field_error
from shared.etag import ensure_fresh
from shared.events.plans import OfficialData
from shared.outbox import add_event

# What a version records: the fields the counts are made of.
VERSIONED = (
    "unit_id",
    "is_leader",
    "cchc_role",
    "one_stop_shop",
    "expert_pool",
    "leadership_source",
)


# --- access ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The units a caller may see or change: ``root`` and below, or every unit when None."""

    root: UUID | None
    admin: bool = False  # an administrator, told when a code is taken outside ``root``

    async def covers(self, session: AsyncSession, unit_id: UUID) -> bool:
        if self.root is None:
            return True
        chain = await unit_ancestors(session, unit_id)
        return chain is not None and self.root in chain


def _own_unit(principal: Principal) -> Scope:
    if not principal.has_role(Role.UNIT_OFFICER) or principal.unit_id is None:
        raise Forbidden("Không có quyền xem hồ sơ cán bộ", "You may not see officials' records")
    return Scope(principal.unit_id)


def read_scope(principal: Principal) -> Scope:
    if principal.has_role(*ALL_UNITS_ROLES):
        return Scope(None)
    return _own_unit(principal)


def write_scope(principal: Principal) -> Scope:
    if principal.has_role(*ADMIN_ROLES):
        return Scope(None, admin=True)
    return _own_unit(principal)


async def check_unit(session: AsyncSession, scope: Scope, unit_id: UUID) -> None:
    """422 for a unit that does not exist, 403 for one outside the caller's units."""
    if await session.get(Unit, unit_id) is None:
        raise UnknownUnit(unit_id)
    if not await scope.covers(session, unit_id):
        raise UnitOutOfScope(unit_id)


async def narrow_scope(session: AsyncSession, scope: Scope, unit_id: UUID | None) -> Scope:
    """The caller's units narrowed to ``unit_id`` and below (e.g. one province of several)."""
    if unit_id is None:
        return scope
    await check_unit(session, scope, unit_id)
    return Scope(unit_id, scope.admin)


# --- reading ----------------------------------------------------------------------------


async def get_official(
    session: AsyncSession, scope: Scope, official_id: UUID, *, for_update: bool = False
) -> Official:
    """The official, or 404 when missing or outside the caller's units (never the data)."""
    official = await repo.get_official(session, official_id, for_update=for_update)
    if official is None or not await scope.covers(session, official.unit_id):
        raise OfficialNotFound()
    return official


# --- versions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionPlan:
    """How a change lands in the history: the current version's new ``valid_to``, whether the
    current version takes the new state in place, and the span of a new version if one opens."""

    current_valid_to: date | None
    rewrite_current: bool
    new_version: tuple[date, date | None] | None


def plan_version(
    current_from: date,
    current_to: date | None,
    effective_on: date,
    left_on: date | None,
    leaving_only: bool,
) -> VersionPlan:
    """The rules, shared by PATCH and import. A change effective on the current version's first
    day rewrites it (no empty version); a later one closes it and opens a new one, ending on
    ``left_on`` if the official has left. Leaving (only ``left_on`` changes) closes the current
    version on that day; a change dated after the official left touches no version."""
    if effective_on < current_from:
        raise EffectiveBeforeCurrentVersion(current_from)
    opens = not leaving_only and (left_on is None or effective_on < left_on)
    if opens and effective_on > current_from:
        closed = effective_on if current_to is None else min(current_to, effective_on)
        return VersionPlan(closed, False, (effective_on, left_on))
    if left_on is not None and left_on < current_from:
        raise LeftBeforeCurrentVersion(current_from)
    return VersionPlan(left_on, opens, None)


def version_state(official: Official | dict[str, Any]) -> dict[str, Any]:
    if isinstance(official, dict):
        return {field: official[field] for field in VERSIONED}
    return {field: getattr(official, field) for field in VERSIONED}


# --- writing ----------------------------------------------------------------------------


async def create_official(
    session: AsyncSession, scope: Scope, data: OfficialCreate, today: date
) -> OfficialRead:
    """The first version starts on ``joined_on``, else ``today``."""
    await check_unit(session, scope, data.unit_id)
    if data.employee_code:
        await _check_code_free(session, scope, data.employee_code)
    official = Official(**data.model_dump())
    valid_from = data.joined_on or today
    if data.left_on is not None and data.left_on < valid_from:
        raise LeftBeforeCurrentVersion(valid_from)
    session.add(official)
    await _flush(session, scope, data.employee_code)
    _add_version(session, official, valid_from, data.left_on)
    await session.flush()
    return await _publish(session, official, "official.created")


async def update_official(
    session: AsyncSession,
    scope: Scope,
    official: Official,
    changes: dict[str, Any],
    if_match: int | None,
    today: date,
) -> OfficialRead:
    """Apply ``changes`` (the fields sent, with ``effective_on``, else ``left_on`` when only
    that changes, else ``today``) and record the version."""
    ensure_fresh(if_match, official.version, OfficialChanged)
    effective_on = changes.pop("effective_on", None)
    changes = {f: v for f, v in changes.items() if getattr(official, f) != v}
    if not changes:  # nothing changes: no version, no event
        return OfficialRead.model_validate(official)
    if changes.get("unit_id") not in (None, official.unit_id):
        await check_unit(session, scope, changes["unit_id"])
    code = changes.get("employee_code")
    if code:
        await _check_code_free(session, scope, code, except_id=official.id)
    _check_dates(
        changes.get("joined_on", official.joined_on), changes.get("left_on", official.left_on)
    )
    leaving_only = set(changes) == {"left_on"}
    if effective_on is None:
        effective_on = changes["left_on"] if leaving_only and changes["left_on"] else today
    for field, value in changes.items():
        setattr(official, field, value)
    await _record_version(session, official, effective_on, leaving_only)
    await _flush(session, scope, code)
    return await _publish(session, official, "official.updated")


def _check_dates(joined_on: date | None, left_on: date | None) -> None:
    if joined_on and left_on and left_on < joined_on:
        raise Unprocessable(
            "Ngày nghỉ trước ngày vào",
            "left_on is before joined_on",
            errors=field_error("left_on", "before joined_on", "date_order"),
        )


async def _record_version(
    session: AsyncSession, official: Official, effective_on: date, leaving_only: bool
) -> None:
    current = await repo.current_version(session, official.id)
    if current is None:  # every official gets one on creation; heal a row made otherwise
        _add_version(session, official, effective_on, official.left_on)
        return
    plan = plan_version(
        current.valid_from, current.valid_to, effective_on, official.left_on, leaving_only
    )
    current.valid_to = plan.current_valid_to
    if plan.rewrite_current:
        for field, value in version_state(official).items():
            setattr(current, field, value)
    if plan.new_version is not None:
        _add_version(session, official, *plan.new_version)


def _add_version(
    session: AsyncSession, official: Official, valid_from: date, valid_to: date | None
) -> None:
    session.add(
        OfficialVersion(
            official_id=official.id,
            valid_from=valid_from,
            valid_to=valid_to,
            **version_state(official),
        )
    )


async def _check_code_free(
    session: AsyncSession, scope: Scope, code: str, except_id: UUID | None = None
) -> None:
    """409 for a code held by an official the caller may see (or for an administrator); the
    answer to any invalid code otherwise, so that codes of other units are not revealed."""
    holder_unit = await repo.employee_code_holder(session, code, except_id)
    if holder_unit is None:
        return
    if scope.admin or await scope.covers(session, holder_unit):
        raise EmployeeCodeTaken(code)
    raise InvalidEmployeeCode()


async def _flush(session: AsyncSession, scope: Scope, employee_code: str | None) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # two requests racing for one code: the holder is unknown
        if employee_code and "employee_code" in str(exc.orig):
            if scope.admin:
                raise EmployeeCodeTaken(employee_code) from exc
            raise InvalidEmployeeCode() from exc
        raise


async def _publish(session: AsyncSession, official: Official, event: str) -> OfficialRead:
    read = OfficialRead.model_validate(official)
    await add_event(
        session,
        OUTBOX,
        event,
        aggregate_type="official",
        aggregate_id=official.id,
        data=OfficialData.model_validate(read),
    )
    return read


# --- counts -----------------------------------------------------------------------------


async def count_officials(
    session: AsyncSession,
    scope: Scope,
    unit_id: UUID | None,
    as_of: date,
    groups: Sequence[str],
) -> OfficialCounts:
    """Exact counts as of a date from the versions: the unit's whole subtree, and each direct
    child rolled up over its own subtree. A unit officer's default unit is their own."""
    root = unit_id if unit_id is not None else scope.root
    if root is not None:
        await check_unit(session, scope, root)
    totals = await repo.count_totals(session, root, as_of, groups)
    children = await repo.count_by_child(session, root, as_of, groups)
    return OfficialCounts(
        as_of=as_of,
        unit_id=root,
        groups=totals,
        by_unit=[UnitCounts(unit_id=i, name=n, groups=g) for i, n, g in children],
    )
