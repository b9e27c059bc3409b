"""shared.testing: per-test isolation leaves nothing behind, tokens are accepted by every app,
databases are per worker, and password hashing is cheap only in tests."""

from __future__ import annotations

import argon2
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from plans_api.config import PasswordSettings
from plans_api.identity.passwords import hash_secret
from plans_api.models import Base as PlansBase
from plans_api.unit.models import Unit
from shared.testing import TEST_KEY, bearer, client_for, token_for
from shared.testing.database import rolled_back, truncated, worker
from tests.conftest import CATALOGUE_TABLES
from tests.factories import make_unit

UNITS = "/api/plans/v1/units"


async def committed_units(app: FastAPI) -> int:
    """Units visible to a connection of its own, i.e. committed."""
    async with app.state.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(Unit)) or 0)


def admin(app: FastAPI) -> dict[str, str]:
    return bearer(token_for(app, roles=["reform_admin"]))


class TestRolledBack:
    async def test_leaves_nothing_behind(self, session_plans_app: FastAPI):
        async with rolled_back(session_plans_app), client_for(session_plans_app) as client:
            body = {"code": "92", "name": "Cần Thơ", "level": "province"}
            created = await client.post(UNITS, headers=admin(session_plans_app), json=body)
            assert created.status_code == 201, created.text
            # The request committed; its commit was a savepoint, seen by the next request only.
            unit = f"{UNITS}/{created.json()['id']}"
            read = await client.get(unit, headers=admin(session_plans_app))
            assert read.status_code == 200
            assert await committed_units(session_plans_app) == 0
        assert await committed_units(session_plans_app) == 0

    async def test_a_failed_request_leaves_the_transaction_usable(self, plans_app, plans_client):
        body = {"code": "92", "name": "Cần Thơ", "level": "province"}
        assert (
            await plans_client.post(UNITS, headers=admin(plans_app), json=body)
        ).status_code == 201
        again = await plans_client.post(UNITS, headers=admin(plans_app), json=body)
        assert again.status_code == 409
        listed = await plans_client.get(UNITS, headers=admin(plans_app))
        assert listed.json()["total"] == 1

    async def test_factories_and_the_app_share_the_transaction(self, plans_app, plans_client):
        unit = await make_unit(plans_app, name="Sở Tư pháp")
        read = await plans_client.get(f"{UNITS}/{unit.id}", headers=admin(plans_app))
        assert read.status_code == 200
        assert read.json()["name"] == "Sở Tư pháp"
        assert await committed_units(plans_app) == 0


class TestTruncated:
    async def test_commits_for_real_then_empties_the_tables(self, session_plans_app: FastAPI):
        async with truncated(session_plans_app, PlansBase.metadata, CATALOGUE_TABLES):
            await make_unit(session_plans_app)
            assert await committed_units(session_plans_app) == 1
        assert await committed_units(session_plans_app) == 0

    @pytest.mark.commits
    async def test_the_marker_gives_real_commits(self, plans_app):
        await make_unit(plans_app)
        assert await committed_units(plans_app) == 1


class TestTokens:
    async def test_every_app_accepts_token_for(self, plans_app, learning_app, reporting_app):
        for app, prefix in (
            (plans_app, "auth"),
            (learning_app, "learning"),
            (reporting_app, "reporting"),
        ):
            async with client_for(app) as client:
                me = await client.get(
                    f"/api/{prefix}/v1/me", headers=bearer(token_for(app, roles=["viewer"]))
                )
            assert me.status_code == 200, (prefix, me.text)
            assert me.json()["roles"] == ["viewer"]

    def test_plans_api_signs_with_the_test_key(self, session_plans_app: FastAPI):
        assert session_plans_app.state.keyring.active.kid == TEST_KEY.kid


def test_databases_are_per_worker(plans_db_url: str, learning_db_url: str):
    assert make_url(plans_db_url).database == f"test_plans_{worker()}"
    assert make_url(learning_db_url).database == f"test_learning_{worker()}"


class TestPasswordCost:
    def test_tests_hash_cheaply(self, session_plans_app: FastAPI):
        params = argon2.extract_parameters(hash_secret("mat-khau"))
        assert (params.time_cost, params.memory_cost, params.parallelism) == (1, 8, 1)

    def test_production_keeps_the_library_defaults(self):
        settings = PasswordSettings()
        assert settings.time_cost == argon2.DEFAULT_TIME_COST
        assert settings.memory_cost_kib == argon2.DEFAULT_MEMORY_COST
        assert settings.parallelism == argon2.DEFAULT_PARALLELISM
