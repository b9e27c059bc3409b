"""Rules of the units registry: creating and changing units, recording successions.

Every change flushes (never commits) and writes its outbox event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.outbox import OUTBOX
from plans_api.unit import repository
from plans_api.unit.exceptions import (
    InvalidValidity,
    ParentNotValid,
    ParentUnknown,
    SuccessionBeforeStart,
    SuccessionShape,
    SuccessorNotValid,
    SuccessorUnknown,
    UnitAlreadyRetired,
    UnitAlreadySucceeded,
    UnitCodeInUse,
    UnitCycle,
    UnitNotFound,
    UnitStale,
)
from plans_api.unit.models import Unit, UnitSuccession
from plans_api.unit.schemas import (
    PredecessorRead,
    SuccessionCreate,
    SuccessionRead,
    UnitCreate,
    UnitRead,
    UnitUpdate,
)
from shared.etag import ensure_fresh
from shared.events.base import EventData
from shared.events.plans import UnitData, UnitSucceeded
from shared.outbox import add_event

CODE_CONSTRAINT = "ex_units_code_validity"


def is_valid_on(unit: Unit, day: date | None) -> bool:
    """Whether ``unit`` exists on ``day``; ``None`` stands for "since ever" (an open start)."""
    if day is None:
        return unit.valid_from is None
    starts = unit.valid_from is None or unit.valid_from <= day
    return starts and (unit.valid_to is None or unit.valid_to >= day)


async def get_unit(session: AsyncSession, unit_id: UUID, *, for_update: bool = False) -> Unit:
    unit = await session.get(Unit, unit_id, with_for_update=for_update)
    if unit is None:
        raise UnitNotFound()
    return unit


async def _check_parent(
    session: AsyncSession, parent_id: UUID, valid_from: date | None, unit_id: UUID | None = None
) -> None:
    """The parent exists, is not the unit or below it, and exists on the unit's first day."""
    parent = await session.get(Unit, parent_id)
    if parent is None:
        raise ParentUnknown()
    if unit_id is not None and unit_id in (
        await repository.unit_ancestors(session, parent_id) or []
    ):
        raise UnitCycle()
    if not is_valid_on(parent, valid_from):
        raise ParentNotValid(valid_from)


async def _write(session: AsyncSession, unit: Unit, change: Callable[[], None]) -> None:
    """Apply ``change`` and flush it in a savepoint, so that a unit code already used on one of
    the unit's days (a concurrent writer passed our check) answers 409, not 500."""
    code = unit.code  # read now: a rolled-back savepoint expires the unit
    try:
        async with session.begin_nested():
            change()
    except IntegrityError as exc:
        if CODE_CONSTRAINT in str(exc.orig):
            raise UnitCodeInUse(code) from exc
        raise


async def _emit(session: AsyncSession, event: str, unit_id: UUID, data: EventData) -> None:
    await add_event(session, OUTBOX, event, aggregate_type="unit", aggregate_id=unit_id, data=data)


async def create_unit(session: AsyncSession, data: UnitCreate) -> Unit:
    if data.parent_id is not None:
        await _check_parent(session, data.parent_id, data.valid_from)
    if await repository.code_taken(session, data.code, data.valid_from, data.valid_to):
        raise UnitCodeInUse(data.code)
    unit = Unit(**data.model_dump())
    await _write(session, unit, lambda: session.add(unit))
    await _emit(session, "unit.created", unit.id, UnitData.model_validate(unit))
    return unit


async def update_unit(
    session: AsyncSession, unit: Unit, data: UnitUpdate, if_match: int | None
) -> Unit:
    """Change the fields sent; a new parent or first day is checked against the tree."""
    ensure_fresh(if_match, unit.version, UnitStale)
    changes = {
        field: value
        for field, value in data.model_dump(exclude_unset=True).items()
        if getattr(unit, field) != value
    }
    if not changes:
        return unit
    valid_from = changes.get("valid_from", unit.valid_from)
    valid_to = changes.get("valid_to", unit.valid_to)
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        raise InvalidValidity()
    parent_id = changes.get("parent_id", unit.parent_id)
    if parent_id is not None and ({"parent_id", "valid_from"} & changes.keys()):
        await _check_parent(session, parent_id, valid_from, unit.id)
    if {"valid_from", "valid_to"} & changes.keys() and await repository.code_taken(
        session, unit.code, valid_from, valid_to, exclude=unit.id
    ):
        raise UnitCodeInUse(unit.code)

    def apply() -> None:
        for field, value in changes.items():
            setattr(unit, field, value)

    await _write(session, unit, apply)
    await _emit(session, "unit.updated", unit.id, UnitData.model_validate(unit))
    return unit


def _check_shape(unit: Unit, data: SuccessionCreate) -> None:
    count = len(data.successor_ids)
    if unit.id in data.successor_ids:
        raise SuccessionShape("Đơn vị không thể kế thừa chính nó", "A unit cannot succeed itself")
    if data.kind in ("merge", "rename") and count != 1:
        raise SuccessionShape(
            "Sáp nhập hoặc đổi tên có đúng một đơn vị kế thừa",
            "A merge or a rename has exactly one successor",
        )
    if data.kind == "split" and count < 2:
        raise SuccessionShape(
            "Chia tách có ít nhất hai đơn vị kế thừa", "A split has at least two successors"
        )


async def _successors(session: AsyncSession, ids: list[UUID], effective_on: date) -> list[Unit]:
    found = {u.id: u for u in (await session.scalars(select(Unit).where(Unit.id.in_(ids)))).all()}
    missing = [i for i in ids if i not in found]
    if missing:
        raise SuccessorUnknown(missing)
    invalid = [i for i in ids if not is_valid_on(found[i], effective_on)]
    if invalid:
        raise SuccessorNotValid(invalid, effective_on)
    return [found[i] for i in ids]


async def record_succession(
    session: AsyncSession, unit: Unit, data: SuccessionCreate, if_match: int | None
) -> SuccessionRead:
    """Retire ``unit`` on the day before ``effective_on`` (keeping an earlier-set end only when it
    is that very day) and link it to its successors, which must exist on ``effective_on``."""
    ensure_fresh(if_match, unit.version, UnitStale)
    _check_shape(unit, data)
    if await repository.successions_from(session, unit.id):
        raise UnitAlreadySucceeded()
    last_day = data.effective_on - timedelta(days=1)
    if unit.valid_to is not None and unit.valid_to < last_day:
        raise UnitAlreadyRetired(unit.valid_to)
    if unit.valid_from is not None and unit.valid_from > last_day:
        raise SuccessionBeforeStart()
    successors = await _successors(session, data.successor_ids, data.effective_on)
    unit.valid_to = last_day
    session.add_all(
        UnitSuccession(
            predecessor_id=unit.id,
            successor_id=successor.id,
            kind=data.kind,
            effective_on=data.effective_on,
        )
        for successor in successors
    )
    await session.flush()
    result = SuccessionRead(
        unit=UnitRead.model_validate(unit),
        successors=[UnitRead.model_validate(s) for s in successors],
        kind=data.kind,
        effective_on=data.effective_on,
    )
    await _emit(session, "unit.succeeded", unit.id, UnitSucceeded.model_validate(result))
    return result


async def predecessors(session: AsyncSession, unit_id: UUID) -> list[PredecessorRead]:
    links = await repository.predecessor_links(session, unit_id)
    return [
        PredecessorRead(
            unit=UnitRead.model_validate(unit),
            successor_id=link.successor_id,
            kind=link.kind,
            effective_on=link.effective_on,
        )
        for unit, link in links
    ]
