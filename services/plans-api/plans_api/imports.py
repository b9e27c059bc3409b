"""Table imports (officials, a plan's task table): files are parsed in worker threads, never on
the event loop, and at most ``PLANS_IMPORTS__MAX_CONCURRENT`` at once per process.

An import over the bound waits for a slot rather than being refused: each parse is bounded by the
upload limits (file size, rows, columns), so the wait is too, and the client's own timeout ends it
sooner if it must.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, FastAPI, Request

T = TypeVar("T")


def limiter(app: FastAPI) -> CapacityLimiter:
    """The app's import slots, made on first use (the settings are the app's)."""
    slots: CapacityLimiter | None = getattr(app.state, "import_slots", None)
    if slots is None:
        slots = app.state.import_slots = CapacityLimiter(app.state.settings.imports.max_concurrent)
    return slots


def _request_limiter(request: Request) -> CapacityLimiter:
    return limiter(request.app)


ImportSlots = Annotated[CapacityLimiter, Depends(_request_limiter)]


async def parse_in_thread(slots: CapacityLimiter, parse: Callable[..., T], *args: object) -> T:
    """``parse(*args)`` in a worker thread, holding one of ``slots`` while it runs."""
    return await to_thread.run_sync(parse, *args, limiter=slots)
