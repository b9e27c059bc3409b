"""plans-api's events and snapshots against the consumer's contracts (shared.events): what the
export sends and what the routes write into the outbox is what reporting-api accepts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest
from sqlalchemy import select

from plans_api.event.schemas import AggregateType
from plans_api.models import OutboxEvent
from plans_api.unit.models import UnitSuccession
from shared.events import data_schema, plans, snapshot_schema
from shared.outbox import event_body
from tests.factories import bearer, make_official, token_for
from tests.plans_api.event.test_router import export, service_account
from tests.plans_api.file import samples
from tests.plans_api.plan.world import API, World, add_task, make_world, plan_in, vietnam

SOURCE = plans.SOURCE
EVENTS = "/api/reporting/v1/events"


@pytest.fixture
def folder(plans_app, tmp_path) -> Iterator[Path]:
    with samples.files_in(plans_app, tmp_path / "files") as path:
        yield path


@pytest.fixture
async def world(plans_app, plans_client, folder) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


async def send(client, method: str, url: str, headers: dict[str, str], **body: Any) -> Any:
    response = await client.request(method, f"{API}{url}", headers=headers, json=body)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def every_event(client, world: World) -> None:
    """Each event type plans-api writes, through its routes, on aggregates of every kind."""
    admin = world.admin()
    unit = await send(
        client, "POST", "/units", admin, code="93", name="Tỉnh Hậu Giang", level="province"
    )
    await send(client, "PATCH", f"/units/{unit['id']}", admin, short_name="Hậu Giang")
    await send(
        client,
        "POST",
        f"/units/{unit['id']}/succession",
        admin,
        successor_ids=[str(world.province.id)],
        effective_on="2025-07-01",
        kind="merge",
    )
    official = await send(
        client,
        "POST",
        "/officials",
        admin,
        full_name="Trần Thị Hoa",
        unit_id=str(world.noi_vu.id),
        cchc_role="dedicated",
        joined_on="2024-01-01",
    )
    await send(
        client,
        "PATCH",
        f"/officials/{official['id']}",
        admin,
        position="Chuyên viên",
        is_leader=True,
        effective_on="2024-06-01",
    )
    plan = await send(
        client,
        "POST",
        "/plans",
        admin,
        code="57/KH-UBND",
        kind="ke_hoach",
        title="Kế hoạch nâng cao năng lực",
        issuer_unit_id=str(world.province.id),
        start_year=2024,
        end_year=2025,
        legal_bases=[{"document": "Nghị quyết 76/NQ-CP", "issued_on": "2021-07-15"}],
    )
    await send(client, "PATCH", f"/plans/{plan['id']}", admin, summary="Giai đoạn 2024-2025")
    target = await send(
        client,
        "POST",
        f"/plans/{plan['id']}/targets",
        admin,
        code="1",
        title="Tỷ lệ cán bộ được bồi dưỡng",
        measure="percent",
        milestones=[{"due_on": "2025-12-31", "value": 90.5}],
    )
    await send(client, "PATCH", f"/targets/{target['id']}", admin, note="Theo Quyết định 1")
    task = await add_task(
        client,
        world,
        plan["id"],
        number="1",
        lead_unit_ids=[str(world.noi_vu.id)],
        coordinating_groups=["commune_committees"],
        schedule_text="Quý II - IV",
    )
    await send(client, "PATCH", f"/tasks/{task['id']}", admin, product="Báo cáo")
    world.freeze(vietnam(2024, 3, 1, 9, 0))
    officer = world.officer(world.noi_vu)
    periods = await send(client, "GET", f"/periods?plan_id={plan['id']}", world.viewer())
    uploaded = await samples.upload(client, officer, "Báo cáo quý I.pdf", samples.pdf())
    assert uploaded.status_code == 201, uploaded.text
    report = await send(
        client,
        "POST",
        f"/tasks/{task['id']}/reports",
        officer,
        period_id=periods[0]["id"],
        status="in_progress",
        percent=40,
        narrative="Đã tổ chức hai lớp",
        figures={target["id"]: 35.5},
        evidence=[
            {"url": "https://cantho.gov.vn/bao-cao", "title": "Tin bài"},
            {"kind": "file", "file_id": uploaded.json()["id"]},
        ],
    )
    await send(client, "PATCH", f"/reports/{report['id']}", officer, status="done")


async def outbox(plans_app) -> list[dict[str, Any]]:
    async with plans_app.state.sessionmaker() as session:
        query = select(OutboxEvent).order_by(OutboxEvent.occurred_at, OutboxEvent.sequence)
        return [event_body(e) for e in (await session.scalars(query)).all()]


def reads_back(schema: Any, data: dict[str, Any]) -> bool:
    """The consumer reads ``data`` and finds exactly what was sent."""
    return bool(schema.model_validate(data).model_dump(mode="json") == data)


class TestOutboxEvents:
    async def test_every_type_is_written_by_the_routes_and_read_by_its_contract(
        self, plans_app, plans_client, world
    ):
        await every_event(plans_client, world)
        events = await outbox(plans_app)

        assert {e["type"] for e in events} == set(plans.EVENTS)
        for event in events:
            assert reads_back(data_schema(event["source"], event["type"]), event["data"]), event

    async def test_reporting_api_stores_them_all(
        self, plans_app, plans_client, world, reporting_client
    ):
        await every_event(plans_client, world)
        events = await outbox(plans_app)
        headers = bearer(
            token_for(
                plans_app,
                roles=[],
                subject="client:plans-api",
                token_use="client",
                scope="events:write",
                client_id=SOURCE,
            )
        )

        response = await reporting_client.post(EVENTS, headers=headers, json={"events": events})

        assert response.status_code == 200, response.text
        assert response.json() == {"applied": len(events), "duplicates": 0}


class TestExport:
    async def test_every_aggregate_kind_reads_by_its_snapshot_contract(
        self, plans_app, plans_client, world
    ):
        await every_event(plans_client, world)
        await make_official(plans_app, unit=world.office, valid_from=date(2023, 5, 1))
        await plan_in(world, code="04/ĐA-UBND", kind="de_an")  # written without events
        async with plans_app.state.sessionmaker() as session, session.begin():
            session.add(
                UnitSuccession(
                    predecessor_id=world.ward.id,
                    successor_id=world.province.id,
                    kind="rename",
                    effective_on=date(2025, 7, 1),
                )
            )
        headers = service_account(plans_app)

        for aggregate_type in get_args(AggregateType):
            page = await export(plans_client, headers, aggregate_type=aggregate_type)
            assert page["items"], aggregate_type
            schema = snapshot_schema(SOURCE, aggregate_type)
            for item in page["items"]:
                assert item["type"] == f"{aggregate_type}.snapshot"
                assert reads_back(schema, item["data"]), item

    async def test_snapshots_cover_every_aggregate_with_events(self):
        producer_aggregates = {event_type.partition(".")[0] for event_type in plans.EVENTS}
        assert producer_aggregates == set(plans.SNAPSHOTS) == set(get_args(AggregateType))
