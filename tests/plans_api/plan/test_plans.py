from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.plans_api.plan.world import API, World, add_task, events, make_world, plan_in


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


def plan_body(world: World, **fields) -> dict:
    return {
        "code": "57/KH-UBND",
        "kind": "ke_hoach",
        "title": "Kế hoạch nâng cao năng lực đội ngũ công chức làm công tác cải cách hành chính",
        "issuer_unit_id": str(world.province.id),
        "issued_on": "2023-03-17",
        "start_year": 2023,
        "end_year": 2030,
        **fields,
    }


class TestCreatePlan:
    async def test_created_in_the_issuers_province(self, plans_app, plans_client, world):
        body = plan_body(
            world,
            issuer_unit_id=str(world.noi_vu.id),
            summary="Tóm tắt",
            legal_bases=[{"document": "Quyết định 905/QĐ-BNV", "issued_on": "2022-11-17"}],
        )
        response = await plans_client.post(f"{API}/plans", headers=world.admin(), json=body)

        assert response.status_code == 201, response.text
        plan = response.json()
        assert plan["province_id"] == str(world.province.id)
        assert plan["status"] == "active"
        assert plan["legal_bases"] == [
            {"document": "Quyết định 905/QĐ-BNV", "title": None, "issued_on": "2022-11-17"}
        ]
        assert response.headers["etag"] == '"1"'
        [event] = await events(plans_app, "plan.created")
        assert event.data["code"] == "57/KH-UBND"

    async def test_code_is_unique_within_a_province(self, plans_client, world):
        first = await plans_client.post(
            f"{API}/plans", headers=world.admin(), json=plan_body(world)
        )
        again = await plans_client.post(
            f"{API}/plans", headers=world.admin(), json=plan_body(world)
        )
        elsewhere = await plans_client.post(
            f"{API}/plans",
            headers=world.admin(),
            json=plan_body(world, issuer_unit_id=str(world.hcm.id)),
        )
        assert first.status_code == 201
        assert (again.status_code, again.json()["code"]) == (409, "plan_code_taken")
        assert elsewhere.status_code == 201

    async def test_a_race_past_the_check_is_still_409(self, plans_client, world, monkeypatch):
        """Two requests that both passed the "taken?" check: the database constraint answers."""
        from plans_api.plan import repository

        async def never_taken(*args, **kwargs) -> bool:
            return False

        monkeypatch.setattr(repository, "plan_code_taken", never_taken)
        first = await plans_client.post(
            f"{API}/plans", headers=world.admin(), json=plan_body(world)
        )
        again = await plans_client.post(
            f"{API}/plans", headers=world.admin(), json=plan_body(world)
        )
        assert first.status_code == 201
        assert (again.status_code, again.json()["code"]) == (409, "plan_code_taken")

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"start_year": 2031}, "invalid_plan_years"),
            ({"issued_on": "2031-01-05"}, "issued_on_out_of_range"),
            ({"issued_on": "2015-01-05"}, "issued_on_out_of_range"),
            ({"issuer_unit_id": "00000000-0000-0000-0000-000000000001"}, "unknown_unit"),
            ({"parent_plan_id": "00000000-0000-0000-0000-000000000001"}, "unknown_parent_plan"),
            ({"kind": "nghi_quyet"}, "validation_error"),
        ],
    )
    async def test_bad_input_is_422(self, plans_client, world, fields, code):
        response = await plans_client.post(
            f"{API}/plans", headers=world.admin(), json=plan_body(world, **fields)
        )
        assert (response.status_code, response.json()["code"]) == (422, code)

    async def test_parent_plan_must_be_of_the_same_province(self, plans_client, world):
        hcm_plan = await make_plan_elsewhere(world)
        response = await plans_client.post(
            f"{API}/plans",
            headers=world.admin(),
            json=plan_body(world, parent_plan_id=str(hcm_plan.id)),
        )
        assert (response.status_code, response.json()["code"]) == (
            422,
            "parent_plan_other_province",
        )

    async def test_unit_officer_cannot_create(self, plans_client, world):
        response = await plans_client.post(
            f"{API}/plans", headers=world.officer(world.noi_vu), json=plan_body(world)
        )
        assert response.status_code == 403


async def make_plan_elsewhere(world: World):
    from tests.factories import make_plan

    return await make_plan(world.app, issuer=world.hcm)


class TestUpdatePlan:
    async def test_if_match(self, plans_client, world):
        plan = await plan_in(world)
        url = f"{API}/plans/{plan.id}"
        stale = await plans_client.patch(
            url, headers={**world.admin(), "If-Match": '"7"'}, json={"status": "completed"}
        )
        fresh = await plans_client.patch(
            url, headers={**world.admin(), "If-Match": '"1"'}, json={"status": "completed"}
        )
        assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
        assert fresh.status_code == 200
        assert fresh.json()["status"] == "completed"
        assert fresh.headers["etag"] == '"2"'

    async def test_no_parent_cycles(self, plans_client, world):
        program = await plan_in(world, code="1/CTr-UBND")
        plan = await plan_in(world, code="2/KH-UBND", parent_plan_id=program.id)
        cycle = await plans_client.patch(
            f"{API}/plans/{program.id}",
            headers=world.admin(),
            json={"parent_plan_id": str(plan.id)},
        )
        itself = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"parent_plan_id": str(plan.id)}
        )
        assert (cycle.status_code, cycle.json()["code"]) == (422, "parent_plan_cycle")
        assert (itself.status_code, itself.json()["code"]) == (422, "parent_plan_cycle")

    async def test_years_must_keep_the_milestones(self, plans_client, world):
        plan = await plan_in(world, start_year=2023, end_year=2030)
        created = await plans_client.post(
            f"{API}/plans/{plan.id}/targets",
            headers=world.admin(),
            json={
                "code": "1",
                "title": "Tỷ lệ công chức được bồi dưỡng",
                "measure": "percent",
                "milestones": [{"due_on": "2030-12-31", "value": 95}],
            },
        )
        assert created.status_code == 201
        shorter = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"end_year": 2025}
        )
        reversed_ = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"start_year": 2031}
        )
        assert (shorter.status_code, shorter.json()["code"]) == (422, "milestone_out_of_plan_years")
        assert (reversed_.status_code, reversed_.json()["code"]) == (422, "invalid_plan_years")

    async def test_code_change_to_a_taken_code_is_409(self, plans_client, world):
        await plan_in(world, code="1/KH-UBND")
        plan = await plan_in(world, code="2/KH-UBND")
        response = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"code": "1/KH-UBND"}
        )
        assert (response.status_code, response.json()["code"]) == (409, "plan_code_taken")


class TestListPlans:
    async def test_filters(self, plans_client, world):
        await plan_in(
            world, code="57/KH-UBND", title="Kế hoạch cải cách hành chính", start_year=2023
        )
        await plan_in(
            world,
            code="04/ĐA-UBND",
            kind="de_an",
            title="Đề án nâng cao năng lực",
            start_year=2022,
            end_year=2025,
            status="completed",
        )
        await make_plan_elsewhere(world)

        async def codes(**params) -> list[str]:
            response = await plans_client.get(f"{API}/plans", headers=world.viewer(), params=params)
            assert response.status_code == 200
            return sorted(p["code"] for p in response.json()["items"])

        assert await codes(q="cai cach") == ["57/KH-UBND"]
        assert await codes(q="đa-ubnd") == ["04/ĐA-UBND"]
        assert await codes(kind="de_an") == ["04/ĐA-UBND"]
        assert await codes(status="completed") == ["04/ĐA-UBND"]
        assert await codes(year=2026, province_id=str(world.province.id)) == ["57/KH-UBND"]
        assert len(await codes(province_id=str(world.province.id))) == 2
        assert len(await codes()) == 3


class TestPlanScoping:
    async def test_unit_officer_sees_plans_with_their_tasks(self, plans_client, world):
        mine = await plan_in(world, code="1/KH-UBND")
        grouped = await plan_in(world, code="2/KH-UBND")
        other = await plan_in(world, code="3/KH-UBND")
        await add_task(
            plans_client, world, mine.id, number="1", lead_unit_ids=[str(world.office.id)]
        )
        await add_task(
            plans_client,
            world,
            grouped.id,
            number="1",
            coordinating_groups=["province_departments"],
        )
        await add_task(
            plans_client, world, other.id, number="1", lead_unit_ids=[str(world.ward.id)]
        )

        async def visible(unit) -> set[str]:
            response = await plans_client.get(f"{API}/plans", headers=world.officer(unit))
            return {p["code"] for p in response.json()["items"]}

        # Sở Nội vụ: its office leads a task of plan 1; as a department it is in the group of 2.
        assert await visible(world.noi_vu) == {"1/KH-UBND", "2/KH-UBND"}
        assert await visible(world.tu_phap) == {"2/KH-UBND"}
        assert await visible(world.ward) == {"3/KH-UBND"}
        assert await visible(world.hcm_noi_vu) == set()  # a department, but of another province

        hidden = await plans_client.get(
            f"{API}/plans/{other.id}", headers=world.officer(world.noi_vu)
        )
        shown = await plans_client.get(
            f"{API}/plans/{mine.id}", headers=world.officer(world.noi_vu)
        )
        assert (hidden.status_code, hidden.json()["code"]) == (404, "plan_not_found")
        assert shown.status_code == 200
