"""nginx for the tests: found (or the test is skipped, a failure in CI), run on a free port with
the production configuration (deploy/nginx) under a temporary prefix, and always stopped."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deploy.local.platform import free_ports
from deploy.nginx.render import command, lay_out

UPSTREAM_VARIABLES = {
    "plans": "GATEWAY_PLANS_UPSTREAM",
    "learning": "GATEWAY_LEARNING_UPSTREAM",
    "reporting": "GATEWAY_REPORTING_UPSTREAM",
}


def nginx_binary() -> str:
    """The nginx executable; skips the test where there is none, fails it in CI (CI=true)."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if found:
        return found
    message = "nginx is not installed (apt-get install nginx-light)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the gateway tests", pytrace=False)
    pytest.skip(message)


def gateway_values(listen: str, upstreams: Mapping[str, str]) -> dict[str, str]:
    """Values of the templates' variables: where nginx listens, where each service answers."""
    return {"GATEWAY_LISTEN": listen} | {UPSTREAM_VARIABLES[s]: a for s, a in upstreams.items()}


def new_prefix() -> Path:
    prefix = Path(tempfile.mkdtemp(prefix="cchc-nginx-"))
    # Run as root, nginx's workers switch to an unprivileged user that must reach its buffers.
    prefix.chmod(0o755)
    return prefix


@dataclass
class Gateway:
    url: str
    prefix: Path
    process: subprocess.Popen[bytes]

    @property
    def access_log(self) -> Path:
        """nginx's stdout, where the production configuration writes its JSON access log."""
        return self.prefix / "stdout.log"

    @property
    def error_log(self) -> Path:
        return self.prefix / "stderr.log"

    def access_entries(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.access_log.read_text().splitlines()]


def eventually(check: Callable[[], bool], timeout: float = 5) -> bool:
    """Whether ``check()`` becomes true within ``timeout`` seconds (logs are written after the
    response has gone out)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@contextmanager
def running_gateway(upstreams: Mapping[str, str], timeout: float = 15) -> Iterator[Gateway]:
    """nginx with deploy/nginx/nginx.conf, listening on 127.0.0.1 (a free port), its upstreams
    at ``upstreams`` (service → host:port). Stopped on exit, whatever happened."""
    nginx = nginx_binary()
    prefix = new_prefix()
    gateway: Gateway | None = None
    try:
        for _attempt in range(3):  # another process may take the free port first
            port = free_ports(1)[0]
            lay_out(prefix, gateway_values(f"127.0.0.1:{port}", upstreams))
            with (
                open(prefix / "stdout.log", "wb") as out,
                open(prefix / "stderr.log", "wb") as err,
            ):
                process = subprocess.Popen(
                    command(nginx, prefix), stdout=out, stderr=err, start_new_session=True
                )
            gateway = Gateway(f"http://127.0.0.1:{port}", prefix, process)
            if _wait_listening(process, port, timeout):
                break
            _stop(process)
            if b"Address already in use" not in gateway.error_log.read_bytes():
                raise RuntimeError(f"nginx did not start:\n{gateway.error_log.read_text()}")
        else:
            raise RuntimeError("nginx found no free port")
        yield gateway
    finally:
        if gateway is not None:
            _stop(gateway.process)
        shutil.rmtree(prefix, ignore_errors=True)


def _wait_listening(process: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master (a fast shutdown of it and its workers); SIGKILL to its process
    group (nginx's own session, started for it) if it does not go in time."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
