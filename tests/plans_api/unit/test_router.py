from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from plans_api.outbox import OutboxEvent
from plans_api.unit import repository
from shared.clock import FixedClock
from tests.factories import bearer, make_unit, token_for

UNITS = "/api/plans/v1/units"


class TestUnitAccess:
    async def test_unit_officer_sees_own_subtree_only(self, plans_app, plans_client):
        province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
        department = await make_unit(plans_app, name="Sở Nội vụ", parent=province)
        commune = await make_unit(
            plans_app, name="Phường Ninh Kiều", level="commune", parent=province
        )
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=department.id))

        own = await plans_client.get(f"/api/plans/v1/units/{department.id}", headers=officer)
        other = await plans_client.get(f"/api/plans/v1/units/{commune.id}", headers=officer)
        parent = await plans_client.get(f"/api/plans/v1/units/{province.id}", headers=officer)

        assert own.status_code == 200
        assert own.json()["name"] == "Sở Nội vụ"
        assert (other.status_code, other.json()["code"]) == (403, "forbidden")
        assert parent.status_code == 403

    async def test_province_officer_sees_units_below(self, plans_app, plans_client):
        province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province")
        department = await make_unit(plans_app, name="Sở Tư pháp", parent=province)
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=province.id))
        response = await plans_client.get(f"/api/plans/v1/units/{department.id}", headers=officer)
        assert response.status_code == 200

    async def test_ancestors(self, plans_app, plans_client):
        province = await make_unit(plans_app, level="province")
        department = await make_unit(plans_app, parent=province)
        response = await plans_client.get(
            f"/api/plans/v1/units/{department.id}/ancestors",
            headers=bearer(token_for(plans_app, roles=["viewer"])),
        )
        assert set(response.json()) == {str(province.id), str(department.id)}

    async def test_ancestors_of_another_unit_are_refused_to_a_unit_officer(
        self, plans_app, plans_client
    ):
        province = await make_unit(plans_app, level="province")
        own = await make_unit(plans_app, parent=province)
        other = await make_unit(plans_app, name="Sở Tư pháp", parent=province)
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=own.id))
        mine = await plans_client.get(f"/api/plans/v1/units/{own.id}/ancestors", headers=officer)
        theirs = await plans_client.get(
            f"/api/plans/v1/units/{other.id}/ancestors", headers=officer
        )
        assert mine.status_code == 200
        assert theirs.status_code == 403

    async def test_reform_admin_creates_units(self, plans_app, plans_client):
        headers = bearer(token_for(plans_app, roles=["reform_admin"]))
        response = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={"code": "92", "name": "Thành phố Cần Thơ", "level": "province"},
        )
        assert response.status_code == 201
        bad_parent = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={
                "code": "31153",
                "name": "Phường X",
                "level": "commune",
                "parent_id": str(uuid.uuid4()),
            },
        )
        assert bad_parent.status_code == 422

    async def test_unit_officer_cannot_create_units(self, plans_app, plans_client):
        headers = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=uuid.uuid4()))
        response = await plans_client.post(
            "/api/plans/v1/units",
            headers=headers,
            json={"code": "92", "name": "X", "level": "province"},
        )
        assert response.status_code == 403


async def events(plans_app, event_type: str) -> list[dict]:
    async with plans_app.state.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.type == event_type)
            .order_by(OutboxEvent.occurred_at, OutboxEvent.sequence)
        )
        return [{"aggregate_id": e.aggregate_id, "data": e.data} for e in rows]


async def list_units(client, headers, **params) -> list[dict]:
    response = await client.get(UNITS, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def ids(items: list[dict]) -> set[uuid.UUID]:
    return {uuid.UUID(item["id"]) for item in items}


class TestListUnits:
    async def test_as_of_sees_the_tree_of_that_day(self, plans_client, admin, reorg):
        before = await list_units(plans_client, admin, as_of="2025-06-30")
        after = await list_units(plans_client, admin, as_of="2025-07-01")

        assert ids(before) == {
            reorg[k]
            for k in (
                "can_tho",
                "snv_can_tho",
                "phong_dien_district",
                "soc_trang",
                "snv_soc_trang",
                "hau_giang",
                "hcm",
                "quan_1",
                "ben_nghe",
            )
        }
        assert ids(after) == {
            reorg[k] for k in ("can_tho", "snv_can_tho", "phong_dien_commune", "hcm", "sai_gon")
        }
        provinces = await list_units(plans_client, admin, as_of="2025-07-01", level="province")
        assert [u["name"] for u in provinces] == ["Thành phố Cần Thơ", "Thành phố Hồ Chí Minh"]

    async def test_a_code_names_a_unit_only_with_a_date(self, plans_client, admin, reorg):
        old = await list_units(plans_client, admin, code="26740", as_of="2024-01-01")
        new = await list_units(plans_client, admin, code="26740", as_of="2025-08-01")
        both = await list_units(
            plans_client, admin, code="26740", as_of="2025-08-01", include_retired="true"
        )

        assert [u["name"] for u in old] == ["Phường Bến Nghé"]
        assert [u["name"] for u in new] == ["Phường Sài Gòn"]
        assert ids(both) == {reorg["ben_nghe"], reorg["sai_gon"]}

    async def test_province_subtree(self, plans_client, admin, reorg):
        before = await list_units(
            plans_client, admin, province_id=str(reorg["can_tho"]), as_of="2025-06-30"
        )
        after = await list_units(
            plans_client, admin, province_id=str(reorg["hcm"]), as_of="2025-07-01"
        )
        assert ids(before) == {reorg["can_tho"], reorg["snv_can_tho"], reorg["phong_dien_district"]}
        assert ids(after) == {reorg["hcm"], reorg["sai_gon"]}

    async def test_default_as_of_is_today_in_vietnam(self, plans_app, plans_client, admin):
        today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        for name, valid_to in (("Hết hôm qua", today - timedelta(days=1)), ("Còn hôm nay", today)):
            response = await plans_client.post(
                UNITS,
                headers=admin,
                json={"code": name[:3], "name": name, "level": "other", "valid_to": str(valid_to)},
            )
            assert response.status_code == 201
        tomorrow = {"code": "MAI", "name": "Từ ngày mai", "level": "other"}
        tomorrow["valid_from"] = str(today + timedelta(days=1))
        assert (await plans_client.post(UNITS, headers=admin, json=tomorrow)).status_code == 201

        assert [u["name"] for u in await list_units(plans_client, admin)] == ["Còn hôm nay"]

    async def test_default_as_of_follows_the_app_clock(self, plans_app, plans_client, admin, reorg):
        # 23:30 on 30 June and 00:30 on 1 July in Vietnam: both still 30 June in UTC.
        seen = {}
        for moment in ("2025-06-30T16:30:00+00:00", "2025-06-30T17:30:00+00:00"):
            plans_app.state.clock = FixedClock(datetime.fromisoformat(moment))
            try:
                provinces = await list_units(plans_client, admin, level="province")
                successors = await plans_client.get(
                    f"{UNITS}/{reorg['soc_trang']}/successors", headers=admin
                )
            finally:
                plans_app.state.clock = None
            seen[moment[:16]] = (
                sorted(u["name"] for u in provinces),
                [u["name"] for u in successors.json()],
            )
        assert seen == {
            "2025-06-30T16:30": (
                ["Thành phố Cần Thơ", "Thành phố Hồ Chí Minh", "Tỉnh Hậu Giang", "Tỉnh Sóc Trăng"],
                ["Tỉnh Sóc Trăng"],
            ),
            "2025-06-30T17:30": (
                ["Thành phố Cần Thơ", "Thành phố Hồ Chí Minh"],
                ["Thành phố Cần Thơ"],
            ),
        }

    async def test_filters(self, plans_client, admin, reorg):
        on = {"as_of": "2025-06-30"}
        await plans_client.patch(
            f"{UNITS}/{reorg['snv_can_tho']}", headers=admin, json={"agency_code": "000.01.19.H13"}
        )

        children = await list_units(plans_client, admin, parent_id=str(reorg["can_tho"]), **on)
        levels = await list_units(plans_client, admin, level=["district", "commune"], **on)
        agency = await list_units(plans_client, admin, agency_code="000.01.19.H13", **on)
        unaccented = await list_units(plans_client, admin, q="ben nghe", **on)
        upper = await list_units(plans_client, admin, q="PHƯỜNG SÀI", as_of="2025-07-01")
        stroke = await list_units(plans_client, admin, q="phong dien", **on)
        wildcard = await list_units(plans_client, admin, q="%", **on)

        assert ids(children) == {reorg["snv_can_tho"], reorg["phong_dien_district"]}
        assert ids(levels) == {reorg["phong_dien_district"], reorg["quan_1"], reorg["ben_nghe"]}
        assert ids(agency) == {reorg["snv_can_tho"]}
        assert ids(unaccented) == {reorg["ben_nghe"]}
        assert ids(upper) == {reorg["sai_gon"]}
        assert ids(stroke) == {reorg["phong_dien_district"]}
        assert wildcard == []

    async def test_sorted_and_paginated(self, plans_client, admin, reorg):
        params = {"as_of": "2025-06-30", "level": "province", "limit": 2}
        first = await plans_client.get(UNITS, headers=admin, params={**params, "sort": "code"})
        second = await plans_client.get(
            UNITS, headers=admin, params={**params, "sort": "code", "offset": 2}
        )
        assert [u["code"] for u in first.json()["items"]] == ["79", "92"]
        assert [u["code"] for u in second.json()["items"]] == ["93", "94"]
        assert (first.json()["total"], second.json()["offset"]) == (4, 2)
        backwards = await list_units(plans_client, admin, **{**params, "sort": "-code"})
        assert [u["code"] for u in backwards] == ["94", "93"]

    async def test_unit_officer_lists_only_their_subtree(self, plans_app, plans_client, reorg):
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=reorg["soc_trang"]))
        own = await list_units(plans_client, officer, as_of="2025-06-30")
        can_tho = await list_units(
            plans_client, officer, province_id=str(reorg["can_tho"]), as_of="2025-06-30"
        )
        by_code = await list_units(plans_client, officer, code="92", as_of="2025-06-30")
        read = await plans_client.get(f"{UNITS}/{reorg['snv_can_tho']}", headers=officer)

        assert ids(own) == {reorg["soc_trang"], reorg["snv_soc_trang"]}
        assert can_tho == [] and by_code == []
        assert read.status_code == 403

    async def test_without_a_unit_a_unit_officer_sees_nothing(self, plans_app, plans_client, reorg):
        nobody = bearer(token_for(plans_app, roles=["unit_officer"]))
        viewer = bearer(token_for(plans_app, roles=["viewer"]))
        assert await list_units(plans_client, nobody, as_of="2025-06-30") == []
        assert len(await list_units(plans_client, viewer, as_of="2025-06-30")) == 9

    async def test_bad_parameters(self, plans_client, admin):
        for params in ({"as_of": "30/06/2025"}, {"level": "ward"}, {"sort": "secret"}):
            response = await plans_client.get(UNITS, headers=admin, params=params)
            assert (response.status_code, response.json()["code"]) == (422, "validation_error")
        assert (await plans_client.get(UNITS)).status_code == 401


class TestCreateUnit:
    async def test_all_fields_etag_and_event(self, plans_app, plans_client, admin):
        response = await plans_client.post(
            UNITS,
            headers=admin,
            json={
                "code": "92",
                "name": "Thành phố Cần Thơ",
                "short_name": "TP Cần Thơ",
                "level": "province",
                "agency_code": "000.00.00.H13",
                "valid_from": "2004-01-01",
            },
        )

        assert response.status_code == 201
        body = response.json()
        assert (body["short_name"], body["agency_code"]) == ("TP Cần Thơ", "000.00.00.H13")
        assert (body["valid_from"], body["valid_to"]) == ("2004-01-01", None)
        assert response.headers["etag"] == '"1"'
        [event] = await events(plans_app, "unit.created")
        assert event["data"]["id"] == body["id"] and event["data"]["code"] == "92"

    async def test_code_in_use_on_an_overlapping_day(self, plans_client, admin, reorg):
        for dates in (
            {},
            {"valid_from": "2025-06-30"},
            {"valid_from": "2020-01-01", "valid_to": "2020-12-31"},
            {"valid_to": "2030-01-01"},
        ):
            body = {"code": "26740", "name": "Phường Mới", "level": "commune", **dates}
            response = await plans_client.post(UNITS, headers=admin, json=body)
            assert (response.status_code, response.json()["code"]) == (409, "unit_code_in_use")
        again = await plans_client.get(UNITS, headers=admin, params={"q": "Phường Mới"})
        assert again.json()["total"] == 0

    async def test_the_database_constraint_backs_the_check(
        self, plans_client, admin, reorg, monkeypatch
    ):
        async def looks_free(*args, **kwargs) -> bool:  # as if a concurrent writer slipped in
            return False

        monkeypatch.setattr(repository, "code_taken", looks_free)
        body = {"code": "26740", "name": "Phường Mới", "level": "commune"}
        created = await plans_client.post(UNITS, headers=admin, json=body)
        moved = await plans_client.patch(
            f"{UNITS}/{reorg['ben_nghe']}", headers=admin, json={"valid_to": None}
        )
        assert (created.status_code, created.json()["code"]) == (409, "unit_code_in_use")
        assert (moved.status_code, moved.json()["code"]) == (409, "unit_code_in_use")

    async def test_a_code_may_be_reused_on_other_days(self, plans_client, admin):
        first = {"code": "31150", "name": "Phường A", "level": "commune", "valid_to": "2025-06-30"}
        second = {**first, "name": "Phường B", "valid_from": "2025-07-01", "valid_to": None}
        assert (await plans_client.post(UNITS, headers=admin, json=first)).status_code == 201
        assert (await plans_client.post(UNITS, headers=admin, json=second)).status_code == 201

    async def test_parent_must_exist_on_the_first_day(self, plans_client, admin, reorg):
        body = {"code": "31998", "name": "Xã Mới", "level": "commune", "valid_from": "2025-07-01"}
        under_old = {**body, "parent_id": str(reorg["phong_dien_district"])}
        undated = {**body, "valid_from": None, "parent_id": str(reorg["phong_dien_commune"])}
        unknown = {**body, "parent_id": str(uuid.uuid4())}
        for payload, code in (
            (under_old, "unit_parent_not_valid"),
            (undated, "unit_parent_not_valid"),
            (unknown, "unit_parent_unknown"),
        ):
            response = await plans_client.post(UNITS, headers=admin, json=payload)
            assert (response.status_code, response.json()["code"]) == (422, code)
            assert response.json()["errors"][0]["field"] == "parent_id"
        ok = await plans_client.post(
            UNITS, headers=admin, json={**body, "parent_id": str(reorg["can_tho"])}
        )
        assert ok.status_code == 201

    async def test_bad_fields(self, plans_client, admin):
        base = {"code": "92", "name": "Thành phố Cần Thơ", "level": "province"}
        for extra in (
            {"valid_from": "2025-07-01", "valid_to": "2025-06-30"},
            {"agency_code": "H13 và"},
            {"level": "ward"},
            {"name": ""},
            {"unknown": 1},
        ):
            response = await plans_client.post(UNITS, headers=admin, json={**base, **extra})
            assert (response.status_code, response.json()["code"]) == (422, "validation_error")


class TestUpdateUnit:
    async def test_changes_fields_with_if_match(self, plans_app, plans_client, admin, reorg):
        url = f"{UNITS}/{reorg['snv_can_tho']}"
        etag = (await plans_client.get(url, headers=admin)).headers["etag"]

        response = await plans_client.patch(
            url,
            headers={**admin, "If-Match": etag},
            json={"name": "Sở Nội vụ thành phố Cần Thơ", "short_name": "SNV", "valid_to": None},
        )
        stale = await plans_client.patch(
            url, headers={**admin, "If-Match": etag}, json={"short_name": "Khác"}
        )

        assert response.status_code == 200
        assert response.json()["short_name"] == "SNV"
        assert response.headers["etag"] == '"2"' != etag
        assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
        [event] = await events(plans_app, "unit.updated")
        assert event["data"]["name"] == "Sở Nội vụ thành phố Cần Thơ"
        assert (await plans_client.get(url, headers=admin)).json()["short_name"] == "SNV"

    async def test_clearing_an_optional_field(self, plans_client, admin, reorg):
        url = f"{UNITS}/{reorg['hcm']}"
        await plans_client.patch(url, headers=admin, json={"short_name": "TP.HCM"})
        response = await plans_client.patch(url, headers=admin, json={"short_name": None})
        assert response.json()["short_name"] is None

    async def test_a_unit_cannot_go_under_itself(self, plans_client, admin, reorg):
        url = f"{UNITS}/{reorg['can_tho']}"
        for below in ("can_tho", "snv_can_tho"):
            response = await plans_client.patch(
                url, headers=admin, json={"parent_id": str(reorg[below])}
            )
            assert (response.status_code, response.json()["code"]) == (422, "unit_cycle")
        assert (await plans_client.get(url, headers=admin)).json()["parent_id"] is None

    async def test_moving_a_unit(self, plans_client, admin, reorg):
        url = f"{UNITS}/{reorg['ben_nghe']}"
        response = await plans_client.patch(
            url, headers=admin, json={"parent_id": str(reorg["hcm"])}
        )
        assert response.json()["parent_id"] == str(reorg["hcm"])
        gone = await plans_client.patch(url, headers=admin, json={"parent_id": str(uuid.uuid4())})
        assert (gone.status_code, gone.json()["code"]) == (422, "unit_parent_unknown")

    async def test_dates(self, plans_client, admin, reorg):
        ben_nghe = f"{UNITS}/{reorg['ben_nghe']}"
        overlap = await plans_client.patch(ben_nghe, headers=admin, json={"valid_to": "2025-07-31"})
        reversed_ = await plans_client.patch(
            ben_nghe, headers=admin, json={"valid_from": "2025-07-01"}
        )
        early = await plans_client.patch(
            f"{UNITS}/{reorg['sai_gon']}", headers=admin, json={"valid_from": "2025-06-01"}
        )
        assert (overlap.status_code, overlap.json()["code"]) == (409, "unit_code_in_use")
        assert (reversed_.status_code, reversed_.json()["code"]) == (422, "unit_invalid_dates")
        assert (early.status_code, early.json()["code"]) == (409, "unit_code_in_use")
        read = await plans_client.get(ben_nghe, headers=admin)
        assert read.json()["valid_to"] == "2025-06-30"

    async def test_parent_must_exist_on_a_new_first_day(self, plans_client, admin, reorg):
        response = await plans_client.patch(
            f"{UNITS}/{reorg['phong_dien_district']}",
            headers=admin,
            json={
                "parent_id": str(reorg["soc_trang"]),
                "valid_from": "2025-07-01",
                "valid_to": None,
            },
        )
        assert (response.status_code, response.json()["code"]) == (422, "unit_parent_not_valid")

    async def test_bad_input_and_access(self, plans_app, plans_client, admin, reorg):
        url = f"{UNITS}/{reorg['hcm']}"
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=reorg["hcm"]))
        null_name = await plans_client.patch(url, headers=admin, json={"name": None})
        code = await plans_client.patch(url, headers=admin, json={"code": "80"})
        forbidden = await plans_client.patch(url, headers=officer, json={"name": "X"})
        missing = await plans_client.patch(f"{UNITS}/{uuid.uuid4()}", headers=admin, json={})
        assert (null_name.status_code, code.status_code) == (422, 422)
        assert forbidden.status_code == 403
        assert (missing.status_code, missing.json()["code"]) == (404, "unit_not_found")

    async def test_no_change_no_event(self, plans_app, plans_client, admin, reorg):
        response = await plans_client.patch(
            f"{UNITS}/{reorg['hcm']}", headers=admin, json={"name": "Thành phố Hồ Chí Minh"}
        )
        assert response.headers["etag"] == '"1"'
        assert await events(plans_app, "unit.updated") == []


class TestAreas:
    async def test_seven_areas_for_anyone_logged_in(self, plans_app, plans_client):
        learner = bearer(token_for(plans_app, roles=["learner"]))
        response = await plans_client.get("/api/plans/v1/areas", headers=learner)
        body = response.json()
        assert body["total"] == 7
        assert [a["position"] for a in body["items"]] == list(range(1, 8))
        assert body["items"][1]["code"] == "administrative_procedures"
        assert (await plans_client.get("/api/plans/v1/areas")).status_code == 401
