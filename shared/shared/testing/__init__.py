"""What every service's tests need, against a real PostgreSQL and the real app (no fakes).

- ``plugin``: the pytest plugin (``pg_server_url``, the ``commits`` marker, ``isolated``).
- ``database``: a migrated database per service and xdist worker; rolled-back or truncated
  isolation of an app's data per test.
- ``tokens``: ``token_for`` and ``bearer``, access tokens signed with a real RSA key.
- ``client_for``: an httpx client driving an app in-process.
"""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from shared.testing.tokens import TEST_JWKS, TEST_KEY, bearer, token_for

__all__ = ["TEST_JWKS", "TEST_KEY", "bearer", "client_for", "token_for"]


def client_for(app: FastAPI, base_url: str = "http://testserver") -> httpx.AsyncClient:
    """An httpx client calling ``app`` in-process (its lifespan must already be running)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
