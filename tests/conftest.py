"""The services under test, built on ``shared.testing``: one migrated database per service and
xdist worker on the session's PostgreSQL, each app started once per session and driven through
httpx in-process.

``plans_app``, ``learning_app`` and ``reporting_app`` are the session's apps wrapped for one test
(``shared.testing.plugin.isolated``): by default everything the test and the app write is rolled
back afterwards; tests marked ``commits`` (code that opens its own sessions or connections)
commit for real and their tables are truncated afterwards. Fixtures that need an app across
tests take ``session_plans_app`` and the like.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from learning_api.config import LearningSettings
from learning_api.main import create_app as create_learning_app
from learning_api.models import Base as LearningBase
from plans_api.config import PasswordSettings, PlansSettings, SigningSettings
from plans_api.main import create_app as create_plans_app
from plans_api.models import Base as PlansBase
from reporting_api.config import ReportingSettings
from reporting_api.main import create_app as create_reporting_app
from reporting_api.models import Base as ReportingBase
from shared.auth.keys import RemoteJWKS, StaticKeySource
from shared.auth.revocation import RevocationList, http_revocations
from shared.config import DatabaseSettings, ServiceClientSettings
from shared.http import ServiceClient, ServiceToken
from shared.testing import TEST_JWKS, TEST_KEY, client_for
from shared.testing.database import isolated, migrated_database

pytest_plugins = ["shared.testing.plugin"]

SERVICES = Path(__file__).resolve().parent.parent / "services"
ISSUER = "http://testserver/api/auth/v1"
AUDIENCE = "cchc-platform"
# Catalogues the migrations load: they stay, as in production.
CATALOGUE_TABLES = {"reform_areas"}
# The account learning-api and reporting-api fetch plans-api's revocation list with (in-process,
# over HTTP); a test that needs the list creates it (tests/shared/test_revocation.py). Elsewhere
# the fetch is refused and the services keep an empty list, as after an outage.
REVOCATIONS_CLIENT = ServiceClientSettings(
    token_url="http://testserver/api/auth/v1/token",
    client_id="revocations-reader",
    client_secret="revocations-test-secret",
    max_retries=0,
)
# Argon2id at its cheapest: tests hash many passwords; production keeps the defaults.
CHEAP_PASSWORDS = PasswordSettings(time_cost=1, memory_cost_kib=8, parallelism=1)


@pytest.fixture(scope="session")
async def plans_db_url(pg_server_url: str) -> str:
    return await migrated_database(pg_server_url, SERVICES / "plans-api", "plans")


@pytest.fixture(scope="session")
async def learning_db_url(pg_server_url: str) -> str:
    return await migrated_database(pg_server_url, SERVICES / "learning-api", "learning")


@pytest.fixture(scope="session")
async def reporting_db_url(pg_server_url: str) -> str:
    return await migrated_database(pg_server_url, SERVICES / "reporting-api", "reporting")


def _db(url: str) -> DatabaseSettings:
    return DatabaseSettings(url=url, pool_size=5, max_overflow=5)


@pytest.fixture(scope="session")
def plans_settings(plans_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> PlansSettings:
    keys_dir = tmp_path_factory.mktemp("keys")
    (keys_dir / "test.pem").write_bytes(TEST_KEY.private_pem)  # plans-api signs as token_for does
    return PlansSettings(
        database=_db(plans_db_url),
        signing=SigningSettings(keys_dir=keys_dir),
        passwords=CHEAP_PASSWORDS,
        # No background pruning: it would share a test's one rolled-back connection.
        idempotency={"prune_interval_seconds": 0},
        auth={"issuer": ISSUER, "audience": AUDIENCE},
        bootstrap_admin_username=None,
        bootstrap_admin_password=None,
    )


@pytest.fixture(scope="session")
async def session_plans_app(plans_settings: PlansSettings) -> AsyncIterator[FastAPI]:
    app = create_plans_app(plans_settings)
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def plans_app(
    session_plans_app: FastAPI, request: pytest.FixtureRequest
) -> AsyncIterator[FastAPI]:
    """plans-api for one test: what it writes is rolled back, or truncated after a test marked
    ``commits`` (see ``shared.testing.database.isolated``)."""
    async with isolated(request, session_plans_app, PlansBase.metadata, CATALOGUE_TABLES) as app:
        yield app


@pytest.fixture
async def plans_client(plans_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(plans_app) as client:
        yield client


def revocations_from(plans_app: FastAPI, http: httpx.AsyncClient) -> RevocationList:
    token = ServiceToken(http, REVOCATIONS_CLIENT)
    plans = ServiceClient(http, "http://testserver", token, REVOCATIONS_CLIENT)
    return http_revocations(plans, ttl=60)


@pytest.fixture(scope="session")
async def session_learning_app(
    learning_db_url: str, session_plans_app: FastAPI
) -> AsyncIterator[FastAPI]:
    """learning-api fetching plans-api's JWKS over HTTP (to the plans app in-process)."""
    jwks_client = client_for(session_plans_app)
    settings = LearningSettings(
        database=_db(learning_db_url),
        auth={
            "issuer": ISSUER,
            "audience": AUDIENCE,
            "jwks_url": "http://testserver/api/auth/v1/jwks",
        },
    )
    app = create_learning_app(
        settings,
        key_source=lambda app: RemoteJWKS(settings.auth.jwks_url, jwks_client),
        revocations=lambda app: revocations_from(session_plans_app, jwks_client),
    )
    async with LifespanManager(app):
        yield app
    await jwks_client.aclose()


@pytest.fixture
async def learning_app(
    session_learning_app: FastAPI, request: pytest.FixtureRequest
) -> AsyncIterator[FastAPI]:
    async with isolated(request, session_learning_app, LearningBase.metadata) as app:
        yield app


@pytest.fixture
async def learning_client(learning_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(learning_app) as client:
        yield client


@pytest.fixture(scope="session")
async def session_reporting_app(
    reporting_db_url: str, session_plans_app: FastAPI
) -> AsyncIterator[FastAPI]:
    """reporting-api trusting the test key (the one plans-api signs with in tests)."""
    plans_http = client_for(session_plans_app)
    settings = ReportingSettings(
        database=_db(reporting_db_url),
        auth={"issuer": ISSUER, "audience": AUDIENCE},
    )
    app = create_reporting_app(
        settings,
        key_source=lambda app: StaticKeySource(TEST_JWKS),
        revocations=lambda app: revocations_from(session_plans_app, plans_http),
    )
    async with LifespanManager(app):
        yield app
    await plans_http.aclose()


@pytest.fixture
async def reporting_app(
    session_reporting_app: FastAPI, request: pytest.FixtureRequest
) -> AsyncIterator[FastAPI]:
    async with isolated(request, session_reporting_app, ReportingBase.metadata) as app:
        yield app


@pytest.fixture
async def reporting_client(reporting_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(reporting_app) as client:
        yield client
