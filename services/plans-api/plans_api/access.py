"""Who reaches what: the units a caller speaks for and the groups of units that reach them.

A unit officer speaks for their unit and every unit below it; the roles that see every unit
(and API clients) are not confined at all. A task names units directly or through a group
(``Sở, ban, ngành``, ``UBND cấp xã``) that reaches every unit of its levels within the plan's
province, so a reach also carries the caller's province and the group codes of its levels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.unit.groups import GROUP_LEVELS
from plans_api.unit.repository import unit_levels, unit_provinces
from shared.auth.dependencies import sees_every_unit
from shared.auth.tokens import Principal


@dataclass(frozen=True)
class UnitReach:
    """The units a caller speaks for, and the group codes that resolve to one of them today."""

    unit_ids: tuple[UUID, ...]
    province_id: UUID | None
    group_codes: tuple[str, ...]


async def unit_reach(
    session: AsyncSession, unit_id: UUID, day: date, *, subtree: bool = True
) -> UnitReach:
    """What ``unit_id`` (and, with ``subtree``, every unit below it) reaches on ``day``."""
    rows = await unit_levels(session, unit_id, day, subtree=subtree)
    levels = {level for _, level, valid in rows if valid}
    codes = tuple(sorted(code for code, reach in GROUP_LEVELS.items() if reach & levels))
    provinces = await unit_provinces(session, [unit_id])
    return UnitReach(tuple(row[0] for row in rows), provinces.get(unit_id), codes)


async def caller_reach(session: AsyncSession, principal: Principal, day: date) -> UnitReach | None:
    """What a caller confined to their unit's subtree reaches; None for those who see all."""
    if sees_every_unit(principal):
        return None
    if principal.unit_id is None:
        return UnitReach((), None, ())
    return await unit_reach(session, principal.unit_id, day)
