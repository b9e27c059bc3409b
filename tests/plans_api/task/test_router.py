from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from tests.plans_api.plan.world import (
    API,
    World,
    add_task,
    events,
    make_world,
    plan_in,
    vietnam,
)


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


@pytest.fixture
async def plan(world):
    from datetime import date

    return await plan_in(world, start_year=2023, end_year=2025, issued_on=date(2023, 3, 17))


async def post(client, world, plan, **body):
    body.setdefault("title", "Nhiệm vụ")
    return await client.post(f"{API}/plans/{plan.id}/tasks", headers=world.admin(), json=body)


class TestCreateTask:
    async def test_fields_units_groups_and_event(self, plans_app, plans_client, world, plan):
        task = await add_task(
            plans_client,
            world,
            plan.id,
            number="1",
            title="Tổ chức bồi dưỡng",
            kind="objective",
            area="civil_service",
            lead_unit_ids=[str(world.noi_vu.id)],
            coordinating_unit_ids=[str(world.tu_phap.id), str(world.ward.id)],
            coordinating_groups=["commune_committees"],
            lead_text="Sở Nội vụ",
            coordinating_text="Sở Tư pháp, UBND cấp xã",
            product="Báo cáo",
            note="Ghi chú",
        )
        assert task["depth"] == 0 and task["parent_id"] is None
        assert task["area"] == "civil_service"
        assert task["lead_unit_ids"] == [str(world.noi_vu.id)]
        assert sorted(task["coordinating_unit_ids"]) == sorted(
            [str(world.tu_phap.id), str(world.ward.id)]
        )
        assert task["coordinating_groups"] == ["commune_committees"]
        assert task["status"] == "not_started" and task["done"] is False
        [event] = await events(plans_app, "task.created")
        assert event.data["number"] == "1"

    async def test_parent_from_the_number(self, plans_client, world, plan):
        one = await add_task(plans_client, world, plan.id, number="1")
        child = await add_task(plans_client, world, plan.id, number="1.2")
        grandchild = await add_task(plans_client, world, plan.id, number="1.2.1")
        assert child["parent_id"] == one["id"] and child["depth"] == 1
        assert grandchild["parent_id"] == child["id"] and grandchild["depth"] == 2

    async def test_explicit_parent_need_not_prefix(self, plans_client, world, plan):
        objective = await add_task(plans_client, world, plan.id, number="1", kind="objective")
        task = await add_task(plans_client, world, plan.id, number="7", parent_id=objective["id"])
        assert task["parent_id"] == objective["id"]

    async def test_number_is_unique_in_the_plan(self, plans_client, world, plan):
        await add_task(plans_client, world, plan.id, number="1")
        again = await post(plans_client, world, plan, number="1")
        other_plan = await plan_in(world)
        elsewhere = await post(plans_client, world, other_plan, number="1")
        assert (again.status_code, again.json()["code"]) == (409, "task_number_taken")
        assert elsewhere.status_code == 201

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"number": "3.1"}, "unknown_parent_task"),
            ({"number": "1", "parent_id": str(uuid.uuid4())}, "unknown_parent_task"),
            ({"number": "1.a"}, "validation_error"),
            ({"number": "1", "lead_groups": ["everyone"]}, "validation_error"),
            ({"number": "1", "area": "space"}, "unknown_area"),
            ({"number": "1", "due_dates": ["2026-03-31"]}, "due_date_out_of_plan_years"),
        ],
    )
    async def test_bad_input_is_422(self, plans_client, world, plan, body, code):
        response = await post(plans_client, world, plan, **body)
        assert (response.status_code, response.json()["code"]) == (422, code)

    async def test_units_belong_to_the_plans_province(self, plans_client, world, plan):
        outside = await post(
            plans_client, world, plan, number="1", coordinating_unit_ids=[str(world.hcm_noi_vu.id)]
        )
        unknown = await post(
            plans_client, world, plan, number="1", lead_unit_ids=[str(uuid.uuid4())]
        )
        for response, field in ((outside, "coordinating_unit_ids"), (unknown, "lead_unit_ids")):
            body = response.json()
            assert (response.status_code, body["code"]) == (422, "unit_outside_plan_province")
            assert body["errors"][0]["field"] == field


class TestSchedule:
    async def test_a_span_of_quarters_is_a_window(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Quý II - IV")
        assert task["due_dates"] == ["2023-12-31"]
        assert task["next_due_on"] == "2023-12-31"
        assert task["schedule_text"] == "Quý II - IV"
        assert task["schedule"]["text"] == "Quý II - IV"
        assert task["schedule"]["kind"] == "quarters_in_year"
        assert task["schedule"]["quarters"] == [2, 3, 4]
        assert task["schedule"]["window"] == {"from": "2023-04-01", "to": "2023-12-31"}
        assert task["schedule_flagged"] is False and task["recurrence"] is None
        assert task["conditional"] is False and task["activated_on"] is None

    async def test_a_year_range_is_a_window(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="2023 - 2024")
        assert task["due_dates"] == ["2024-12-31"]
        assert task["schedule"]["window"] == {"from": "2023-01-01", "to": "2024-12-31"}

    async def test_a_quarter_list_is_due_per_quarter(self, plans_client, world, plan):
        task = await add_task(
            plans_client, world, plan.id, number="1", schedule_text="Quý I\nQuý IV"
        )
        assert task["due_dates"] == ["2023-03-31", "2023-12-31"]
        assert task["schedule"]["window"] is None

    async def test_recurrence_starts_at_the_issue_date(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Hàng quý")
        assert task["due_dates"][:2] == ["2023-03-31", "2023-06-30"]  # issued 17/3/2023
        assert len(task["due_dates"]) == 12

    @pytest.mark.parametrize("text", ["2025 - 2023", "Quý IV - II"])
    async def test_a_window_ending_before_it_starts_is_refused(
        self, plans_app, plans_client, world, plan, text
    ):
        response = await post(plans_client, world, plan, number="1", schedule_text=text)
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "schedule_window_reversed")
        assert body["errors"][0]["field"] == "schedule_text"
        assert body["title"] == "Dữ liệu không hợp lệ"
        listed = await plans_client.get(f"{API}/plans/{plan.id}/tasks", headers=world.viewer())
        assert listed.json()["total"] == 0
        assert await events(plans_app, "task.created") == []

    async def test_a_reversed_window_in_a_change_writes_nothing(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Năm 2024")
        response = await plans_client.patch(
            f"{API}/tasks/{task['id']}",
            headers={**world.admin(), "Accept-Language": "en"},
            json={"schedule_text": "2025 - 2024", "title": "Đổi tên"},
        )
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "schedule_window_reversed")
        assert "ends before it starts" in body["detail"]
        now = await plans_client.get(f"{API}/tasks/{task['id']}", headers=world.viewer())
        body = now.json()
        assert (body["title"], body["schedule_text"], body["version"]) == (
            task["title"],
            "Năm 2024",
            1,
        )

    async def test_every_year(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Hàng năm")
        assert task["recurrence"] == "annual"
        assert task["due_dates"] == ["2023-12-31", "2024-12-31", "2025-12-31"]

    async def test_words_not_understood_are_kept_and_flagged(self, plans_client, world, plan):
        words = "Theo tiến độ"
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text=words)
        assert task["schedule_text"] == words
        assert task["schedule_flagged"] is True
        assert task["schedule"]["reason"] == "not_understood"
        assert task["due_dates"] == [] and task["next_due_on"] is None

    async def test_a_condition_makes_the_task_conditional(self, plans_client, world, plan):
        task = await add_task(
            plans_client, world, plan.id, number="1", schedule_text="Khi có chỉ đạo của Bộ"
        )
        assert task["schedule_text"] == "Khi có chỉ đạo của Bộ"
        assert task["schedule"]["kind"] == "on_condition"
        assert task["conditional"] is True and task["schedule_flagged"] is False
        assert task["due_dates"] == [] and task["next_due_on"] is None

    async def test_explicit_due_dates_override(self, plans_client, world, plan):
        task = await add_task(
            plans_client,
            world,
            plan.id,
            number="1",
            schedule_text="Hàng năm",
            due_dates=["2024-06-30", "2023-06-30", "2024-06-30"],
        )
        assert task["due_dates"] == ["2023-06-30", "2024-06-30"]
        assert task["recurrence"] == "annual"


class TestUpdateTask:
    async def test_new_schedule_new_due_dates(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Quý I")
        response = await plans_client.patch(
            f"{API}/tasks/{task['id']}",
            headers={**world.admin(), "If-Match": '"1"'},
            json={"schedule_text": "Năm 2024", "lead_unit_ids": [str(world.tu_phap.id)]},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["due_dates"] == ["2024-12-31"]
        assert body["lead_unit_ids"] == [str(world.tu_phap.id)]
        assert response.headers["etag"] == '"2"'

    async def test_due_dates_null_goes_back_to_the_schedule(self, plans_client, world, plan):
        task = await add_task(
            plans_client,
            world,
            plan.id,
            number="1",
            schedule_text="Quý I",
            due_dates=["2024-01-31"],
        )
        response = await plans_client.patch(
            f"{API}/tasks/{task['id']}", headers=world.admin(), json={"due_dates": None}
        )
        assert response.json()["due_dates"] == ["2023-03-31"]

    async def test_stale_if_match(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1")
        response = await plans_client.patch(
            f"{API}/tasks/{task['id']}",
            headers={**world.admin(), "If-Match": '"5"'},
            json={"title": "Khác"},
        )
        assert (response.status_code, response.json()["code"]) == (412, "precondition_failed")

    async def test_no_cycles_and_renumbering_moves(self, plans_client, world, plan):
        one = await add_task(plans_client, world, plan.id, number="1")
        two = await add_task(plans_client, world, plan.id, number="2")
        child = await add_task(plans_client, world, plan.id, number="1.1")
        cycle = await plans_client.patch(
            f"{API}/tasks/{one['id']}", headers=world.admin(), json={"parent_id": child["id"]}
        )
        moved = await plans_client.patch(
            f"{API}/tasks/{child['id']}", headers=world.admin(), json={"number": "2.1"}
        )
        taken = await plans_client.patch(
            f"{API}/tasks/{child['id']}", headers=world.admin(), json={"number": "1"}
        )
        assert (cycle.status_code, cycle.json()["code"]) == (422, "task_parent_cycle")
        assert moved.json()["parent_id"] == two["id"]
        assert (taken.status_code, taken.json()["code"]) == (409, "task_number_taken")

    async def test_unit_officer_cannot_change_tasks(self, plans_client, world, plan):
        task = await add_task(
            plans_client, world, plan.id, number="1", lead_unit_ids=[str(world.noi_vu.id)]
        )
        response = await plans_client.patch(
            f"{API}/tasks/{task['id']}", headers=world.officer(world.noi_vu), json={"title": "X"}
        )
        assert response.status_code == 403


class TestPlanTaskTree:
    async def test_flat_in_number_order_or_nested(self, plans_client, world, plan):
        for number in ("2", "1", "1.10", "1.2", "1.2.1"):
            await add_task(plans_client, world, plan.id, number=number)
        url = f"{API}/plans/{plan.id}/tasks"
        flat = (await plans_client.get(url, headers=world.viewer())).json()
        tree = (await plans_client.get(url, headers=world.viewer(), params={"tree": "true"})).json()

        assert [(t["number"], t["depth"]) for t in flat["items"]] == [
            ("1", 0),
            ("1.2", 1),
            ("1.2.1", 2),
            ("1.10", 1),
            ("2", 0),
        ]
        assert flat["total"] == 5 and "children" not in flat["items"][0]
        assert tree["total"] == 2
        first = tree["items"][0]
        assert [c["number"] for c in first["children"]] == ["1.2", "1.10"]
        assert [c["number"] for c in first["children"][0]["children"]] == ["1.2.1"]

    async def test_unit_officer_sees_their_tasks_only(self, plans_client, world, plan):
        await add_task(
            plans_client, world, plan.id, number="1", lead_unit_ids=[str(world.office.id)]
        )
        await add_task(
            plans_client, world, plan.id, number="2", lead_unit_ids=[str(world.tu_phap.id)]
        )
        response = await plans_client.get(
            f"{API}/plans/{plan.id}/tasks", headers=world.officer(world.noi_vu)
        )
        assert [t["number"] for t in response.json()["items"]] == ["1"]


class TestTasksAcrossPlans:
    @pytest.fixture
    async def tasks(self, plans_client, world, plan):
        other = await plan_in(world, code="2/KH-UBND", start_year=2023, end_year=2025)
        office = await add_task(
            plans_client,
            world,
            plan.id,
            number="1",
            title="Bồi dưỡng nghiệp vụ cải cách hành chính",
            lead_unit_ids=[str(world.office.id)],
        )
        grouped = await add_task(
            plans_client,
            world,
            plan.id,
            number="2",
            title="Kiểm tra công tác CCHC",
            coordinating_groups=["province_departments"],
        )
        ward = await add_task(
            plans_client,
            world,
            other.id,
            number="1",
            title="Một cửa",
            lead_unit_ids=[str(world.ward.id)],
            coordinating_unit_ids=[str(world.noi_vu.id)],
        )
        return {
            "office": office["id"],
            "grouped": grouped["id"],
            "ward": ward["id"],
            "other": other,
        }

    async def ids(self, client, headers, **params) -> set[str]:
        response = await client.get(f"{API}/tasks", headers=headers, params=params)
        assert response.status_code == 200, response.text
        return {t["id"] for t in response.json()["items"]}

    async def test_unit_filter_counts_subtree_and_groups(self, plans_client, world, tasks):
        admin = world.admin()
        noi_vu = str(world.noi_vu.id)
        assert await self.ids(plans_client, admin, unit_id=noi_vu) == {
            tasks["office"],
            tasks["grouped"],
            tasks["ward"],
        }
        assert await self.ids(plans_client, admin, unit_id=noi_vu, role="lead") == {tasks["office"]}
        assert await self.ids(plans_client, admin, unit_id=noi_vu, role="coordinating") == {
            tasks["grouped"],
            tasks["ward"],
        }
        assert await self.ids(plans_client, admin, unit_id=str(world.tu_phap.id)) == {
            tasks["grouped"]
        }
        assert await self.ids(plans_client, admin, unit_id=str(world.hcm_noi_vu.id)) == set()

    async def test_search_and_plan(self, plans_client, world, tasks):
        viewer = world.viewer()
        assert await self.ids(plans_client, viewer, q="cai cach") == {tasks["office"]}
        assert await self.ids(plans_client, viewer, q="CCHC") == {tasks["grouped"]}
        assert await self.ids(plans_client, viewer, plan_id=str(tasks["other"].id)) == {
            tasks["ward"]
        }

    async def test_unit_officer_scope(self, plans_client, world, tasks):
        officer = world.officer(world.tu_phap)
        assert await self.ids(plans_client, officer) == {tasks["grouped"]}
        hidden = await plans_client.get(f"{API}/tasks/{tasks['office']}", headers=officer)
        outside = await plans_client.get(
            f"{API}/tasks", headers=officer, params={"unit_id": str(world.noi_vu.id)}
        )
        assert (hidden.status_code, hidden.json()["code"]) == (404, "task_not_found")
        assert outside.status_code == 403

    async def test_overdue(self, plans_client, world, plan):
        past = await add_task(plans_client, world, plan.id, number="1", schedule_text="Quý I")
        future = await add_task(plans_client, world, plan.id, number="2", schedule_text="Năm 2025")
        unscheduled = await add_task(
            plans_client, world, plan.id, number="3", schedule_text="Khi cần"
        )
        world.freeze(vietnam(2024, 1, 10, 9, 0))
        assert await self.ids(plans_client, world.viewer(), overdue="true") == {past["id"]}
        not_overdue = await self.ids(plans_client, world.viewer(), overdue="false")
        assert not_overdue == {future["id"], unscheduled["id"]}
        world.freeze(vietnam(2023, 3, 31, 23, 0))  # the due day itself is not late yet
        assert await self.ids(plans_client, world.viewer(), overdue="true") == set()


class TestPlanYearsChange:
    async def test_schedules_follow_the_plans_years(self, plans_app, plans_client, world, plan):
        yearly = await add_task(plans_client, world, plan.id, number="1", schedule_text="Hàng năm")
        fixed = await add_task(
            plans_client,
            world,
            plan.id,
            number="2",
            schedule_text="Hàng năm",
            due_dates=["2024-06-30"],
        )
        response = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"end_year": 2026}
        )
        assert response.status_code == 200, response.text
        url = f"{API}/tasks"
        yearly_now = (
            await plans_client.get(f"{url}/{yearly['id']}", headers=world.viewer())
        ).json()
        fixed_now = (await plans_client.get(f"{url}/{fixed['id']}", headers=world.viewer())).json()
        assert yearly_now["due_dates"][-1] == "2026-12-31" and yearly_now["version"] == 2
        assert fixed_now["due_dates"] == ["2024-06-30"] and fixed_now["version"] == 1
        assert len(await events(plans_app, "task.updated")) == 1

    async def test_explicit_due_dates_must_stay_within(self, plans_client, world, plan):
        await add_task(plans_client, world, plan.id, number="1", due_dates=["2025-06-30"])
        response = await plans_client.patch(
            f"{API}/plans/{plan.id}", headers=world.admin(), json={"end_year": 2024}
        )
        body = response.json()
        assert (response.status_code, body["code"]) == (422, "due_date_out_of_plan_years")
        assert body["errors"][0]["field"] == "tasks.1.due_dates.0"


class TestActivation:
    @pytest.fixture
    async def conditional(self, plans_client, world, plan):
        return await add_task(
            plans_client, world, plan.id, number="1", schedule_text="Hàng năm (nếu cần thiết)"
        )

    async def activate(self, client, world, task, version=1, **headers):
        return await client.post(
            f"{API}/tasks/{task['id']}/activate",
            headers={**world.admin(), "If-Match": f'"{version}"', **headers},
        )

    async def overdue(self, client, world) -> set[str]:
        response = await client.get(f"{API}/tasks", headers=world.viewer(), params={"overdue": 1})
        return {item["id"] for item in response.json()["items"]}

    async def test_not_overdue_until_activated(self, plans_app, plans_client, world, conditional):
        assert conditional["due_dates"] == ["2023-12-31", "2024-12-31", "2025-12-31"]
        assert conditional["conditional"] is True and conditional["next_due_on"] is None
        world.freeze(vietnam(2024, 6, 1, 9, 0))
        assert await self.overdue(plans_client, world) == set()

        response = await self.activate(plans_client, world, conditional)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["activated_on"] == "2024-06-01"
        assert body["next_due_on"] == "2024-12-31"  # 31/12/2023 was before the activation
        assert body["version"] == 2 and response.headers["etag"] == '"2"'
        updated = await events(plans_app, "task.updated")
        assert [(e.aggregate_id, e.data["activated_on"]) for e in updated] == [
            (uuid.UUID(conditional["id"]), "2024-06-01")
        ]
        assert await self.overdue(plans_client, world) == set()
        world.freeze(vietnam(2025, 1, 2, 9, 0))
        assert await self.overdue(plans_client, world) == {conditional["id"]}

    async def test_activating_twice_is_409(self, plans_client, world, conditional):
        world.freeze(vietnam(2024, 6, 1, 9, 0))
        assert (await self.activate(plans_client, world, conditional)).status_code == 200
        again = await self.activate(plans_client, world, conditional, version=2)
        body = again.json()
        assert (again.status_code, body["code"]) == (409, "task_already_activated")
        assert body["detail"] == "Nhiệm vụ đã được kích hoạt ngày 01/06/2024"
        english = await self.activate(
            plans_client, world, conditional, version=2, **{"Accept-Language": "en"}
        )
        assert english.json()["detail"] == "The task was already activated on 2024-06-01"

    async def test_a_task_without_condition_is_409(self, plans_client, world, plan):
        task = await add_task(plans_client, world, plan.id, number="1", schedule_text="Hàng năm")
        response = await self.activate(plans_client, world, task)
        assert (response.status_code, response.json()["code"]) == (409, "task_not_conditional")

    async def test_if_match_is_required_and_fresh(self, plans_client, world, conditional):
        url = f"{API}/tasks/{conditional['id']}/activate"
        missing = await plans_client.post(url, headers=world.admin())
        assert missing.status_code == 428
        stale = await self.activate(plans_client, world, conditional, version=7)
        assert stale.status_code == 412
        now = await plans_client.get(f"{API}/tasks/{conditional['id']}", headers=world.viewer())
        assert now.json()["activated_on"] is None

    async def test_only_a_reform_admin_activates(self, plans_client, world, conditional):
        url = f"{API}/tasks/{conditional['id']}/activate"
        for headers in (world.viewer(), world.officer(world.noi_vu)):
            response = await plans_client.post(url, headers={**headers, "If-Match": '"1"'})
            assert response.status_code == 403
        unknown = await plans_client.post(
            f"{API}/tasks/{uuid.uuid4()}/activate", headers={**world.admin(), "If-Match": '"1"'}
        )
        assert (unknown.status_code, unknown.json()["code"]) == (404, "task_not_found")

    async def test_documented_in_openapi(self, plans_client):
        spec = (await plans_client.get(f"{API}/openapi.json")).json()
        operation = spec["paths"]["/api/plans/v1/tasks/{task_id}/activate"]["post"]
        assert {"404", "409", "412", "428"} <= set(operation["responses"])
