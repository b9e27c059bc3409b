"""POST /api/reporting/v1/events: service accounts store events once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from reporting_api.event.models import Event
from tests.factories import bearer, token_for

URL = "/api/reporting/v1/events"


def client_token(plans_app, scope: str = "events:write") -> dict[str, str]:
    token = token_for(
        plans_app,
        roles=[],
        subject="client:plans-api",
        token_use="client",
        scope=scope,
        client_id="plans-api",
    )
    return bearer(token)


def event(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "unit.created",
        "source": "plans-api",
        "occurred_at": datetime.now(UTC).isoformat(),
        "aggregate_type": "unit",
        "aggregate_id": str(uuid.uuid4()),
        "sequence": 1,
        "data": {"name": "Sở Nội vụ"},
        **changes,
    }


async def stored(reporting_app) -> int:
    async with reporting_app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


class TestReceiveEvents:
    async def test_new_events_are_applied(self, plans_app, reporting_app, reporting_client):
        batch = [event(), event(sequence=2)]
        response = await reporting_client.post(
            URL, json={"events": batch}, headers=client_token(plans_app)
        )
        assert response.status_code == 200
        assert response.json() == {"applied": 2, "duplicates": 0}
        async with reporting_app.state.sessionmaker() as session:
            row = await session.get(Event, uuid.UUID(batch[1]["id"]))
        assert row is not None
        assert (row.type, row.source, row.aggregate_type, row.sequence) == (
            "unit.created",
            "plans-api",
            "unit",
            2,
        )
        assert row.data == {"name": "Sở Nội vụ"}

    async def test_events_seen_before_are_duplicates(
        self, plans_app, reporting_app, reporting_client
    ):
        headers = client_token(plans_app)
        first = [event(), event()]
        await reporting_client.post(URL, json={"events": first}, headers=headers)
        again = [*first, event()]
        response = await reporting_client.post(URL, json={"events": again}, headers=headers)
        assert response.json() == {"applied": 1, "duplicates": 2}
        assert await stored(reporting_app) == 3

    async def test_repeated_id_within_a_batch_is_a_duplicate(
        self, plans_app, reporting_app, reporting_client
    ):
        one = event()
        response = await reporting_client.post(
            URL, json={"events": [one, one]}, headers=client_token(plans_app)
        )
        assert response.json() == {"applied": 1, "duplicates": 1}
        assert await stored(reporting_app) == 1

    async def test_unknown_fields_are_ignored(self, plans_app, reporting_client):
        response = await reporting_client.post(
            URL, json={"events": [event(trace="x")]}, headers=client_token(plans_app)
        )
        assert response.json() == {"applied": 1, "duplicates": 0}


class TestAccess:
    async def test_no_token_is_401(self, reporting_client):
        response = await reporting_client.post(URL, json={"events": [event()]})
        assert response.status_code == 401

    async def test_user_token_is_403(self, plans_app, reporting_app, reporting_client):
        headers = bearer(token_for(plans_app, roles=["system_admin"], scope="events:write"))
        response = await reporting_client.post(URL, json={"events": [event()]}, headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert await stored(reporting_app) == 0

    async def test_client_without_the_scope_is_403(self, plans_app, reporting_client):
        headers = client_token(plans_app, scope="units:read")
        response = await reporting_client.post(URL, json={"events": [event()]}, headers=headers)
        assert response.status_code == 403


class TestValidation:
    async def test_more_than_500_events_is_422(self, plans_app, reporting_app, reporting_client):
        batch = [event() for _ in range(501)]
        response = await reporting_client.post(
            URL, json={"events": batch}, headers=client_token(plans_app)
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "validation_error"
        assert await stored(reporting_app) == 0

    async def test_500_events_are_accepted(self, plans_app, reporting_client):
        batch = [event() for _ in range(500)]
        response = await reporting_client.post(
            URL, json={"events": batch}, headers=client_token(plans_app)
        )
        assert response.json() == {"applied": 500, "duplicates": 0}

    async def test_each_bad_field_is_listed(self, plans_app, reporting_app, reporting_client):
        bad = event(
            id="not-a-uuid",
            type="Unit Created",
            occurred_at="2026-11-23T10:00:00",  # no time zone
            sequence=0,
            data=[1, 2],
        )
        response = await reporting_client.post(
            URL, json={"events": [event(), bad]}, headers=client_token(plans_app)
        )
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {
            f"body.events.1.{name}" for name in ("id", "type", "occurred_at", "sequence", "data")
        }
        assert await stored(reporting_app) == 0

    async def test_empty_batch_is_422(self, plans_app, reporting_client):
        response = await reporting_client.post(
            URL, json={"events": []}, headers=client_token(plans_app)
        )
        assert response.status_code == 422

    async def test_missing_aggregate_type_is_422(self, plans_app, reporting_client):
        incomplete = event()
        del incomplete["aggregate_type"]
        response = await reporting_client.post(
            URL, json={"events": [incomplete]}, headers=client_token(plans_app)
        )
        assert response.status_code == 422


async def test_documented_in_openapi(reporting_client):
    schema = (await reporting_client.get("/api/reporting/v1/openapi.json")).json()
    post = schema["paths"][URL]["post"]
    assert post["summary"].startswith("Receive a batch of events")
    assert {"401", "403", "422"} <= set(post["responses"])


async def test_a_service_cannot_send_another_services_events(
    plans_app, reporting_app, reporting_client
):
    response = await reporting_client.post(
        URL, headers=client_token(plans_app), json={"events": [event(source="learning-api")]}
    )
    assert (response.status_code, response.json()["sources"]) == (403, ["learning-api"])
    assert await stored(reporting_app) == 0
