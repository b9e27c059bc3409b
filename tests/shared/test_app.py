"""The shared app factory: problem+json for every failure, body limits, request ids, logs."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from shared.app import create_service_app
from shared.auth.keys import StaticKeySource
from shared.config import DatabaseSettings, ServiceSettings
from shared.context import request_id_var
from shared.errors import Conflict
from shared.logs import configure_logging
from shared.testing.tokens import bearer, token_for

router = APIRouter(prefix="/api/demo/v1")
seen_request_ids: list[str | None] = []


class Item(BaseModel):
    name: str
    count: int


@router.post("/items")
async def create_item(item: Item) -> Item:
    return item


@router.post("/uploads")
async def upload(request: Request) -> dict[str, int]:
    return {"size": len(await request.body())}


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internal detail")


@router.get("/conflict")
async def conflict() -> None:
    raise Conflict("Đã tồn tại", "Already exists", field="code")


@router.get("/request-id")
async def read_request_id() -> dict[str, str | None]:
    logging.getLogger("demo").info("handling")
    return {"request_id": request_id_var.get()}


@pytest.fixture(scope="module")
async def demo_app(plans_db_url: str) -> AsyncIterator[FastAPI]:
    settings = ServiceSettings(
        database=DatabaseSettings(url=plans_db_url), max_body_bytes=1000, max_upload_bytes=5000
    )
    app = create_service_app(
        name="demo",
        title="demo",
        description="demo",
        prefix="/api/demo/v1",
        settings=settings,
        routers=[router],
        key_source=lambda app: StaticKeySource({"keys": []}),
        upload_paths=[r"^/api/demo/v1/uploads$"],
    )
    async with LifespanManager(app):
        yield app


@pytest.fixture
async def demo(demo_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=demo_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


class TestBodies:
    async def test_malformed_json_is_422(self, demo):
        response = await demo.post(
            "/api/demo/v1/items",
            content=b'{"name": "a",',
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "validation_error"

    async def test_each_invalid_field_is_listed(self, demo):
        response = await demo.post("/api/demo/v1/items", json={"count": "many"})
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"body.name", "body.count"}

    async def test_oversized_body_with_content_length_is_413(self, demo):
        response = await demo.post("/api/demo/v1/items", json={"name": "x" * 2000, "count": 1})
        assert response.status_code == 413
        assert response.json()["code"] == "payload_too_large"

    async def test_oversized_chunked_body_is_413(self, demo):
        async def chunks():
            for _ in range(10):
                yield b"x" * 500

        response = await demo.post(
            "/api/demo/v1/items", content=chunks(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 413

    async def test_upload_paths_have_their_own_limit(self, demo):
        allowed = await demo.post("/api/demo/v1/uploads", content=b"x" * 4000)
        refused = await demo.post("/api/demo/v1/uploads", content=b"x" * 6000)
        ordinary = await demo.post("/api/demo/v1/items", content=b"x" * 4000)
        assert (allowed.status_code, allowed.json()) == (200, {"size": 4000})
        assert refused.status_code == ordinary.status_code == 413

    async def test_json_nested_too_deep_is_not_500(self, demo):
        body = "[" * 400 + "]" * 400
        response = await demo.post(
            "/api/demo/v1/items",
            content=body.encode(),
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422


class TestProblems:
    async def test_unexpected_error_is_500_without_details(self, demo):
        response = await demo.get("/api/demo/v1/boom")
        assert response.status_code == 500
        assert response.json()["code"] == "internal_error"
        assert "secret internal detail" not in response.text

    async def test_app_error_carries_code_and_extra(self, demo):
        response = await demo.get("/api/demo/v1/conflict", headers={"Accept-Language": "en"})
        assert response.status_code == 409
        body = response.json()
        assert body == {
            "type": "urn:cchc:problem:conflict",
            "title": "Conflict",
            "status": 409,
            "code": "conflict",
            "detail": "Already exists",
            "instance": "/api/demo/v1/conflict",
            "field": "code",
        }

    async def test_vietnamese_by_default(self, demo):
        response = await demo.get("/api/demo/v1/conflict")
        assert response.json()["title"] == "Xung đột dữ liệu"

    async def test_unknown_route_and_method(self, demo):
        missing = await demo.get("/api/demo/v1/nothing-here")
        wrong_method = await demo.delete("/api/demo/v1/items")
        assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
        assert (wrong_method.status_code, wrong_method.json()["code"]) == (
            405,
            "method_not_allowed",
        )


class TestRequestId:
    async def test_kept_when_well_formed(self, demo):
        response = await demo.get("/api/demo/v1/request-id", headers={"X-Request-ID": "abc-123"})
        assert response.headers["x-request-id"] == "abc-123"
        assert response.json()["request_id"] == "abc-123"

    @pytest.mark.parametrize("incoming", ["", "has space", "x" * 200, "<script>"])
    async def test_replaced_when_not(self, demo, incoming):
        response = await demo.get("/api/demo/v1/request-id", headers={"X-Request-ID": incoming})
        assert response.headers["x-request-id"] != incoming
        assert len(response.headers["x-request-id"]) == 32

    async def test_logged_as_json_with_the_request_id(self, demo, capsys):
        configure_logging("demo")  # a handler on the stdout that capsys captures
        await demo.get(
            "/api/demo/v1/request-id?token=should-not-appear", headers={"X-Request-ID": "req-42"}
        )
        lines = [
            json.loads(line)
            for line in capsys.readouterr().out.splitlines()
            if line.startswith("{")
        ]
        access = [x for x in lines if x.get("logger") == "access"]
        assert any(x["request_id"] == "req-42" and x["message"] == "handling" for x in lines)
        assert access and access[-1]["path"] == "/api/demo/v1/request-id"
        assert access[-1]["status"] == 200
        assert all("should-not-appear" not in json.dumps(x) for x in lines)


class TestHealth:
    async def test_health_ready_metrics(self, demo):
        assert (await demo.get("/healthz")).json() == {"status": "ok"}
        assert (await demo.get("/readyz")).json() == {"status": "ready"}
        metrics = await demo.get("/metrics")
        assert "http_requests_total" in metrics.text

    async def test_openapi_and_docs_under_the_prefix(self, demo):
        assert (await demo.get("/api/demo/v1/openapi.json")).status_code == 200
        assert (await demo.get("/api/demo/v1/docs")).status_code == 200


async def test_openapi_documents_problems_as_they_are_sent(plans_app, learning_app, reporting_app):
    for app in (plans_app, learning_app, reporting_app):
        schema = app.openapi()
        assert "HTTPValidationError" not in schema["components"]["schemas"]
        assert not {"/healthz", "/readyz", "/metrics"} & schema["paths"].keys()
        with_body = 0
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation["responses"]
                if "422" in responses:
                    assert list(responses["422"]["content"]) == ["application/problem+json"], (
                        method,
                        path,
                    )
                if "requestBody" in operation:
                    with_body += 1
                    assert "application/problem+json" in responses["400"]["content"]
        assert app is learning_app or with_body > 0


async def test_an_undecodable_body_is_a_bad_request_problem(plans_client, plans_app):
    response = await plans_client.put(
        "/api/plans/v1/period-rules",
        headers={
            **bearer(token_for(plans_app, roles=["reform_admin"])),
            "content-type": "application/json",
        },
        content=b"\xff\xfe|",
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "bad_request"
