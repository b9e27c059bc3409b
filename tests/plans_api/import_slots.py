"""Table imports parse in worker threads, a bounded number at once (:mod:`plans_api.imports`)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

from plans_api import imports


async def sent_while_every_slot_is_held(
    app: FastAPI, send: Callable[[], Awaitable[httpx.Response]]
) -> httpx.Response:
    """Hold every import slot, ``send()``, check that it waits (and that the event loop is free
    meanwhile: this coroutine runs), then free the slots and return the answer."""
    slots = imports.limiter(app)
    assert slots.total_tokens == app.state.settings.imports.max_concurrent
    holders = [object() for _ in range(int(slots.total_tokens))]
    for holder in holders:
        await slots.acquire_on_behalf_of(holder)
    try:
        pending = asyncio.ensure_future(send())
        await asyncio.sleep(0.3)
        assert not pending.done(), "the import did not wait for a parse slot"
    finally:
        for holder in holders:
            slots.release_on_behalf_of(holder)
    return await asyncio.wait_for(pending, 30)
