"""The demo data in a real database: complete, idempotent, and consistent with the seeds."""

from __future__ import annotations

from datetime import date
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
        assert ct.schedule["conditional"] is True
        assert len(ct.due_dates) == 8 and ct.next_due_on == date(2023, 12, 31)

    async def test_a_task_without_schedule_has_no_due_dates(self, plans_app, loaded):
        # HCMC 8: the seed's extraction stops before its time cell.
        task = await scalar(
            plans_app,
            select(Task).join(Plan).where(Plan.code == "2709/QĐ-UBND", Task.number == "8"),
        )
        assert (task.schedule_text, task.schedule, task.due_dates) == (None, None, [])
        assert task.next_due_on is None and task.schedule_flagged is False


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
