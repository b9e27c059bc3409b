"""Queries of the officials registry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.official.models import Official, OfficialVersion
from plans_api.unit.models import Unit
from plans_api.unit.repository import subtree_select
from shared.search import contains, folded


def in_unit_subtree(column: Any, root: UUID) -> ColumnElement[bool]:
    return column.in_(subtree_select(root))


def valid_on(version: type[OfficialVersion], day: date) -> ColumnElement[bool]:
    """The version held on ``day`` (``valid_to`` is exclusive)."""
    return and_(version.valid_from <= day, or_(version.valid_to.is_(None), version.valid_to > day))


def unit_valid_on(day: date) -> ColumnElement[bool]:
    """The unit existed on ``day`` (its ``valid_to`` is its last day)."""
    return and_(
        or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
        or_(Unit.valid_to.is_(None), Unit.valid_to >= day),
    )


@dataclass(frozen=True)
class OfficialFilters:
    active_on: date
    unit_id: UUID | None = None
    cchc_roles: Sequence[str] = ()
    one_stop_shop: bool | None = None
    is_leader: bool | None = None
    expert_pool: bool | None = None
    leadership_source: bool | None = None
    q: str | None = None
    sort: str = "full_name"


_FLAGS = ("one_stop_shop", "is_leader", "expert_pool", "leadership_source")


def list_query(filters: OfficialFilters, scope_root: UUID | None) -> Select[Any]:
    """Officials matching ``filters`` among those under ``scope_root`` (None: every unit)."""
    query = select(Official)
    if scope_root is not None:
        query = query.where(in_unit_subtree(Official.unit_id, scope_root))
    if filters.unit_id is not None:
        query = query.where(in_unit_subtree(Official.unit_id, filters.unit_id))
    if filters.cchc_roles:
        query = query.where(Official.cchc_role.in_(filters.cchc_roles))
    for flag in _FLAGS:
        wanted = getattr(filters, flag)
        if wanted is not None:
            query = query.where(getattr(Official, flag).is_(wanted))
    if filters.q and filters.q.strip():
        query = query.where(contains(Official.full_name, filters.q))
    version = OfficialVersion
    query = query.where(
        exists().where(version.official_id == Official.id, valid_on(version, filters.active_on))
    )
    return _sorted(query, filters.sort)


def _sorted(query: Select[Any], sort: str) -> Select[Any]:
    """Accent-folded order (Đặng between Dương and Hà), the same under any database collation;
    ``unit`` sorts by unit name, then by name within each unit."""
    descending = sort.startswith("-")
    keys = [folded(Official.full_name), Official.full_name]
    if sort.removeprefix("-") == "unit":
        unit_name = select(Unit.name).where(Unit.id == Official.unit_id).scalar_subquery()
        keys = [folded(unit_name), unit_name.self_group(), *keys]
    ordered = [key.desc() if descending else key.asc() for key in keys]
    return query.order_by(*ordered, Official.id)


async def get_official(
    session: AsyncSession, official_id: UUID, *, for_update: bool = False
) -> Official | None:
    return await session.get(Official, official_id, with_for_update=for_update)


async def current_version(session: AsyncSession, official_id: UUID) -> OfficialVersion | None:
    """The latest version (open, or closed when the official left)."""
    query = (
        select(OfficialVersion)
        .where(OfficialVersion.official_id == official_id)
        .order_by(OfficialVersion.valid_from.desc())
        .limit(1)
    )
    return (await session.scalars(query)).first()


async def employee_code_holder(
    session: AsyncSession, code: str, except_id: UUID | None = None
) -> UUID | None:
    """The unit of the official (other than ``except_id``) who holds ``code``, if any."""
    query = select(Official.unit_id).where(Official.employee_code == code)
    if except_id is not None:
        query = query.where(Official.id != except_id)
    return await session.scalar(query.limit(1))


# --- counts ------------------------------------------------------------------------------


def _group_filters(v: type[OfficialVersion]) -> dict[str, ColumnElement[bool]]:
    return {
        "all_officials": true(),
        "cchc_officials": v.cchc_role.in_(("dedicated", "concurrent")),
        "dedicated": v.cchc_role == "dedicated",
        "concurrent": v.cchc_role == "concurrent",
        "leaders": v.is_leader.is_(True),
        "one_stop_shop": v.one_stop_shop.is_(True),
        "expert_pool": v.expert_pool.is_(True),
        "leadership_source": v.leadership_source.is_(True),
    }


def _count_columns(groups: Sequence[str]) -> list[Any]:
    conditions = _group_filters(OfficialVersion)
    return [func.count().filter(conditions[g]).label(g) for g in groups]


async def count_totals(
    session: AsyncSession, root: UUID | None, as_of: date, groups: Sequence[str]
) -> dict[str, int]:
    """Officials holding a version on ``as_of`` in the subtree of ``root`` (None: everywhere)."""
    query = select(*_count_columns(groups)).where(valid_on(OfficialVersion, as_of))
    if root is not None:
        query = query.where(in_unit_subtree(OfficialVersion.unit_id, root))
    row = (await session.execute(query)).one()
    return {g: int(row._mapping[g]) for g in groups}


async def count_by_child(
    session: AsyncSession, root: UUID | None, as_of: date, groups: Sequence[str]
) -> list[tuple[UUID, str, dict[str, int]]]:
    """For each child of ``root`` that existed on ``as_of`` (the provinces when None), the
    counts over its whole subtree."""
    parent = Unit.parent_id.is_(None) if root is None else Unit.parent_id == root
    children = (
        await session.execute(
            select(Unit.id, Unit.name).where(parent, unit_valid_on(as_of)).order_by(Unit.name)
        )
    ).all()
    if not children:
        return []
    tops = (
        select(Unit.id.label("id"), Unit.id.label("top"))
        .where(Unit.id.in_([c.id for c in children]))
        .cte("tops", recursive=True)
    )
    tops = tops.union(select(Unit.id, tops.c.top).join(tops, Unit.parent_id == tops.c.id))
    query = (
        select(tops.c.top, *_count_columns(groups))
        .select_from(OfficialVersion)
        .join(tops, OfficialVersion.unit_id == tops.c.id)
        .where(valid_on(OfficialVersion, as_of))
        .group_by(tops.c.top)
    )
    counted = {row.top: row._mapping for row in (await session.execute(query)).all()}
    return [
        (c.id, c.name, {g: int(counted[c.id][g]) if c.id in counted else 0 for g in groups})
        for c in children
    ]
