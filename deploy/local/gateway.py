"""The development gateway: one URL (http://localhost:8000) in front of the three services.

It does what nginx does in production (deploy/nginx/nginx.conf) that matters on a laptop: route
by path prefix, set the request id and the client address, and stream bodies both ways.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

UPSTREAMS = {
    "/api/auth/": os.environ.get("GATEWAY_PLANS_URL", "http://127.0.0.1:8001"),
    "/api/plans/": os.environ.get("GATEWAY_PLANS_URL", "http://127.0.0.1:8001"),
    "/api/learning/": os.environ.get("GATEWAY_LEARNING_URL", "http://127.0.0.1:8002"),
    "/api/reporting/": os.environ.get("GATEWAY_REPORTING_URL", "http://127.0.0.1:8003"),
}
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
}

INDEX = """<!doctype html><html lang="vi"><meta charset="utf-8"><title>CCHC platform</title>
<h1>Nền tảng CCHC / CCHC platform</h1><ul>
<li><a href="/api/auth/v1/docs">Identity API (đăng nhập)</a></li>
<li><a href="/api/plans/v1/docs">plans-api</a></li>
<li><a href="/api/learning/v1/docs">learning-api</a></li>
<li><a href="/api/reporting/v1/docs">reporting-api</a></li></ul></html>"""


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=5.0)) as client:
        app.state.client = client
        yield


async def index(request: Request) -> Response:
    return HTMLResponse(INDEX)


async def proxy(request: Request) -> Response:
    path = request.url.path
    upstream = next((url for prefix, url in UPSTREAMS.items() if path.startswith(prefix)), None)
    if upstream is None:
        return JSONResponse(
            {
                "type": "urn:cchc:problem:not_found",
                "title": "Không tìm thấy",
                "status": 404,
                "code": "not_found",
            },
            status_code=404,
            media_type="application/problem+json",
        )
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["x-request-id"] = request.headers.get("x-request-id") or uuid.uuid4().hex
    # Replace, never append: a client must not choose the address that login throttling sees.
    headers["x-forwarded-for"] = request.client.host if request.client else ""
    headers["x-forwarded-proto"] = request.url.scheme
    client: httpx.AsyncClient = request.app.state.client
    upstream_request = client.build_request(
        request.method,
        upstream + request.url.path,
        params=request.url.query or None,
        headers=headers,
        content=request.stream(),
    )
    try:
        upstream_response = await client.send(upstream_request, stream=True)
    except httpx.HTTPError:
        return JSONResponse(
            {
                "type": "urn:cchc:problem:bad_gateway",
                "title": "Dịch vụ không trả lời",
                "status": 502,
                "code": "bad_gateway",
            },
            status_code=502,
            media_type="application/problem+json",
        )
    response_headers = {
        k: v for k, v in upstream_response.headers.items() if k.lower() not in HOP_BY_HOP
    }
    return StreamingResponse(
        upstream_response.aiter_raw(),
        status_code=upstream_response.status_code,
        headers=response_headers,
        background=BackgroundTask(upstream_response.aclose),
    )


app = Starlette(
    routes=[
        Route("/", index),
        Route(
            "/{path:path}",
            proxy,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        ),
    ],
    lifespan=lifespan,
)
