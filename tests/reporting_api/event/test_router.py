"""POST /api/reporting/v1/events: service accounts store events once."""

from __future__ import annotations

import unicodedata
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


def unit(**changes: Any) -> dict[str, Any]:
    """The data of a ``unit.created`` event, as plans-api writes it."""
    return {
        "id": str(uuid.uuid4()),
        "code": "000.00.31.H13",
        "name": "Sở Nội vụ",
        "short_name": None,
        "level": "department",
        "parent_id": None,
        "agency_code": None,
        "valid_from": "2025-07-01",
        "valid_to": None,
        "created_at": "2026-11-23T10:00:00Z",
        "updated_at": "2026-11-23T10:00:00Z",
        **changes,
    }


def event(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": "unit.created",
        "source": "plans-api",
        "occurred_at": datetime.now(UTC).isoformat(),
        "aggregate_type": "unit",
        "aggregate_id": str(uuid.uuid4()),
        "sequence": 1,
        "data": unit(),
        **changes,
    }


async def stored(reporting_app) -> int:
    async with reporting_app.state.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Event)) or 0)


class TestReceiveEvents:
    async def test_new_events_are_applied(self, plans_app, reporting_app, reporting_client):
        batch = [event(), event(sequence=2, type="unit.updated")]
        response = await reporting_client.post(
            URL, json={"events": batch}, headers=client_token(plans_app)
        )
        assert response.status_code == 200
        assert response.json() == {"applied": 2, "duplicates": 0}
        async with reporting_app.state.sessionmaker() as session:
            row = await session.get(Event, uuid.UUID(batch[1]["id"]))
        assert row is not None
        assert (row.type, row.source, row.aggregate_type, row.sequence) == (
            "unit.updated",
            "plans-api",
            "unit",
            2,
        )
        assert row.data == batch[1]["data"]

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


class TestContracts:
    """Each event's data is checked against the contract of its type (shared.events)."""

    async def test_an_unknown_type_refuses_the_batch(
        self, plans_app, reporting_app, reporting_client
    ):
        response = await reporting_client.post(
            URL,
            json={"events": [event(), event(type="unit.moved")]},
            headers=client_token(plans_app),
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "unknown_event_type"
        assert [(e["field"], e["type"]) for e in body["errors"]] == [
            ("body.events.1.type", "unknown_event_type")
        ]
        assert await stored(reporting_app) == 0

    async def test_invalid_data_refuses_the_batch_naming_each_field(
        self, plans_app, reporting_app, reporting_client
    ):
        bad = unit(level="ministry", valid_from="1/7/2025")
        del bad["name"]
        response = await reporting_client.post(
            URL,
            json={"events": [event(), event(data=bad)]},
            headers=client_token(plans_app, "events:write"),
        )
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "invalid_event_data"
        assert {e["field"] for e in body["errors"]} == {
            f"body.events.1.data.{name}" for name in ("name", "level", "valid_from")
        }
        assert await stored(reporting_app) == 0

    async def test_nested_data_is_checked(self, plans_app, reporting_client):
        succeeded = {
            "unit": unit(),
            "successors": [unit(id="not-a-uuid")],
            "kind": "merge",
            "effective_on": "2025-07-01",
        }
        response = await reporting_client.post(
            URL,
            json={"events": [event(type="unit.succeeded", data=succeeded)]},
            headers=client_token(plans_app),
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [
            "body.events.0.data.successors.0.id"
        ]

    async def test_the_aggregate_is_the_types_first_word(
        self, plans_app, reporting_app, reporting_client
    ):
        response = await reporting_client.post(
            URL, json={"events": [event(aggregate_type="plan")]}, headers=client_token(plans_app)
        )
        assert response.status_code == 422
        body = response.json()
        assert (body["code"], body["errors"][0]["field"]) == (
            "invalid_event_data",
            "body.events.0.aggregate_type",
        )
        assert await stored(reporting_app) == 0

    async def test_data_is_stored_as_its_contract_reads_it(
        self, plans_app, reporting_app, reporting_client
    ):
        decomposed = unicodedata.normalize("NFD", "Sở Tư pháp")
        sent = event(data={**unit(name=decomposed), "trace": "x"})
        response = await reporting_client.post(
            URL, json={"events": [sent]}, headers=client_token(plans_app)
        )
        assert response.json() == {"applied": 1, "duplicates": 0}
        async with reporting_app.state.sessionmaker() as session:
            row = await session.get(Event, uuid.UUID(sent["id"]))
        assert row is not None
        assert row.data["name"] == "Sở Tư pháp" != decomposed
        assert "trace" not in row.data


async def test_contract_errors_are_documented_in_openapi(reporting_client):
    schema = (await reporting_client.get("/api/reporting/v1/openapi.json")).json()
    unprocessable = schema["paths"][URL]["post"]["responses"]["422"]
    assert "unknown_event_type" in unprocessable["description"]
    assert "invalid_event_data" in unprocessable["description"]
