"""Test fixtures: a real PostgreSQL (embedded by default, ``TEST_DATABASE_URL`` for another),
one migrated database per service per xdist worker, and each app driven through httpx.

Each test starts from empty tables: the tables are truncated after every test that used a
service's client, so code under test commits for real, as it does in production.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from learning_api.config import LearningSettings
from learning_api.main import create_app as create_learning_app
from plans_api.config import PlansSettings, SigningSettings
from plans_api.main import create_app as create_plans_app
from plans_api.models import Base as PlansBase
from reporting_api.config import ReportingSettings
from reporting_api.main import create_app as create_reporting_app
from shared.auth.keys import RemoteJWKS, StaticKeySource
from shared.config import DatabaseSettings
from shared.devdb import ensure_databases, start_embedded, to_asyncpg_url, with_database
from shared.migrations import upgrade

REPO = Path(__file__).resolve().parent.parent
SERVICES = REPO / "services"
ISSUER = "http://testserver/api/auth/v1"
AUDIENCE = "cchc-platform"


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield to_asyncpg_url(url)
        return
    server, url = start_embedded(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield url
    server.cleanup()


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def _service_database(server_url: str, service: str) -> str:
    name = f"test_{service}_{_worker()}"
    await ensure_databases(server_url, [name], recreate=True)
    url = with_database(server_url, name)
    await asyncio.to_thread(upgrade, SERVICES / f"{service}-api", url)
    return url


@pytest.fixture(scope="session")
async def plans_db_url(pg_server_url: str) -> str:
    return await _service_database(pg_server_url, "plans")


@pytest.fixture(scope="session")
async def learning_db_url(pg_server_url: str) -> str:
    return await _service_database(pg_server_url, "learning")


@pytest.fixture(scope="session")
async def reporting_db_url(pg_server_url: str) -> str:
    return await _service_database(pg_server_url, "reporting")


def _db(url: str) -> DatabaseSettings:
    return DatabaseSettings(url=url, pool_size=5, max_overflow=5)


@pytest.fixture(scope="session")
def plans_settings(plans_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> PlansSettings:
    return PlansSettings(
        database=_db(plans_db_url),
        signing=SigningSettings(keys_dir=tmp_path_factory.mktemp("keys")),
        auth={"issuer": ISSUER, "audience": AUDIENCE},
        bootstrap_admin_username=None,
        bootstrap_admin_password=None,
    )


@pytest.fixture(scope="session")
async def plans_app(plans_settings: PlansSettings) -> AsyncIterator[FastAPI]:
    app = create_plans_app(plans_settings)
    async with LifespanManager(app):
        yield app


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


# Catalogues the migrations load: they stay, as in production.
CATALOGUE_TABLES = {"reform_areas"}


async def _truncate(engine: AsyncEngine, metadata: MetaData) -> None:
    names = ", ".join(
        f'"{t.name}"' for t in metadata.sorted_tables if t.name not in CATALOGUE_TABLES
    )
    if names:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def plans_client(plans_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(plans_app) as client:
        yield client
    await _truncate(plans_app.state.engine, PlansBase.metadata)


@pytest.fixture(scope="session")
async def learning_app(learning_db_url: str, plans_app: FastAPI) -> AsyncIterator[FastAPI]:
    """learning-api fetching plans-api's JWKS over HTTP (to the plans app in-process)."""
    jwks_client = _client(plans_app)
    settings = LearningSettings(
        database=_db(learning_db_url),
        auth={
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "jwks_url": "http://testserver/api/auth/v1/jwks",
        },
    )
    app = create_learning_app(
        settings, key_source=lambda app: RemoteJWKS(settings.auth.jwks_url, jwks_client)
    )
    async with LifespanManager(app):
        yield app
    await jwks_client.aclose()


@pytest.fixture
async def learning_client(learning_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    from learning_api.models import Base

    async with _client(learning_app) as client:
        yield client
    await _truncate(learning_app.state.engine, Base.metadata)


@pytest.fixture(scope="session")
async def reporting_app(reporting_db_url: str, plans_app: FastAPI) -> AsyncIterator[FastAPI]:
    settings = ReportingSettings(
        database=_db(reporting_db_url),
        auth={"issuer": ISSUER, "audience": AUDIENCE},
    )
    jwks = plans_app.state.keyring.jwks()
    app = create_reporting_app(settings, key_source=lambda app: StaticKeySource(jwks))
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def reporting_client(reporting_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    from reporting_api.models import Base

    async with _client(reporting_app) as client:
        yield client
    await _truncate(reporting_app.state.engine, Base.metadata)
