"""Deleting rows that have served their time: in short batches, and periodically in the
background (delivered outbox events, expired idempotency records)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from typing import Any

from sqlalchemy import ColumnElement, delete, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

logger = logging.getLogger("shared.pruning")


async def delete_in_batches(
    sessionmaker: async_sessionmaker[AsyncSession],
    model: Any,
    condition: ColumnElement[bool],
    *,
    key: Sequence[Any],
    batch: int = 10_000,
) -> int:
    """Delete the rows of ``model`` meeting ``condition``, ``batch`` rows per transaction (short
    locks; rows another transaction holds are skipped); ``key`` is the primary key's columns.
    Returns how many rows were deleted."""
    deleted = 0
    while True:
        async with sessionmaker() as session, session.begin():
            rows = select(*key).where(condition).limit(batch).with_for_update(skip_locked=True)
            result = await session.execute(delete(model).where(tuple_(*key).in_(rows)))
        count = int(getattr(result, "rowcount", 0) or 0)
        deleted += count
        if count < batch:
            return deleted


@asynccontextmanager
async def every(
    seconds: float, job: Callable[[], Awaitable[Any]], name: str
) -> AsyncIterator[None]:
    """Run ``job`` now and then every ``seconds`` in the background while the context is open; a
    failure is logged and the next run comes as planned."""
    stop = asyncio.Event()

    async def loop() -> None:
        while not stop.is_set():
            try:
                await job()
            except Exception:
                logger.exception("periodic job failed", extra={"job": name})
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

    task = asyncio.create_task(loop(), name=name)
    try:
        yield
    finally:
        stop.set()
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
