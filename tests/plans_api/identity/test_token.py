from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.factories import DEFAULT_PASSWORD, bearer, make_unit, make_user

TOKEN = "/api/auth/v1/token"


async def login(
    client: httpx.AsyncClient, username: str, password: str = DEFAULT_PASSWORD, **headers: str
) -> httpx.Response:
    return await client.post(
        TOKEN,
        data={"grant_type": "password", "username": username, "password": password},
        headers=headers,
    )


class TestPasswordGrant:
    async def test_login_then_me(self, plans_app: FastAPI, plans_client: httpx.AsyncClient):
        unit = await make_unit(plans_app)
        user = await make_user(plans_app, username="nv.an", roles=["unit_officer"], unit=unit)

        response = await login(plans_client, "NV.An")

        assert response.status_code == 200
        body = response.json()
        assert body["token_type"] == "bearer"
        assert body["expires_in"] == 900
        assert body["refresh_token"]
        assert response.headers["cache-control"] == "no-store"
        me = await plans_client.get("/api/auth/v1/me", headers=bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json() == {
            "id": str(user.id),
            "username": "nv.an",
            "full_name": "Nguyễn Văn A",
            "unit_id": str(unit.id),
            "roles": ["unit_officer"],
            "official_id": None,
            "kind": "user",
            "scopes": [],
        }

    async def test_wrong_password_and_unknown_user_look_the_same(
        self, plans_app: FastAPI, plans_client: httpx.AsyncClient
    ):
        await make_user(plans_app, username="nv.binh")

        wrong = await login(plans_client, "nv.binh", "sai-mat-khau-roi")
        unknown = await login(plans_client, "khong.co.ai", "sai-mat-khau-roi")

        assert wrong.status_code == unknown.status_code == 401
        assert wrong.headers["content-type"] == "application/problem+json"
        for key in ("code", "title", "detail"):
            assert wrong.json()[key] == unknown.json()[key]
        assert wrong.json()["code"] == "invalid_grant"

    async def test_inactive_user_cannot_log_in(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.nghi", active=False)
        assert (await login(plans_client, "nv.nghi")).status_code == 401

    async def test_english_messages_on_request(self, plans_client):
        response = await login(
            plans_client, "ai.do", "sai-mat-khau-roi", **{"Accept-Language": "en"}
        )
        assert response.json()["detail"] == "Wrong username or password"

    async def test_unsupported_grant(self, plans_client):
        response = await plans_client.post(TOKEN, data={"grant_type": "implicit"})
        assert response.status_code == 400
        assert response.json()["error"] == "unsupported_grant_type"

    async def test_missing_grant_type_is_422(self, plans_client):
        response = await plans_client.post(TOKEN, data={})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "body.grant_type"


class TestRefreshGrant:
    async def _tokens(self, plans_app, plans_client) -> dict:
        await make_user(plans_app, username="nv.em")
        return (await login(plans_client, "nv.em")).json()

    async def refresh(self, client, token):
        return await client.post(
            TOKEN, data={"grant_type": "refresh_token", "refresh_token": token}
        )

    async def test_rotates(self, plans_app, plans_client):
        first = await self._tokens(plans_app, plans_client)

        second = await self.refresh(plans_client, first["refresh_token"])

        assert second.status_code == 200
        assert second.json()["refresh_token"] != first["refresh_token"]
        me = await plans_client.get(
            "/api/auth/v1/me", headers=bearer(second.json()["access_token"])
        )
        assert me.json()["username"] == "nv.em"

    async def test_reuse_revokes_the_whole_family(self, plans_app, plans_client):
        first = await self._tokens(plans_app, plans_client)
        second = (await self.refresh(plans_client, first["refresh_token"])).json()

        reused = await self.refresh(plans_client, first["refresh_token"])
        after = await self.refresh(plans_client, second["refresh_token"])

        assert reused.status_code == 401
        assert reused.json()["code"] == "invalid_grant"
        assert after.status_code == 401  # the legitimate newer token is revoked too

    async def test_unknown_token(self, plans_client):
        assert (await self.refresh(plans_client, "khong-phai-token")).status_code == 401


class TestClientCredentials:
    async def test_client_gets_a_token_with_its_scopes(self, plans_app, plans_client):
        admin = await make_user(plans_app, username="admin", roles=["system_admin"])
        token = (await login(plans_client, admin.username)).json()["access_token"]
        created = await plans_client.post(
            "/api/auth/v1/clients",
            headers=bearer(token),
            json={"name": "Cổng LGSP", "scopes": ["units:read"]},
        )
        assert created.status_code == 201
        client = created.json()

        form = await plans_client.post(
            TOKEN,
            data={
                "grant_type": "client_credentials",
                "client_id": client["client_id"],
                "client_secret": client["client_secret"],
            },
        )
        basic = await plans_client.post(
            TOKEN,
            data={"grant_type": "client_credentials"},
            auth=(client["client_id"], client["client_secret"]),
        )

        assert form.status_code == basic.status_code == 200
        assert "refresh_token" not in form.json()
        me = (
            await plans_client.get("/api/auth/v1/me", headers=bearer(form.json()["access_token"]))
        ).json()
        assert me["kind"] == "client"
        assert me["scopes"] == ["units:read"]
        assert me["roles"] == []

    async def test_wrong_secret(self, plans_client):
        response = await plans_client.post(
            TOKEN,
            data={
                "grant_type": "client_credentials",
                "client_id": "cli_x",
                "client_secret": "nope",
            },
        )
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_client"


class TestJwks:
    async def test_publishes_rsa_public_keys_only(self, plans_client):
        response = await plans_client.get("/api/auth/v1/jwks")
        keys = response.json()["keys"]
        assert keys and all(k["kty"] == "RSA" and k["alg"] == "RS256" for k in keys)
        assert all("d" not in k and "p" not in k for k in keys)
