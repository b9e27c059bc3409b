from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import SecretStr

from tests.factories import bearer, make_unit, make_user, token_for
from tests.plans_api.identity.test_token import login

USERS = "/api/auth/v1/users"


def admin(plans_app, role: str = "system_admin") -> dict[str, str]:
    return bearer(token_for(plans_app, roles=[role]))


class TestCreateUser:
    async def test_created_user_can_log_in(self, plans_app, plans_client):
        unit = await make_unit(plans_app)
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app, "reform_admin"),
            json={
                "username": "Tran.Thi.B",
                "password": "mot-mat-khau-dai",
                "full_name": "Trần Thị B",
                "unit_id": str(unit.id),
                "roles": ["unit_officer", "learner"],
            },
        )

        assert response.status_code == 201
        body = response.json()
        assert body["username"] == "tran.thi.b"
        assert body["roles"] == ["learner", "unit_officer"]
        assert "password" not in body and "password_hash" not in body
        assert response.headers["etag"] == '"1"'
        assert (await login(plans_client, "tran.thi.b", "mot-mat-khau-dai")).status_code == 200

    async def test_duplicate_username_is_409(self, plans_app, plans_client):
        await make_user(plans_app, username="trung")
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app),
            json={
                "username": "TRUNG",
                "password": "mot-mat-khau-dai",
                "full_name": "X",
                "roles": ["learner"],
            },
        )
        assert (response.status_code, response.json()["code"]) == (409, "username_taken")

    async def test_reform_admin_cannot_make_a_system_admin(self, plans_app, plans_client):
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app, "reform_admin"),
            json={
                "username": "leo.thang",
                "password": "mot-mat-khau-dai",
                "full_name": "X",
                "roles": ["system_admin"],
            },
        )
        assert response.status_code == 403

    async def test_learner_cannot_create_accounts(self, plans_app, plans_client):
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app, "learner"),
            json={
                "username": "ai.do",
                "password": "mot-mat-khau-dai",
                "full_name": "X",
                "roles": ["learner"],
            },
        )
        assert (response.status_code, response.json()["code"]) == (403, "forbidden")

    async def test_invalid_fields_are_listed(self, plans_app, plans_client):
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app),
            json={
                "username": "a b",
                "password": "short",
                "full_name": "",
                "roles": ["emperor"],
                "extra": 1,
            },
        )
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert {"body.username", "body.password", "body.full_name", "body.extra"} <= fields
        assert any(f.startswith("body.roles") for f in fields)

    async def test_unknown_unit_is_422(self, plans_app, plans_client):
        response = await plans_client.post(
            USERS,
            headers=admin(plans_app),
            json={
                "username": "lac.loi",
                "password": "mot-mat-khau-dai",
                "full_name": "X",
                "roles": ["learner"],
                "unit_id": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "unit_id"


class TestListAndUpdate:
    async def test_list_filters_by_role(self, plans_app, plans_client):
        await make_user(plans_app, username="hoc.vien", roles=["learner"])
        await make_user(plans_app, username="can.bo", roles=["unit_officer"])
        response = await plans_client.get(
            USERS, params={"role": "unit_officer"}, headers=admin(plans_app)
        )
        body = response.json()
        assert [u["username"] for u in body["items"]] == ["can.bo"]
        assert body["total"] == 1

    async def test_search_is_accent_insensitive_and_wildcards_are_literal(
        self, plans_app, plans_client
    ):
        await make_user(plans_app, username="nguyen.van.a", full_name="Nguyễn Văn Ấn")
        await make_user(plans_app, username="le_thi_b", full_name="Lê Thị B")
        await make_user(plans_app, username="tran.c", full_name="Trần 100% C")

        async def found(q: str) -> list[str]:
            response = await plans_client.get(USERS, params={"q": q}, headers=admin(plans_app))
            assert response.status_code == 200
            return [u["username"] for u in response.json()["items"]]

        assert await found("NGUYEN VAN AN") == ["nguyen.van.a"]
        assert await found("lê thi") == ["le_thi_b"]
        assert await found("_") == ["le_thi_b"]
        assert await found("%") == ["tran.c"]

    async def test_patch_with_stale_etag_is_412(self, plans_app, plans_client):
        user = await make_user(plans_app, username="sua.doi")
        url = f"{USERS}/{user.id}"
        first = await plans_client.patch(
            url, headers={**admin(plans_app), "If-Match": '"1"'}, json={"full_name": "Tên mới"}
        )
        stale = await plans_client.patch(
            url, headers={**admin(plans_app), "If-Match": '"1"'}, json={"full_name": "Tên khác"}
        )

        assert first.status_code == 200
        assert first.headers["etag"] == '"2"'
        assert (stale.status_code, stale.json()["code"]) == (412, "precondition_failed")
        current = await plans_client.get(url, headers=admin(plans_app))
        assert current.json()["full_name"] == "Tên mới"

    async def test_deactivated_user_cannot_log_in(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nghi.viec")
        await plans_client.patch(
            f"{USERS}/{user.id}", headers=admin(plans_app), json={"is_active": False}
        )
        assert (await login(plans_client, "nghi.viec")).status_code == 401

    async def test_unknown_user_is_404(self, plans_app, plans_client):
        response = await plans_client.get(f"{USERS}/{uuid.uuid4()}", headers=admin(plans_app))
        assert (response.status_code, response.json()["code"]) == (404, "user_not_found")


class TestBootstrap:
    async def test_bootstrap_admin_created_once(self, plans_app, plans_client):
        from plans_api.identity.users import bootstrap

        settings = plans_app.state.settings.model_copy(
            update={
                "bootstrap_admin_username": "Root",
                "bootstrap_admin_password": SecretStr("khoi-tao-lan-dau"),
            }
        )
        for _ in range(2):
            async with plans_app.state.sessionmaker() as session, session.begin():
                await bootstrap(session, settings)

        response = await login(plans_client, "root", "khoi-tao-lan-dau")
        me = await plans_client.get(
            "/api/auth/v1/me", headers=bearer(response.json()["access_token"])
        )
        assert me.json()["roles"] == ["system_admin"]


class TestIdempotency:
    BODY: ClassVar[dict[str, object]] = {
        "username": "lap.lai",
        "password": "mot-mat-khau-dai",
        "full_name": "Lặp Lại",
        "roles": ["learner"],
    }

    async def test_retry_with_the_same_key_returns_the_first_answer(self, plans_app, plans_client):
        headers = {**admin(plans_app), "Idempotency-Key": "tao-tai-khoan-1"}
        first = await plans_client.post(USERS, headers=headers, json=self.BODY)
        again = await plans_client.post(USERS, headers=headers, json=self.BODY)

        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["idempotency-replayed"] == "true"
        listed = await plans_client.get(USERS, params={"q": "lap.lai"}, headers=admin(plans_app))
        assert listed.json()["total"] == 1

    async def test_same_key_different_body_is_422(self, plans_app, plans_client):
        headers = {**admin(plans_app), "Idempotency-Key": "tao-tai-khoan-2"}
        await plans_client.post(USERS, headers=headers, json=self.BODY)
        other = await plans_client.post(
            USERS, headers=headers, json={**self.BODY, "username": "khac.han"}
        )
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")

    async def test_a_failed_request_leaves_no_key_behind(self, plans_app, plans_client):
        await make_user(plans_app, username="lap.lai")
        headers = {**admin(plans_app), "Idempotency-Key": "tao-tai-khoan-3"}
        failed = await plans_client.post(USERS, headers=headers, json=self.BODY)
        retried = await plans_client.post(
            USERS, headers=headers, json={**self.BODY, "username": "lap.lai.2"}
        )
        assert failed.status_code == 409
        assert retried.status_code == 201

    async def test_keys_are_per_caller(self, plans_app, plans_client):
        body = {"code": "92", "name": "Thành phố Cần Thơ", "level": "province"}
        one = {**admin(plans_app, "reform_admin"), "Idempotency-Key": "k"}
        two = {**admin(plans_app, "reform_admin"), "Idempotency-Key": "k"}
        a = await plans_client.post("/api/plans/v1/units", headers=one, json=body)
        b = await plans_client.post("/api/plans/v1/units", headers=two, json={**body, "code": "93"})
        assert a.json()["id"] != b.json()["id"]
