"""The pytest plugin of ``shared.testing`` (``pytest_plugins = ["shared.testing.plugin"]``).

It gives ``pg_server_url``, the PostgreSQL server of the test session, and registers the
``commits`` marker that ``shared.testing.database.isolated`` honours.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shared.devdb import start_embedded, to_asyncpg_url
from shared.testing.database import COMMITS


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{COMMITS}: the code under test opens its own sessions or connections (background "
        "loops, separate engines, locks, concurrent requests): it commits for real and the "
        "tables are truncated afterwards, instead of the rolled-back transaction",
    )


@pytest.fixture(scope="session")
def pg_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server's URL (asyncpg): ``TEST_DATABASE_URL`` when set, else an embedded PostgreSQL
    started in a temporary folder for this session (one per xdist worker)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield to_asyncpg_url(url)
        return
    server, url = start_embedded(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield url
    server.cleanup()
