"""learning-api: courses, classes, tests, time tracking, certificates (/api/learning/v1)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from learning_api.config import LearningSettings, get_settings
from learning_api.models import OUTBOX
from shared.app import create_service_app
from shared.auth.keys import KeySource
from shared.auth.revocation import RevocationsFactory, install_revocations
from shared.auth.unit_tree import install_http_unit_tree
from shared.outbox import OutboxRelay
from shared.whoami import whoami_router

PREFIX = "/api/learning/v1"
DESCRIPTION = """
Online and blended CCHC training: lectures and documents, courses and classes, tests and surveys,
server-side time tracking, certificates and a Q&A channel.

Send `Authorization: Bearer <access_token>` from `POST /api/auth/v1/token`. Errors are
`application/problem+json` with a stable `code`.
"""


def create_app(
    settings: LearningSettings | None = None,
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
        async with OutboxRelay.for_app(app, OUTBOX).running():
            yield

    return create_service_app(
        name="learning-api",
        title="CCHC learning-api",
        description=DESCRIPTION,
        prefix=PREFIX,
        settings=settings,
        routers=[whoami_router(PREFIX)],
        key_source=key_source,
        lifespan=lifespan,
    )
