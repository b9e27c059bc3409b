"""Holidays: the migrated 2022-2030 data, every period's deadlines on a working day, the admin's
list per year (ETag, bad lists refused whole), deadlines that move with it, per-period overrides
and units due on a day of the month."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest

from plans_api.period.calendar import WorkingDays
from tests.plans_api.period.test_router import periods, put_rules
from tests.plans_api.plan.world import API, World, make_world, plan_in, vietnam


@pytest.fixture
async def world(plans_app, plans_client) -> AsyncIterator[World]:
    world = await make_world(plans_app)
    yield world
    world.thaw()


async def holidays(client, headers, year: int) -> tuple[dict, str]:
    response = await client.get(f"{API}/holidays", headers=headers, params={"year": year})
    assert response.status_code == 200, response.text
    return response.json(), response.headers["ETag"]


async def put_holidays(client, world, year: int, days: list[dict], etag: str | None = None):
    headers = world.admin() | ({"If-Match": etag} if etag else {})
    return await client.put(f"{API}/holidays/{year}", headers=headers, json={"days": days})


def working(days: list[dict]) -> WorkingDays:
    return WorkingDays.of((date.fromisoformat(d["day"]), d["kind"]) for d in days)


def day(iso: str, kind: str = "holiday", name: str = "Ngày nghỉ") -> dict:
    return {"day": iso, "name": name, "kind": kind}


class TestMigratedHolidays:
    async def test_2024_as_the_government_announced(self, plans_client, world):
        found, etag = await holidays(plans_client, world.viewer(), 2024)
        assert (found["year"], found["version"], etag) == (2024, 1, '"1"')
        off = {d["day"] for d in found["days"] if d["kind"] != "working_day"}
        tet = {(date(2024, 2, 8) + timedelta(n)).isoformat() for n in range(7)}
        assert tet <= off
        assert {"2024-01-01", "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01"} <= off
        assert {"2024-09-02", "2024-09-03"} <= off
        assert [d["day"] for d in found["days"] if d["kind"] == "working_day"] == ["2024-05-04"]

    @pytest.mark.parametrize(
        ("year", "tet", "gio_to"),
        [
            (2022, "2022-02-01", "2022-04-10"),
            (2023, "2023-01-22", "2023-04-29"),
            (2025, "2025-01-29", "2025-04-07"),
            (2026, "2026-02-17", "2026-04-26"),
            (2030, "2030-02-02", "2030-04-12"),  # Vietnam's lunar calendar, not China's 3/2
        ],
    )
    async def test_tet_and_gio_to_on_the_vietnamese_lunar_calendar(
        self, plans_client, world, year, tet, gio_to
    ):
        found, _ = await holidays(plans_client, world.viewer(), year)
        names = {d["day"]: d["name"] for d in found["days"]}
        assert names[tet] == "Tết Nguyên đán"
        assert names[gio_to].startswith("Giỗ Tổ Hùng Vương")
        for fixed in ("01-01", "04-30", "05-01", "09-02"):
            assert f"{year}-{fixed}" in names

    async def test_weekend_holidays_get_a_compensatory_day(self, plans_client, world):
        """2022: 30/4 and 1/5 on Saturday and Sunday, off on Monday 2 and Tuesday 3 May."""
        found, _ = await holidays(plans_client, world.viewer(), 2022)
        kinds = {d["day"]: d["kind"] for d in found["days"]}
        assert (kinds["2022-05-02"], kinds["2022-05-03"]) == ("day_off", "day_off")

    async def test_no_deadline_on_a_weekend_or_holiday_2022_to_2030(self, plans_client, world):
        """Every period of every year, with the default rules, a province's rules counting lead
        days, and a plan whose units are due on the 10th and the province on the 20th."""
        plan = await plan_in(world, start_year=2022, end_year=2030)
        province = str(world.province.id)
        rules = {"data_start_day": 1, "province_due_day": 5, "unit_lead_days": 2}
        assert (
            await put_rules(plans_client, world, province_id=str(world.hcm.id), **rules)
        ).is_success
        tenth = {"data_start_day": 5, "province_due_day": 20, "unit_due_day": 10}
        assert (await put_rules(plans_client, world, plan_id=str(plan.id), **tenth)).is_success
        scopes = [
            {"province_id": province},
            {"province_id": str(world.hcm.id)},
            {"plan_id": str(plan.id)},
        ]
        checked = 0
        for year in range(2022, 2031):
            days = working((await holidays(plans_client, world.viewer(), year))[0]["days"])
            for scope in scopes:
                for period in await periods(plans_client, world.viewer(), year=year, **scope):
                    for due in (period["due_on"], period["unit_due_on"]):
                        assert days.is_working(date.fromisoformat(due)), (scope, period)
                        checked += 1
                    assert period["unit_due_on"] <= period["due_on"]
                    assert period["unit_due_on"] >= period["data_to"]
        assert checked == 9 * 3 * 4 * 2


class TestUnitDueDay:
    async def test_units_on_the_10th_province_on_the_20th(self, plans_client, world):
        plan = await plan_in(world, start_year=2022, end_year=2025)
        rules = {"data_start_day": 5, "province_due_day": 20, "unit_due_day": 10}
        response = await put_rules(plans_client, world, plan_id=str(plan.id), **rules)
        assert response.status_code == 200, response.text
        assert (response.json()["unit_due_day"], response.json()["source"]) == (10, "plan")
        found = await periods(plans_client, world.viewer(), year=2022, plan_id=str(plan.id))
        assert [(p["data_from"], p["data_to"], p["unit_due_on"], p["due_on"]) for p in found] == [
            ("2021-12-05", "2022-03-04", "2022-03-10", "2022-03-21"),  # Sunday 20/3 → Monday
            ("2021-12-05", "2022-06-04", "2022-06-10", "2022-06-20"),
            ("2022-06-05", "2022-09-04", "2022-09-12", "2022-09-20"),  # Saturday 10/9 → Monday
            ("2021-12-05", "2022-12-04", "2022-12-12", "2022-12-20"),
        ]

    @pytest.mark.parametrize(
        ("fields", "code"),
        [
            ({"unit_lead_days": 3, "unit_due_day": 10}, "one_unit_deadline"),
            ({"unit_due_day": 21}, "unit_due_after_province"),
            ({"unit_due_day": 3}, "unit_due_before_data_end"),
        ],
    )
    async def test_bad_unit_due_day_is_422(self, plans_client, world, fields, code):
        body = {"data_start_day": 5, "province_due_day": 20, **fields}
        response = await put_rules(plans_client, world, province_id=str(world.province.id), **body)
        assert (response.status_code, response.json()["code"]) == (422, code)
        rules = await plans_client.get(
            f"{API}/period-rules",
            headers=world.viewer(),
            params={"province_id": str(world.province.id)},
        )
        assert rules.json()["source"] == "default"


class TestPutHolidays:
    async def test_admin_replaces_a_year(self, plans_client, world):
        _, etag = await holidays(plans_client, world.viewer(), 2027)
        days = [day("2027-01-01", name="  Tết   Dương lịch "), day("2027-05-08", "working_day")]
        response = await put_holidays(plans_client, world, 2027, days, etag)
        assert response.status_code == 200, response.text
        assert response.headers["ETag"] == '"2"'
        assert response.json()["days"] == [
            day("2027-01-01", name="Tết Dương lịch"),
            day("2027-05-08", "working_day"),
        ]
        again, etag = await holidays(plans_client, world.viewer(), 2027)
        assert (len(again["days"]), etag) == (2, '"2"')
        # the neighbouring years are untouched
        assert len((await holidays(plans_client, world.viewer(), 2028))[0]["days"]) > 2

    async def test_a_year_without_a_list(self, plans_client, world):
        found, etag = await holidays(plans_client, world.viewer(), 2040)
        assert (found["days"], etag) == ([], '"0"')
        response = await put_holidays(plans_client, world, 2040, [day("2040-01-02")], '"0"')
        assert (response.status_code, response.headers["ETag"]) == (200, '"1"')

    async def test_stale_etag_is_412_nothing_written(self, plans_client, world):
        response = await put_holidays(plans_client, world, 2027, [day("2027-01-01")], '"7"')
        assert response.status_code == 412
        found, etag = await holidays(plans_client, world.viewer(), 2027)
        assert etag == '"1"' and len(found["days"]) > 1

    @pytest.mark.parametrize(
        ("days", "status", "code", "field"),
        [
            ([day("2027-01-01"), day("2028-01-01")], 422, "holiday_outside_year", "days.1.day"),
            ([day("2027-01-01"), day("2027-01-01")], 422, "duplicate_holiday", "days.1.day"),
            ([day("2027-05-05", "working_day")], 422, "working_day_not_weekend", "days.0.day"),
            ([day("2027-05-05", "weekend")], 422, "validation_error", None),
            ([day("2027-05-05", name="  ")], 422, "validation_error", None),
        ],
    )
    async def test_bad_list_is_refused_whole(self, plans_client, world, days, status, code, field):
        response = await put_holidays(plans_client, world, 2027, days)
        body = response.json()
        assert (response.status_code, body["code"]) == (status, code)
        assert response.headers["content-type"].startswith("application/problem+json")
        if field:
            assert body["errors"][0]["field"] == field
        found, etag = await holidays(plans_client, world.viewer(), 2027)
        assert etag == '"1"' and len(found["days"]) > 2

    async def test_messages_in_vietnamese_and_english(self, plans_client, world):
        days = {"days": [day("2028-01-01")]}
        vi = await plans_client.put(f"{API}/holidays/2027", headers=world.admin(), json=days)
        en = await plans_client.put(
            f"{API}/holidays/2027", headers=world.admin() | {"Accept-Language": "en"}, json=days
        )
        assert vi.json()["detail"] == "Ngày thứ 1 của danh sách không thuộc năm 2027"
        assert en.json()["detail"] == "Day 1 of the list is not in 2027"

    async def test_year_out_of_range_is_422(self, plans_client, world):
        response = await put_holidays(plans_client, world, 1999, [])
        assert response.status_code == 422

    @pytest.mark.parametrize("role", ["unit_officer", "viewer"])
    async def test_only_admins_write(self, plans_client, world, role):
        headers = world.officer(world.province) if role == "unit_officer" else world.viewer()
        response = await plans_client.put(
            f"{API}/holidays/2027", headers=headers, json={"days": []}
        )
        assert response.status_code == 403
        assert (await holidays(plans_client, world.viewer(), 2027))[1] == '"1"'


class TestDeadlinesFollowHolidays:
    async def test_open_periods_move_past_ones_stay(self, plans_client, world):
        """On 1/5/2027, q1 2027 is past; q3's deadline (Monday 20/9/2027) becomes a holiday."""
        world.freeze(vietnam(2027, 5, 1, 9))
        province = str(world.province.id)
        before = await periods(plans_client, world.viewer(), year=2027, province_id=province)
        assert [p["due_on"] for p in before] == [
            "2027-03-22",  # Saturday 20/3 → Monday 22/3
            "2027-06-21",  # Sunday 20/6 → Monday 21/6
            "2027-09-20",
            "2027-12-20",
        ]
        found, etag = await holidays(plans_client, world.viewer(), 2027)
        extra = [day("2027-03-22"), day("2027-09-20"), day("2027-09-21", "day_off")]
        response = await put_holidays(plans_client, world, 2027, found["days"] + extra, etag)
        assert response.status_code == 200, response.text
        after = await periods(plans_client, world.viewer(), year=2027, province_id=province)
        assert [p["id"] for p in after] == [p["id"] for p in before]
        assert [(p["unit_due_on"], p["due_on"]) for p in after] == [
            (before[0]["unit_due_on"], "2027-03-22"),  # already due: kept
            (before[1]["unit_due_on"], "2027-06-21"),
            ("2027-09-15", "2027-09-22"),  # 3 working days before: 17, 16, 15
            (before[3]["unit_due_on"], "2027-12-20"),
        ]
        assert after[2]["version"] == before[2]["version"] + 1


class TestPeriodOverride:
    async def stored(self, plans_client, world) -> dict:
        province = str(world.province.id)
        h1 = (await periods(plans_client, world.viewer(), year=2026, province_id=province))[1]
        response = await plans_client.get(f"{API}/periods/{h1['id']}", headers=world.viewer())
        assert response.headers["ETag"] == f'"{h1["version"]}"'
        return h1

    async def patch(self, plans_client, world, period: dict, body: dict, etag: str | None = None):
        headers = world.admin() | {"If-Match": etag or f'"{period["version"]}"'}
        return await plans_client.patch(f"{API}/periods/{period['id']}", headers=headers, json=body)

    async def test_admin_sets_a_period_s_deadlines(self, plans_client, world):
        h1 = await self.stored(plans_client, world)
        body = {"due_on": "2026-07-10", "unit_due_on": "2026-07-03"}
        response = await self.patch(plans_client, world, h1, body)
        assert response.status_code == 200, response.text
        read = response.json()
        assert (read["due_on"], read["unit_due_on"], read["overridden"]) == (
            "2026-07-10",
            "2026-07-03",
            True,
        )
        assert response.headers["ETag"] == f'"{h1["version"] + 1}"'
        # a holiday change leaves it alone
        world.freeze(vietnam(2026, 5, 1))
        found, etag = await holidays(plans_client, world.viewer(), 2026)
        more = found["days"] + [day("2026-07-10"), day("2026-07-03")]
        assert (await put_holidays(plans_client, world, 2026, more, etag)).status_code == 200
        again = await plans_client.get(f"{API}/periods/{h1['id']}", headers=world.viewer())
        assert (again.json()["due_on"], again.json()["unit_due_on"]) == ("2026-07-10", "2026-07-03")

    @pytest.mark.parametrize(
        ("body", "code", "field"),
        [
            ({"due_on": "2026-06-13"}, "deadline_before_data_end", "due_on"),
            ({"unit_due_on": "2026-06-01"}, "deadline_before_data_end", "unit_due_on"),
            ({"unit_due_on": "2026-06-30"}, "unit_due_after_province", "unit_due_on"),
            ({"due_on": "2026-13-01"}, "validation_error", None),
        ],
    )
    async def test_bad_override_is_422_nothing_written(
        self, plans_client, world, body, code, field
    ):
        h1 = await self.stored(plans_client, world)
        response = await self.patch(plans_client, world, h1, body)
        assert (response.status_code, response.json()["code"]) == (422, code)
        if field:
            assert response.json()["errors"][0]["field"] == field
        again = (await plans_client.get(f"{API}/periods/{h1['id']}", headers=world.viewer())).json()
        assert again == h1

    async def test_stale_forbidden_unknown(self, plans_client, world):
        h1 = await self.stored(plans_client, world)
        stale = await self.patch(plans_client, world, h1, {"due_on": "2026-07-10"}, '"9"')
        officer = await plans_client.patch(
            f"{API}/periods/{h1['id']}",
            headers=world.officer(world.province),
            json={"due_on": "2026-07-10"},
        )
        unknown = await plans_client.patch(
            f"{API}/periods/{world.province.id}", headers=world.admin(), json={}
        )
        assert (stale.status_code, officer.status_code) == (412, 403)
        assert (unknown.status_code, unknown.json()["code"]) == (404, "period_not_found")
        again = (await plans_client.get(f"{API}/periods/{h1['id']}", headers=world.viewer())).json()
        assert again == h1
