"""Access tokens of ended sessions refused by every service: the cached list of
``shared.auth.revocation`` and learning-api and reporting-api asking plans-api for it over HTTP
(in-process, with a real service token)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from plans_api.identity.models import ApiClient
from plans_api.identity.passwords import hash_secret
from shared.auth.revocation import REVOCATIONS_SCOPE, CachedRevocations, ValidAfter
from shared.http import UpstreamUnavailable
from tests.conftest import REVOCATIONS_CLIENT
from tests.factories import bearer, make_user
from tests.plans_api.identity.test_sessions import admin_patch
from tests.plans_api.identity.test_token import login


class TestCachedRevocations:
    @pytest.fixture
    def source(self) -> tuple[CachedRevocations, list[float], list[ValidAfter | Exception]]:
        now = [0.0]
        answers: list[ValidAfter | Exception] = []
        calls = answers

        async def fetch() -> ValidAfter:
            answer = calls.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer

        return CachedRevocations(fetch, ttl=60, clock=lambda: now[0]), now, answers

    async def test_kept_for_the_ttl_then_fetched_again(self, source):
        cache, now, answers = source
        answers += [{"u1": 100}, {"u1": 200}]
        assert await cache.valid_after("u1") == 100
        now[0] = 59.9
        assert await cache.valid_after("u1") == 100
        now[0] = 60
        assert await cache.valid_after("u1") == 200
        assert await cache.valid_after("u2") is None

    async def test_invalidate_fetches_at_once(self, source):
        cache, _, answers = source
        answers += [{}, {"u1": 5}]
        assert await cache.valid_after("u1") is None
        cache.invalidate()
        assert await cache.valid_after("u1") == 5

    async def test_a_failed_fetch_keeps_the_last_list_and_retries_soon(self, source):
        cache, now, answers = source
        answers += [{"u1": 1}, UpstreamUnavailable("plans", "down"), {"u1": 2}]
        assert await cache.valid_after("u1") == 1
        now[0] = 61
        assert await cache.valid_after("u1") == 1  # plans-api down: not everyone logged out
        now[0] = 65.9
        assert await cache.valid_after("u1") == 1  # no fetch storm
        now[0] = 66
        assert await cache.valid_after("u1") == 2


@pytest.fixture
async def reader_account(plans_app: FastAPI) -> None:
    """The account the test apps read the list with (tests/conftest.py), with its scope."""
    async with plans_app.state.sessionmaker() as session, session.begin():
        session.add(
            ApiClient(
                client_id=REVOCATIONS_CLIENT.client_id,
                name="revocations reader",
                secret_hash=hash_secret(REVOCATIONS_CLIENT.client_secret.get_secret_value()),
                scopes=[REVOCATIONS_SCOPE],
            )
        )


def bound_passed(app: FastAPI) -> None:
    """As after the cache bound (AUTH__REVOCATION_CACHE_SECONDS): the next request refetches."""
    app.state.token_verifier.revocations.invalidate()


@pytest.mark.usefixtures("reader_account")
async def test_a_deactivated_accounts_token_stops_everywhere(
    plans_app: FastAPI,
    plans_client: httpx.AsyncClient,
    learning_app: FastAPI,
    learning_client: httpx.AsyncClient,
    reporting_app: FastAPI,
    reporting_client: httpx.AsyncClient,
):
    services = {
        "learning": (learning_app, learning_client),
        "reporting": (reporting_app, reporting_client),
    }
    user = await make_user(plans_app, username="nv.tuan")
    await make_user(plans_app, username="nv.vy")
    tokens = (await login(plans_client, "nv.tuan")).json()
    others = (await login(plans_client, "nv.vy")).json()
    for name, (app, client) in services.items():
        bound_passed(app)
        me = await client.get(f"/api/{name}/v1/me", headers=bearer(tokens["access_token"]))
        assert me.status_code == 200

    await admin_patch(plans_app, plans_client, user, {"is_active": False})

    for name, (app, client) in services.items():
        bound_passed(app)
        refused = await client.get(f"/api/{name}/v1/me", headers=bearer(tokens["access_token"]))
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_token"
        other = await client.get(f"/api/{name}/v1/me", headers=bearer(others["access_token"]))
        assert other.status_code == 200


@pytest.mark.usefixtures("reader_account")
async def test_a_demoted_accounts_new_token_works_in_learning(
    plans_app: FastAPI, plans_client: httpx.AsyncClient, learning_app, learning_client
):
    user = await make_user(plans_app, username="nv.xuan", roles=["instructor"])
    tokens = (await login(plans_client, "nv.xuan")).json()
    await admin_patch(plans_app, plans_client, user, {"roles": ["learner"]})
    bound_passed(learning_app)

    old = await learning_client.get("/api/learning/v1/me", headers=bearer(tokens["access_token"]))
    renewed = await plans_client.post(
        "/api/auth/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    new = await learning_client.get(
        "/api/learning/v1/me", headers=bearer(renewed.json()["access_token"])
    )

    assert old.status_code == 401
    assert new.status_code == 200
    assert new.json()["roles"] == ["learner"]
