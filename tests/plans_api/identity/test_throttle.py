"""Login throttling: growing delays per (account, address) and per address, never a lock that
an attacker elsewhere can put on the owner (issue 10 point 5; each attack is a test)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Literal

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select, update

from plans_api.config import LoginThrottleSettings
from plans_api.identity import passwords
from plans_api.identity.models import LoginFailure
from plans_api.identity.throttle import delay_seconds
from tests.factories import DEFAULT_PASSWORD, bearer, make_user, token_for
from tests.plans_api.identity.test_token import login

WRONG = "sai-mat-khau-roi"
FREE = LoginThrottleSettings().free_failures_per_account_address  # 5
NEW_PASSWORD = "mat-khau-Moi-2026"


@pytest.fixture
async def from_address(plans_app: FastAPI) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """``from_address(ip)``: a client whose connection comes from ``ip`` (as uvicorn reports
    the client address, after the gateway's X-Forwarded-For where trusted)."""
    clients: list[httpx.AsyncClient] = []

    def make(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=plans_app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


async def fail(client: httpx.AsyncClient, username: str, times: int, **headers: str) -> None:
    for _ in range(times):
        assert (await login(client, username, WRONG, **headers)).status_code == 401


async def expire_delays(plans_app: FastAPI) -> None:
    """As if the current waits had passed (the counts stay)."""
    async with plans_app.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(LoginFailure).values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )


class TestDelays:
    def test_free_failures_then_doubling_capped(self):
        settings = LoginThrottleSettings(base_delay_seconds=1, max_delay_seconds=900)
        waits = [delay_seconds(n, 5, settings) for n in range(1, 18)]
        assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]
        assert delay_seconds(10_000, 5, settings) == 900

    async def test_after_the_free_failures_even_the_right_password_waits(
        self, plans_app, plans_client
    ):
        await make_user(plans_app, username="nv.cuong")
        await fail(plans_client, "nv.cuong", FREE)

        delayed = await login(plans_client, "nv.cuong")

        assert delayed.status_code == 429
        assert delayed.headers["content-type"] == "application/problem+json"
        assert delayed.headers["retry-after"] == "1"
        assert delayed.json()["code"] == "too_many_requests"

    async def test_each_further_failure_doubles_the_wait(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.cuong")
        await fail(plans_client, "nv.cuong", FREE)
        retry_after = []
        for _ in range(3):
            await expire_delays(plans_app)
            assert (await login(plans_client, "nv.cuong", WRONG)).status_code == 401
            retry_after.append(int((await login(plans_client, "nv.cuong")).headers["retry-after"]))
        assert retry_after == [2, 4, 8]

    async def test_after_the_wait_the_owner_gets_in(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.cuong")
        await fail(plans_client, "nv.cuong", FREE)
        await expire_delays(plans_app)
        await fail(plans_client, "nv.cuong", 1)
        await expire_delays(plans_app)
        assert (await login(plans_client, "nv.cuong")).status_code == 200


class TestAttacks:
    async def test_x_forwarded_for_does_not_choose_the_address(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.an")
        for n in range(FREE):
            forged = {"X-Forwarded-For": f"203.0.113.{n}", "X-Real-IP": f"198.51.100.{n}"}
            assert (await login(plans_client, "nv.an", WRONG, **forged)).status_code == 401

        fresh_forgery = await login(plans_client, "nv.an", WRONG, **{"X-Forwarded-For": "1.2.3.4"})

        assert fresh_forgery.status_code == 429  # the same connection address, whatever it says
        rows = await keys(plans_app)
        assert rows == {"acct:nv.an|127.0.0.1", "addr:127.0.0.1"}

    async def test_the_victim_from_another_address_still_gets_in(self, plans_app, from_address):
        await make_user(plans_app, username="nv.binh")
        attacker, victim = from_address("198.51.100.7"), from_address("203.0.113.9")
        await fail(attacker, "nv.binh", FREE)
        assert (await login(attacker, "nv.binh")).status_code == 429

        assert (await login(victim, "nv.binh")).status_code == 200
        assert (await login(attacker, "nv.binh")).status_code == 429  # still slowed

    async def test_a_success_does_not_reset_another_addresses_count(self, plans_app, from_address):
        await make_user(plans_app, username="nv.chi")
        attacker, owner = from_address("198.51.100.7"), from_address("203.0.113.9")
        await fail(attacker, "nv.chi", FREE - 1)
        assert (await login(owner, "nv.chi")).status_code == 200

        await fail(attacker, "nv.chi", 1)  # the attacker's fifth, not a first

        assert (await login(attacker, "nv.chi")).status_code == 429

    async def test_a_success_resets_its_own_count(self, plans_app, plans_client):
        await make_user(plans_app, username="nv.dung")
        await fail(plans_client, "nv.dung", FREE - 1)
        assert (await login(plans_client, "nv.dung")).status_code == 200
        await fail(plans_client, "nv.dung", FREE - 1)
        assert (await login(plans_client, "nv.dung")).status_code == 200

    async def test_one_address_trying_many_accounts_is_slowed(self, plans_app, from_address):
        sprayer, other = from_address("198.51.100.8"), from_address("203.0.113.10")
        await make_user(plans_app, username="nv.giang")
        free = LoginThrottleSettings().free_failures_per_address
        for n in range(free):
            assert (await login(sprayer, f"ai.{n}", WRONG)).status_code == 401

        assert (await login(sprayer, "nv.giang")).status_code == 429
        assert (await login(other, "nv.giang")).status_code == 200

    async def test_unknown_users_wrong_passwords_and_delays_look_alike(
        self, plans_app, plans_client
    ):
        await make_user(plans_app, username="nv.hoa")
        answers = {}
        for name in ("nv.hoa", "khong.co.ai"):
            first = await login(plans_client, name, WRONG)
            await fail(plans_client, name, FREE - 1)
            answers[name] = (first, await login(plans_client, name, WRONG))

        (known_401, known_429), (unknown_401, unknown_429) = answers.values()
        assert known_401.status_code == unknown_401.status_code == 401
        assert known_429.status_code == unknown_429.status_code == 429
        for key in ("code", "title", "detail"):
            assert known_401.json()[key] == unknown_401.json()[key]
            assert known_429.json()[key] == unknown_429.json()[key]
        assert known_429.headers["retry-after"] == unknown_429.headers["retry-after"]

    async def test_unknown_and_inactive_users_cost_an_argon2_verify(
        self, plans_app, plans_client, monkeypatch
    ):
        """The same work as a wrong password, so the time does not tell who exists."""
        verified: list[str] = []

        class Counting(PasswordHasher):
            def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
                verified.append(str(password))
                return super().verify(hash, password)

        hasher = passwords._hasher
        monkeypatch.setattr(
            passwords,
            "_hasher",
            Counting(hasher.time_cost, hasher.memory_cost, hasher.parallelism),
        )
        await make_user(plans_app, username="nv.khanh")
        await make_user(plans_app, username="nv.nghi", active=False)

        for name in ("nv.khanh", "khong.co.ai", "nv.nghi"):
            assert (await login(plans_client, name, f"{name}-{WRONG}")).status_code == 401

        assert verified == [f"{n}-{WRONG}" for n in ("nv.khanh", "khong.co.ai", "nv.nghi")]


async def keys(plans_app: FastAPI) -> set[str]:
    async with plans_app.state.sessionmaker() as session:
        return set(await session.scalars(select(LoginFailure.key)))


class TestClearing:
    async def test_an_admin_password_reset_clears_the_accounts_counts(
        self, plans_app, plans_client, from_address
    ):
        user = await make_user(plans_app, username="nv.lan")
        await fail(from_address("198.51.100.7"), "nv.lan", FREE)
        await fail(plans_client, "nv.lan", FREE)
        headers = bearer(token_for(plans_app, roles=["system_admin"]))
        current = await plans_client.get(f"/api/auth/v1/users/{user.id}", headers=headers)

        reset = await plans_client.patch(
            f"/api/auth/v1/users/{user.id}",
            json={"password": NEW_PASSWORD},
            headers={**headers, "If-Match": current.headers["etag"]},
        )

        assert reset.status_code == 200
        assert await keys(plans_app) == {"addr:127.0.0.1", "addr:198.51.100.7"}
        assert (await login(plans_client, "nv.lan", NEW_PASSWORD)).status_code == 200

    async def test_an_admin_unlock_clears_the_accounts_counts(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.minh")
        await make_user(plans_app, username="nv.minh2")
        await fail(plans_client, "nv.minh", FREE)
        await fail(plans_client, "nv.minh2", 1)  # another account whose name starts alike
        headers = bearer(token_for(plans_app, roles=["reform_admin"]))

        unlocked = await plans_client.post(f"/api/auth/v1/users/{user.id}/unlock", headers=headers)

        assert unlocked.status_code == 204
        assert await keys(plans_app) == {"addr:127.0.0.1", "acct:nv.minh2|127.0.0.1"}
        assert (await login(plans_client, "nv.minh", DEFAULT_PASSWORD)).status_code == 200

    async def test_unlock_needs_an_admin_and_a_known_account(self, plans_app, plans_client):
        user = await make_user(plans_app, username="nv.nam")
        viewer = bearer(token_for(plans_app, roles=["viewer"]))
        admin_headers = bearer(token_for(plans_app, roles=["system_admin"]))

        forbidden = await plans_client.post(f"/api/auth/v1/users/{user.id}/unlock", headers=viewer)
        missing = await plans_client.post(
            "/api/auth/v1/users/00000000-0000-4000-8000-000000000000/unlock",
            headers=admin_headers,
        )

        assert forbidden.status_code == 403
        assert missing.status_code == 404
        assert missing.json()["code"] == "user_not_found"

    async def test_only_a_system_admin_unlocks_a_system_admin(self, plans_app, plans_client):
        user = await make_user(plans_app, username="qt.he.thong", roles=["system_admin"])
        headers = bearer(token_for(plans_app, roles=["reform_admin"]))
        response = await plans_client.post(f"/api/auth/v1/users/{user.id}/unlock", headers=headers)
        assert response.status_code == 403
