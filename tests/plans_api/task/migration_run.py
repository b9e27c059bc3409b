"""Run plans-api's migrations up to a revision, seed rows as they were then, migrate to head."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from shared.devdb import ensure_databases, with_database
from shared.migrations import alembic_config

PLANS_API = Path(__file__).resolve().parents[3] / "services" / "plans-api"


async def migrate_seeded(
    server_url: str, name: str, before: str, seed: str, query: str
) -> Sequence[Any]:
    """A fresh database ``name`` (per test worker) at ``before``, the ``;``-separated ``seed``
    statements, then head; the rows of ``query`` afterwards."""
    database = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    await ensure_databases(server_url, [database], recreate=True)
    url = with_database(server_url, database)
    config = alembic_config(PLANS_API, url)
    await asyncio.to_thread(command.upgrade, config, before)
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in seed.split(";\n"):
                if statement.strip():
                    await connection.execute(text(statement))
        await asyncio.to_thread(command.upgrade, config, "head")
        async with engine.connect() as connection:
            return (await connection.execute(text(query))).all()
    finally:
        await engine.dispose()
