from __future__ import annotations

import uuid

from sqlalchemy import select

from plans_api.unit.models import UnitSuccession
from tests.factories import bearer, token_for
from tests.plans_api.unit.test_router import events

UNITS = "/api/plans/v1/units"


async def create(client, headers, **body) -> uuid.UUID:
    response = await client.post(UNITS, headers=headers, json=body)
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


async def succeed(client, headers, unit_id, successors, effective_on, kind="merge", **extra):
    body = {"successor_ids": [str(s) for s in successors], "effective_on": effective_on}
    return await client.post(
        f"{UNITS}/{unit_id}/succession",
        headers={**headers, **extra},
        json={**body, "kind": kind},
    )


async def successors(client, headers, unit_id, on=None) -> list[str]:
    params = {"on": on} if on else {}
    response = await client.get(f"{UNITS}/{unit_id}/successors", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return [u["name"] for u in response.json()]


async def links(plans_app) -> list[tuple[uuid.UUID, uuid.UUID]]:
    async with plans_app.state.sessionmaker() as session:
        rows = await session.execute(
            select(UnitSuccession.predecessor_id, UnitSuccession.successor_id)
        )
        return [tuple(row) for row in rows.all()]


class TestRecordSuccession:
    async def test_the_mergers_of_july_2025(self, plans_app, plans_client, admin, reorg):
        soc_trang = await plans_client.get(f"{UNITS}/{reorg['soc_trang']}", headers=admin)

        assert soc_trang.json()["valid_to"] == "2025-06-30"
        assert (reorg["soc_trang"], reorg["can_tho"]) in await links(plans_app)
        assert await successors(plans_client, admin, reorg["soc_trang"]) == ["Thành phố Cần Thơ"]
        assert await successors(plans_client, admin, reorg["soc_trang"], "2025-06-30") == [
            "Tỉnh Sóc Trăng"
        ]
        assert await successors(plans_client, admin, reorg["phong_dien_district"]) == [
            "Xã Phong Điền"
        ]
        assert await successors(plans_client, admin, reorg["quan_1"]) == []  # abolished
        succeeded = await events(plans_app, "unit.succeeded")
        assert len(succeeded) == 5
        first = succeeded[0]["data"]
        assert first["unit"]["name"] == "Tỉnh Sóc Trăng"
        assert [s["name"] for s in first["successors"]] == ["Thành phố Cần Thơ"]
        assert (first["kind"], first["effective_on"]) == ("merge", "2025-07-01")

    async def test_retires_the_unit_the_day_before(self, plans_client, admin):
        old = await create(plans_client, admin, code="A1", name="Xã Cũ", level="commune")
        new = await create(
            plans_client, admin, code="A2", name="Xã Mới", level="commune", valid_from="2026-01-01"
        )
        response = await succeed(
            plans_client, admin, old, [new], "2026-01-01", **{"If-Match": '"1"'}
        )

        assert response.status_code == 201
        assert response.json()["unit"]["valid_to"] == "2025-12-31"
        assert response.headers["etag"] == '"2"'

    async def test_rename_keeping_the_code(self, plans_client, admin):
        old = await create(plans_client, admin, code="31000", name="Phường Cũ", level="commune")
        patched = await plans_client.patch(
            f"{UNITS}/{old}", headers=admin, json={"valid_to": "2025-06-30"}
        )
        new = await create(
            plans_client,
            admin,
            code="31000",
            name="Phường Mới",
            level="commune",
            valid_from="2025-07-01",
        )
        response = await succeed(plans_client, admin, old, [new], "2025-07-01", "rename")

        assert patched.status_code == 200 and response.status_code == 201
        assert await successors(plans_client, admin, old) == ["Phường Mới"]

    async def test_split(self, plans_client, admin):
        old = await create(plans_client, admin, code="S0", name="Huyện Gốc", level="district")
        parts = [
            await create(
                plans_client,
                admin,
                code=f"S{i}",
                name=f"Xã {i}",
                level="commune",
                valid_from="2025-07-01",
            )
            for i in (1, 2)
        ]
        response = await succeed(plans_client, admin, old, parts, "2025-07-01", "split")

        assert response.status_code == 201
        assert await successors(plans_client, admin, old, "2025-07-01") == ["Xã 1", "Xã 2"]

    async def test_idempotent_retry(self, plans_client, admin):
        old = await create(plans_client, admin, code="I0", name="Cũ", level="other")
        new = await create(plans_client, admin, code="I1", name="Mới", level="other")
        key = {"Idempotency-Key": "succession-1"}
        first = await succeed(plans_client, admin, old, [new], "2026-01-01", **key)
        again = await succeed(plans_client, admin, old, [new], "2026-01-01", **key)
        assert (first.status_code, again.status_code) == (201, 201)
        assert again.headers["idempotency-replayed"] == "true"


class TestBadSuccession:
    async def test_shape(self, plans_app, plans_client, admin):
        old = await create(plans_client, admin, code="B0", name="Cũ", level="other")
        one = await create(plans_client, admin, code="B1", name="Một", level="other")
        two = await create(plans_client, admin, code="B2", name="Hai", level="other")
        for kind, targets in (
            ("split", [one]),
            ("rename", [one, two]),
            ("merge", [one, two]),
            ("merge", [old]),
        ):
            response = await succeed(plans_client, admin, old, targets, "2026-01-01", kind)
            assert (response.status_code, response.json()["code"]) == (422, "unit_succession_shape")
        for body in (
            {"successor_ids": [], "effective_on": "2026-01-01", "kind": "merge"},
            {"successor_ids": [str(one), str(one)], "effective_on": "2026-01-01", "kind": "split"},
            {"successor_ids": [str(one)], "effective_on": "2026-01-01", "kind": "absorb"},
            {"successor_ids": [str(one)], "kind": "merge"},
        ):
            response = await plans_client.post(
                f"{UNITS}/{old}/succession", headers=admin, json=body
            )
            assert (response.status_code, response.json()["code"]) == (422, "validation_error")
        unchanged = await plans_client.get(f"{UNITS}/{old}", headers=admin)
        assert unchanged.json()["valid_to"] is None and await links(plans_app) == []

    async def test_successors_must_exist_on_the_day(self, plans_app, plans_client, admin, reorg):
        unknown = await succeed(plans_client, admin, reorg["hcm"], [uuid.uuid4()], "2026-01-01")
        retired = await succeed(
            plans_client, admin, reorg["snv_can_tho"], [reorg["snv_soc_trang"]], "2026-01-01"
        )
        not_yet = await succeed(
            plans_client, admin, reorg["can_tho"], [reorg["phong_dien_commune"]], "2025-01-01"
        )
        assert (unknown.status_code, unknown.json()["code"]) == (422, "unit_successor_unknown")
        for response in (retired, not_yet):
            assert (response.status_code, response.json()["code"]) == (
                422,
                "unit_successor_not_valid",
            )
        can_tho = await plans_client.get(f"{UNITS}/{reorg['can_tho']}", headers=admin)
        assert can_tho.json()["valid_to"] is None
        assert len(await links(plans_app)) == 5

    async def test_a_unit_retired_earlier_or_already_succeeded(self, plans_client, admin, reorg):
        retired = await succeed(
            plans_client, admin, reorg["quan_1"], [reorg["sai_gon"]], "2026-01-01"
        )
        twice = await succeed(
            plans_client, admin, reorg["soc_trang"], [reorg["can_tho"]], "2025-07-01"
        )
        assert (retired.status_code, retired.json()["code"]) == (409, "unit_already_retired")
        assert (twice.status_code, twice.json()["code"]) == (409, "unit_already_succeeded")

    async def test_not_before_the_unit_began(self, plans_client, admin, reorg):
        response = await succeed(
            plans_client, admin, reorg["sai_gon"], [reorg["hcm"]], "2025-07-01"
        )
        assert (response.status_code, response.json()["code"]) == (
            422,
            "unit_succession_before_start",
        )

    async def test_stale_if_match_access_and_unknown_unit(
        self, plans_app, plans_client, admin, reorg
    ):
        stale = await succeed(
            plans_client,
            admin,
            reorg["hcm"],
            [reorg["can_tho"]],
            "2030-01-01",
            **{"If-Match": '"7"'},
        )
        officer = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=reorg["hcm"]))
        forbidden = await succeed(
            plans_client, officer, reorg["hcm"], [reorg["can_tho"]], "2030-01-01"
        )
        missing = await succeed(plans_client, admin, uuid.uuid4(), [reorg["can_tho"]], "2030-01-01")
        assert stale.status_code == 412
        assert forbidden.status_code == 403
        assert (missing.status_code, missing.json()["code"]) == (404, "unit_not_found")


class TestChains:
    async def test_a_chain_of_mergers(self, plans_client, admin):
        a = await create(plans_client, admin, code="C1", name="Phường A", level="commune")
        b = await create(plans_client, admin, code="C2", name="Phường B", level="commune")
        c = await create(
            plans_client,
            admin,
            code="C3",
            name="Phường C",
            level="commune",
            valid_from="2026-01-01",
        )
        assert (await succeed(plans_client, admin, a, [b], "2025-07-01")).status_code == 201
        assert (await succeed(plans_client, admin, b, [c], "2026-01-01")).status_code == 201

        assert await successors(plans_client, admin, a, "2025-06-30") == ["Phường A"]
        assert await successors(plans_client, admin, a, "2025-08-01") == ["Phường B"]
        assert await successors(plans_client, admin, a, "2026-02-01") == ["Phường C"]
        predecessors = await plans_client.get(f"{UNITS}/{c}/predecessors", headers=admin)
        assert [
            (p["unit"]["name"], p["successor_id"], p["effective_on"]) for p in predecessors.json()
        ] == [
            ("Phường B", str(c), "2026-01-01"),
            ("Phường A", str(b), "2025-07-01"),
        ]

    async def test_predecessors_of_the_merged_city(self, plans_client, admin, reorg):
        response = await plans_client.get(f"{UNITS}/{reorg['can_tho']}/predecessors", headers=admin)
        assert sorted(p["unit"]["name"] for p in response.json()) == [
            "Tỉnh Hậu Giang",
            "Tỉnh Sóc Trăng",
        ]
        assert {p["kind"] for p in response.json()} == {"merge"}

    async def test_scoped_like_reading_the_unit(self, plans_app, plans_client, reorg):
        soc_trang = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=reorg["soc_trang"]))
        can_tho = bearer(token_for(plans_app, roles=["unit_officer"], unit_id=reorg["can_tho"]))
        own = await plans_client.get(f"{UNITS}/{reorg['soc_trang']}/successors", headers=soc_trang)
        other = await plans_client.get(f"{UNITS}/{reorg['soc_trang']}/successors", headers=can_tho)
        back = await plans_client.get(f"{UNITS}/{reorg['can_tho']}/predecessors", headers=soc_trang)
        missing = await plans_client.get(
            f"{UNITS}/{uuid.uuid4()}/successors",
            headers=bearer(token_for(plans_app, roles=["viewer"])),
        )
        assert [u["name"] for u in own.json()] == ["Thành phố Cần Thơ"]
        assert (other.status_code, back.status_code) == (403, 403)
        assert missing.status_code == 404
