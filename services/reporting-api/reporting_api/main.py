"""reporting-api: target progress, training coverage, periodic reports (/api/reporting/v1)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from reporting_api.config import ReportingSettings, get_settings
from reporting_api.event.router import router as event_router
from shared.app import create_service_app
from shared.auth.keys import KeySource
from shared.auth.revocation import RevocationsFactory, install_revocations
from shared.auth.unit_tree import install_http_unit_tree
from shared.whoami import whoami_router

PREFIX = "/api/reporting/v1"
DESCRIPTION = """
Read models built from plans-api's and learning-api's events: target progress, training coverage,
task summaries, periodic reports (XLSX, PDF, CSV) and charts.

Send `Authorization: Bearer <access_token>` from `POST /api/auth/v1/token`. Errors are
`application/problem+json` with a stable `code`.
"""


def create_app(
    settings: ReportingSettings | None = None,
    key_source: Callable[[FastAPI], KeySource] | None = None,
    revocations: RevocationsFactory | None = None,
) -> FastAPI:
    """``revocations``: where the list of ended sessions comes from (default: plans-api over
    HTTP with this service's token, see ``shared.auth.revocation``)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        install_http_unit_tree(app)
        install_revocations(app, revocations)
        yield

    return create_service_app(
        name="reporting-api",
        title="CCHC reporting-api",
        description=DESCRIPTION,
        prefix=PREFIX,
        settings=settings,
        routers=[whoami_router(PREFIX), event_router],
        key_source=key_source,
        lifespan=lifespan,
    )
