"""``Idempotency-Key`` for creating POSTs: a retried request gets the first answer again.

A service declares the table on its own Base (``class IdempotencyRecord(IdempotencyRecordMixin,
Base)``) and adds ``dependencies=[Depends(idempotent(IdempotencyRecord))]`` to a route. The record
is written in the request's own transaction and filled in by ``TransactionalRoute`` before the
commit, so either the change and its remembered answer are both stored, or neither is.

A key is remembered for ``settings.idempotency.ttl_hours`` (24): after that it is new again, and
``expiring_records(app, IdempotencyRecord)`` in the lifespan deletes the expired records.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import FastAPI, Header, Request, Response
from sqlalchemy import ColumnElement, DateTime, Integer, String, Text, delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from shared.auth.dependencies import CurrentPrincipal
from shared.db import DbSession
from shared.errors import Conflict, Unprocessable
from shared.pruning import delete_in_batches, every

_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
REPLAYED_HEADER = "Idempotency-Replayed"


class IdempotencyRecordMixin:
    principal: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )


class IdempotentReplay(Exception):
    """Raised to answer with the stored response of an earlier request with the same key."""

    def __init__(self, record: IdempotencyRecordMixin) -> None:
        # Copied now: the session is rolled back (and the record expired) before the answer.
        self.status_code = record.status_code or 200
        self.body = record.response_body or ""
        self.etag = record.etag


class IdempotencyKeyReused(Unprocessable):
    code = "idempotency_key_reused"
    title_vi = "Idempotency-Key đã dùng cho yêu cầu khác"
    title_en = "Idempotency-Key reused"


class IdempotencyInProgress(Conflict):
    code = "idempotency_in_progress"
    title_vi = "Yêu cầu cùng Idempotency-Key đang được xử lý"
    title_en = "A request with this Idempotency-Key is in progress"


def idempotent(model: type[Any]) -> Callable[..., Awaitable[None]]:
    async def check(
        request: Request,
        session: DbSession,
        principal: CurrentPrincipal,
        idempotency_key: Annotated[
            str | None,
            Header(
                description="Retry-safe creation: the same key returns the first answer, for 24 "
                "hours by default (IDEMPOTENCY__TTL_HOURS); after that the key is new again"
            ),
        ] = None,
    ) -> None:
        if idempotency_key is None:
            return
        if not _VALID_KEY.match(idempotency_key):
            raise Unprocessable("Idempotency-Key không hợp lệ", "Malformed Idempotency-Key")
        digest = hashlib.sha256(
            request.method.encode() + request.url.path.encode() + b"\n" + await request.body()
        ).hexdigest()
        ttl = request.app.state.settings.idempotency.ttl_hours
        await session.execute(
            delete(model).where(
                model.principal == principal.subject,
                model.key == idempotency_key,
                _expired(model, ttl),
            )
        )
        existing = await session.get(model, (principal.subject, idempotency_key))
        if existing is not None:
            if existing.request_hash != digest:
                raise IdempotencyKeyReused(
                    "Khóa này đã được dùng cho một yêu cầu khác",
                    "This key was used for a different request",
                )
            raise IdempotentReplay(existing)
        record = model(principal=principal.subject, key=idempotency_key, request_hash=digest)
        try:
            async with session.begin_nested():
                session.add(record)
        except IntegrityError as exc:  # the same key is being processed right now
            raise IdempotencyInProgress() from exc
        hooks = getattr(request.state, "before_commit", [])
        request.state.before_commit = [*hooks, lambda response: _remember(record, response)]

    return check


def _expired(model: Any, ttl_hours: int) -> ColumnElement[bool]:
    return model.created_at < func.now() - timedelta(hours=ttl_hours)


async def prune_expired(
    sessionmaker: async_sessionmaker[AsyncSession], model: Any, ttl_hours: int
) -> int:
    """Delete the records older than ``ttl_hours``; returns how many."""
    return await delete_in_batches(
        sessionmaker, model, _expired(model, ttl_hours), key=[model.principal, model.key]
    )


def expiring_records(app: FastAPI, model: Any) -> AbstractAsyncContextManager[None]:
    """While open, delete the app's expired records of ``model`` every
    ``settings.idempotency.prune_interval_seconds`` (never when that is 0)."""
    settings = app.state.settings.idempotency
    if not settings.prune_interval_seconds:
        return nullcontext()
    return every(
        settings.prune_interval_seconds,
        lambda: prune_expired(app.state.sessionmaker, model, settings.ttl_hours),
        name=f"idempotency-prune:{model.__tablename__}",
    )


def _remember(record: IdempotencyRecordMixin, response: Response) -> None:
    record.status_code = response.status_code
    record.response_body = bytes(response.body).decode()
    record.etag = response.headers.get("etag")


async def replay_response(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    headers = {REPLAYED_HEADER: "true"}
    if exc.etag:
        headers["ETag"] = exc.etag
    return Response(
        exc.body, status_code=exc.status_code, media_type="application/json", headers=headers
    )
