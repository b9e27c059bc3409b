"""The outbox on plans-api's real tables: sequences, claiming with SKIP LOCKED, retries, and
delivery to the real reporting-api (in-process)."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text, update

from plans_api.outbox import OUTBOX, OutboxEvent
from shared import outbox
from shared.config import OutboxSettings, ServiceClientSettings
from shared.events import UnknownEventType
from shared.events.plans import UnitData
from shared.http import ServiceClient, ServiceToken
from shared.outbox import NewEvent, OutboxRelay, add_event
from tests.factories import bearer, token_for
from tests.shared.conftest import OTHER

RELAY = OutboxSettings(
    enabled=True,
    batch_size=4,
    interval_seconds=0.01,
    initial_backoff_seconds=10,
    max_backoff_seconds=300,
)


def unit_data(unit_id: uuid.UUID, n: int = 0) -> UnitData:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return UnitData(
        id=unit_id,
        code=str(n),
        name=f"Đơn vị {n}",
        short_name=None,
        level="department",
        parent_id=None,
        agency_code=None,
        valid_from=None,
        valid_to=None,
        created_at=moment,
        updated_at=moment,
    )


async def add_events(app: FastAPI, count: int, aggregate_id: uuid.UUID | None = None) -> list[Any]:
    """``count`` events in one committed transaction; returns their ids."""
    async with app.state.sessionmaker() as session, session.begin():
        ids = [aggregate_id or uuid.uuid4() for _ in range(count)]
        return [
            await add_event(
                session,
                OUTBOX,
                "unit.updated",
                aggregate_type="unit",
                aggregate_id=unit_id,
                data=unit_data(unit_id, n),
            )
            for n, unit_id in enumerate(ids)
        ]


async def outbox_rows(app: FastAPI) -> list[OutboxEvent]:
    async with app.state.sessionmaker() as session:
        query = select(OutboxEvent).order_by(OutboxEvent.occurred_at, OutboxEvent.sequence)
        return list((await session.scalars(query)).all())


async def make_all_due(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(update(OutboxEvent).values(next_attempt_at=func.now()))


class Reporting:
    """Stands in for reporting-api's POST /events: records event ids, answers ``status``."""

    def __init__(self) -> None:
        self.status = 200
        self.refuse = False
        self.received: list[str] = []
        self.paths: list[str] = []
        self.calls = 0
        self.gate: asyncio.Event | None = None  # when set, the first call waits for it
        self.first_call = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        self.paths.append(request.url.path)
        if self.refuse:
            raise httpx.ConnectError("refused", request=request)
        if self.gate is not None and not self.first_call.is_set():
            self.first_call.set()
            await self.gate.wait()
        if self.status != 200:
            return httpx.Response(self.status, json={"code": "validation_error"})
        ids = [e["id"] for e in httpx.Response(200, content=request.content).json()["events"]]
        self.received.extend(ids)
        return httpx.Response(200, json={"applied": len(ids), "duplicates": 0})


@pytest.fixture
def reporting() -> Reporting:
    return Reporting()


@pytest.fixture
def make_relay(
    plans_app: FastAPI,
    plans_client: httpx.AsyncClient,
    service_account: ServiceClientSettings,
    http_to: Callable[[str, httpx.AsyncBaseTransport], httpx.AsyncClient],
    reporting: Reporting,
) -> Callable[..., OutboxRelay]:
    settings = service_account.model_copy(update={"max_retries": 0})
    http = http_to(OTHER, httpx.MockTransport(reporting))
    client = ServiceClient(http, OTHER, ServiceToken(http, settings), settings)

    def make(**changes: Any) -> OutboxRelay:
        return OutboxRelay(
            OUTBOX, plans_app.state.sessionmaker, client, RELAY.model_copy(update=changes)
        )

    return make


class TestSequence:
    async def test_one_transaction_numbers_in_order(self, plans_app, plans_client):
        aggregate = uuid.uuid4()
        await add_events(plans_app, 3, aggregate)
        await add_events(plans_app, 2, aggregate)
        assert [e.sequence for e in await outbox_rows(plans_app)] == [1, 2, 3, 4, 5]

    @pytest.mark.commits  # concurrent sessions
    async def test_concurrent_writers_get_gap_free_numbers(self, plans_app, plans_client):
        aggregates = [uuid.uuid4(), uuid.uuid4()]

        async def write(aggregate: uuid.UUID, commit: bool) -> None:
            async with plans_app.state.sessionmaker() as session:
                await add_event(
                    session,
                    OUTBOX,
                    "unit.updated",
                    aggregate_type="unit",
                    aggregate_id=aggregate,
                    data=unit_data(aggregate),
                )
                await asyncio.sleep(0.01)  # hold the counter row while others queue up
                await (session.commit() if commit else session.rollback())

        writers = [write(a, commit=i % 4 != 3) for i in range(8) for a in aggregates]
        await asyncio.gather(*writers)

        rows = await outbox_rows(plans_app)
        for aggregate in aggregates:
            numbers = sorted(e.sequence for e in rows if e.aggregate_id == aggregate)
            assert numbers == [1, 2, 3, 4, 5, 6]  # 8 writers, 2 rolled back: no gaps

    async def test_event_fields(self, plans_app, plans_client):
        aggregate = uuid.uuid4()
        [event_id] = await add_events(plans_app, 1, aggregate)
        [row] = await outbox_rows(plans_app)
        assert (row.id, row.type, row.source) == (event_id, "unit.updated", "plans-api")
        assert (row.aggregate_type, row.aggregate_id) == ("unit", aggregate)
        assert row.data == unit_data(aggregate).model_dump(mode="json")
        assert row.data["created_at"] == "2026-01-01T00:00:00Z"
        assert (row.attempts, row.delivered_at, row.last_error) == (0, None, None)


class TestContract:
    """An event is written only with its type's contract as data."""

    @pytest.mark.parametrize(
        ("event_type", "aggregate_type", "error", "message"),
        [
            ("plan.created", "plan", TypeError, "carries PlanData, not UnitData"),
            ("unit.moved", "unit", UnknownEventType, "plans-api has no event type"),
            ("unit.created", "plan", ValueError, "is not an event of a plan"),
        ],
    )
    async def test_anything_else_is_refused(
        self, plans_app, plans_client, event_type, aggregate_type, error, message
    ):
        unit_id = uuid.uuid4()
        async with plans_app.state.sessionmaker() as session:
            with pytest.raises(error, match=message):
                await add_event(
                    session,
                    OUTBOX,
                    event_type,
                    aggregate_type=aggregate_type,
                    aggregate_id=unit_id,
                    data=unit_data(unit_id),
                )

    async def test_many_at_once_are_checked_too(self, plans_app, plans_client):
        unit_id = uuid.uuid4()
        async with plans_app.state.sessionmaker() as session:
            with pytest.raises(UnknownEventType):
                await outbox.add_events(
                    session, OUTBOX, [NewEvent("unit.moved", "unit", unit_id, unit_data(unit_id))]
                )


class TestAddEvents:
    async def test_many_aggregates_at_once_continue_their_sequences(self, plans_app, plans_client):
        known, new = uuid.uuid4(), uuid.uuid4()
        await add_events(plans_app, 2, known)
        async with plans_app.state.sessionmaker() as session, session.begin():
            await outbox.add_events(
                session,
                OUTBOX,
                [
                    NewEvent("unit.updated", "unit", known, unit_data(known, 3)),
                    NewEvent("unit.created", "unit", new, unit_data(new, 1)),
                ],
            )
        rows = {(r.aggregate_id, r.sequence) for r in await outbox_rows(plans_app)}
        assert {(known, 3), (new, 1)} <= rows

    async def test_an_aggregate_twice_in_one_call_is_refused(self, plans_app, plans_client):
        twice = uuid.uuid4()
        async with plans_app.state.sessionmaker() as session:
            with pytest.raises(ValueError, match="at most once"):
                await outbox.add_events(
                    session,
                    OUTBOX,
                    [
                        NewEvent("unit.updated", "unit", twice, unit_data(twice)),
                        NewEvent("unit.updated", "unit", twice, unit_data(twice)),
                    ],
                )


class TestPrune:
    async def test_deletes_only_old_delivered_events(self, plans_app, plans_client, make_relay):
        old, recent, pending = await add_events(plans_app, 3)
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == old)
                .values(delivered_at=func.now() - text("interval '31 days'"))
            )
            await session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == recent)
                .values(delivered_at=func.now() - text("interval '29 days'"))
            )
        relay = make_relay(retention_days=30)

        assert await relay.prune(batch=1) == 1
        assert {e.id for e in await outbox_rows(plans_app)} == {recent, pending}

    async def test_retention_zero_keeps_everything(self, plans_app, plans_client, make_relay):
        [old] = await add_events(plans_app, 1)
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(
                update(OutboxEvent).values(delivered_at=func.now() - text("interval '400 days'"))
            )
        assert await make_relay(retention_days=0).prune() == 0
        assert [e.id for e in await outbox_rows(plans_app)] == [old]


@pytest.mark.commits  # relays running at once and in the background, each with its own sessions
class TestRelay:
    async def test_delivers_in_batches_and_marks_delivered(self, plans_app, make_relay, reporting):
        ids = await add_events(plans_app, 6)
        relay = make_relay()
        assert await relay.run_once() == 4
        assert await relay.run_once() == 2
        assert await relay.run_once() == 0
        assert reporting.received == [str(i) for i in ids]
        assert reporting.paths == ["/api/reporting/v1/events"] * 2
        rows = await outbox_rows(plans_app)
        assert [e.id for e in rows if e.delivered_at is not None] == ids

    async def test_delivers_to_the_path_in_its_settings(self, plans_app, make_relay, reporting):
        await add_events(plans_app, 1)
        assert await make_relay(events_path="/reporting/events").run_once() == 1
        assert reporting.paths == ["/reporting/events"]

    async def test_a_claimed_batch_is_skipped_not_waited_for(
        self, plans_app, make_relay, reporting
    ):
        await add_events(plans_app, 6)
        reporting.gate = asyncio.Event()
        first = asyncio.create_task(make_relay(batch_size=3).run_once())
        await asyncio.wait_for(reporting.first_call.wait(), 5)

        # The first relay holds its batch (its POST is in flight); the second takes the rest.
        assert await asyncio.wait_for(make_relay(batch_size=10).run_once(), 5) == 3
        reporting.gate.set()
        assert await first == 3
        assert len(reporting.received) == len(set(reporting.received)) == 6

    async def test_concurrent_relays_never_deliver_an_event_twice(
        self, plans_app, make_relay, reporting
    ):
        ids = await add_events(plans_app, 40)

        async def drain(relay: OutboxRelay) -> int:
            total = 0
            while delivered := await relay.run_once():
                total += delivered
            return total

        totals = await asyncio.gather(*(drain(make_relay(batch_size=3)) for _ in range(4)))
        assert sum(totals) == 40
        assert Counter(reporting.received) == Counter(str(i) for i in ids)

    async def test_failure_is_retried_later_with_backoff(self, plans_app, make_relay, reporting):
        ids = await add_events(plans_app, 2)
        relay = make_relay()
        reporting.status = 503

        assert await relay.run_once() == 0
        rows = await outbox_rows(plans_app)
        assert [(e.attempts, e.delivered_at) for e in rows] == [(1, None), (1, None)]
        assert rows[0].last_error == "answered 503"
        assert 9 <= await seconds_until_next_attempt(plans_app) <= 10

        assert await relay.run_once() == 0  # not due yet: nothing is sent
        assert reporting.calls == 1

        await make_all_due(plans_app)
        reporting.status = 422
        assert await relay.run_once() == 0
        rows = await outbox_rows(plans_app)
        assert rows[0].attempts == 2
        assert rows[0].last_error == "answered 422 validation_error"
        assert 19 <= await seconds_until_next_attempt(plans_app) <= 20

        await make_all_due(plans_app)
        reporting.status = 200
        assert await relay.run_once() == 2
        assert reporting.received == [str(i) for i in ids]
        assert [e.last_error for e in await outbox_rows(plans_app)] == [None, None]

    async def test_backoff_is_capped(self, plans_app, make_relay, reporting):
        await add_events(plans_app, 1)
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(update(OutboxEvent).values(attempts=5000))
        reporting.status = 503
        assert await make_relay().run_once() == 0
        assert 299 <= await seconds_until_next_attempt(plans_app) <= 300

    async def test_connection_failure_loses_nothing(self, plans_app, make_relay, reporting):
        ids = await add_events(plans_app, 3)
        reporting.refuse = True
        assert await make_relay().run_once() == 0
        rows = await outbox_rows(plans_app)
        assert {e.id for e in rows} == set(ids)
        assert all(e.attempts == 1 and e.last_error == "ConnectError" for e in rows)

    async def test_runs_in_the_background_while_enabled(self, plans_app, make_relay, reporting):
        relay = make_relay()
        async with relay.running():
            ids = await add_events(plans_app, 5)
            for _ in range(200):
                if len(reporting.received) == 5:
                    break
                await asyncio.sleep(0.01)
        assert reporting.received == [str(i) for i in ids]
        assert not [t for t in asyncio.all_tasks() if t.get_name().startswith("outbox-relay")]

    async def test_disabled_relay_does_not_run(self, plans_app, make_relay, reporting):
        async with make_relay(enabled=False).running():
            await add_events(plans_app, 1)
            await asyncio.sleep(0.05)
        assert reporting.calls == 0


async def seconds_until_next_attempt(app: FastAPI) -> float:
    async with app.state.sessionmaker() as session:
        delay = await session.scalar(select(func.max(OutboxEvent.next_attempt_at) - func.now()))
    return float(delay.total_seconds())


class TestDeliveryToReporting:
    """plans-api's relay and reporting-api's POST /events, both real, over ASGI."""

    @pytest.mark.commits  # the relay compares due times with now(), fixed within a transaction
    async def test_unit_created_is_stored_once_even_if_sent_twice(
        self, plans_app, plans_client, reporting_app, reporting_client, service_account, http_to
    ):
        admin = bearer(token_for(plans_app, roles=["reform_admin"]))
        created = await plans_client.post(
            "/api/plans/v1/units",
            headers=admin,
            json={"code": "92", "name": "Thành phố Cần Thơ", "level": "province"},
        )
        assert created.status_code == 201
        unit_id = created.json()["id"]

        http = http_to("http://reporting.test", httpx.ASGITransport(app=reporting_app))
        client = ServiceClient(
            http, "http://reporting.test", ServiceToken(http, service_account), service_account
        )
        relay = OutboxRelay(OUTBOX, plans_app.state.sessionmaker, client, RELAY)
        assert await relay.run_once() == 1

        # As if plans-api crashed after reporting answered, before it recorded the delivery.
        async with plans_app.state.sessionmaker() as session, session.begin():
            await session.execute(update(OutboxEvent).values(delivered_at=None))
        assert await relay.run_once() == 1

        async with reporting_app.state.sessionmaker() as session:
            rows = (await session.execute(text("SELECT * FROM events"))).mappings().all()
        assert len(rows) == 1
        [event] = rows
        assert (event["type"], event["source"], event["sequence"]) == (
            "unit.created",
            "plans-api",
            1,
        )
        assert (event["aggregate_type"], str(event["aggregate_id"])) == ("unit", unit_id)
        assert event["data"]["name"] == "Thành phố Cần Thơ"
        assert isinstance(event["occurred_at"], datetime)
