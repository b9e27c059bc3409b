from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.plans_api.plan.world import API, World, add_task, events, make_world, plan_in


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


@pytest.fixture
async def plan(world):
    return await plan_in(world, start_year=2023, end_year=2025)


def target_body(**fields) -> dict:
    return {
        "code": "1.a",
        "title": "Tỷ lệ công chức làm công tác CCHC được bồi dưỡng",
        "measure": "percent",
        "comparator": "gt",
        "milestones": [
            {"due_on": "2023-12-31", "value": 80},
            {"due_on": "2024-12-31", "value": 90},
            {"due_on": "2025-12-31", "value": 100, "comparator": "eq"},
        ],
        "source": "training_coverage",
        "group": "cchc_officials",
        "area_code": "civil_service",
        **fields,
    }


async def post_target(client, world, plan, **fields):
    return await client.post(
        f"{API}/plans/{plan.id}/targets", headers=world.admin(), json=target_body(**fields)
    )


class TestCreateTarget:
    async def test_with_milestones(self, plans_app, plans_client, world, plan):
        response = await post_target(plans_client, world, plan)

        assert response.status_code == 201, response.text
        target = response.json()
        assert [(m["due_on"], m["value"], m["comparator"]) for m in target["milestones"]] == [
            ("2023-12-31", 80.0, None),
            ("2024-12-31", 90.0, None),
            ("2025-12-31", 100.0, "eq"),
        ]
        assert response.headers["etag"] == '"1"'
        [event] = await events(plans_app, "target.created")
        assert len(event.data["milestones"]) == 3

        listed = await plans_client.get(f"{API}/plans/{plan.id}/targets", headers=world.viewer())
        assert [t["code"] for t in listed.json()["items"]] == ["1.a"]

    async def test_values_by_level_may_share_dates(self, plans_client, world, plan):
        milestones = [
            {"due_on": "2025-12-31", "value": 50, "level": "province"},
            {"due_on": "2025-12-31", "value": 35, "level": "commune"},
        ]
        response = await post_target(
            plans_client, world, plan, milestones=milestones, source="manual", group=None
        )
        assert response.status_code == 201, response.text

    @pytest.mark.parametrize(
        ("fields", "code", "field"),
        [
            (
                {"milestones": [{"due_on": "2026-12-31", "value": 90}]},
                "milestone_out_of_plan_years",
                "milestones.0.due_on",
            ),
            (
                {"milestones": [{"due_on": "2022-12-31", "value": 90}]},
                "milestone_out_of_plan_years",
                "milestones.0.due_on",
            ),
            (
                {
                    "milestones": [
                        {"due_on": "2024-12-31", "value": 90},
                        {"due_on": "2023-12-31", "value": 80},
                    ]
                },
                "milestones_out_of_order",
                "milestones.1.due_on",
            ),
            (
                {
                    "milestones": [
                        {"due_on": "2024-12-31", "value": 90},
                        {"due_on": "2024-12-31", "value": 95},
                    ]
                },
                "milestones_out_of_order",
                "milestones.1.due_on",
            ),
            (
                {"milestones": [{"due_on": "2024-12-31", "value": 101}]},
                "percent_out_of_range",
                "milestones.0.value",
            ),
            ({"group": None}, "metric_group_required", "group"),
            ({"source": "manual"}, "group_not_allowed", "group"),
            ({"area_code": "space"}, "unknown_area", "area_code"),
        ],
    )
    async def test_bad_input_is_422(self, plans_client, world, plan, fields, code, field):
        response = await post_target(plans_client, world, plan, **fields)
        body = response.json()
        assert (response.status_code, body["code"]) == (422, code)
        assert body["errors"][0]["field"] == field

    async def test_counts_may_exceed_100(self, plans_client, world, plan):
        response = await post_target(
            plans_client,
            world,
            plan,
            measure="count",
            source="manual",
            group=None,
            milestones=[{"due_on": "2025-12-31", "value": 150}],
        )
        assert response.status_code == 201

    async def test_code_is_unique_in_the_plan(self, plans_client, world, plan):
        await post_target(plans_client, world, plan)
        again = await post_target(plans_client, world, plan)
        assert (again.status_code, again.json()["code"]) == (409, "target_code_taken")


class TestUpdateTarget:
    async def test_replacing_milestones_makes_a_new_version(self, plans_client, world, plan):
        target = (await post_target(plans_client, world, plan)).json()
        url = f"{API}/targets/{target['id']}"
        changed = await plans_client.patch(
            url,
            headers={**world.admin(), "If-Match": '"1"'},
            json={"milestones": [{"due_on": "2025-06-30", "value": 85}]},
        )
        stale = await plans_client.patch(
            url, headers={**world.admin(), "If-Match": '"1"'}, json={"title": "Khác"}
        )
        assert changed.status_code == 200, changed.text
        assert changed.headers["etag"] == '"2"'
        assert [m["value"] for m in changed.json()["milestones"]] == [85.0]
        assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")

    async def test_a_percent_measure_checks_the_stored_milestones(self, plans_client, world, plan):
        target = (
            await post_target(
                plans_client,
                world,
                plan,
                measure="count",
                source="manual",
                group=None,
                milestones=[{"due_on": "2025-12-31", "value": 150}],
            )
        ).json()
        response = await plans_client.patch(
            f"{API}/targets/{target['id']}", headers=world.admin(), json={"measure": "percent"}
        )
        assert (response.status_code, response.json()["code"]) == (422, "percent_out_of_range")

    async def test_back_to_manual_drops_the_group(self, plans_client, world, plan):
        target = (await post_target(plans_client, world, plan)).json()
        response = await plans_client.patch(
            f"{API}/targets/{target['id']}", headers=world.admin(), json={"source": "manual"}
        )
        assert response.status_code == 200
        assert response.json()["group"] is None


class TestTargetScoping:
    async def test_only_for_plans_the_officer_sees(self, plans_client, world, plan):
        target = (await post_target(plans_client, world, plan)).json()
        officer = world.officer(world.tu_phap)
        hidden = await plans_client.get(f"{API}/targets/{target['id']}", headers=officer)
        hidden_list = await plans_client.get(f"{API}/plans/{plan.id}/targets", headers=officer)
        await add_task(
            plans_client, world, plan.id, number="1", lead_unit_ids=[str(world.tu_phap.id)]
        )
        shown = await plans_client.get(f"{API}/targets/{target['id']}", headers=officer)
        assert (hidden.status_code, hidden.json()["code"]) == (404, "target_not_found")
        assert hidden_list.status_code == 404
        assert shown.status_code == 200
        assert shown.headers["etag"] == '"1"'
        cannot_change = await plans_client.patch(
            f"{API}/targets/{target['id']}", headers=officer, json={"title": "X"}
        )
        assert cannot_change.status_code == 403
