"""The demo data in a real database: complete, idempotent, and consistent with the seeds."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from plans_api.config import DemoSettings
from plans_api.demo.accounts import DEMO_ACCOUNTS
from plans_api.demo.loader import DemoLoadResult, load_demo
from plans_api.demo.seeds import PLANS
from plans_api.demo.units import UNITS
from plans_api.identity.models import User
from plans_api.official.models import Official, OfficialVersion
from plans_api.plan.models import Milestone, Plan, Target
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.unit.models import Unit, UnitSuccession
from shared.clock import FixedClock
from shared.testing import bearer, token_for

EXPECTED = {  # plan code: (targets, tasks) as the seed documents give them
    "57/KH-UBND": (3, 5),
    "2709/QĐ-UBND": (10, 8),
    "KH triển khai 2709/QĐ-UBND": (11, 0),  # ten targets, the fifth with two figures
    "04/ĐA-UBND": (3, 14),  # nine task groups, group 2 with 2.1-2.5
}


def demo_mode(enabled: bool) -> SimpleNamespace:
    return SimpleNamespace(demo=DemoSettings(enabled=enabled))


async def load(app, *, enabled: bool = True) -> DemoLoadResult:
    async with app.state.sessionmaker() as session, session.begin():
        return await load_demo(session, demo_mode(enabled))


@pytest.fixture
async def loaded(plans_app, plans_client) -> DemoLoadResult:
    return await load(plans_app)


async def scalar(app, query):
    async with app.state.sessionmaker() as session:
        return await session.scalar(query)


async def rows(app, query):
    async with app.state.sessionmaker() as session:
        return list(await session.scalars(query))


class TestIdempotence:
    async def test_second_load_creates_nothing(self, plans_app, loaded):
        again = await load(plans_app)

        assert loaded.counts()["units"] == len(UNITS)
        assert loaded.counts()["officials"] == 300
        assert set(again.counts().values()) == {0}, again.counts()
        assert await scalar(plans_app, select(func.count()).select_from(Plan)) == 4
        assert await scalar(plans_app, select(func.count()).select_from(Task)) == 27

    async def test_a_missing_row_is_added_back(self, plans_app, loaded):
        async with plans_app.state.sessionmaker() as session, session.begin():
            task = await session.scalar(select(Task).where(Task.number == "2.3"))
            await session.delete(task)

        again = await load(plans_app)

        assert [t.number for t in again.tasks] == ["2.3"]
        assert again.counts()["plans"] == again.counts()["officials"] == 0


class TestPlans:
    async def test_counts_match_the_seeds(self, plans_app, loaded):
        plans = await rows(plans_app, select(Plan))
        assert sorted(p.code for p in plans) == sorted(EXPECTED)
        for plan in plans:
            targets = select(func.count()).where(Target.plan_id == plan.id)
            tasks = select(func.count()).where(Task.plan_id == plan.id)
            counted = (await scalar(plans_app, targets), await scalar(plans_app, tasks))
            assert counted == EXPECTED[plan.code], plan.code

    async def test_every_target_has_its_milestones(self, plans_app, loaded):
        for record in PLANS:
            for target in record.targets:
                found = await rows(
                    plans_app,
                    select(Milestone)
                    .join(Target)
                    .join(Plan)
                    .where(Plan.code == record.code, Target.code == target.code)
                    .order_by(Milestone.due_on),
                )
                assert [(m.due_on, m.value) for m in found] == [
                    (m.due_on, m.value) for m in target.milestones
                ], (record.code, target.code)

    async def test_milestones_keep_the_documents_comparators(self, plans_app, loaded):
        # ">80% end-2023, >90% end-2024, 100% end-2025" (seed 001)
        target = await scalar(
            plans_app,
            select(Target).join(Plan).where(Plan.code.startswith("KH"), Target.code == "CT1"),
        )
        milestones = await rows(
            plans_app,
            select(Milestone).where(Milestone.target_id == target.id).order_by(Milestone.due_on),
        )
        assert target.comparator == "gt"
        assert [(m.due_on.year, m.value, m.comparator) for m in milestones] == [
            (2023, Decimal(80), None),
            (2024, Decimal(90), None),
            (2025, Decimal(100), "eq"),
        ]

    async def test_can_tho_plan_fields_and_automatic_target(self, plans_app, loaded):
        plan = await scalar(plans_app, select(Plan).where(Plan.code == "57/KH-UBND"))
        target = await scalar(
            plans_app, select(Target).where(Target.plan_id == plan.id, Target.code == "a")
        )
        assert (plan.kind, plan.issued_on, plan.start_year, plan.end_year) == (
            "ke_hoach",
            date(2023, 3, 17),
            2023,
            2030,
        )
        assert [b["document"] for b in plan.legal_bases] == [
            "Nghị quyết số 76/NQ-CP",
            "Chỉ thị số 23/CT-TTg",
            "Quyết định số 905/QĐ-BNV",
        ]
        assert (target.measure, target.comparator, target.source, target.group) == (
            "percent",
            "gt",
            "training_coverage",
            "cchc_officials",
        )

    async def test_implementation_plan_is_a_child_of_its_scheme(self, plans_app, loaded):
        scheme = await scalar(plans_app, select(Plan).where(Plan.code == "2709/QĐ-UBND"))
        child = await scalar(plans_app, select(Plan).where(Plan.parent_plan_id == scheme.id))
        assert child.code == "KH triển khai 2709/QĐ-UBND"


class TestTasks:
    async def test_every_lead_cell_resolves_to_a_unit_or_a_group(self, plans_app, loaded):
        tasks = await rows(plans_app, select(Task).where(Task.lead_text.is_not(None)))
        assert len(tasks) == 26  # every task but Sóc Trăng's group row 2
        for task in tasks:
            units = select(func.count()).where(TaskUnit.task_id == task.id, TaskUnit.role == "lead")
            groups = select(func.count()).where(
                TaskUnitGroup.task_id == task.id, TaskUnitGroup.role == "lead"
            )
            assert await scalar(plans_app, units) + await scalar(plans_app, groups) > 0, task.number

    async def test_units_and_groups_of_a_mixed_cell(self, plans_app, loaded):
        # HCMC 4: "Các Sở, ban - ngành, UBND quận, huyện, thành phố Thủ Đức" leads
        task = await scalar(
            plans_app,
            select(Task).join(Plan).where(Plan.code == "2709/QĐ-UBND", Task.number == "4"),
        )
        units = await rows(
            plans_app,
            select(Unit.name)
            .join(TaskUnit)
            .where(TaskUnit.task_id == task.id, TaskUnit.role == "lead"),
        )
        groups = await rows(
            plans_app,
            select(TaskUnitGroup.group_code).where(
                TaskUnitGroup.task_id == task.id, TaskUnitGroup.role == "lead"
            ),
        )
        assert units == ["Thành phố Thủ Đức"]
        assert sorted(groups) == ["district_committees", "province_departments"]

    async def test_units_are_matched_within_the_plan_province(self, plans_app, loaded):
        # "Sở Nội vụ" leads tasks in all three provinces: each plan gets its own province's.
        async with plans_app.state.sessionmaker() as session:
            pairs = (
                await session.execute(
                    select(Unit.parent_id, Plan.province_id)
                    .select_from(TaskUnit)
                    .join(Task)
                    .join(Plan)
                    .join(Unit, Unit.id == TaskUnit.unit_id)
                    .where(Unit.name == "Sở Nội vụ")
                    .distinct()
                )
            ).all()
        assert len(pairs) == 3
        assert all(parent == province for parent, province in pairs)

    async def test_tree_numbers_and_schedules(self, plans_app, loaded):
        plan = await scalar(plans_app, select(Plan).where(Plan.code == "04/ĐA-UBND"))
        tasks = {
            t.number: t for t in await rows(plans_app, select(Task).where(Task.plan_id == plan.id))
        }
        assert tasks["2.3"].parent_id == tasks["2"].id
        assert (tasks["2"].kind, tasks["2.3"].kind, tasks["2.3"].sort_key) == (
            "task",
            "activity",
            [2, 3],
        )
        assert tasks["9"].due_dates == [date(2025, 12, 31), date(2030, 12, 31)]
        assert tasks["3"].recurrence == "continuous"
        ct = await scalar(
            plans_app,
            select(Task).join(Plan).where(Plan.code == "57/KH-UBND", Task.number == "1"),
        )
        assert ct.recurrence == "annual"
        assert ct.schedule["conditional"] is True and ct.conditional is True
        assert len(ct.due_dates) == 8  # "Hàng năm (nếu cần thiết)": nothing due until activated
        assert ct.next_due_on is None and ct.activated_on is None

    async def test_a_task_without_schedule_has_no_due_dates(self, plans_app, loaded):
        # HCMC 8: the seed's extraction stops before its time cell.
        task = await scalar(
            plans_app,
            select(Task).join(Plan).where(Plan.code == "2709/QĐ-UBND", Task.number == "8"),
        )
        assert (task.schedule_text, task.schedule, task.due_dates) == (None, None, [])
        assert task.next_due_on is None and task.schedule_flagged is False


class TestWindows:
    """No task of the demo plans is overdue before its window closes; conditional ones only
    once activated; recurrences from the plan's issue date."""

    async def overdue(self, app, client, day: date) -> list[dict]:
        app.state.clock = FixedClock(datetime(day.year, day.month, day.day, 3, tzinfo=UTC))
        try:
            response = await client.get(
                "/api/plans/v1/tasks",
                headers=bearer(token_for(app, roles=["viewer"])),
                params={"overdue": "true", "limit": 200},
            )
        finally:
            app.state.clock = None
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    @pytest.mark.parametrize(
        "day", [date(2022, 12, 31), date(2023, 6, 1), date(2024, 1, 2), date(2026, 12, 2)]
    )
    async def test_no_task_is_overdue_before_its_window_closes(
        self, plans_app, plans_client, loaded, day
    ):
        for task in await self.overdue(plans_app, plans_client, day):
            window = (task["schedule"] or {}).get("window")
            assert window is None or date.fromisoformat(window["to"]) < day, task["number"]
            assert task["conditional"] is False, task["number"]
            assert date.fromisoformat(task["next_due_on"]) < day

    async def test_hcmc_2022_2023_tasks_are_due_at_the_end_of_2023(
        self, plans_app, plans_client, loaded
    ):
        plan = await scalar(plans_app, select(Plan).where(Plan.code == "2709/QĐ-UBND"))
        tasks = await rows(plans_app, select(Task).where(Task.plan_id == plan.id))
        windows = {t.number: t for t in tasks if t.schedule_text == "2022 - 2023"}
        assert sorted(windows) == ["1", "2", "7"]
        for task in windows.values():
            assert task.due_dates == [date(2023, 12, 31)] and task.recurrence is None
            assert task.schedule["window"] == {"from": "2022-01-01", "to": "2023-12-31"}
        numbers = {
            (t["plan_id"], t["number"])
            for t in await self.overdue(plans_app, plans_client, date(2023, 6, 1))
        }
        assert not any(plan_id == str(plan.id) for plan_id, _ in numbers)
        later = await self.overdue(plans_app, plans_client, date(2024, 1, 2))
        assert {t["number"] for t in later if t["plan_id"] == str(plan.id)} == {"1", "2", "6", "7"}

    async def test_recurrences_and_conditions_of_the_seeds(self, plans_app, plans_client, loaded):
        overdue = await self.overdue(plans_app, plans_client, date(2024, 1, 2))
        by_plan: dict[str, set[str]] = {}
        plans = {p.id: p.code for p in await rows(plans_app, select(Plan))}
        for task in overdue:
            by_plan.setdefault(plans[uuid.UUID(task["plan_id"])], set()).add(task["number"])
        # Cần Thơ 2-4 "Năm 2023 và các năm tiếp theo" recur yearly; 1 "(nếu cần thiết)" waits
        assert by_plan["57/KH-UBND"] == {"2", "3", "4"}
        # Sóc Trăng 3 "Thường xuyên": a checkpoint a year from the issue (30/12/2022); the
        # windows "2023 - 2030" and the list "2025, 2030" are not due yet
        assert by_plan["04/ĐA-UBND"] == {"3"}


class TestUnitsAndOfficials:
    async def test_soc_trang_is_retired_into_can_tho(self, plans_app, loaded):
        soc_trang = await scalar(plans_app, select(Unit).where(Unit.code == "94"))
        can_tho = await scalar(plans_app, select(Unit).where(Unit.code == "92"))
        succession = await scalar(
            plans_app, select(UnitSuccession).where(UnitSuccession.predecessor_id == soc_trang.id)
        )
        assert soc_trang.valid_to == date(2025, 6, 30)
        assert (succession.successor_id, succession.effective_on) == (can_tho.id, date(2025, 7, 1))

    async def test_code_26740_names_two_wards_at_two_dates(self, plans_app, loaded):
        wards = await rows(plans_app, select(Unit).where(Unit.code == "26740").order_by(Unit.name))
        assert [(w.name, w.valid_from, w.valid_to) for w in wards] == [
            ("Phường Bến Nghé", None, date(2025, 6, 30)),
            ("Phường Sài Gòn", date(2025, 7, 1), None),
        ]

    async def test_officials_spread_over_groups(self, plans_app, loaded):
        officials = await rows(plans_app, select(Official))
        assert len(officials) == 300
        assert {o.cchc_role for o in officials} == {"dedicated", "concurrent", "none"}
        assert sum(o.one_stop_shop for o in officials) >= 10
        assert sum(o.is_leader for o in officials) >= 50
        assert any(o.expert_pool for o in officials) and any(o.leadership_source for o in officials)
        assert len({o.unit_id for o in officials}) >= 15

    async def test_officials_of_merged_units_keep_their_history(self, plans_app, loaded):
        soc_trang_departments = select(Unit.id).where(
            Unit.parent_id == select(Unit.id).where(Unit.code == "94").scalar_subquery()
        )
        in_2024 = select(func.count()).where(
            OfficialVersion.unit_id.in_(soc_trang_departments),
            OfficialVersion.valid_from <= date(2024, 12, 31),
            (OfficialVersion.valid_to.is_(None)) | (OfficialVersion.valid_to > date(2024, 12, 31)),
        )
        now = select(func.count()).where(
            OfficialVersion.unit_id.in_(soc_trang_departments), OfficialVersion.valid_to.is_(None)
        )
        assert await scalar(plans_app, in_2024) > 0
        assert await scalar(plans_app, now) == 0

    async def test_officials_of_abolished_districts_have_left(self, plans_app, loaded):
        district = select(Unit.id).where(Unit.code == "916").scalar_subquery()  # Quận Ninh Kiều
        versions = await rows(
            plans_app, select(OfficialVersion).where(OfficialVersion.unit_id == district)
        )
        left = await rows(
            plans_app,
            select(Official.left_on).where(Official.id.in_([v.official_id for v in versions])),
        )
        assert versions and {v.valid_to for v in versions} == {date(2025, 7, 1)}
        assert set(left) == {date(2025, 7, 1)}


class TestAccounts:
    async def test_no_accounts_outside_demo_mode(self, plans_app, plans_client):
        result = await load(plans_app, enabled=False)
        assert result.users == []
        assert await scalar(plans_app, select(func.count()).select_from(User)) == 0

    async def test_settings_without_demo_group_mean_demo_mode_off(self, plans_app, plans_client):
        async with plans_app.state.sessionmaker() as session, session.begin():
            result = await load_demo(session, plans_app.state.settings)
        assert result.users == [] and len(result.plans) == 4

    async def test_demo_officer_logs_in(self, plans_app, plans_client, loaded):
        names = await rows(plans_app, select(User.username).order_by(User.username))
        response = await plans_client.post(
            "/api/auth/v1/token",
            data={
                "grant_type": "password",
                "username": "sonoivu.cantho",
                "password": "demo-CCHC-2025",
            },
        )
        me = await plans_client.get(
            "/api/auth/v1/me",
            headers={"Authorization": f"Bearer {response.json()['access_token']}"},
        )
        home_affairs = await scalar(
            plans_app,
            select(Unit.id).where(
                Unit.name == "Sở Nội vụ",
                Unit.parent_id == select(Unit.id).where(Unit.code == "92").scalar_subquery(),
            ),
        )
        assert names == sorted(a.username for a in DEMO_ACCOUNTS)
        assert response.status_code == 200
        assert (me.json()["roles"], me.json()["unit_id"]) == (["reform_admin"], str(home_affairs))
