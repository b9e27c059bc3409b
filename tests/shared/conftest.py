"""Fixtures for calling services the way the services call each other: a real service account
in plans-api (whose token endpoint answers in-process) and another service that tests script."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable, Coroutine

import httpx
import pytest
from fastapi import FastAPI

from plans_api.identity.models import ApiClient
from plans_api.identity.passwords import hash_secret
from shared.config import ServiceClientSettings
from shared.http import ServiceClient, ServiceToken

PLANS = "http://plans.test"
OTHER = "http://other.test"

Handler = Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to ``inner`` and keeps them, to count and inspect."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # A snapshot: a retried request is the same object, sent again with other headers.
        self.requests.append(
            httpx.Request(
                request.method, request.url, headers=request.headers.copy(), content=request.content
            )
        )
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def service_account(plans_app: FastAPI) -> ServiceClientSettings:
    """A client-credentials account in plans-api (gone after the test, like all its data)."""
    # plans-api's own account: reporting takes events only from their source's account.
    client_id, secret = "plans-api", secrets.token_urlsafe(16)
    async with plans_app.state.sessionmaker() as session, session.begin():
        session.add(
            ApiClient(
                client_id=client_id,
                name=client_id,
                secret_hash=hash_secret(secret),
                scopes=["events:write", "units:read"],
            )
        )
    return ServiceClientSettings(
        token_url=f"{PLANS}/api/auth/v1/token",
        client_id=client_id,
        client_secret=secret,
        max_retries=3,
        backoff_seconds=0.1,
        max_backoff_seconds=0.25,
        max_retry_after_seconds=30,
    )


@pytest.fixture
def token_endpoint(plans_app: FastAPI) -> Recorder:
    return Recorder(httpx.ASGITransport(app=plans_app))


@pytest.fixture
async def http_to(
    token_endpoint: Recorder,
) -> AsyncIterator[Callable[[str, httpx.AsyncBaseTransport], httpx.AsyncClient]]:
    """``http_to(url, transport)``: one AsyncClient reaching plans-api in-process and the service
    at ``url`` through ``transport``, as a service's ``app.state.http`` reaches both."""
    clients: list[httpx.AsyncClient] = []

    def make(url: str, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
        client = httpx.AsyncClient(mounts={PLANS: token_endpoint, url: transport})
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


class Sleeps:
    """Stands in for ``asyncio.sleep``: records the delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def other_service(
    service_account: ServiceClientSettings,
    http_to: Callable[[str, httpx.AsyncBaseTransport], httpx.AsyncClient],
    sleeps: Sleeps,
) -> Callable[[Handler], tuple[ServiceClient, Recorder]]:
    """``other_service(handler)``: a ServiceClient to a service scripted by ``handler`` and the
    recorder of the requests it received."""

    def make(handler: Handler) -> tuple[ServiceClient, Recorder]:
        recorder = Recorder(httpx.MockTransport(handler))
        http = http_to(OTHER, recorder)
        token = ServiceToken(http, service_account)
        return ServiceClient(http, OTHER, token, service_account, sleep=sleeps), recorder

    return make
