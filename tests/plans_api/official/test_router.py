from __future__ import annotations

import unicodedata
import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from plans_api.official.models import OfficialVersion
from plans_api.outbox import OutboxEvent
from shared.clock import VIETNAM, FixedClock
from tests.factories import bearer, make_official, make_unit, token_for

OFFICIALS = "/api/plans/v1/officials"


def admin(app) -> dict[str, str]:
    return bearer(token_for(app, roles=["reform_admin"]))


async def versions_of(app, official_id) -> list[tuple]:
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(
            select(OfficialVersion)
            .where(OfficialVersion.official_id == uuid.UUID(str(official_id)))
            .order_by(OfficialVersion.valid_from)
        )
        return [(v.valid_from.isoformat(), v.valid_to and v.valid_to.isoformat(), v) for v in rows]


@pytest.fixture
async def tree(plans_app, plans_client):
    """Cần Thơ → Sở Nội vụ (→ Phòng CCHC), Sở Tư pháp."""
    province = await make_unit(plans_app, name="Thành phố Cần Thơ", level="province", code="92")
    home = await make_unit(plans_app, name="Sở Nội vụ", parent=province, code="SNV")
    office = await make_unit(plans_app, name="Phòng CCHC", level="other", parent=home, code="PCC")
    justice = await make_unit(plans_app, name="Sở Tư pháp", parent=province, code="STP")
    return {"province": province, "home": home, "office": office, "justice": justice}


@pytest.fixture
def freeze(plans_app):
    """``freeze(day)``: the app's today is ``day`` (00:30 in Vietnam, still the day before in
    UTC) until the test ends."""

    def set_today(day: date) -> None:
        plans_app.state.clock = FixedClock(
            datetime(day.year, day.month, day.day, 0, 30, tzinfo=VIETNAM)
        )

    yield set_today
    plans_app.state.clock = None


class TestTodayFollowsTheAppClock:
    async def test_a_new_officials_first_version_starts_today(
        self, plans_app, plans_client, tree, freeze
    ):
        freeze(date(2025, 3, 1))
        response = await plans_client.post(
            OFFICIALS,
            headers=admin(plans_app),
            json={"full_name": "Trần Thị Bình", "unit_id": str(tree["home"].id)},
        )
        assert response.status_code == 201, response.text
        versions = await versions_of(plans_app, response.json()["id"])
        assert [(f, t) for f, t, _ in versions] == [("2025-03-01", None)]

    async def test_a_change_holds_from_today(self, plans_app, plans_client, tree, freeze):
        official = await make_official(plans_app, unit=tree["home"])
        freeze(date(2025, 6, 15))
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}", headers=admin(plans_app), json={"is_leader": True}
        )
        assert response.status_code == 200, response.text
        assert [(f, t) for f, t, _ in await versions_of(plans_app, official.id)] == [
            ("2024-01-01", "2025-06-15"),
            ("2025-06-15", None),
        ]

    async def test_lists_and_counts_are_as_of_today(self, plans_app, plans_client, tree, freeze):
        await make_official(plans_app, unit=tree["home"], valid_from=date(2025, 7, 1))
        headers = admin(plans_app)
        seen = {}
        for day in (date(2025, 6, 30), date(2025, 7, 1)):
            freeze(day)
            listed = await plans_client.get(OFFICIALS, headers=headers)
            counted = await plans_client.get(f"{OFFICIALS}/counts", headers=headers)
            assert (listed.status_code, counted.status_code) == (200, 200)
            seen[day] = (listed.json()["total"], counted.json()["groups"]["all_officials"])
        assert seen == {date(2025, 6, 30): (0, 0), date(2025, 7, 1): (1, 1)}


class TestCreate:
    async def test_created_with_version_event_and_etag(self, plans_app, plans_client, tree):
        decomposed = unicodedata.normalize("NFD", "  Nguyễn Văn An ")
        response = await plans_client.post(
            OFFICIALS,
            headers=admin(plans_app),
            json={
                "full_name": decomposed,
                "unit_id": str(tree["home"].id),
                "employee_code": "NV001",
                "cchc_role": "dedicated",
                "is_leader": True,
                "joined_on": "2023-05-01",
                "email": "an@cantho.gov.vn",
            },
        )

        assert response.status_code == 201, response.text
        body = response.json()
        assert body["full_name"] == "Nguyễn Văn An"
        assert unicodedata.is_normalized("NFC", body["full_name"])
        assert response.headers["etag"] == '"1"'
        versions = await versions_of(plans_app, body["id"])
        assert [(f, t) for f, t, _ in versions] == [("2023-05-01", None)]
        assert versions[0][2].cchc_role == "dedicated" and versions[0][2].is_leader
        async with plans_app.state.sessionmaker() as session:
            event = await session.scalar(
                select(OutboxEvent).where(OutboxEvent.aggregate_id == uuid.UUID(body["id"]))
            )
        assert event is not None and event.type == "official.created"
        assert event.data["full_name"] == "Nguyễn Văn An" and event.sequence == 1

    async def test_duplicate_employee_code_is_409(self, plans_app, plans_client, tree):
        await make_official(plans_app, unit=tree["home"], employee_code="NV001")
        response = await plans_client.post(
            OFFICIALS,
            headers=admin(plans_app),
            json={"full_name": "B", "unit_id": str(tree["home"].id), "employee_code": " NV001 "},
        )
        assert (response.status_code, response.json()["code"]) == (409, "employee_code_taken")

    async def test_a_code_taken_in_another_unit_is_not_revealed_to_an_officer(
        self, plans_app, plans_client, tree
    ):
        await make_official(plans_app, unit=tree["justice"], employee_code="TP001")
        mine = await make_official(plans_app, unit=tree["office"], employee_code="NV009")
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=tree["home"].id))
        new = {"full_name": "B", "unit_id": str(tree["home"].id)}

        elsewhere = await plans_client.post(
            OFFICIALS, headers=officer, json={**new, "employee_code": "TP001"}
        )
        invalid = await plans_client.post(
            OFFICIALS, headers=officer, json={**new, "employee_code": "x" * 51}
        )
        renamed = await plans_client.patch(
            f"{OFFICIALS}/{mine.id}",
            headers={**officer, "If-Match": '"1"'},
            json={"employee_code": "TP001"},
        )
        in_my_units = await plans_client.post(
            OFFICIALS, headers=officer, json={**new, "employee_code": "NV009"}
        )
        by_admin = await plans_client.post(
            OFFICIALS, headers=admin(plans_app), json={**new, "employee_code": "TP001"}
        )

        for refused in (elsewhere, renamed):
            body = refused.json()
            assert (refused.status_code, body["code"]) == (invalid.status_code, "validation_error")
            assert body["code"] == invalid.json()["code"]
            assert [e["field"] for e in body["errors"]] == ["employee_code"]
            assert "TP001" not in refused.text and "taken" not in refused.text
        assert (in_my_units.status_code, in_my_units.json()["code"]) == (409, "employee_code_taken")
        assert (by_admin.status_code, by_admin.json()["code"]) == (409, "employee_code_taken")

    @pytest.mark.parametrize(
        "body",
        [
            {"full_name": "   "},
            {"cchc_role": "sometimes"},
            {"email": "not-an-address"},
            {"joined_on": "2024-05-01", "left_on": "2024-01-01"},
        ],
    )
    async def test_bad_fields_are_422(self, plans_app, plans_client, tree, body):
        response = await plans_client.post(
            OFFICIALS,
            headers=admin(plans_app),
            json={"full_name": "Trần Thị B", "unit_id": str(tree["home"].id), **body},
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error")

    async def test_unknown_unit_is_422(self, plans_app, plans_client, tree):
        response = await plans_client.post(
            OFFICIALS,
            headers=admin(plans_app),
            json={"full_name": "B", "unit_id": str(uuid.uuid4())},
        )
        assert (response.status_code, response.json()["code"]) == (422, "unknown_unit")

    async def test_idempotency_key_replays(self, plans_app, plans_client, tree):
        headers = {**admin(plans_app), "Idempotency-Key": "k-1"}
        body = {"full_name": "Lê Văn C", "unit_id": str(tree["home"].id)}
        first = await plans_client.post(OFFICIALS, headers=headers, json=body)
        again = await plans_client.post(OFFICIALS, headers=headers, json=body)
        assert again.headers["idempotency-replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        listed = await plans_client.get(OFFICIALS, headers=admin(plans_app))
        assert listed.json()["total"] == 1


class TestAccess:
    async def test_unit_officer_sees_only_their_subtree(self, plans_app, plans_client, tree):
        own = await make_official(plans_app, unit=tree["office"], full_name="Trong Phòng")
        other = await make_official(plans_app, unit=tree["justice"], full_name="Sở khác")
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=tree["home"].id))

        listed = await plans_client.get(OFFICIALS, headers=officer)
        mine = await plans_client.get(f"{OFFICIALS}/{own.id}", headers=officer)
        theirs = await plans_client.get(f"{OFFICIALS}/{other.id}", headers=officer)
        patch = await plans_client.patch(
            f"{OFFICIALS}/{other.id}", headers=officer, json={"position": "x"}
        )

        assert [o["full_name"] for o in listed.json()["items"]] == ["Trong Phòng"]
        assert mine.status_code == 200
        assert (theirs.status_code, theirs.json()["code"]) == (404, "official_not_found")
        assert "Sở khác" not in theirs.text
        assert patch.status_code == 404

    async def test_unit_officer_writes_only_inside_their_units(self, plans_app, plans_client, tree):
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=tree["home"].id))
        inside = await plans_client.post(
            OFFICIALS, headers=officer, json={"full_name": "A", "unit_id": str(tree["office"].id)}
        )
        outside = await plans_client.post(
            OFFICIALS, headers=officer, json={"full_name": "B", "unit_id": str(tree["justice"].id)}
        )
        moved_out = await plans_client.patch(
            f"{OFFICIALS}/{inside.json()['id']}",
            headers=officer,
            json={"unit_id": str(tree["justice"].id)},
        )
        assert inside.status_code == 201
        assert (outside.status_code, outside.json()["code"]) == (403, "unit_out_of_scope")
        assert (moved_out.status_code, moved_out.json()["code"]) == (403, "unit_out_of_scope")

    async def test_viewer_reads_all_but_cannot_write(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["justice"])
        viewer = bearer(token_for(plans_app, roles=["viewer"]))
        read = await plans_client.get(f"{OFFICIALS}/{official.id}", headers=viewer)
        write = await plans_client.patch(
            f"{OFFICIALS}/{official.id}", headers=viewer, json={"position": "x"}
        )
        assert read.status_code == 200
        assert (write.status_code, write.json()["code"]) == (403, "forbidden")

    @pytest.mark.parametrize("path", ["", "/counts"])
    async def test_learner_sees_nothing(self, plans_app, plans_client, tree, path):
        learner = bearer(token_for(plans_app, roles=["learner"], unit_id=tree["home"].id))
        response = await plans_client.get(OFFICIALS + path, headers=learner)
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")

    async def test_learner_cannot_read_by_id_or_import(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        learner = bearer(token_for(plans_app, roles=["learner"], unit_id=tree["home"].id))
        read = await plans_client.get(f"{OFFICIALS}/{official.id}", headers=learner)
        upload = await plans_client.post(
            f"{OFFICIALS}/import", headers=learner, files={"file": ("a.csv", b"x", "text/csv")}
        )
        assert read.status_code == 403
        assert upload.status_code == 403

    async def test_unit_officer_without_unit_is_403(self, plans_app, plans_client, tree):
        officer = bearer(token_for(plans_app, roles=["unit_officer"]))
        response = await plans_client.get(OFFICIALS, headers=officer)
        assert response.status_code == 403


class TestUpdate:
    async def test_patch_dates_a_new_version(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers={**admin(plans_app), "If-Match": '"1"'},
            json={
                "cchc_role": "concurrent",
                "unit_id": str(tree["justice"].id),
                "effective_on": "2025-03-01",
            },
        )

        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"2"'
        assert response.json()["cchc_role"] == "concurrent"
        versions = await versions_of(plans_app, official.id)
        assert [(f, t) for f, t, _ in versions] == [
            ("2024-01-01", "2025-03-01"),
            ("2025-03-01", None),
        ]
        assert versions[0][2].unit_id == tree["home"].id
        assert versions[1][2].unit_id == tree["justice"].id
        assert versions[1][2].cchc_role == "concurrent"

    async def test_change_on_the_versions_first_day_rewrites_it(
        self, plans_app, plans_client, tree
    ):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers=admin(plans_app),
            json={"expert_pool": True, "effective_on": "2024-01-01"},
        )
        assert response.status_code == 200
        versions = await versions_of(plans_app, official.id)
        assert [(f, t, v.expert_pool) for f, t, v in versions] == [("2024-01-01", None, True)]

    async def test_effective_before_current_version_is_422(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers=admin(plans_app),
            json={"is_leader": True, "effective_on": "2023-12-31"},
        )
        assert (response.status_code, response.json()["code"]) == (
            422,
            "effective_before_current_version",
        )
        assert len(await versions_of(plans_app, official.id)) == 1

    async def test_stale_if_match_is_412(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers={**admin(plans_app), "If-Match": '"7"'},
            json={"position": "Chuyên viên"},
        )
        assert (response.status_code, response.json()["code"]) == (412, "precondition_failed")

    async def test_leaving_closes_the_version(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}", headers=admin(plans_app), json={"left_on": "2025-06-01"}
        )
        assert response.status_code == 200
        assert [(f, t) for f, t, _ in await versions_of(plans_app, official.id)] == [
            ("2024-01-01", "2025-06-01")
        ]
        event_types = await _event_types(plans_app, official.id)
        assert event_types == ["official.updated"]

    async def test_left_before_current_version_is_422(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        url = f"{OFFICIALS}/{official.id}"
        moved = await plans_client.patch(
            url,
            headers=admin(plans_app),
            json={"unit_id": str(tree["justice"].id), "effective_on": "2025-03-01"},
        )
        assert moved.status_code == 200
        response = await plans_client.patch(
            url,
            headers=admin(plans_app),
            json={"left_on": "2024-06-01", "effective_on": "2025-03-01"},
        )
        assert (response.status_code, response.json()["code"]) == (
            422,
            "left_before_current_version",
        )

    async def test_rejoining_leaves_a_gap(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        url = f"{OFFICIALS}/{official.id}"
        await plans_client.patch(url, headers=admin(plans_app), json={"left_on": "2024-06-01"})
        response = await plans_client.patch(
            url,
            headers=admin(plans_app),
            json={"left_on": None, "joined_on": "2025-01-01", "effective_on": "2025-01-01"},
        )
        assert response.status_code == 200, response.text
        assert [(f, t) for f, t, _ in await versions_of(plans_app, official.id)] == [
            ("2024-01-01", "2024-06-01"),
            ("2025-01-01", None),
        ]

    async def test_no_change_writes_nothing(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"], position="Chuyên viên")
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers=admin(plans_app),
            json={"position": "Chuyên viên"},
        )
        assert response.headers["etag"] == '"1"'
        assert len(await versions_of(plans_app, official.id)) == 1
        assert await _event_types(plans_app, official.id) == []

    async def test_left_before_joined_is_422(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])  # joined 1 Jan 2024
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}",
            headers=admin(plans_app),
            json={"joined_on": "2025-01-01", "left_on": "2024-06-01"},
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error")

    async def test_null_for_a_required_field_is_422(self, plans_app, plans_client, tree):
        official = await make_official(plans_app, unit=tree["home"])
        response = await plans_client.patch(
            f"{OFFICIALS}/{official.id}", headers=admin(plans_app), json={"full_name": None}
        )
        assert response.status_code == 422


async def _event_types(app, official_id) -> list[str]:
    async with app.state.sessionmaker() as session:
        rows = await session.scalars(
            select(OutboxEvent.type)
            .where(OutboxEvent.aggregate_id == official_id)
            .order_by(OutboxEvent.sequence)
        )
        return list(rows)
