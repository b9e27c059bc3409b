"""Liveness, readiness (the database answers) and Prometheus metrics."""

from __future__ import annotations

from fastapi import Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from shared.errors import ServiceUnavailable
from shared.routing import ServiceRouter

router = ServiceRouter(tags=["health"])


@router.get("/healthz", include_in_schema=False, summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz", include_in_schema=False, summary="Readiness: the service can reach its database"
)
async def readyz(request: Request) -> dict[str, str]:
    try:
        async with request.app.state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        raise ServiceUnavailable(
            "Không kết nối được cơ sở dữ liệu", "Database unreachable"
        ) from exc
    return {"status": "ready"}


@router.get(
    "/metrics", include_in_schema=False, summary="Prometheus metrics", response_class=Response
)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
