"""plans-api: identity (/api/auth/v1) and the CCHC plans registry (/api/plans/v1)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from plans_api.config import PlansSettings, get_settings
from plans_api.demo.loader import load_demo
from plans_api.event.router import router as event_router
from plans_api.file.router import router as file_router
from plans_api.identity import passwords, users
from plans_api.identity.router import router as identity_router
from plans_api.identity.sessions import db_revocations
from plans_api.identity.signing import KeyRing
from plans_api.official.router import router as official_router
from plans_api.outbox import OUTBOX, IdempotencyRecord
from plans_api.period.router import router as period_router
from plans_api.plan.router import router as plan_router
from plans_api.report.evidence_router import router as evidence_router
from plans_api.report.router import router as report_router
from plans_api.task.router import router as task_router
from plans_api.task.service import PlanTaskTrees
from plans_api.task.transfer_router import router as task_transfer_router
from plans_api.unit.repository import DbUnitTree
from plans_api.unit.router import router as unit_router
from shared.app import add_sub_document, create_service_app
from shared.auth.keys import StaticKeySource
from shared.auth.revocation import install_revocations
from shared.idempotency import expiring_records
from shared.outbox import OutboxRelay

# Routes taking files: up to MAX_UPLOAD_BYTES instead of MAX_BODY_BYTES (the Caddyfile agrees).
UPLOAD_PATHS = (r"^/api/plans/v1/((officials|plans/[^/]+)/import|files)$",)

DESCRIPTION = """
Registry of CCHC plans, targets, tasks, units and officials, and the platform's identity provider.

Authenticate with `POST /api/auth/v1/token` and send `Authorization: Bearer <access_token>`.
Errors are `application/problem+json` with a stable `code`; Vietnamese by default,
English with `Accept-Language: en`.
"""


def create_app(settings: PlansSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    passwords.configure(settings.passwords)
    keyring = KeyRing.load(settings.signing)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.keyring = keyring
        install_revocations(app, db_revocations)
        app.state.unit_tree = DbUnitTree(app.state.sessionmaker)
        async with app.state.sessionmaker() as session, session.begin():
            await users.bootstrap(session, settings)
        if settings.demo.enabled:
            async with app.state.sessionmaker() as session, session.begin():
                await load_demo(session, settings)
        async with (
            OutboxRelay.for_app(app, OUTBOX).running(),
            expiring_records(app, IdempotencyRecord),
        ):
            yield

    app = create_service_app(
        name="plans-api",
        title="CCHC plans-api",
        description=DESCRIPTION,
        prefix="/api/plans/v1",
        settings=settings,
        routers=[
            identity_router,
            unit_router,
            official_router,
            plan_router,
            task_router,
            task_transfer_router,
            period_router,
            report_router,
            file_router,
            evidence_router,
            event_router,
        ],
        # plans-api verifies its own tokens with its own keys, without a JWKS round trip.
        key_source=lambda app: StaticKeySource(keyring.jwks()),
        upload_paths=UPLOAD_PATHS,
        lifespan=lifespan,
    )
    app.state.plan_tasks = PlanTaskTrees()
    add_sub_document(app, prefix="/api/auth/v1", title="CCHC identity API")
    return app
