"""A small province for the plans, tasks, periods and reports tests: Cần Thơ with two
departments (one with an office below it) and a ward, Ho Chi Minh City with one department."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from plans_api.outbox import OutboxEvent
from plans_api.unit.models import Unit
from shared.clock import VIETNAM, FixedClock
from tests.factories import bearer, make_plan, make_unit, token_for

API = "/api/plans/v1"


@dataclass
class World:
    app: FastAPI
    province: Unit
    noi_vu: Unit
    office: Unit
    tu_phap: Unit
    ward: Unit
    hcm: Unit
    hcm_noi_vu: Unit

    def admin(self) -> dict[str, str]:
        return bearer(token_for(self.app, roles=["reform_admin"]))

    def viewer(self) -> dict[str, str]:
        return bearer(token_for(self.app, roles=["viewer"]))

    def officer(self, unit: Unit) -> dict[str, str]:
        return bearer(token_for(self.app, roles=["unit_officer"], unit_id=unit.id))

    def freeze(self, moment: datetime) -> FixedClock:
        """Make the app's "now" ``moment`` until :meth:`thaw`."""
        clock = FixedClock(moment)
        self.app.state.clock = clock
        return clock

    def thaw(self) -> None:
        self.app.state.clock = None


async def make_world(app: FastAPI) -> World:
    province = await make_unit(app, name="Thành phố Cần Thơ", level="province", code="92")
    noi_vu = await make_unit(app, name="Sở Nội vụ", parent=province)
    office = await make_unit(app, name="Phòng Cải cách hành chính", level="other", parent=noi_vu)
    tu_phap = await make_unit(app, name="Sở Tư pháp", parent=province)
    ward = await make_unit(app, name="Phường Ninh Kiều", level="commune", parent=province)
    hcm = await make_unit(app, name="Thành phố Hồ Chí Minh", level="province", code="79")
    hcm_noi_vu = await make_unit(app, name="Sở Nội vụ", parent=hcm)
    return World(app, province, noi_vu, office, tu_phap, ward, hcm, hcm_noi_vu)


async def plan_in(world: World, **fields: Any) -> Any:
    return await make_plan(world.app, issuer=world.province, **fields)


async def add_task(
    client: httpx.AsyncClient, world: World, plan_id: Any, **body: Any
) -> dict[str, Any]:
    body.setdefault("title", f"Nhiệm vụ {body['number']}")
    response = await client.post(f"{API}/plans/{plan_id}/tasks", headers=world.admin(), json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def events(app: FastAPI, kind: str) -> list[OutboxEvent]:
    """The outbox events of one type, oldest first."""
    async with app.state.sessionmaker() as session:
        query = (
            select(OutboxEvent)
            .where(OutboxEvent.type == kind)
            .order_by(OutboxEvent.occurred_at, OutboxEvent.sequence)
        )
        return list((await session.scalars(query)).all())


def vietnam(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Vietnam time: ``vietnam(2024, 3, 15, 23, 59)``."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)
