"""Pure ASGI middleware: request id, body-size limit, NUL refusal, access log and metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.context import request_id_var

REQUEST_ID_HEADER = "x-request-id"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("access")

HTTP_REQUESTS = Counter(
    "http_requests_total", "HTTP requests served", ["service", "method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "http_request_duration_seconds", "Time to serve a request", ["service", "method", "route"]
)


class RequestIdMiddleware:
    """Takes a well-formed ``X-Request-ID`` from the caller or makes one, and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, REQUEST_ID_HEADER)
        request_id = (
            incoming if incoming and _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Refuses bodies over ``max_bytes`` with 413, whether or not Content-Length is sent; paths
    matching ``upload_paths`` (regular expressions) may send up to ``upload_max_bytes``."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        upload_max_bytes: int | None = None,
        upload_paths: Sequence[str] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes or max_bytes
        self.upload_paths = [re.compile(p) for p in upload_paths]

    def limit_for(self, path: str) -> int:
        if any(p.match(path) for p in self.upload_paths):
            return self.upload_max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _header(scope, "content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await _send_too_large(scope, send)
            return
        received = 0
        too_large = answered = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def replacing_send(message: Message) -> None:
            # Frameworks turn a failed body read into their own 400; answer 413 instead.
            nonlocal answered
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start" and not answered:
                answered = True
                await _send_too_large(scope, send)

        try:
            await self.app(scope, limited_receive, replacing_send)
        except _BodyTooLarge:
            if not answered:
                await _send_too_large(scope, send)


class _BodyTooLarge(Exception):
    pass


async def _send_too_large(scope: Scope, send: Send) -> None:
    await _send_problem(
        scope,
        send,
        413,
        "payload_too_large",
        ("Dữ liệu gửi lên quá lớn", "Payload too large"),
        close=True,
    )


# A JSON escape of U+0000: "\u0000" after an even number (zero included) of backslashes.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded",)


class NulCharacterMiddleware:
    """Answers 422 ``nul_character`` when the path, the query string (raw or ``%00``), a header
    value, or a JSON or urlencoded body holds U+0000, which PostgreSQL refuses in text.

    JSON and form bodies are read whole before the app sees them; keep this middleware inside
    :class:`BodySizeLimitMiddleware`, which bounds them. Multipart bodies pass through untouched
    (their files may hold any byte): their file names go through
    :func:`shared.uploads.clean_filename`, which drops control characters."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _nul_in_head(scope):
            await _send_nul(scope, send)
            return
        content_type = (_header(scope, "content-type") or "").split(";")[0].strip().lower()
        is_json = content_type == "application/json" or content_type.endswith("+json")
        if not (is_json or content_type in _FORM_TYPES):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        nul = b"\x00" in body or (_JSON_NUL.search(body) if is_json else b"%00" in body)
        if nul:
            await _send_nul(scope, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _nul_in_head(scope: Scope) -> bool:
    if "\x00" in scope["path"] or b"\x00" in scope.get("raw_path", b""):
        return True
    query: bytes = scope.get("query_string", b"")
    if b"\x00" in query or b"%00" in query:
        return True
    return any(b"\x00" in value for _, value in scope.get("headers", []))


async def _send_nul(scope: Scope, send: Send) -> None:
    await _send_problem(
        scope,
        send,
        422,
        "nul_character",
        ("Yêu cầu chứa ký tự NUL", "NUL character in the request"),
    )


async def _send_problem(
    scope: Scope,
    send: Send,
    status: int,
    code: str,
    titles: tuple[str, str],
    close: bool = False,
) -> None:
    """A problem+json answer from a middleware, in English when ``Accept-Language`` asks."""
    import json

    english = (_header(scope, "accept-language") or "").lower().startswith("en")
    body = json.dumps(
        {
            "type": f"urn:cchc:problem:{code}",
            "title": titles[1] if english else titles[0],
            "status": status,
            "code": code,
            "instance": scope.get("path"),
        },
        ensure_ascii=False,
    ).encode()
    headers = [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AccessLogMiddleware:
    """One JSON line and the Prometheus figures per request; logs the path, never the query."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            HTTP_REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
            HTTP_DURATION.labels(self.service, scope["method"], route).observe(elapsed)
            if route not in ("/healthz", "/readyz", "/metrics"):
                access_log.info(
                    "request",
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 1),
                        "client": (scope.get("client") or ("", 0))[0],
                    },
                )


def _route_template(scope: Scope) -> str:
    route: Any = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


def _header(scope: Scope, name: str) -> str | None:
    key = name.encode()
    for k, v in scope.get("headers", []):
        if k == key:
            return str(v.decode("latin-1"))
    return None
