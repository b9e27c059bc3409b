"""Calling another service: ``ServiceClient`` over the app's one long-lived ``httpx.AsyncClient``.

Every call carries the current request id and a service access token (client-credentials grant,
cached until shortly before it expires, refetched once when the other side answers 401).
Idempotent methods, and calls marked ``retry=True``, are retried on connection errors, timeouts,
429, 502, 503 and 504 with capped exponential backoff and full jitter, honouring Retry-After up to
a cap. What still fails becomes ``UpstreamUnavailable`` (503); other answers, 4xx included, are
returned for the caller to interpret.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from fastapi import FastAPI

from shared.config import ServiceClientSettings
from shared.context import request_id_var
from shared.errors import ServiceUnavailable

logger = logging.getLogger("shared.http")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_STATUSES = frozenset({429, 502, 503, 504})

Sleep = Callable[[float], Awaitable[None]]


class UpstreamUnavailable(ServiceUnavailable):
    code = "upstream_unavailable"
    title_vi = "Dịch vụ liên quan tạm thời không sẵn sàng"
    title_en = "A service this one depends on is unavailable"

    def __init__(self, url: str, reason: str) -> None:
        # Clients see a generic text; the internal URL and the reason go to the log.
        super().__init__(
            "Không gọi được dịch vụ liên quan, vui lòng thử lại sau",
            "A service this one depends on did not answer; try again later",
        )
        self.url = url
        self.reason = reason


class ServiceToken:
    """This service's own access token from the client-credentials grant, shared by all its
    ``ServiceClient``s and cached until ``token_refresh_margin_seconds`` before it expires."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        settings: ServiceClientSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._settings = settings
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._token, self._expires_at = await self._fetch()
            return self._token

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (refused by a service) unless it was already replaced."""
        if self._token == token:
            self._token = None

    async def _fetch(self) -> tuple[str, float]:
        settings = self._settings
        if not settings.client_id:
            raise upstream_unavailable(settings.token_url, "service_client.client_id is not set")
        started = self._clock()
        form = {
            "grant_type": "client_credentials",
            "client_id": settings.client_id,
            "client_secret": settings.client_secret.get_secret_value(),
        }
        try:
            response = await self._http.post(
                settings.token_url, data=form, timeout=settings.timeout_seconds
            )
        except httpx.HTTPError as exc:
            raise upstream_unavailable(settings.token_url, type(exc).__name__) from exc
        if response.status_code != 200:
            raise upstream_unavailable(
                settings.token_url, f"token endpoint answered {response.status_code}"
            )
        try:
            body = response.json()
            token, expires_in = str(body["access_token"]), float(body["expires_in"])
        except (ValueError, KeyError, TypeError) as exc:
            raise upstream_unavailable(settings.token_url, "malformed token response") from exc
        margin = min(float(settings.token_refresh_margin_seconds), expires_in / 2)
        return token, started + expires_in - margin


class ServiceClient:
    """Calls to one other service at ``base_url`` (paths are relative to it)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        token: ServiceToken,
        settings: ServiceClientSettings,
        *,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")
        self._token = token
        self._settings = settings
        self._sleep = sleep

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, **kwargs)

    async def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", path, **kwargs)

    async def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", path, **kwargs)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry: bool | None = None,
    ) -> httpx.Response:
        """``retry`` defaults to whether ``method`` is idempotent; pass ``retry=True`` for a POST
        the other side deduplicates (e.g. by an event id or an Idempotency-Key)."""
        request = self._http.build_request(
            method.upper(),
            f"{self.base_url}{path}",
            json=json,
            params=params,
            headers=_with_request_id(headers),
            timeout=self._settings.timeout_seconds,
        )
        target = str(request.url.copy_with(query=None))  # logged: never the query string
        retryable = retry or request.method in IDEMPOTENT_METHODS
        retries = self._settings.max_retries if retryable else 0
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = await self._send_authenticated(request)
            except httpx.TransportError as exc:  # connection errors and timeouts
                if last:
                    raise upstream_unavailable(target, type(exc).__name__) from exc
                await self._sleep(self._backoff(attempt))
                continue
            if response.status_code not in RETRY_STATUSES:
                return _checked(target, response)
            if last:
                raise upstream_unavailable(target, f"answered {response.status_code}")
            await self._sleep(self._delay(attempt, response))
        raise AssertionError("unreachable")

    async def _send_authenticated(self, request: httpx.Request) -> httpx.Response:
        token = await self._token.get()
        request.headers["Authorization"] = f"Bearer {token}"
        response = await self._http.send(request)
        if response.status_code == 401:
            # Keys rotated or the token was revoked: one fresh token, one more try.
            self._token.invalidate(token)
            request.headers["Authorization"] = f"Bearer {await self._token.get()}"
            response = await self._http.send(request)
        return response

    def _backoff(self, attempt: int) -> float:
        ceiling = min(
            self._settings.max_backoff_seconds, self._settings.backoff_seconds * 2**attempt
        )
        return random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography

    def _delay(self, attempt: int, response: httpx.Response) -> float:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is None:
            return self._backoff(attempt)
        return min(retry_after, self._settings.max_retry_after_seconds)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def service_client(app: FastAPI, base_url: str) -> ServiceClient:
    """A client for the service at ``base_url`` sharing the app's ``httpx.AsyncClient`` and its
    cached service token (both made in the app's lifespan)."""
    settings = app.state.settings.service_client
    if getattr(app.state, "service_token", None) is None:
        app.state.service_token = ServiceToken(app.state.http, settings)
    return ServiceClient(app.state.http, base_url, app.state.service_token, settings)


def _with_request_id(headers: dict[str, str] | None) -> dict[str, str]:
    request_id = request_id_var.get()
    return {**(headers or {}), **({"X-Request-ID": request_id} if request_id else {})}


def _checked(url: str, response: httpx.Response) -> httpx.Response:
    # Our own credentials refused twice, or the other side failing: nothing the caller can fix.
    if response.status_code == 401 or response.status_code >= 500:
        raise upstream_unavailable(url, f"answered {response.status_code}")
    return response


def upstream_unavailable(url: str, reason: str) -> UpstreamUnavailable:
    """Log why a call failed (never with credentials) and make the error to raise."""
    logger.warning("service call failed", extra={"url": url, "reason": reason})
    return UpstreamUnavailable(url, reason)
