"""What it takes to run the three services as processes: databases, secrets, environments.

Used by ``make run`` (deploy/local/run.py), the end-to-end tests and the benchmarks.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from shared.devdb import ensure_databases_sync, with_database
from shared.migrations import upgrade

REPO = Path(__file__).resolve().parents[2]
SERVICES: dict[str, dict[str, Any]] = {
    "plans": {"module": "plans_api.main:create_app", "port": 8001, "prefix": "PLANS"},
    "learning": {"module": "learning_api.main:create_app", "port": 8002, "prefix": "LEARNING"},
    "reporting": {"module": "reporting_api.main:create_app", "port": 8003, "prefix": "REPORTING"},
}
# What each service's own account may do when it calls the others.
SERVICE_SCOPES = {
    "plans": ["events:write"],
    "learning": ["events:write", "units:read", "officials:read", "auth:revocations"],
    "reporting": [
        "units:read",
        "officials:read",
        "events:export",
        "learning:export",
        "auth:revocations",
    ],
}


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct TCP ports free on ``host`` right now (for tests running side by side)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Platform:
    data_dir: Path
    server_url: str  # asyncpg URL of the PostgreSQL server (any database)
    public_url: str = "http://localhost:8000"
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(
        default_factory=lambda: {k: v["port"] for k, v in SERVICES.items()}
    )
    database_prefix: str = "cchc_"
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def database_url(self, service: str) -> str:
        return with_database(self.server_url, f"{self.database_prefix}{service}")

    def service_url(self, service: str) -> str:
        return f"http://{self.host}:{self.ports[service]}"

    def prepare(self, recreate: bool = False) -> dict[str, str]:
        """Create and migrate the databases (dropped first when ``recreate``); returns the
        platform's secrets (made once)."""
        ensure_databases_sync(
            self.server_url, [f"{self.database_prefix}{s}" for s in SERVICES], recreate=recreate
        )
        for service in SERVICES:
            upgrade(REPO / "services" / f"{service}-api", self.database_url(service))
        return self.secrets()

    def secrets(self) -> dict[str, str]:
        path = self.data_dir / "secrets.json"
        stored = json.loads(path.read_text()) if path.exists() else {}
        wanted = ["admin_password", *(f"{s}_client_secret" for s in SERVICES)]
        if any(k not in stored for k in wanted):
            for key in wanted:
                stored.setdefault(key, secrets.token_urlsafe(24))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stored, indent=2))
            path.chmod(0o600)
        return stored

    def environment(self, service: str, stored: dict[str, str]) -> dict[str, str]:
        prefix = SERVICES[service]["prefix"]
        plans = self.service_url("plans")
        env = {
            f"{prefix}_DATABASE__URL": self.database_url(service),
            f"{prefix}_AUTH__ISSUER": f"{self.public_url}/api/auth/v1",
            f"{prefix}_AUTH__JWKS_URL": f"{plans}/api/auth/v1/jwks",
            f"{prefix}_SERVICE_CLIENT__TOKEN_URL": f"{plans}/api/auth/v1/token",
            f"{prefix}_SERVICE_CLIENT__CLIENT_ID": f"{service}-api",
            f"{prefix}_SERVICE_CLIENT__CLIENT_SECRET": stored[f"{service}_client_secret"],
            f"{prefix}_SERVICES__PLANS": plans,
            f"{prefix}_SERVICES__LEARNING": self.service_url("learning"),
            f"{prefix}_SERVICES__REPORTING": self.service_url("reporting"),
        }
        if "events:write" in SERVICE_SCOPES[service]:
            # Producers relay their outbox events to reporting-api.
            env[f"{prefix}_OUTBOX__ENABLED"] = "true"
        if service == "plans":
            env["PLANS_SIGNING__KEYS_DIR"] = str(self.data_dir / "keys")
            env["PLANS_FILES__DIR"] = str(self.data_dir / "files")
            env["PLANS_DEMO__ENABLED"] = os.environ.get("CCHC_DEMO", "true")
            env["PLANS_BOOTSTRAP__CLIENTS"] = json.dumps(
                [
                    {
                        "client_id": f"{s}-api",
                        "client_secret": stored[f"{s}_client_secret"],
                        "name": f"{s}-api",
                        "scopes": SERVICE_SCOPES[s],
                    }
                    for s in SERVICES
                ]
            )
            env.setdefault(
                "BOOTSTRAP_ADMIN_USERNAME", os.environ.get("BOOTSTRAP_ADMIN_USERNAME", "admin")
            )
            env.setdefault(
                "BOOTSTRAP_ADMIN_PASSWORD",
                os.environ.get("BOOTSTRAP_ADMIN_PASSWORD", stored["admin_password"]),
            )
        return env

    def start(self, stored: dict[str, str], log_dir: Path | None = None, workers: int = 1) -> None:
        for service, spec in SERVICES.items():
            env = {**os.environ, **self.environment(service, stored)}
            args = [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                str(spec["module"]),
                "--host",
                self.host,
                "--port",
                str(self.ports[service]),
                # X-Forwarded-For is believed from the gateway's address only (Caddy, here on
                # the same host); the gateway names itself, so no Server or second Date header.
                "--proxy-headers",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--no-server-header",
                "--no-date-header",
                "--no-access-log",
                "--workers",
                str(workers),
            ]
            out = open(log_dir / f"{service}.log", "ab") if log_dir else None
            self.processes.append(
                subprocess.Popen(  # noqa: S603
                    args, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT if out else None
                )
            )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        for service in SERVICES:
            url = f"{self.service_url(service)}/readyz"
            while True:
                if any(p.poll() is not None for p in self.processes):
                    raise RuntimeError(f"a service exited during start-up ({service} not ready)")
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{service}-api not ready after {timeout}s")
                time.sleep(0.2)

    def stop(self, timeout: float = 10) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()
