"""End to end: the three services as separate processes behind a real nginx that runs the
production configuration (deploy/nginx/nginx.conf), on databases of the session's PostgreSQL.

learning-api and reporting-api verify plans-api's tokens with its JWKS, fetched over HTTP.
Skipped where nginx is missing, except in CI (CI=true), where that fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.local.platform import SERVICES, Platform, free_ports
from tests.deploy.support import Gateway, eventually, nginx_binary, running_gateway

pytestmark = pytest.mark.e2e

PROBLEM_JSON = "application/problem+json"
GATEWAY_PROBLEM_KEYS = {"type", "title", "status", "code"}
ONE_MIB = 1024 * 1024


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
    nginx_binary()  # skip (or fail in CI) before starting anything
    data_dir = tmp_path_factory.mktemp("e2e")
    log_dir = data_dir / "logs"
    log_dir.mkdir()
    ports = dict(zip(SERVICES, free_ports(len(SERVICES)), strict=True))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # nginx first, so that the services know the public URL (their tokens' issuer).
    with running_gateway({s: f"127.0.0.1:{p}" for s, p in ports.items()}) as gateway:
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
        assert re.fullmatch(r"[0-9a-f]{32}", made)

        (fresh,) = http.get("/api/learning/v1/me").headers.get_list("x-request-id")
        assert re.fullmatch(r"[0-9a-f]{32}", fresh)

    # The ids the services logged are the gateway's, which nginx logged too.
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
        # nginx's own body (the service's would name the instance).
        assert set(too_large.json()) == GATEWAY_PROBLEM_KEYS
        assert too_large.json()["code"] == "payload_too_large"
        assert too_large.headers["x-request-id"] == "e2e-too-large"

        # Under the limit, the body goes through to the service, which answers itself.
        passed = http.post(
            "/api/plans/v1/units",
            content=b"{" + b" " * (ONE_MIB // 2) + b"}",
            headers={"Content-Type": "application/json"},
        )
        assert passed.status_code == 401
        assert passed.json()["instance"] == "/api/plans/v1/units"

    assert all(e.get("request_id") != "e2e-too-large" for e in stack.service_log("plans"))


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


def test_access_log_has_no_query_string_or_credentials(stack: Stack) -> None:
    with stack.client() as http:
        token = stack.login(http).json()["access_token"]
        response = http.get(
            "/api/learning/v1/me?password=hunter2&code=e2e-secret-code",
            headers={**bearer(token), "X-Request-ID": "e2e-log-check"},
        )
        assert response.status_code == 200

    def entries() -> list[dict[str, Any]]:
        return [e for e in stack.gateway.access_entries() if e["request_id"] == "e2e-log-check"]

    assert eventually(lambda: bool(entries()))
    (entry,) = entries()
    assert (entry["client"], entry["method"], entry["status"]) == ("127.0.0.1", "GET", 200)
    assert entry["path"] == "/api/learning/v1/me"
    text = stack.gateway.access_log.read_text()
    for secret in ("hunter2", "e2e-secret-code", token, "Bearer"):
        assert secret not in text


def test_logins_are_rate_limited_per_client_address(stack: Stack) -> None:
    """From a second loopback address, so that the other tests' logins are not limited."""
    address = "127.0.0.2"
    try:
        with socket.socket() as probe:
            probe.bind((address, 0))
    except OSError:
        pytest.skip(f"{address} is not a local address here")

    statuses = []
    transport = httpx.HTTPTransport(local_address=address)
    with stack.client(transport=transport) as flood:
        for attempt in range(100):
            # The client's own X-Forwarded-For must not give it a fresh address each time.
            flood.headers["X-Forwarded-For"] = f"198.51.100.{attempt}"
            response = stack.login(flood)
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    assert statuses[0] == 200 and statuses[-1] == 429, statuses
    assert set(statuses) == {200, 429}
    assert response.headers["content-type"] == PROBLEM_JSON
    assert set(response.json()) == GATEWAY_PROBLEM_KEYS
    assert response.json()["code"] == "too_many_requests"
    assert int(response.headers["retry-after"]) > 0

    # plans-api saw the real client address, never the one the client claimed.
    logins = [e for e in stack.service_log("plans") if e.get("path") == "/api/auth/v1/token"]
    assert address in {e["client"] for e in logins}
    assert not any(e["client"].startswith("198.51.100.") for e in logins)

    # Another address is not limited.
    with stack.client() as http:
        assert stack.login(http).status_code == 200


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
