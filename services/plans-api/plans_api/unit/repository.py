"""Queries on the unit tree, its validity dates and its succession links.

Functions other modules use (each one recursive CTE, one round trip):

- :func:`subtree_ids` — a unit and everything below it (optionally only the units valid on a day);
- :func:`roll_up` — who carries a unit's work on a day (itself, or its successors along chains);
- :func:`units_in_province` — the units of some levels in a province on a day (unit groups);
- :func:`province_of`, :func:`unit_provinces` — the province a unit (or each of many) belongs to;
- :func:`unit_scope` — a WHERE clause confining a unit-id column to what a caller may see;
- :func:`match_unit_names` — the unit names of task-table cells to units of a province.

"Valid on d" means ``valid_from <= d`` (or no ``valid_from``) and ``valid_to >= d`` (or no
``valid_to``): ``valid_to`` is the last day a unit existed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from plans_api.unit.models import ReformArea, Unit, UnitSuccession
from plans_api.unit.names import NameMatches, match_names
from shared.auth.dependencies import sees_every_unit
from shared.auth.tokens import Principal
from shared.search import contains

# Depth guard for walks that carry a depth column (a cycle would otherwise never end).
_MAX_DEPTH = 64


def valid_on(day: date, valid_from: Any = Unit.valid_from, valid_to: Any = Unit.valid_to) -> Any:
    """The SQL condition "valid on ``day``" on a units table (or a CTE with those columns)."""
    return and_(
        or_(valid_from.is_(None), valid_from <= day), or_(valid_to.is_(None), valid_to >= day)
    )


# ---------------------------------------------------------------- ancestry


async def unit_ancestors(session: AsyncSession, unit_id: UUID) -> list[UUID] | None:
    """The ids of the unit and all its ancestors; None when the unit does not exist."""
    chain = select(Unit.id, Unit.parent_id).where(Unit.id == unit_id).cte(recursive=True)
    chain = chain.union(select(Unit.id, Unit.parent_id).join(chain, Unit.id == chain.c.parent_id))
    ids = (await session.scalars(select(chain.c.id))).all()
    return list(ids) or None


async def province_of(session: AsyncSession, unit_id: UUID) -> UUID | None:
    """The nearest unit of level ``province`` at or above ``unit_id`` (the unit itself when it is
    a province); None when the unit does not exist or no province is above it."""
    up = (
        select(Unit.id, Unit.parent_id, Unit.level, literal(0).label("depth"))
        .where(Unit.id == unit_id)
        .cte(recursive=True)
    )
    up = up.union_all(
        select(Unit.id, Unit.parent_id, Unit.level, up.c.depth + 1)
        .join(up, Unit.id == up.c.parent_id)
        .where(up.c.depth < _MAX_DEPTH)
    )
    query = select(up.c.id).where(up.c.level == "province").order_by(up.c.depth).limit(1)
    return await session.scalar(query)


async def unit_provinces(session: AsyncSession, unit_ids: Iterable[UUID]) -> dict[UUID, UUID]:
    """The province of each existing unit among ``unit_ids``: :func:`province_of`, for many."""
    ids = list(set(unit_ids))
    if not ids:
        return {}
    start = select(
        Unit.id.label("start"), Unit.id, Unit.parent_id, Unit.level, literal(0).label("depth")
    )
    chain = start.where(Unit.id.in_(ids)).cte("chain", recursive=True)
    chain = chain.union_all(
        select(chain.c.start, Unit.id, Unit.parent_id, Unit.level, chain.c.depth + 1)
        .join(chain, Unit.id == chain.c.parent_id)
        .where(chain.c.depth < _MAX_DEPTH)
    )
    query = (
        select(chain.c.start, chain.c.id)
        .where(chain.c.level == "province")
        .order_by(chain.c.start, chain.c.depth)
        .ext(distinct_on(chain.c.start))
    )
    return {start_id: province_id for start_id, province_id in (await session.execute(query)).all()}


class DbUnitTree:
    """``shared.auth.dependencies.UnitTree`` answered from plans-api's own table."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def ancestors(self, unit_id: UUID) -> list[UUID] | None:
        async with self._sessionmaker() as session:
            return await unit_ancestors(session, unit_id)


# ---------------------------------------------------------------- subtrees


def subtree_select(unit_id: UUID, as_of: date | None = None) -> Select[UUID]:
    """``SELECT id`` of the unit and all units below it, for ``column.in_(...)``.

    The walk goes through every descendant whatever its dates (a commune still valid under a
    district abolished before it stays in the province); ``as_of`` then keeps the units valid on
    that day, the starting unit included.
    """
    tree = (
        select(Unit.id, Unit.valid_from, Unit.valid_to)
        .where(Unit.id == unit_id)
        .cte(recursive=True)
    )
    tree = tree.union(
        select(Unit.id, Unit.valid_from, Unit.valid_to).join(tree, Unit.parent_id == tree.c.id)
    )
    query = select(tree.c.id)
    if as_of is not None:
        query = query.where(valid_on(as_of, tree.c.valid_from, tree.c.valid_to))
    return query


async def subtree_ids(
    session: AsyncSession, unit_id: UUID, as_of: date | None = None
) -> list[UUID]:
    """The ids of ``unit_id`` and all units below it (empty when it does not exist).

    With ``as_of``, only those valid on that day (see :func:`subtree_select`).
    """
    return list((await session.scalars(subtree_select(unit_id, as_of))).all())


async def unit_levels(
    session: AsyncSession, unit_id: UUID, day: date, *, subtree: bool
) -> list[tuple[UUID, str, bool]]:
    """(id, level, valid on ``day``) of the unit, and with ``subtree`` of every unit below it."""
    query = select(Unit.id, Unit.level, valid_on(day))
    if subtree:
        query = query.where(Unit.id.in_(subtree_select(unit_id)))
    else:
        query = query.where(Unit.id == unit_id)
    return [(row[0], row[1], bool(row[2])) for row in (await session.execute(query)).all()]


async def units_in_province(
    session: AsyncSession, province_id: UUID, levels: Iterable[str], as_of: date | None
) -> list[UUID]:
    """The units of ``levels`` in the province's subtree valid on ``as_of`` (any date when None),
    ordered by name: resolves groups such as "every department" or "every commune People's
    Committee" of a province on a date. Empty ``levels`` means every level, the province itself
    included (it is included whenever ``"province"`` is among the levels)."""
    wanted = [str(level) for level in levels]
    query = select(Unit.id).where(Unit.id.in_(subtree_select(province_id, as_of)))
    if wanted:
        query = query.where(Unit.level.in_(wanted))
    rows = await session.scalars(query.order_by(Unit.name, Unit.id))
    return list(rows.all())


def unit_scope(principal: Principal, column: Any = Unit.id) -> ColumnElement[bool] | None:
    """A WHERE clause confining ``column`` (a unit id column: ``Unit.id``, ``Official.unit_id``…)
    to the units ``principal`` may see, or None when they may see every unit.

    reform_admin, system_admin, viewer and API clients see all; anyone else sees the subtree of
    the unit in their token, and nothing without one (the rule of ``may_act_on_unit``)."""
    if sees_every_unit(principal):
        return None
    if principal.unit_id is None:
        return false()
    return column.in_(subtree_select(principal.unit_id))


# ---------------------------------------------------------------- succession


def roll_up_select(unit_id: UUID, on: date) -> Select[Unit]:
    """``SELECT units`` that carry ``unit_id``'s work on ``on`` (see :func:`roll_up`)."""
    columns = (Unit.id, Unit.valid_from, Unit.valid_to)
    seen = select(*columns).where(Unit.id == unit_id).cte(recursive=True)
    seen = seen.union(
        select(*columns)
        .join(UnitSuccession, UnitSuccession.successor_id == Unit.id)
        .join(seen, UnitSuccession.predecessor_id == seen.c.id)
        .where(
            UnitSuccession.effective_on <= on,
            ~valid_on(on, seen.c.valid_from, seen.c.valid_to),  # follow only retired units
        )
    )
    return (
        select(Unit)
        .join(seen, Unit.id == seen.c.id)
        .where(valid_on(on))
        .order_by(Unit.name, Unit.id)
    )


async def roll_up_units(session: AsyncSession, unit_id: UUID, on: date) -> list[Unit]:
    """The units of :func:`roll_up`, by name."""
    return list((await session.scalars(roll_up_select(unit_id, on))).all())


def areas_query() -> Select[ReformArea]:
    """The reform areas in their official order."""
    return select(ReformArea).order_by(ReformArea.position)


async def roll_up(session: AsyncSession, unit_id: UUID, on: date) -> list[UUID]:
    """Who carries ``unit_id``'s work on ``on``: the unit itself when it is valid that day;
    otherwise its successors (links effective on or before ``on``), following chains (A merged
    into B, B later merged into C: C) through units that are themselves no longer valid.

    Empty when the unit does not exist, was not yet valid, or was abolished without successor.
    """
    rows = await session.scalars(roll_up_select(unit_id, on).with_only_columns(Unit.id))
    return list(rows.all())


async def successions_from(session: AsyncSession, unit_id: UUID) -> Sequence[UnitSuccession]:
    query = select(UnitSuccession).where(UnitSuccession.predecessor_id == unit_id)
    return (await session.scalars(query)).all()


async def predecessor_links(
    session: AsyncSession, unit_id: UUID
) -> list[tuple[Unit, UnitSuccession]]:
    """Every succession link leading to ``unit_id``, directly or along chains, with the
    predecessor unit of each; latest first."""
    links = (
        select(UnitSuccession.id, UnitSuccession.predecessor_id)
        .where(UnitSuccession.successor_id == unit_id)
        .cte(recursive=True)
    )
    links = links.union(
        select(UnitSuccession.id, UnitSuccession.predecessor_id).join(
            links, UnitSuccession.successor_id == links.c.predecessor_id
        )
    )
    query = (
        select(Unit, UnitSuccession)
        .join(UnitSuccession, UnitSuccession.predecessor_id == Unit.id)
        .where(UnitSuccession.id.in_(select(links.c.id)))
        .order_by(UnitSuccession.effective_on.desc(), Unit.name, Unit.id)
    )
    return [(unit, link) for unit, link in (await session.execute(query)).all()]


# ---------------------------------------------------------------- listing


@dataclass(frozen=True)
class UnitFilter:
    as_of: date
    parent_id: UUID | None = None
    levels: Sequence[str] = ()
    province_id: UUID | None = None
    code: str | None = None
    agency_code: str | None = None
    q: str | None = None
    include_retired: bool = False


SortKey = Literal["name", "-name", "code", "-code", "valid_from", "-valid_from"]


def list_units_select(
    where: UnitFilter, scope: ColumnElement[bool] | None, sort: SortKey = "name"
) -> Select[Unit]:
    """Units matching ``where`` (valid on ``as_of``; with ``include_retired`` also those that
    ended before it) within ``scope`` (see :func:`unit_scope`)."""
    if where.include_retired:
        query = select(Unit).where(or_(Unit.valid_from.is_(None), Unit.valid_from <= where.as_of))
    else:
        query = select(Unit).where(valid_on(where.as_of))
    conditions: list[Any] = [scope] if scope is not None else []
    if where.parent_id is not None:
        conditions.append(Unit.parent_id == where.parent_id)
    if where.levels:
        conditions.append(Unit.level.in_(where.levels))
    if where.province_id is not None:
        conditions.append(Unit.id.in_(subtree_select(where.province_id)))
    if where.code:
        conditions.append(Unit.code == where.code)
    if where.agency_code:
        conditions.append(Unit.agency_code == where.agency_code)
    if where.q:
        conditions.append(contains(Unit.name, where.q))
    column = getattr(Unit, sort.removeprefix("-"))
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_first()
    return query.where(*conditions).order_by(order, Unit.name, Unit.id)


# ---------------------------------------------------------------- overlapping codes


async def code_taken(
    session: AsyncSession,
    code: str,
    valid_from: date | None,
    valid_to: date | None,
    exclude: UUID | None = None,
) -> bool:
    """Whether another unit bears ``code`` on a day of ``[valid_from, valid_to]`` (the rule of
    the ``ex_units_code_validity`` constraint)."""
    mine = func.daterange(valid_from, valid_to, "[]")
    theirs = func.daterange(Unit.valid_from, Unit.valid_to, "[]")
    query = select(Unit.id).where(Unit.code == code, theirs.op("&&")(mine))
    if exclude is not None:
        query = query.where(Unit.id != exclude)
    return await session.scalar(query.limit(1)) is not None


async def area_exists(session: AsyncSession, code: str) -> bool:
    """Whether ``code`` is a reform area (lĩnh vực CCHC)."""
    return await session.get(ReformArea, code) is not None


# ---------------------------------------------------------------- names in task tables


async def _province_units(
    session: AsyncSession, province_id: UUID, as_of: date | None
) -> Sequence[Any]:
    query = select(Unit.id, Unit.name, Unit.short_name).where(
        Unit.id.in_(subtree_select(province_id, as_of))
    )
    return (await session.execute(query)).all()


async def match_unit_names(
    session: AsyncSession, province_id: UUID, names: Iterable[str], as_of: date | None
) -> NameMatches:
    """Match the unit names of task-table cells to the units of one province valid on ``as_of``
    (any date when None), accent-, case- and abbreviation-insensitively: both sides go through
    :func:`plans_api.unit.names.normalize_name`, against each unit's ``name`` and
    ``short_name``. Pass the cell's words or ``UnitMention.normalized`` (normalising is
    idempotent).

    "UBND X" and "Ủy ban nhân dân X" meet a unit named "X" (a province, district or commune unit
    stands for its People's Committee), "UBND tỉnh" / "UBND thành phố" the province itself.
    Looser forms (without the province's name at the end, without "Tỉnh", "Huyện", "Xã" … at the
    start) are tried only when the stricter ones find nothing.

    Returns ``{name: unit id}``; a name that fits no unit, or several, maps to None and its reason
    is in ``result.misses``. One query for the province's units; the matching is in memory.
    """
    units = await _province_units(session, province_id, as_of)
    province_name = await session.scalar(select(Unit.name).where(Unit.id == province_id))
    return match_names(units, province_id, province_name or "", names)
