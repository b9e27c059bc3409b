"""PostgreSQL for tests: a migrated database per service and xdist worker, and per-test
isolation of an app's data."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.devdb import ensure_databases, with_database
from shared.migrations import upgrade

if TYPE_CHECKING:
    import pytest

# The marker of tests whose code opens its own sessions or connections (see ``isolated``).
COMMITS = "commits"


def worker() -> str:
    """The xdist worker running this process (``gw0``, ``gw1`` …), ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


async def migrated_database(server_url: str, service_dir: Path, name: str) -> str:
    """A fresh database ``test_<name>_<worker>`` on the server, upgraded to head with the
    service's own Alembic history; returns its URL."""
    database = f"test_{name}_{worker()}"
    await ensure_databases(server_url, [database], recreate=True)
    url = with_database(server_url, database)
    await asyncio.to_thread(upgrade, service_dir, url)
    return url


@asynccontextmanager
async def rolled_back(app: FastAPI) -> AsyncIterator[None]:
    """While open, every session from ``app.state.sessionmaker`` joins one connection's outer
    transaction: the app's commits and rollbacks become savepoints, and the whole transaction is
    rolled back at the end. Holders of the sessionmaker (repositories, the unit tree) follow,
    since the sessionmaker itself is reconfigured.

    One connection serves one statement at a time: code that runs sessions concurrently, or opens
    connections of its own, needs ``truncated`` instead."""
    sessionmaker = app.state.sessionmaker
    configured = dict(sessionmaker.kw)
    async with app.state.engine.connect() as connection:
        transaction = await connection.begin()
        sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield
        finally:
            sessionmaker.kw = configured
            await transaction.rollback()


async def truncate(engine: AsyncEngine, metadata: MetaData, keep: Collection[str] = ()) -> None:
    """Empty every table of ``metadata`` except ``keep`` (catalogues the migrations fill)."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables if t.name not in keep)
    if names:
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@asynccontextmanager
async def truncated(
    app: FastAPI, metadata: MetaData, keep: Collection[str] = ()
) -> AsyncIterator[None]:
    """The app commits for real while open; its tables are emptied at the end."""
    try:
        yield
    finally:
        await truncate(app.state.engine, metadata, keep)


@asynccontextmanager
async def isolated(
    request: pytest.FixtureRequest, app: FastAPI, metadata: MetaData, keep: Collection[str] = ()
) -> AsyncIterator[FastAPI]:
    """``app`` for one test, which leaves no data behind.

    By default its sessions share one transaction that is rolled back afterwards
    (``rolled_back``): cheap, and the app's commits still happen, as savepoints. Mark a test
    ``@pytest.mark.commits`` when the code under test opens its own sessions or connections,
    which would not see that transaction or would share its one connection: background loops
    (the outbox relay), a second app or engine, sessions running concurrently, locks or
    ``LISTEN`` across connections, ``now()`` compared across transactions. It then commits for
    real and ``metadata``'s tables are truncated afterwards, except ``keep``."""
    if request.node.get_closest_marker(COMMITS):
        isolation = truncated(app, metadata, keep)
    else:
        isolation = rolled_back(app)
    async with isolation:
        yield app
