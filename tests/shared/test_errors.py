"""``field_error``: a domain validation problem names its field the way request validation does."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from shared.errors import Unprocessable, field_error, install_error_handlers


class Years(BaseModel):
    start_year: int
    end_year: int


class EndBeforeStart(Unprocessable):
    code = "invalid_years"

    def __init__(self) -> None:
        super().__init__(
            "Năm kết thúc trước năm bắt đầu",
            "end_year is before start_year",
            errors=field_error("end_year", "before start_year", self.code),
        )


def test_field_error_is_one_entry() -> None:
    assert field_error("end_year", "before start_year", "invalid_years") == [
        {"field": "end_year", "message": "before start_year", "type": "invalid_years"}
    ]


async def test_domain_and_request_errors_share_the_entry_shape() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/years")
    async def check_years(years: Years) -> Years:
        if years.end_year < years.start_year:
            raise EndBeforeStart()
        return years

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        domain = await client.post("/years", json={"start_year": 2026, "end_year": 2025})
        request = await client.post("/years", json={"start_year": 2026})
    assert (domain.status_code, request.status_code) == (422, 422)
    assert domain.headers["content-type"] == request.headers["content-type"]
    assert domain.json()["errors"] == [
        {"field": "end_year", "message": "before start_year", "type": "invalid_years"}
    ]
    [missing] = request.json()["errors"]
    assert missing.keys() == domain.json()["errors"][0].keys()
    assert (missing["field"], missing["type"]) == ("body.end_year", "missing")
