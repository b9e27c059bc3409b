from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.factories import bearer, token_for
from tests.plans_api.file import samples
from tests.plans_api.plan.world import API, World, add_task, events, make_world, plan_in, vietnam

BEFORE_Q1_DEADLINE = vietnam(2024, 3, 10, 9, 0)  # units' Q1 2024 reports are due on 15/3


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    world.freeze(BEFORE_Q1_DEADLINE)
    yield world
    world.thaw()


@dataclass
class Setup:
    plan: Any
    task: dict[str, Any]
    periods: dict[str, dict[str, Any]]  # "2024-q1" → period
    targets: dict[str, str]  # code → id


@pytest.fixture
async def setup(plans_client, world) -> Setup:
    plan = await plan_in(world, start_year=2024, end_year=2025, issued_on=date(2024, 1, 5))
    task = await add_task(
        plans_client,
        world,
        plan.id,
        number="1",
        schedule_text="Quý I",
        lead_unit_ids=[str(world.noi_vu.id)],
        coordinating_unit_ids=[str(world.tu_phap.id)],
        coordinating_groups=["commune_committees"],
    )
    periods = {}
    for year in (2023, 2024):
        response = await plans_client.get(
            f"{API}/periods",
            headers=world.viewer(),
            params={"year": year, "province_id": str(world.province.id)},
        )
        periods.update({f"{year}-{p['kind']}": p for p in response.json()})
    targets = {}
    for code, measure, source, group in (
        ("pct", "percent", "manual", None),
        ("count", "count", "manual", None),
        ("auto", "percent", "training_coverage", "leaders"),
    ):
        response = await plans_client.post(
            f"{API}/plans/{plan.id}/targets",
            headers=world.admin(),
            json={
                "code": code,
                "title": code,
                "measure": measure,
                "source": source,
                "group": group,
            },
        )
        targets[code] = response.json()["id"]
    return Setup(plan, task, periods, targets)


async def submit(client, headers, task_id, **body) -> Any:
    body.setdefault("status", "in_progress")
    return await client.post(f"{API}/tasks/{task_id}/reports", headers=headers, json=body)


class TestSubmit:
    async def test_happy_path(self, plans_app, plans_client, world, setup):
        response = await submit(
            plans_client,
            world.officer(world.noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            percent=40,
            narrative="Đã tổ chức 2 lớp bồi dưỡng",
            figures={setup.targets["pct"]: 55.5, setup.targets["count"]: 300},
            evidence=[{"kind": "link", "url": "https://cantho.gov.vn/kh-57", "title": "Kế hoạch"}],
        )

        assert response.status_code == 201, response.text
        report = response.json()
        assert report["unit_id"] == str(world.noi_vu.id)  # default: the officer's own unit
        assert (report["percent"], report["late"]) == (40.0, False)
        assert report["figures"] == {setup.targets["pct"]: 55.5, setup.targets["count"]: 300.0}
        assert report["evidence"][0]["url"] == "https://cantho.gov.vn/kh-57"
        assert report["submitted_at"].startswith("2024-03-10T02:00:00")
        assert response.headers["etag"] == '"1"'
        [event] = await events(plans_app, "report.submitted")
        assert event.data["id"] == report["id"]

        again = await submit(
            plans_client,
            world.officer(world.noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
        )
        assert (again.status_code, again.json()["code"]) == (409, "report_exists")
        assert again.json()["report_id"] == report["id"]

    async def test_done_means_100_unless_given(self, plans_client, world, setup):
        officer = world.officer(world.noi_vu)
        done = await submit(
            plans_client,
            officer,
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            status="done",
        )
        partly = await submit(
            plans_client,
            world.officer(world.tu_phap),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            status="done",
            percent=90,
        )
        assert done.json()["percent"] == 100.0
        assert partly.json()["percent"] == 90.0

    async def test_who_may_report_for_which_unit(self, plans_client, world, setup):
        period = setup.periods["2024-q1"]["id"]
        task = setup.task["id"]
        noi_vu = world.officer(world.noi_vu)
        not_on_task = await submit(
            plans_client, noi_vu, task, period_id=period, unit_id=str(world.office.id)
        )
        not_theirs = await submit(
            plans_client, noi_vu, task, period_id=period, unit_id=str(world.tu_phap.id)
        )
        by_group = await submit(plans_client, world.officer(world.ward), task, period_id=period)
        by_admin = await submit(
            plans_client, world.admin(), task, period_id=period, unit_id=str(world.tu_phap.id)
        )
        no_unit = await submit(plans_client, world.admin(), task, period_id=period)
        viewer = await submit(plans_client, world.viewer(), task, period_id=period)

        assert (not_on_task.status_code, not_on_task.json()["code"]) == (422, "unit_not_on_task")
        assert (not_theirs.status_code, not_theirs.json()["code"]) == (403, "unit_forbidden")
        assert by_group.status_code == 201  # a ward, through "UBND cấp xã"
        assert by_admin.status_code == 201
        assert (no_unit.status_code, no_unit.json()["code"]) == (422, "unit_required")
        assert viewer.status_code == 403

    async def test_an_officer_not_on_the_task_does_not_find_it(self, plans_client, world, setup):
        response = await submit(
            plans_client,
            world.officer(world.hcm_noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
        )
        assert response.status_code == 404

    @pytest.mark.parametrize(
        ("body", "status", "code"),
        [
            ({"period_id": "missing"}, 422, "unknown_period"),
            ({"period": "2023-q3"}, 422, "period_out_of_plan_years"),
            ({"percent": 100.5}, 422, "validation_error"),
            ({"percent": -1}, 422, "validation_error"),
            ({"status": "finished"}, 422, "validation_error"),
            ({"figures": {"auto": 50}}, 422, "unknown_target"),
            ({"figures": {"pct": 120}}, 422, "figure_out_of_range"),
            ({"figures": {"count": -3}}, 422, "figure_out_of_range"),
            (
                {"evidence": [{"kind": "link", "url": "ftp://x.vn/a", "title": "a"}]},
                422,
                "validation_error",
            ),
            (
                {"evidence": [{"kind": "link", "url": "javascript:alert(1)", "title": "a"}]},
                422,
                "validation_error",
            ),
            (
                {"evidence": [{"kind": "file", "url": "https://x.vn", "title": "a"}]},
                422,
                "validation_error",
            ),
        ],
    )
    async def test_bad_input(self, plans_client, world, setup, body, status, code):
        payload = {"period_id": setup.periods[body.pop("period", "2024-q1")]["id"], **body}
        if payload["period_id"] == "missing":
            payload["period_id"] = str(uuid.uuid4())
        if "figures" in payload:
            payload["figures"] = {setup.targets[k]: v for k, v in payload["figures"].items()}
        response = await submit(
            plans_client, world.officer(world.noi_vu), setup.task["id"], **payload
        )
        assert (response.status_code, response.json()["code"]) == (status, code)

    async def test_period_of_another_province(self, plans_client, world, setup):
        hcm = await plans_client.get(
            f"{API}/periods",
            headers=world.viewer(),
            params={"year": 2024, "province_id": str(world.hcm.id)},
        )
        response = await submit(
            plans_client,
            world.officer(world.noi_vu),
            setup.task["id"],
            period_id=hcm.json()[0]["id"],
        )
        assert (response.status_code, response.json()["code"]) == (422, "period_other_province")

    async def test_a_plan_with_its_own_calendar_uses_its_periods(self, plans_client, world, setup):
        rules = await plans_client.put(
            f"{API}/period-rules",
            headers=world.admin(),
            json={
                "plan_id": str(setup.plan.id),
                "data_start_day": 5,
                "province_due_day": 10,
                "unit_lead_days": 0,
            },
        )
        assert rules.status_code == 200
        own = await plans_client.get(
            f"{API}/periods",
            headers=world.viewer(),
            params={"year": 2024, "plan_id": str(setup.plan.id)},
        )
        officer = world.officer(world.noi_vu)
        province_period = await submit(
            plans_client, officer, setup.task["id"], period_id=setup.periods["2024-q1"]["id"]
        )
        plan_period = await submit(
            plans_client, officer, setup.task["id"], period_id=own.json()[0]["id"]
        )
        assert (province_period.status_code, province_period.json()["code"]) == (
            422,
            "period_not_for_plan",
        )
        assert plan_period.status_code == 201


class TestReportScoping:
    async def test_units_see_their_subtrees_reports(self, plans_client, world, setup):
        period = setup.periods["2024-q1"]["id"]
        task = setup.task["id"]
        mine = (
            await submit(plans_client, world.officer(world.noi_vu), task, period_id=period)
        ).json()
        theirs = (
            await submit(plans_client, world.officer(world.tu_phap), task, period_id=period)
        ).json()
        tu_phap = world.officer(world.tu_phap)

        other = await plans_client.get(f"{API}/reports/{mine['id']}", headers=tu_phap)
        own = await plans_client.get(f"{API}/reports/{theirs['id']}", headers=tu_phap)
        revisions = await plans_client.get(f"{API}/reports/{mine['id']}/revisions", headers=tu_phap)
        listed = await plans_client.get(f"{API}/tasks/{task}/reports", headers=tu_phap)
        province = await plans_client.get(
            f"{API}/tasks/{task}/reports", headers=world.officer(world.province)
        )
        viewer = await plans_client.get(
            f"{API}/tasks/{task}/reports",
            headers=world.viewer(),
            params={"unit_id": str(world.noi_vu.id)},
        )

        assert (other.status_code, other.json()["code"]) == (404, "report_not_found")
        assert revisions.status_code == 404
        assert own.status_code == 200 and own.headers["etag"] == '"1"'
        assert [r["id"] for r in listed.json()["items"]] == [theirs["id"]]
        assert province.json()["total"] == 2
        assert [r["id"] for r in viewer.json()["items"]] == [mine["id"]]


class TestUpdateAndLock:
    async def report(self, client, world, setup, unit=None) -> dict[str, Any]:
        response = await submit(
            client,
            world.officer(unit or world.noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            percent=20,
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def test_editable_until_the_end_of_the_unit_deadline(
        self, plans_app, plans_client, world, setup
    ):
        report = await self.report(plans_client, world, setup)
        url = f"{API}/reports/{report['id']}"
        officer = world.officer(world.noi_vu)

        world.freeze(vietnam(2024, 3, 15, 23, 59))
        last_minute = await plans_client.patch(url, headers=officer, json={"percent": 60})
        world.freeze(vietnam(2024, 3, 16, 0, 0))
        locked = await plans_client.patch(url, headers=officer, json={"percent": 70})
        by_admin = await plans_client.patch(
            url, headers={**world.admin(), "If-Match": '"2"'}, json={"status": "done"}
        )

        assert last_minute.status_code == 200, last_minute.text
        assert (locked.status_code, locked.json()["code"]) == (403, "report_locked")
        assert by_admin.status_code == 200
        assert by_admin.json()["percent"] == 100.0 and by_admin.json()["late"] is False
        assert by_admin.headers["etag"] == '"3"'
        assert len(await events(plans_app, "report.updated")) == 2

    async def test_late_submission_is_flagged_and_kept(self, plans_client, world, setup):
        world.freeze(vietnam(2024, 4, 2, 10, 0))
        response = await submit(
            plans_client,
            world.officer(world.ward),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
        )
        assert response.status_code == 201
        assert response.json()["late"] is True
        assert response.json()["submitted_at"].startswith("2024-04-02T03:00:00")

    async def test_stale_if_match(self, plans_client, world, setup):
        report = await self.report(plans_client, world, setup)
        response = await plans_client.patch(
            f"{API}/reports/{report['id']}",
            headers={**world.officer(world.noi_vu), "If-Match": '"9"'},
            json={"percent": 30},
        )
        assert (response.status_code, response.json()["code"]) == (412, "precondition_failed")

    async def test_revisions_keep_who_when_before_and_after(self, plans_client, world, setup):
        subject = str(uuid.uuid4())
        officer = bearer(
            token_for(world.app, roles=["unit_officer"], unit_id=world.noi_vu.id, subject=subject)
        )
        created = await submit(
            plans_client,
            officer,
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            percent=20,
        )
        url = f"{API}/reports/{created.json()['id']}"
        world.freeze(vietnam(2024, 3, 12, 9, 0))
        await plans_client.patch(url, headers=officer, json={"percent": 50, "narrative": "Tiến độ"})
        world.freeze(vietnam(2024, 3, 20, 9, 0))
        await plans_client.patch(url, headers=world.admin(), json={"status": "blocked"})

        response = await plans_client.get(f"{url}/revisions", headers=world.viewer())
        revisions = response.json()["items"]
        assert [r["before"] and r["before"]["percent"] for r in revisions] == [None, 20.0, 50.0]
        assert [r["after"]["percent"] for r in revisions] == [20.0, 50.0, 50.0]
        assert revisions[2]["after"]["status"] == "blocked"
        assert [r["late"] for r in revisions] == [False, False, True]
        assert revisions[0]["changed_by"] == subject
        assert revisions[1]["changed_at"].startswith("2024-03-12T02:00:00")

    async def test_bad_changes(self, plans_client, world, setup):
        report = await self.report(plans_client, world, setup)
        url = f"{API}/reports/{report['id']}"
        officer = world.officer(world.noi_vu)
        over = await plans_client.patch(url, headers=officer, json={"percent": 101})
        null = await plans_client.patch(url, headers=officer, json={"status": None})
        figure = await plans_client.patch(
            url, headers=officer, json={"figures": {setup.targets["pct"]: 101}}
        )
        moved = await plans_client.patch(
            url, headers=officer, json={"unit_id": str(world.tu_phap.id)}
        )
        assert over.status_code == null.status_code == moved.status_code == 422
        assert figure.json()["code"] == "figure_out_of_range"


class TestOverdue:
    async def tasks(self, client, world, **params) -> set[str]:
        response = await client.get(f"{API}/tasks", headers=world.viewer(), params=params)
        return {t["id"] for t in response.json()["items"]}

    async def test_a_done_report_clears_overdue(self, plans_client, world, setup):
        task = setup.task["id"]  # due 31/3/2024
        world.freeze(vietnam(2024, 4, 5, 9, 0))
        assert await self.tasks(plans_client, world, overdue="true") == {task}
        assert await self.tasks(plans_client, world, status="not_started") == {task}

        done = await submit(
            plans_client,
            world.officer(world.noi_vu),
            task,
            period_id=setup.periods["2024-q1"]["id"],
            status="done",
        )
        assert done.json()["late"] is True
        assert await self.tasks(plans_client, world, overdue="true") == set()
        assert await self.tasks(plans_client, world, status="done") == {task}
        assert await self.tasks(plans_client, world, status="not_started") == set()
        read = (await plans_client.get(f"{API}/tasks/{task}", headers=world.viewer())).json()
        assert (read["done"], read["next_due_on"], read["status"]) == (True, None, "done")

        reopened = await plans_client.patch(
            f"{API}/reports/{done.json()['id']}", headers=world.admin(), json={"status": "blocked"}
        )
        assert reopened.status_code == 200
        assert await self.tasks(plans_client, world, overdue="true") == {task}
        assert await self.tasks(plans_client, world, status="blocked") == {task}

    async def test_a_yearly_task_stays_open_for_the_next_year(self, plans_client, world, setup):
        yearly = await add_task(
            plans_client,
            world,
            setup.plan.id,
            number="2",
            schedule_text="Hàng năm",
            lead_unit_ids=[str(world.noi_vu.id)],
        )
        world.freeze(vietnam(2024, 12, 10, 9, 0))
        await submit(
            plans_client,
            world.officer(world.noi_vu),
            yearly["id"],
            period_id=setup.periods["2024-year"]["id"],
            status="done",
        )
        read = (
            await plans_client.get(f"{API}/tasks/{yearly['id']}", headers=world.viewer())
        ).json()
        assert (read["done"], read["next_due_on"]) == (False, "2025-12-31")
        world.freeze(vietnam(2025, 6, 1, 9, 0))
        assert yearly["id"] not in await self.tasks(plans_client, world, overdue="true")

    async def test_new_due_dates_recompute_overdue(self, plans_client, world, setup):
        task = setup.task["id"]
        world.freeze(vietnam(2024, 4, 5, 9, 0))
        assert await self.tasks(plans_client, world, overdue="true") == {task}
        moved = await plans_client.patch(
            f"{API}/tasks/{task}", headers=world.admin(), json={"due_dates": ["2024-06-30"]}
        )
        assert moved.json()["next_due_on"] == "2024-06-30"
        assert await self.tasks(plans_client, world, overdue="true") == set()
        assert await self.tasks(plans_client, world, overdue="false") == {task}


class TestFileEvidence:
    @pytest.fixture(autouse=True)
    def folder(self, plans_app, tmp_path) -> Iterator[Path]:
        with samples.files_in(plans_app, tmp_path / "files") as path:
            yield path

    async def upload(self, client, headers, name="Biên bản.pdf", data=None) -> dict[str, Any]:
        response = await samples.upload(client, headers, name, data or samples.pdf(name))
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def test_report_cites_a_file_and_a_link(self, plans_app, plans_client, world, setup):
        officer = world.officer(world.noi_vu)
        pdf = await self.upload(plans_client, officer)
        sheet = await self.upload(plans_client, officer, "Số liệu.xlsx", samples.xlsx_bytes())
        evidence = [
            {"kind": "file", "file_id": pdf["id"]},
            {"kind": "file", "file_id": sheet["id"], "title": "Bảng số liệu"},
            {"kind": "link", "url": "https://cantho.gov.vn/kh-57", "title": "Kế hoạch"},
        ]

        response = await submit(
            plans_client,
            officer,
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            evidence=evidence,
        )

        assert response.status_code == 201, response.text
        first, second, link = response.json()["evidence"]
        assert first == {
            "kind": "file",
            "file_id": pdf["id"],
            "title": "Biên bản.pdf",
            "name": "Biên bản.pdf",
            "size": pdf["size"],
            "content_type": samples.PDF_TYPE,
        }
        assert (second["title"], second["name"]) == ("Bảng số liệu", "Số liệu.xlsx")
        assert second["content_type"] == samples.XLSX_TYPE
        assert link == evidence[2]
        read = await plans_client.get(
            f"{API}/reports/{response.json()['id']}", headers=world.viewer()
        )
        assert read.json()["evidence"] == response.json()["evidence"]
        [event] = await events(plans_app, "report.submitted")
        assert event.data["evidence"][0]["name"] == "Biên bản.pdf"

    async def test_unknown_file(self, plans_client, world, setup):
        response = await submit(
            plans_client,
            world.officer(world.noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            evidence=[{"kind": "file", "file_id": str(uuid.uuid4())}],
        )

        assert (response.status_code, response.json()["code"]) == (422, "unknown_file")
        assert response.json()["errors"][0]["field"] == "evidence.0.file_id"

    async def test_another_units_file_is_unknown(self, plans_client, world, setup):
        other = await self.upload(plans_client, world.officer(world.tu_phap))
        report = await submit(
            plans_client,
            world.officer(world.noi_vu),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
        )
        url = f"{API}/reports/{report.json()['id']}"

        response = await plans_client.patch(
            url,
            headers=world.officer(world.noi_vu),
            json={"evidence": [{"kind": "file", "file_id": other["id"]}]},
        )

        assert (response.status_code, response.json()["code"]) == (422, "unknown_file")
        unchanged = await plans_client.get(url, headers=world.viewer())
        assert (unchanged.json()["evidence"], unchanged.json()["version"]) == ([], 1)

    async def test_evidence_is_readable_by_whoever_reads_the_report(
        self, plans_client, world, setup
    ):
        admins_file = await self.upload(plans_client, world.admin())  # no unit of its own
        url = f"{API}/files/{admins_file['id']}"
        officer = world.officer(world.noi_vu)
        assert (await plans_client.get(url, headers=officer)).status_code == 404

        report = await submit(
            plans_client,
            world.admin(),
            setup.task["id"],
            period_id=setup.periods["2024-q1"]["id"],
            unit_id=str(world.noi_vu.id),
            evidence=[{"kind": "file", "file_id": admins_file["id"]}],
        )
        assert report.status_code == 201, report.text

        assert (await plans_client.get(url, headers=officer)).status_code == 200
        assert (
            await plans_client.get(url, headers=world.officer(world.tu_phap))
        ).status_code == 404
        # The officer may keep the evidence they see when changing the report.
        kept = await plans_client.patch(
            f"{API}/reports/{report.json()['id']}",
            headers=officer,
            json={"evidence": [{"kind": "file", "file_id": admins_file["id"]}], "percent": 30},
        )
        assert kept.status_code == 200, kept.text
