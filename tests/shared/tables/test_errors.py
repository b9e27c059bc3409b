"""shared.tables.errors: one row-error contract, rendered in the caller's language."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from shared.errors import install_error_handlers
from shared.tables.errors import MAX_LISTED_ERRORS, ImportRowsInvalid, RowError

ERROR = RowError(5, "Đơn vị", "unknown_unit", "Không có đơn vị 'X'", "No unit 'X'")


@pytest.fixture
async def client():
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/import")
    async def import_rows(count: int = 1) -> None:
        raise ImportRowsInvalid([ERROR] * count, rows_read=7, created=0)

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app), base_url="http://test"
    ) as client:
        yield client


async def test_vietnamese_by_default(client):
    response = await client.get("/import")
    body = response.json()
    assert (response.status_code, body["code"], body["title"]) == (
        422,
        "import_rows_invalid",
        "Tệp có dòng không hợp lệ",
    )
    assert (body["rows_read"], body["created"], body["error_count"]) == (7, 0, 1)
    assert body["errors"] == [
        {
            "row": 5,
            "column": "Đơn vị",
            "code": "unknown_unit",
            "message": "Không có đơn vị 'X'",
            "message_en": "No unit 'X'",
        }
    ]


async def test_english_on_request(client):
    response = await client.get("/import", headers={"Accept-Language": "en-GB,en;q=0.8"})
    body = response.json()
    assert body["title"] == "The file has invalid rows"
    assert body["errors"][0]["message"] == body["errors"][0]["message_en"] == "No unit 'X'"


async def test_every_error_is_counted_but_a_thousand_listed(client):
    body = (await client.get("/import", params={"count": MAX_LISTED_ERRORS + 5})).json()
    assert (body["error_count"], len(body["errors"])) == (MAX_LISTED_ERRORS + 5, MAX_LISTED_ERRORS)
