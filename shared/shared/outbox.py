"""The transactional outbox: events written in the business transaction, delivered by a relay.

A producing service declares the two tables on its own ``Base`` and names itself::

    class OutboxEvent(OutboxEventMixin, Base): ...
    class OutboxSequence(OutboxSequenceMixin, Base): ...
    OUTBOX = Outbox("plans-api", OutboxEvent, OutboxSequence)

It calls ``add_event(session, OUTBOX, ...)`` next to the change the event describes, so the event
exists exactly when the change is committed, and runs ``OutboxRelay.running()`` in its lifespan.
An event's ``data`` is its type's contract (:mod:`shared.events`), built by the producer. The
relay posts to ``settings.outbox.events_path`` on ``settings.services.reporting``.
Delivery is at least once (a crash between reporting's answer and our commit sends a batch
again); reporting-api stores each event id once, which makes the whole pipeline exactly once.
Within an aggregate, ``sequence`` counts 1, 2, 3… without gaps; consumers order by it, since a
batch that failed is retried later and may arrive after newer events.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from prometheus_client import Counter
from sqlalchemy import (
    BigInteger,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared import events as contracts
from shared.config import OutboxSettings
from shared.context import request_id_var
from shared.events import EventData
from shared.http import ServiceClient, UpstreamUnavailable, service_client
from shared.pruning import delete_in_batches

logger = logging.getLogger("shared.outbox")

# On shutdown the batch in flight may finish for this long before it is cancelled (and rolled
# back: its events stay in the outbox).
SHUTDOWN_GRACE_SECONDS = 5.0
# Backoff doubles per failed attempt; past 2**20 it is at the cap anyway, and power() of a large
# exponent would overflow.
_MAX_BACKOFF_EXPONENT = 20

EVENTS_DELIVERED = Counter("outbox_events_delivered_total", "Outbox events delivered", ["source"])
DELIVERY_FAILURES = Counter(
    "outbox_delivery_failures_total", "Outbox batches that failed to deliver", ["source"]
)


class OutboxEventMixin:
    """An event waiting for (or past) delivery. ``id`` is the event id consumers deduplicate on."""

    __tablename__ = "outbox_events"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(50))
    aggregate_type: Mapped[str] = mapped_column(String(50))
    aggregate_id: Mapped[uuid.UUID] = mapped_column()
    sequence: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_error: Mapped[str | None] = mapped_column(Text)

    @declared_attr.directive
    @classmethod
    def __table_args__(cls) -> tuple[Any, ...]:
        # Made per class: several services' tables may live in one process (the tests).
        return (
            Index(
                "uq_outbox_events_aggregate_sequence",
                "aggregate_type",
                "aggregate_id",
                "sequence",
                unique=True,
            ),
            Index(
                "ix_outbox_events_pending",
                "next_attempt_at",
                postgresql_where=text("delivered_at IS NULL"),
            ),
        )


class OutboxSequenceMixin:
    """The last sequence number given out per aggregate. Incrementing a row locks it until the
    transaction ends, so concurrent writers to one aggregate queue up, and a rollback returns
    the number: sequences have no gaps."""

    __tablename__ = "outbox_sequences"

    aggregate_type: Mapped[str] = mapped_column(String(50), primary_key=True)
    aggregate_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    last_sequence: Mapped[int] = mapped_column(BigInteger)


@dataclass(frozen=True)
class Outbox:
    """A service's outbox: its name (the events' ``source``) and its two tables."""

    source: str
    events: type[OutboxEventMixin]
    sequences: type[OutboxSequenceMixin]


async def add_event(
    session: AsyncSession,
    outbox: Outbox,
    event_type: str,
    *,
    aggregate_type: str,
    aggregate_id: uuid.UUID,
    data: EventData,
    occurred_at: datetime | None = None,
) -> uuid.UUID:
    """Record an event in the caller's transaction; returns its id. ``data`` is an instance of
    the event type's contract (``shared.events``); anything else is a programming error."""
    payload = _payload(outbox, event_type, aggregate_type, data)
    sequence = await _next_sequence(session, outbox.sequences, aggregate_type, aggregate_id)
    event_id = uuid.uuid4()
    occurred = occurred_at or datetime.now(UTC)
    await session.execute(
        pg_insert(outbox.events).values(
            id=event_id,
            type=event_type,
            source=outbox.source,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            sequence=sequence,
            occurred_at=occurred,
            next_attempt_at=occurred,
            data=payload,
        )
    )
    return event_id


@dataclass(frozen=True)
class NewEvent:
    type: str
    aggregate_type: str
    aggregate_id: uuid.UUID
    data: EventData


async def add_events(
    session: AsyncSession,
    outbox: Outbox,
    events: Sequence[NewEvent],
    *,
    occurred_at: datetime | None = None,
    chunk_size: int = 1000,
) -> None:
    """``add_event`` for many aggregates at once (an import): one upsert of the sequences and one
    insert of the events per chunk, instead of two statements per event. Each aggregate may
    appear once per call."""
    keys = [(e.aggregate_type, e.aggregate_id) for e in events]
    if len(set(keys)) != len(keys):
        raise ValueError("add_events takes each aggregate at most once")
    payloads = [_payload(outbox, e.type, e.aggregate_type, e.data) for e in events]
    occurred = occurred_at or datetime.now(UTC)
    sequences = outbox.sequences
    for start in range(0, len(events), chunk_size):
        chunk = events[start : start + chunk_size]
        chunk_payloads = payloads[start : start + chunk_size]
        numbered = await session.execute(
            pg_insert(sequences)
            .values(
                [
                    {
                        "aggregate_type": e.aggregate_type,
                        "aggregate_id": e.aggregate_id,
                        "last_sequence": 1,
                    }
                    for e in chunk
                ]
            )
            .on_conflict_do_update(
                index_elements=["aggregate_type", "aggregate_id"],
                set_={"last_sequence": sequences.last_sequence + 1},
            )
            .returning(sequences.aggregate_type, sequences.aggregate_id, sequences.last_sequence)
        )
        sequence_of = {(r.aggregate_type, r.aggregate_id): r.last_sequence for r in numbered}
        await session.execute(
            pg_insert(outbox.events),
            [
                {
                    "id": uuid.uuid4(),
                    "type": e.type,
                    "source": outbox.source,
                    "aggregate_type": e.aggregate_type,
                    "aggregate_id": e.aggregate_id,
                    "sequence": sequence_of[(e.aggregate_type, e.aggregate_id)],
                    "occurred_at": occurred,
                    "next_attempt_at": occurred,
                    "data": payload,
                }
                for e, payload in zip(chunk, chunk_payloads, strict=True)
            ],
        )


def _payload(
    outbox: Outbox, event_type: str, aggregate_type: str, data: EventData
) -> dict[str, Any]:
    """``data`` as JSON, once it is known to be the contract of ``event_type``."""
    schema = contracts.data_schema(outbox.source, event_type)
    if type(data) is not schema:
        raise TypeError(f"{event_type} carries {schema.__name__}, not {type(data).__name__}")
    if contracts.aggregate_of(event_type) != aggregate_type:
        raise ValueError(f"{event_type} is not an event of a {aggregate_type}")
    return data.model_dump(mode="json")


async def _next_sequence(
    session: AsyncSession,
    model: type[OutboxSequenceMixin],
    aggregate_type: str,
    aggregate_id: uuid.UUID,
) -> int:
    statement = (
        pg_insert(model)
        .values(aggregate_type=aggregate_type, aggregate_id=aggregate_id, last_sequence=1)
        .on_conflict_do_update(
            index_elements=["aggregate_type", "aggregate_id"],
            set_={"last_sequence": model.last_sequence + 1},
        )
        .returning(model.last_sequence)
    )
    return int((await session.execute(statement)).scalar_one())


class OutboxRelay:
    """Delivers due events in batches to reporting-api's ``POST /events`` (the path in
    ``settings.events_path``).

    A batch is claimed with ``FOR UPDATE SKIP LOCKED`` and its transaction stays open until the
    answer is recorded, so relays on several replicas never send the same event at once; a
    failed batch is rescheduled with capped exponential backoff.
    """

    def __init__(
        self,
        outbox: Outbox,
        sessionmaker: async_sessionmaker[AsyncSession],
        reporting: ServiceClient,
        settings: OutboxSettings,
    ) -> None:
        self._outbox = outbox
        self._sessionmaker = sessionmaker
        self._reporting = reporting
        self._settings = settings

    @classmethod
    def for_app(cls, app: FastAPI, outbox: Outbox) -> OutboxRelay:
        """The relay of a service app, using its database and its service account."""
        settings = app.state.settings
        reporting = service_client(app, settings.services.reporting)
        return cls(outbox, app.state.sessionmaker, reporting, settings.outbox)

    async def run_once(self) -> int:
        """Deliver one batch of due events; returns how many were delivered."""
        async with self._sessionmaker() as session, session.begin():
            events = await self._claim(session)
            if not events:
                return 0
            ids = [event.id for event in events]
            error = await self._deliver(events)
            if error is not None:
                await self._reschedule(session, ids, error)
                return 0
            await self._mark_delivered(session, ids)
        EVENTS_DELIVERED.labels(self._outbox.source).inc(len(ids))
        return len(ids)

    async def prune(self, batch: int = 10_000) -> int:
        """Delete delivered events older than ``retention_days``, a batch at a time (short
        locks); returns how many were deleted."""
        if self._settings.retention_days <= 0:
            return 0
        event = self._outbox.events
        cutoff = func.now() - timedelta(days=self._settings.retention_days)
        return await delete_in_batches(
            self._sessionmaker,
            event,
            event.delivered_at.is_not(None) & (event.delivered_at < cutoff),
            key=[event.id],
            batch=batch,
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, pausing whenever the last batch was not full (and at
        start, while the server begins to answer: plans-api fetches its token from itself);
        prune old delivered events while idle, every ``prune_interval_seconds``."""
        delivered = 0
        pruned_at = float("-inf")
        while not stop.is_set():
            if delivered < self._settings.batch_size:
                if time.monotonic() - pruned_at >= self._settings.prune_interval_seconds:
                    pruned_at = time.monotonic()
                    try:
                        await self.prune()
                    except Exception:
                        logger.exception(
                            "outbox prune failed", extra={"source": self._outbox.source}
                        )
                with suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self._settings.interval_seconds)
                if stop.is_set():
                    return
            request_id_var.set(f"outbox-{uuid.uuid4().hex}")
            try:
                delivered = await self.run_once()
            except Exception:
                logger.exception("outbox relay failed", extra={"source": self._outbox.source})
                delivered = 0

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Run the relay in the background while the context is open, if enabled in settings."""
        if not self._settings.enabled:
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(self.run(stop), name=f"outbox-relay:{self._outbox.source}")
        try:
            yield
        finally:
            stop.set()
            try:
                await asyncio.wait_for(task, SHUTDOWN_GRACE_SECONDS)
            except TimeoutError:
                logger.warning("outbox relay cancelled on shutdown mid-batch")

    async def _claim(self, session: AsyncSession) -> Sequence[OutboxEventMixin]:
        event = self._outbox.events
        query = (
            select(event)
            .where(event.delivered_at.is_(None), event.next_attempt_at <= func.now())
            .order_by(event.next_attempt_at, event.occurred_at, event.sequence)
            .limit(self._settings.batch_size)
            .with_for_update(skip_locked=True)
        )
        return (await session.scalars(query)).all()

    async def _deliver(self, events: Sequence[OutboxEventMixin]) -> str | None:
        """None when reporting-api took the batch, otherwise why not."""
        body = {"events": [event_body(event) for event in events]}
        try:
            # The consumer deduplicates by event id, so a retried POST is safe.
            response = await self._reporting.post(self._settings.events_path, json=body, retry=True)
        except UpstreamUnavailable as exc:
            return exc.reason
        except Exception as exc:
            logger.exception("outbox delivery failed", extra={"source": self._outbox.source})
            return f"{type(exc).__name__}: {exc}"
        if response.status_code != 200:
            return f"answered {response.status_code} {_problem_code(response)}".strip()
        return None

    async def _mark_delivered(self, session: AsyncSession, ids: list[uuid.UUID]) -> None:
        event = self._outbox.events
        await session.execute(
            update(event)
            .where(event.id.in_(ids))
            .values(delivered_at=func.now(), last_error=None)
            .execution_options(synchronize_session=False)
        )

    async def _reschedule(self, session: AsyncSession, ids: list[uuid.UUID], error: str) -> None:
        DELIVERY_FAILURES.labels(self._outbox.source).inc()
        logger.warning(
            "outbox delivery will be retried",
            extra={"source": self._outbox.source, "events": len(ids), "error": error},
        )
        event = self._outbox.events
        exponent = func.least(event.attempts, _MAX_BACKOFF_EXPONENT)
        delay = func.least(
            self._settings.max_backoff_seconds,
            self._settings.initial_backoff_seconds * func.power(2, exponent),
        )
        await session.execute(
            update(event)
            .where(event.id.in_(ids))
            .values(
                attempts=event.attempts + 1,
                next_attempt_at=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, delay),
                last_error=error[:1000],
            )
            .execution_options(synchronize_session=False)
        )


def event_body(event: OutboxEventMixin) -> dict[str, Any]:
    """An event as the relay sends it."""
    return {
        "id": str(event.id),
        "type": event.type,
        "source": event.source,
        "occurred_at": event.occurred_at.isoformat(),
        "aggregate_type": event.aggregate_type,
        "aggregate_id": str(event.aggregate_id),
        "sequence": event.sequence,
        "data": event.data,
    }


def _problem_code(response: Any) -> str:
    try:
        return str(response.json().get("code", ""))
    except (ValueError, AttributeError):
        return ""
