"""Sessions end when they should (issue 10 point 4): a password change or reset and a
deactivation revoke every refresh token; those and a role or unit change make plans-api refuse
the account's earlier access tokens at once (other services: tests/shared/test_revocation.py)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from plans_api.identity.models import RefreshToken, User
from tests.factories import DEFAULT_PASSWORD, bearer, make_unit, make_user, token_for
from tests.plans_api.identity.test_token import TOKEN, login

NEW_PASSWORD = "mat-khau-Moi-2026"
ME = "/api/auth/v1/me"


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


async def change_own(
    client: httpx.AsyncClient, access: str, current: str, new: str = NEW_PASSWORD, **headers: str
) -> httpx.Response:
    return await client.post(
        "/api/auth/v1/me/password",
        json={"current_password": current, "new_password": new},
        headers={**bearer(access), **headers},
    )


async def admin_patch(
    plans_app: FastAPI, client: httpx.AsyncClient, user: User, changes: dict
) -> httpx.Response:
    headers = bearer(token_for(plans_app, roles=["system_admin"]))
    current = await client.get(f"/api/auth/v1/users/{user.id}", headers=headers)
    return await client.patch(
        f"/api/auth/v1/users/{user.id}",
        json=changes,
        headers={**headers, "If-Match": current.headers["etag"]},
    )


async def open_refresh_tokens(plans_app: FastAPI, user: User) -> int:
    async with plans_app.state.sessionmaker() as session:
        rows = await session.scalars(
            select(RefreshToken.id).where(
                RefreshToken.user_id == user.id,
                RefreshToken.revoked_at.is_(None),
                RefreshToken.used_at.is_(None),
            )
        )
        return len(list(rows))


class TestOwnPasswordChange:
    async def test_ends_every_session_and_answers_a_new_one(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.an")
        laptop = (await login(plans_client, "nv.an")).json()
        phone = (await login(plans_client, "nv.an")).json()

        changed = await change_own(plans_client, phone["access_token"], DEFAULT_PASSWORD)

        assert changed.status_code == 200
        assert changed.headers["cache-control"] == "no-store"
        fresh = changed.json()
        for old in (laptop, phone):
            assert (await refresh(plans_client, old["refresh_token"])).status_code == 401
            refused = await plans_client.get(ME, headers=bearer(old["access_token"]))
            assert refused.status_code == 401
            assert refused.json()["code"] == "invalid_token"
        assert (
            await plans_client.get(ME, headers=bearer(fresh["access_token"]))
        ).status_code == 200
        assert (await refresh(plans_client, fresh["refresh_token"])).status_code == 200
        assert (await login(plans_client, "nv.an")).status_code == 401
        assert (await login(plans_client, "nv.an", NEW_PASSWORD)).status_code == 200
        assert await open_refresh_tokens(plans_app, user) == 2  # fresh's successor, the login

    async def test_a_login_right_after_the_change_works(self, plans_app, plans_client):
        """The valid-after moment is rounded up and new tokens carry it as iat: no second in
        which a new token is refused or an old one accepted."""
        await make_user(plans_app, username="nv.binh")
        tokens = (await login(plans_client, "nv.binh")).json()
        await change_own(plans_client, tokens["access_token"], DEFAULT_PASSWORD)

        again = (await login(plans_client, "nv.binh", NEW_PASSWORD)).json()

        assert (
            await plans_client.get(ME, headers=bearer(again["access_token"]))
        ).status_code == 200

    async def test_wrong_current_password_is_403_and_throttled(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.chi")
        tokens = (await login(plans_client, "nv.chi")).json()
        answers = [
            await change_own(plans_client, tokens["access_token"], "khong-phai-mat-khau")
            for _ in range(6)
        ]

        assert [a.status_code for a in answers] == [403] * 5 + [429]
        assert answers[0].json()["code"] == "wrong_password"
        assert answers[0].headers["content-type"] == "application/problem+json"
        assert answers[5].headers["retry-after"] == "1"
        assert (await login(plans_client, "nv.chi")).status_code == 429  # the same counts
        # nothing changed: the session still works
        assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 200

    async def test_english_and_validation(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.dung")
        access = (await login(plans_client, "nv.dung")).json()["access_token"]

        wrong = await change_own(plans_client, access, "sai", **{"Accept-Language": "en"})
        short = await change_own(plans_client, access, DEFAULT_PASSWORD, new="ngan")

        assert wrong.json()["detail"] == "The current password is wrong"
        assert short.status_code == 422
        assert short.json()["errors"][0]["field"] == "body.new_password"

    async def test_an_api_client_has_no_password(self, plans_app, plans_client):
        token = token_for(plans_app, roles=[], token_use="client", subject="client:cli_x")
        response = await change_own(plans_client, token, "bat-ky-mat-khau")
        assert response.status_code == 403
        assert response.json()["code"] == "users_only"

    async def test_needs_a_token(self, plans_client):
        response = await plans_client.post(
            "/api/auth/v1/me/password",
            json={"current_password": "x", "new_password": NEW_PASSWORD},
        )
        assert response.status_code == 401


class TestAdminChanges:
    async def test_a_password_reset_revokes_every_refresh_token(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.em")
        tokens = (await login(plans_client, "nv.em")).json()

        assert (
            await admin_patch(plans_app, plans_client, user, {"password": NEW_PASSWORD})
        ).status_code == 200

        assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 401
        assert (
            await plans_client.get(ME, headers=bearer(tokens["access_token"]))
        ).status_code == 401
        assert await open_refresh_tokens(plans_app, user) == 0

    async def test_deactivation_ends_every_session(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.giang")
        tokens = (await login(plans_client, "nv.giang")).json()

        await admin_patch(plans_app, plans_client, user, {"is_active": False})

        assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 401
        assert (
            await plans_client.get(ME, headers=bearer(tokens["access_token"]))
        ).status_code == 401
        await admin_patch(plans_app, plans_client, user, {"is_active": True})
        assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 401

    async def test_a_role_change_refuses_the_tokens_naming_the_old_roles(
        self, plans_app, plans_client
    ):
        unit = await make_unit(plans_app)
        user = await make_user(plans_app, username="nv.hoa", roles=["reform_admin"], unit=unit)
        tokens = (await login(plans_client, "nv.hoa")).json()

        await admin_patch(plans_app, plans_client, user, {"roles": ["viewer"]})

        assert (
            await plans_client.get(ME, headers=bearer(tokens["access_token"]))
        ).status_code == 401
        renewed = await refresh(plans_client, tokens["refresh_token"])  # sessions go on
        assert renewed.status_code == 200
        me = await plans_client.get(ME, headers=bearer(renewed.json()["access_token"]))
        assert me.json()["roles"] == ["viewer"]

    async def test_a_name_change_ends_nothing(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.khanh")
        tokens = (await login(plans_client, "nv.khanh")).json()

        await admin_patch(plans_app, plans_client, user, {"full_name": "Trần Thị Khánh"})

        assert (
            await plans_client.get(ME, headers=bearer(tokens["access_token"]))
        ).status_code == 200
        assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 200


class TestRefreshOfADeactivatedAccount:
    async def test_the_refusal_keeps_its_revocation(self, plans_app, plans_client):
        """Deactivated behind the API's back (no revocation yet): the refresh attempt revokes
        every refresh token of the account and that is committed although it answers 401."""
        user = await make_user(plans_app, username="nv.lan")
        first = (await login(plans_client, "nv.lan")).json()
        second = (await login(plans_client, "nv.lan")).json()
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(update(User).where(User.id == user.id).values(is_active=False))

        refused = await refresh(plans_client, first["refresh_token"])

        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_grant"
        assert await open_refresh_tokens(plans_app, user) == 0
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(update(User).where(User.id == user.id).values(is_active=True))
        for tokens in (first, second):
            assert (await refresh(plans_client, tokens["refresh_token"])).status_code == 401


class TestRevocationList:
    PATH = "/api/auth/v1/revocations"

    def client(self, plans_app: FastAPI, scope: str) -> dict[str, str]:
        return bearer(
            token_for(
                plans_app,
                roles=[],
                subject="client:learning-api",
                token_use="client",
                scope=scope,
                client_id="learning-api",
            )
        )

    async def test_lists_the_recent_changes_for_a_service(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.minh")
        other = await make_user(plans_app, username="nv.nam")
        await admin_patch(plans_app, plans_client, user, {"is_active": False})

        response = await plans_client.get(
            self.PATH, headers=self.client(plans_app, "units:read auth:revocations")
        )

        assert response.status_code == 200
        body = response.json()
        assert body["window_seconds"] == 15 * 60 + 30
        ids = [item["user_id"] for item in body["items"]]
        assert str(user.id) in ids
        assert str(other.id) not in ids

    async def test_needs_the_scope(self, plans_app, plans_client):
        no_scope = await plans_client.get(self.PATH, headers=self.client(plans_app, "units:read"))
        a_person = await plans_client.get(
            self.PATH, headers=bearer(token_for(plans_app, roles=["system_admin"]))
        )
        nobody = await plans_client.get(self.PATH)
        assert (no_scope.status_code, a_person.status_code, nobody.status_code) == (403, 403, 401)

    async def test_documented(self, plans_client):
        doc = (await plans_client.get("/api/plans/v1/openapi.json")).json()
        for path, method, codes in (
            (self.PATH, "get", {"401", "403"}),
            ("/api/auth/v1/me/password", "post", {"401", "403", "422", "429"}),
            ("/api/auth/v1/users/{user_id}/unlock", "post", {"401", "403", "404"}),
        ):
            responses = doc["paths"][path][method]["responses"]
            assert codes <= set(responses)
            assert "application/problem+json" in responses["403"]["content"]
