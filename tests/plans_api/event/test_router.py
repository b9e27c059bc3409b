from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import UUID

import pytest

from tests.factories import bearer, token_for
from tests.plans_api.plan.world import API, World, add_task, make_world, plan_in, vietnam

EXPORT = f"{API}/events/export"


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


def service_account(app, scope: str = "events:export") -> dict[str, str]:
    return bearer(token_for(app, roles=[], token_use="client", scope=scope))


async def export(client, headers, **params) -> dict:
    response = await client.get(EXPORT, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestExport:
    async def test_pages_of_snapshots_with_last_sequences(self, plans_app, plans_client, world):
        created = await plans_client.post(
            f"{API}/plans",
            headers=world.admin(),
            json={
                "code": "57/KH-UBND",
                "kind": "ke_hoach",
                "title": "Kế hoạch",
                "issuer_unit_id": str(world.province.id),
                "start_year": 2023,
                "end_year": 2030,
            },
        )
        plan_id = created.json()["id"]
        await plans_client.patch(
            f"{API}/plans/{plan_id}", headers=world.admin(), json={"title": "Mới"}
        )
        seeded = await plan_in(world)  # written without events
        headers = service_account(plans_app)

        first = await export(plans_client, headers, aggregate_type="plan", limit=1)
        second = await export(
            plans_client, headers, aggregate_type="plan", limit=1, after=first["next_after"]
        )
        third = await export(
            plans_client, headers, aggregate_type="plan", limit=1, after=second["next_after"]
        )

        items = first["items"] + second["items"]
        assert third == {"items": [], "next_after": None}
        assert {i["aggregate_id"]: i["sequence"] for i in items} == {plan_id: 2, str(seeded.id): 0}
        assert {i["type"] for i in items} == {"plan.snapshot"}
        assert next(i for i in items if i["aggregate_id"] == plan_id)["data"]["title"] == "Mới"
        ids = [UUID(page["items"][0]["aggregate_id"]) for page in (first, second)]
        assert ids[0] < ids[1]  # keyset order by id

    async def test_targets_tasks_and_reports(self, plans_app, plans_client, world):
        plan = await plan_in(world, start_year=2024, end_year=2025)
        await plans_client.post(
            f"{API}/plans/{plan.id}/targets",
            headers=world.admin(),
            json={
                "code": "1",
                "title": "Tỷ lệ",
                "measure": "percent",
                "milestones": [{"due_on": "2025-12-31", "value": 90}],
            },
        )
        task = await add_task(
            plans_client,
            world,
            plan.id,
            number="1",
            lead_unit_ids=[str(world.noi_vu.id)],
            coordinating_groups=["commune_committees"],
        )
        world.freeze(vietnam(2024, 3, 1, 9, 0))
        periods = await plans_client.get(
            f"{API}/periods", headers=world.viewer(), params={"plan_id": str(plan.id)}
        )
        await plans_client.post(
            f"{API}/tasks/{task['id']}/reports",
            headers=world.officer(world.noi_vu),
            json={"period_id": periods.json()[0]["id"], "status": "in_progress"},
        )
        headers = service_account(plans_app)

        [target] = (await export(plans_client, headers, aggregate_type="target"))["items"]
        [task_item] = (await export(plans_client, headers, aggregate_type="task"))["items"]
        [report] = (await export(plans_client, headers, aggregate_type="report"))["items"]

        assert target["data"]["milestones"][0]["value"] == 90.0
        assert target["sequence"] == 1
        assert task_item["data"]["lead_unit_ids"] == [str(world.noi_vu.id)]
        assert task_item["data"]["coordinating_groups"] == ["commune_committees"]
        assert (report["type"], report["sequence"]) == ("report.snapshot", 1)
        assert report["data"]["status"] == "in_progress"

    async def test_service_accounts_with_the_scope_only(self, plans_app, plans_client, world):
        params = {"aggregate_type": "plan"}
        user = await plans_client.get(EXPORT, headers=world.admin(), params=params)
        other_scope = await plans_client.get(
            EXPORT, headers=service_account(plans_app, "events:write"), params=params
        )
        unknown = await plans_client.get(
            EXPORT, headers=service_account(plans_app), params={"aggregate_type": "course"}
        )
        assert user.status_code == other_scope.status_code == 403
        assert unknown.status_code == 422

    async def test_units_with_successions_and_officials_with_versions(
        self, plans_app, plans_client, world
    ):
        from datetime import date

        from plans_api.unit.models import UnitSuccession
        from tests.factories import make_official

        async with plans_app.state.sessionmaker() as session, session.begin():
            session.add(
                UnitSuccession(
                    predecessor_id=world.ward.id,
                    successor_id=world.province.id,
                    kind="merge",
                    effective_on=date(2025, 7, 1),
                )
            )
        official = await make_official(plans_app, unit=world.noi_vu, cchc_role="dedicated")
        headers = service_account(plans_app)

        units = {
            i["aggregate_id"]: i
            for i in (await export(plans_client, headers, aggregate_type="unit"))["items"]
        }
        [person] = (await export(plans_client, headers, aggregate_type="official"))["items"]

        ward = units[str(world.ward.id)]
        assert ward["type"] == "unit.snapshot"
        assert ward["data"]["successions"] == [
            {"successor_id": str(world.province.id), "kind": "merge", "effective_on": "2025-07-01"}
        ]
        assert units[str(world.province.id)]["data"]["successions"] == []
        assert person["aggregate_id"] == str(official.id)
        [version] = person["data"]["versions"]
        assert (version["unit_id"], version["cchc_role"], version["valid_to"]) == (
            str(world.noi_vu.id),
            "dedicated",
            None,
        )
