"""Builds a service's FastAPI app the same way for all three services."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from shared import health
from shared.auth.keys import KeySource, RemoteJWKS
from shared.auth.tokens import TokenVerifier
from shared.config import ServiceSettings
from shared.db import TransactionalRoute, create_engine, create_sessionmaker
from shared.errors import document_problems, install_error_handlers
from shared.idempotency import IdempotentReplay, replay_response
from shared.logs import configure_logging
from shared.middleware import (
    AccessLogMiddleware,
    BodySizeLimitMiddleware,
    NulCharacterMiddleware,
    RequestIdMiddleware,
)

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]
SWAGGER_UI = Path(__file__).parent / "static" / "swagger-ui"


def create_service_app(
    *,
    name: str,
    title: str,
    description: str,
    prefix: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    key_source: Callable[[FastAPI], KeySource] | None = None,
    lifespan: Lifespan | None = None,
    openapi_tags: list[dict[str, Any]] | None = None,
    upload_paths: Sequence[str] = (),
) -> FastAPI:
    """An app with its routes under ``prefix``, OpenAPI at ``{prefix}/openapi.json`` and docs at
    ``{prefix}/docs``, problem+json errors, request ids, JSON logs, metrics and health checks.

    The database engine, a shared ``httpx.AsyncClient`` and the token verifier are created in the
    lifespan and kept on ``app.state``; ``lifespan`` adds the service's own start-up work.
    """
    configure_logging(name, settings.log_level)

    @asynccontextmanager
    async def base_lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.engine = create_engine(settings.database)
        app.state.sessionmaker = create_sessionmaker(app.state.engine)
        app.state.http = httpx.AsyncClient(timeout=settings.service_client.timeout_seconds)
        keys = (
            key_source(app)
            if key_source
            else RemoteJWKS(
                settings.auth.jwks_url,
                app.state.http,
                ttl=settings.auth.jwks_cache_seconds,
                min_refresh=settings.auth.jwks_min_refresh_seconds,
            )
        )
        app.state.token_verifier = TokenVerifier(
            keys, settings.auth.issuer, settings.auth.audience, settings.auth.leeway_seconds
        )
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            await app.state.http.aclose()
            await app.state.engine.dispose()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        openapi_url=f"{prefix}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=base_lifespan,
        openapi_tags=openapi_tags,
    )
    app.router.route_class = TransactionalRoute  # the app's own routes (docs) too
    app.state.docs_assets = f"{prefix}/docs/assets"
    app.mount(app.state.docs_assets, StaticFiles(directory=SWAGGER_UI), name="docs-assets")
    add_docs(app, prefix=prefix, title=title)
    install_error_handlers(app)
    _openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_problems(_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.add_exception_handler(IdempotentReplay, replay_response)
    app.include_router(health.router)
    for router in routers:
        app.include_router(router)
    app.add_middleware(NulCharacterMiddleware)  # inside the body limit, which bounds what it reads
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
        upload_paths=upload_paths,
    )
    app.add_middleware(AccessLogMiddleware, service=name)
    app.add_middleware(RequestIdMiddleware)
    return app


def add_sub_document(app: FastAPI, *, prefix: str, title: str) -> None:
    """Serve a second OpenAPI document at ``{prefix}/openapi.json`` (docs at ``{prefix}/docs``)
    holding only the paths under ``prefix``: e.g. the identity API inside plans-api."""
    cache: dict[str, Any] = {}

    @app.get(f"{prefix}/openapi.json", include_in_schema=False)
    async def sub_openapi() -> dict[str, Any]:
        if "doc" not in cache:
            full = app.openapi()
            paths = {p: v for p, v in full["paths"].items() if p.startswith(prefix + "/")}
            cache["doc"] = {**full, "info": {**full["info"], "title": title}, "paths": paths}
        return cache["doc"]

    add_docs(app, prefix=prefix, title=title)


def add_docs(app: FastAPI, *, prefix: str, title: str) -> None:
    """Swagger UI at ``{prefix}/docs`` for ``{prefix}/openapi.json``, its scripts served by the
    service itself from ``app.state.docs_assets``: no CDN, so the docs work on an intranet."""
    assets = app.state.docs_assets

    @app.get(f"{prefix}/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=f"{prefix}/openapi.json",
            title=title,
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )
