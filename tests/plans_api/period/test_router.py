from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.plans_api.plan.world import API, World, add_task, make_world, plan_in, vietnam


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


async def periods(client, headers, **params) -> list[dict]:
    response = await client.get(f"{API}/periods", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return list(response.json())


async def put_rules(client, world, **body):
    return await client.put(f"{API}/period-rules", headers=world.admin(), json=body)


class TestPeriods:
    async def test_default_calendar_stored_once(self, plans_client, world):
        province = str(world.province.id)
        first = await periods(plans_client, world.viewer(), year=2024, province_id=province)
        again = await periods(plans_client, world.viewer(), year=2024, province_id=province)

        assert [
            (p["kind"], p["data_from"], p["data_to"], p["due_on"], p["unit_due_on"]) for p in first
        ] == [
            ("q1", "2023-12-15", "2024-03-14", "2024-03-20", "2024-03-15"),
            ("h1", "2023-12-15", "2024-06-14", "2024-06-20", "2024-06-17"),
            ("q3", "2024-06-15", "2024-09-14", "2024-09-20", "2024-09-17"),
            ("year", "2023-12-15", "2024-12-14", "2024-12-20", "2024-12-17"),
        ]
        assert first[0]["label"] == "Quý I năm 2024"
        assert first[0]["plan_id"] is None
        assert [p["id"] for p in again] == [p["id"] for p in first]

    async def test_own_province_and_this_year_by_default(self, plans_client, world):
        world.freeze(vietnam(2025, 5, 1, 8, 0))
        mine = await periods(plans_client, world.officer(world.ward))
        assert {(p["province_id"], p["year"]) for p in mine} == {(str(world.province.id), 2025)}
        response = await plans_client.get(f"{API}/periods", headers=world.admin())
        assert (response.status_code, response.json()["code"]) == (422, "province_required")

    async def test_unknown_scope_is_422(self, plans_client, world):
        not_a_province = await plans_client.get(
            f"{API}/periods", headers=world.admin(), params={"province_id": str(world.noi_vu.id)}
        )
        assert (not_a_province.status_code, not_a_province.json()["code"]) == (
            422,
            "unknown_province",
        )


class TestPeriodRules:
    async def test_province_rules_then_plan_rules(self, plans_client, world):
        plan = await plan_in(world)
        other = await plan_in(world)
        province = str(world.province.id)
        await periods(plans_client, world.viewer(), year=2024, province_id=province)  # stored

        by_province = await put_rules(
            plans_client,
            world,
            province_id=province,
            data_start_day=15,
            province_due_day=20,
            unit_lead_days=6,
        )
        by_plan = await put_rules(
            plans_client,
            world,
            plan_id=str(plan.id),
            data_start_day=5,
            province_due_day=10,
            unit_lead_days=0,
        )
        assert by_province.status_code == 200, by_province.text
        assert by_plan.json()["source"] == "plan"

        q1 = (await periods(plans_client, world.viewer(), year=2022, plan_id=str(plan.id)))[0]
        assert (q1["data_from"], q1["data_to"], q1["due_on"], q1["unit_due_on"]) == (
            "2021-12-05",
            "2022-03-04",
            "2022-03-10",
            "2022-03-10",
        )
        assert q1["plan_id"] == str(plan.id)
        q1_other = (await periods(plans_client, world.viewer(), year=2024, plan_id=str(other.id)))[
            0
        ]
        assert (q1_other["plan_id"], q1_other["unit_due_on"]) == (None, "2024-03-14")
        rules = await plans_client.get(
            f"{API}/period-rules", headers=world.viewer(), params={"plan_id": str(other.id)}
        )
        assert rules.json()["source"] == "province" and rules.json()["unit_lead_days"] == 6

    @pytest.mark.parametrize(
        ("days", "code"),
        [
            ((0, 20, 5), "day_out_of_range"),
            ((15, 29, 5), "day_out_of_range"),
            ((15, 20, -1), "negative_lead_days"),
            ((15, 20, 7), "unit_due_before_data_end"),
        ],
    )
    async def test_invalid_rules_are_422(self, plans_client, world, days, code):
        start, due, lead = days
        response = await put_rules(
            plans_client,
            world,
            province_id=str(world.province.id),
            data_start_day=start,
            province_due_day=due,
            unit_lead_days=lead,
        )
        assert (response.status_code, response.json()["code"]) == (422, code)

    async def test_one_scope(self, plans_client, world):
        plan = await plan_in(world)
        both = await put_rules(
            plans_client,
            world,
            province_id=str(world.province.id),
            plan_id=str(plan.id),
            data_start_day=15,
            province_due_day=20,
            unit_lead_days=5,
        )
        assert (both.status_code, both.json()["code"]) == (422, "one_scope")

    async def test_rules_in_use_cannot_change(self, plans_client, world):
        plan = await plan_in(world, start_year=2024, end_year=2025)
        task = await add_task(
            plans_client, world, plan.id, number="1", lead_unit_ids=[str(world.noi_vu.id)]
        )
        province = str(world.province.id)
        q1 = (await periods(plans_client, world.viewer(), year=2024, province_id=province))[0]
        reported = await plans_client.post(
            f"{API}/tasks/{task['id']}/reports",
            headers=world.officer(world.noi_vu),
            json={"period_id": q1["id"], "status": "in_progress"},
        )
        assert reported.status_code == 201, reported.text
        rules = {"data_start_day": 5, "province_due_day": 10, "unit_lead_days": 2}

        for_province = await put_rules(plans_client, world, province_id=province, **rules)
        for_plan = await put_rules(plans_client, world, plan_id=str(plan.id), **rules)
        unchanged = await put_rules(
            plans_client,
            world,
            province_id=province,
            data_start_day=15,
            province_due_day=20,
            unit_lead_days=3,
        )
        assert (for_province.status_code, for_province.json()["code"]) == (
            409,
            "period_rules_in_use",
        )
        assert (for_plan.status_code, for_plan.json()["code"]) == (409, "period_rules_in_use")
        assert unchanged.status_code == 200  # the defaults, now the province's own
        assert unchanged.json()["source"] == "province"

    async def test_only_reform_admin(self, plans_client, world):
        response = await plans_client.put(
            f"{API}/period-rules",
            headers=world.officer(world.province),
            json={
                "province_id": str(world.province.id),
                "data_start_day": 5,
                "province_due_day": 10,
                "unit_lead_days": 0,
            },
        )
        assert response.status_code == 403


class TestPlanPeriodsAreScoped:
    async def test_a_unit_officer_sees_only_the_periods_of_plans_it_may_read(
        self, plans_client, world
    ):
        plan = await plan_in(world)
        await add_task(
            plans_client, world, plan.id, number="1", lead_unit_ids=[str(world.tu_phap.id)]
        )
        rules = {"data_start_day": 5, "province_due_day": 20, "unit_lead_days": 2}
        assert (await put_rules(plans_client, world, plan_id=str(plan.id), **rules)).is_success
        [q1, *_] = await periods(plans_client, world.admin(), year=2024, plan_id=str(plan.id))
        assert q1["plan_id"] == str(plan.id)

        mine = await periods(
            plans_client, world.officer(world.tu_phap), year=2024, plan_id=str(plan.id)
        )
        assert mine[0]["id"] == q1["id"]
        one = await plans_client.get(
            f"{API}/periods/{q1['id']}", headers=world.officer(world.tu_phap)
        )
        assert one.status_code == 200

        outsider = world.officer(world.ward)
        listed = await plans_client.get(
            f"{API}/periods", headers=outsider, params={"year": 2024, "plan_id": str(plan.id)}
        )
        assert (listed.status_code, listed.json()["code"]) == (422, "unknown_plan")
        rules_read = await plans_client.get(
            f"{API}/period-rules", headers=outsider, params={"plan_id": str(plan.id)}
        )
        assert (rules_read.status_code, rules_read.json()["code"]) == (422, "unknown_plan")
        read = await plans_client.get(f"{API}/periods/{q1['id']}", headers=outsider)
        assert (read.status_code, read.json()["code"]) == (404, "period_not_found")
