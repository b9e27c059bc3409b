"""Idempotency-Key records expire: after ``idempotency.ttl_hours`` a key is new again, and the
expired records are deleted in the background. On plans-api's real table and routes."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text, update

from plans_api.models import IdempotencyRecord
from shared.config import IdempotencySettings
from shared.idempotency import expiring_records, prune_expired
from tests.factories import bearer, make_unit, token_for

OFFICIALS = "/api/plans/v1/officials"


@pytest.fixture
async def body(plans_app, plans_client) -> dict[str, str]:
    unit = await make_unit(plans_app, name="Sở Nội vụ")
    return {"full_name": "Lê Văn C", "unit_id": str(unit.id)}


@pytest.fixture
def headers(plans_app) -> dict[str, str]:
    return {**bearer(token_for(plans_app, roles=["reform_admin"])), "Idempotency-Key": "k-1"}


async def age_records(app, hours: int) -> None:
    """Make every record ``hours`` old."""
    async with app.state.sessionmaker() as session, session.begin():
        await session.execute(
            update(IdempotencyRecord).values(
                created_at=func.now() - text(f"interval '{hours} hours'")
            )
        )


async def keys(app) -> list[str]:
    async with app.state.sessionmaker() as session:
        return list((await session.scalars(select(IdempotencyRecord.key))).all())


class TestExpiry:
    async def test_a_retry_within_the_ttl_replays(self, plans_app, plans_client, headers, body):
        first = await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 23)
        again = await plans_client.post(OFFICIALS, headers=headers, json=body)
        assert again.headers["idempotency-replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]

    async def test_a_retry_after_the_ttl_creates_again(
        self, plans_app, plans_client, headers, body
    ):
        first = await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 25)
        again = await plans_client.post(OFFICIALS, headers=headers, json=body)
        assert again.status_code == 201
        assert "idempotency-replayed" not in again.headers
        assert again.json()["id"] != first.json()["id"]
        replayed = await plans_client.post(OFFICIALS, headers=headers, json=body)
        assert replayed.json()["id"] == again.json()["id"]  # remembered anew

    async def test_an_expired_key_takes_another_body(self, plans_app, plans_client, headers, body):
        await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 25)
        other = await plans_client.post(
            OFFICIALS, headers=headers, json={**body, "full_name": "Phạm Thị D"}
        )
        assert (other.status_code, other.json()["full_name"]) == (201, "Phạm Thị D")

    async def test_documented_on_the_header(self, plans_client):
        schema = (await plans_client.get("/api/plans/v1/openapi.json")).json()
        [header] = [
            p
            for p in schema["paths"][OFFICIALS]["post"]["parameters"]
            if p["name"] == "idempotency-key"
        ]
        assert "after that the key is new again" in header["description"]


class TestPrune:
    async def test_deletes_only_expired_records(self, plans_app, plans_client, headers, body):
        await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 25)
        await plans_client.post(OFFICIALS, headers={**headers, "Idempotency-Key": "k-2"}, json=body)

        assert await prune_expired(plans_app.state.sessionmaker, IdempotencyRecord, 24) == 1
        assert await keys(plans_app) == ["k-2"]

    async def test_the_ttl_decides(self, plans_app, plans_client, headers, body):
        await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 25)
        assert await prune_expired(plans_app.state.sessionmaker, IdempotencyRecord, 48) == 0
        assert await keys(plans_app) == ["k-1"]

    @pytest.mark.commits  # the pruner opens its own sessions beside the test's
    async def test_runs_in_the_background(self, plans_app, plans_client, headers, body):
        await plans_client.post(OFFICIALS, headers=headers, json=body)
        await age_records(plans_app, 25)
        app = SimpleNamespace(
            state=SimpleNamespace(
                sessionmaker=plans_app.state.sessionmaker,
                settings=SimpleNamespace(
                    idempotency=IdempotencySettings(ttl_hours=24, prune_interval_seconds=0.01)
                ),
            )
        )
        before = asyncio.all_tasks()
        async with expiring_records(app, IdempotencyRecord):  # type: ignore[arg-type]
            [pruner] = asyncio.all_tasks() - before
            for _ in range(200):
                if not await keys(plans_app):
                    break
                await asyncio.sleep(0.01)
        assert await keys(plans_app) == []
        assert pruner.done()

    async def test_an_interval_of_zero_starts_no_pruner(self, plans_app):
        app = SimpleNamespace(
            state=SimpleNamespace(
                sessionmaker=plans_app.state.sessionmaker,
                settings=SimpleNamespace(idempotency=IdempotencySettings(prune_interval_seconds=0)),
            )
        )
        before = asyncio.all_tasks()
        async with expiring_records(app, IdempotencyRecord):  # type: ignore[arg-type]
            assert asyncio.all_tasks() == before
