"""Request-validation errors speak Vietnamese by default and English under
``Accept-Language: en``, from pydantic's error ``type`` and its limits, through a small app and
through plans-api's routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.errors import install_error_handlers
from shared.validation_messages import GENERIC_VI, MESSAGES, Invalid, message, messages
from tests.factories import bearer, token_for

EN = {"Accept-Language": "en"}


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: Annotated[int, Field(ge=1, le=10)]
    figure: Annotated[int, Field(ge=0)] = 0
    name: Annotated[str, Field(min_length=1, max_length=5)] = "a"
    role: Literal["lead", "coordinating"] = "lead"
    due: date | None = None
    unit_id: UUID | None = None
    done: bool = False

    @field_validator("name")
    @classmethod
    def _not_x(cls, value: str) -> str:
        if value == "x":
            raise Invalid("Tên không được là x", "The name may not be x")
        if value == "y":
            raise ValueError("y is reserved")
        return value


def small_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/forms")
    async def post_form(form: Form, page: Annotated[int, Query(ge=1)] = 1) -> Form:
        return form

    return app


async def post(body: object, headers: dict[str, str] | None = None, query: str = "") -> dict:
    transport = httpx.ASGITransport(app=small_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        if isinstance(body, bytes):
            headers = {**(headers or {}), "Content-Type": "application/json"}
            response = await client.post(f"/forms{query}", content=body, headers=headers)
        else:
            response = await client.post(f"/forms{query}", json=body, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def by_field(body: dict) -> dict[str, tuple[str, str]]:
    assert all(e.keys() == {"field", "message", "type"} for e in body["errors"])
    return {e["field"]: (e["type"], e["message"]) for e in body["errors"]}


BAD = {
    "count": "many",
    "figure": -1,
    "name": "",
    "role": "boss",
    "due": "2025-13-01",
    "unit_id": "not-a-uuid",
    "done": "maybe",
    "extra": 1,
}


class TestSmallApp:
    async def test_vietnamese_by_default(self) -> None:
        body = await post(BAD, query="?page=0")
        assert body["title"] == "Dữ liệu không hợp lệ"
        assert by_field(body) == {
            "query.page": ("greater_than_equal", "Không được nhỏ hơn 1"),
            "body.count": ("int_parsing", "Phải là một số nguyên"),
            "body.figure": ("greater_than_equal", "Không được âm"),
            "body.name": ("string_too_short", "Không được để trống"),
            "body.role": (
                "literal_error",
                "Phải là một trong các giá trị: 'lead' hoặc 'coordinating'",
            ),
            "body.due": ("date_from_datetime_parsing", "Phải là một ngày hợp lệ, dạng YYYY-MM-DD"),
            "body.unit_id": ("uuid_parsing", "Phải là một mã định danh (UUID) hợp lệ"),
            "body.done": ("bool_parsing", "Phải là true hoặc false"),
            "body.extra": ("extra_forbidden", "Trường này không được phép"),
        }

    async def test_english_on_request(self) -> None:
        body = await post(BAD, EN, query="?page=0")
        assert body["title"] == "Validation failed"
        assert by_field(body) == {
            "query.page": ("greater_than_equal", "Must be at least 1"),
            "body.count": ("int_parsing", "Must be an integer"),
            "body.figure": ("greater_than_equal", "Must not be negative"),
            "body.name": ("string_too_short", "Must not be empty"),
            "body.role": ("literal_error", "Must be one of: 'lead' or 'coordinating'"),
            "body.due": ("date_from_datetime_parsing", "Must be a valid date (YYYY-MM-DD)"),
            "body.unit_id": ("uuid_parsing", "Must be a valid UUID"),
            "body.done": ("bool_parsing", "Must be true or false"),
            "body.extra": ("extra_forbidden", "This field is not allowed"),
        }

    @pytest.mark.parametrize(
        ("body", "field", "vi", "en"),
        [
            ({}, "body.count", "Thiếu trường bắt buộc", "Field required"),
            ({"count": 11}, "body.count", "Không được lớn hơn 10", "Must be at most 10"),
            ({"count": 1.5}, "body.count", "Phải là một số nguyên, không có phần thập phân", None),
            (
                {"count": 1, "name": "abcdef"},
                "body.name",
                "Không được dài quá 5 ký tự",
                "Must be at most 5 characters long",
            ),
            (
                {"count": 1, "name": "x"},
                "body.name",
                "Tên không được là x",
                "The name may not be x",
            ),
            (
                {"count": 1, "name": "y"},
                "body.name",
                f"{GENERIC_VI}: y is reserved",
                "y is reserved",
            ),
            ([1], "body", "Phải là một đối tượng JSON", "Must be a JSON object"),
            (b'{"count": ', "body.10", "Nội dung JSON không hợp lệ", "Invalid JSON"),
        ],
    )
    async def test_each_kind_in_both_languages(
        self, body: object, field: str, vi: str, en: str | None
    ) -> None:
        assert by_field(await post(body))[field][1] == vi
        english = by_field(await post(body, EN))[field][1]
        if en is not None:
            assert english == en


class TestTable:
    def test_no_listed_message_is_pydantics_english(self) -> None:
        for kind, (vi, en) in MESSAGES.items():
            assert vi != en, kind
            assert not vi.startswith(("Input should", "Field", "Value error")), kind

    def test_an_unlisted_type_gets_a_generic_vietnamese_sentence(self) -> None:
        error = {"type": "some_new_type", "msg": "Input should be shiny", "ctx": {}}
        assert messages(error) == (GENERIC_VI, "Input should be shiny")

    def test_limits_come_from_ctx(self) -> None:
        error = {"type": "too_long", "msg": "…", "ctx": {"max_length": 500, "field_type": "List"}}
        assert messages(error) == (
            "Không được có quá 500 phần tử",
            "Must have at most 500 items",
        )

    def test_a_template_whose_ctx_is_missing_falls_back(self) -> None:
        error = {"type": "greater_than_equal", "msg": "Input should be >= 1"}
        assert message(error, english=False) == GENERIC_VI
        assert message(error, english=True) == "Input should be >= 1"


@pytest.fixture
def admin(plans_app: FastAPI) -> dict[str, str]:
    return bearer(token_for(plans_app, roles=["reform_admin"]))


async def create_unit_in_both_languages(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict
) -> tuple[dict, dict]:
    """The 422 bodies of ``POST /units`` in Vietnamese (default) and in English."""
    vi = await client.post("/api/plans/v1/units", headers=headers, json=body)
    en = await client.post("/api/plans/v1/units", headers={**headers, **EN}, json=body)
    assert (vi.status_code, en.status_code) == (422, 422)
    return vi.json(), en.json()


class TestPlansRoutes:
    async def test_unit_body_in_both_languages(self, plans_client, admin) -> None:
        body = {
            "code": "92",
            "name": "",
            "level": "planet",
            "valid_from": "2025-07-01",
            "colour": "red",
        }
        vi, en = await create_unit_in_both_languages(plans_client, admin, body)
        assert by_field(vi)["body.name"] == ("string_too_short", "Không được để trống")
        assert by_field(en)["body.name"] == ("string_too_short", "Must not be empty")
        assert by_field(vi)["body.colour"] == (
            "extra_forbidden",
            "Trường này không được phép",
        )
        kind, level_vi = by_field(vi)["body.level"]
        assert kind == "literal_error"
        assert level_vi.startswith("Phải là một trong các giá trị: ") and " hoặc " in level_vi
        assert by_field(en)["body.level"][1].startswith("Must be one of: ")

    async def test_our_validators_speak_both_languages(self, plans_client, admin) -> None:
        body = {
            "code": "92",
            "name": "Thành phố Cần Thơ",
            "level": "province",
            "valid_from": "2025-07-01",
            "valid_to": "2025-06-30",
        }
        vi, en = await create_unit_in_both_languages(plans_client, admin, body)
        [vi_error], [en_error] = vi["errors"], en["errors"]
        assert vi_error["type"] == en_error["type"] == "value_error"
        assert vi_error["message"] == (
            "Ngày hết hiệu lực (valid_to) không được trước ngày bắt đầu hiệu lực (valid_from)"
        )
        assert en_error["message"] == "valid_to must not be before valid_from"

    async def test_query_limits_in_both_languages(self, plans_client, admin) -> None:
        url = "/api/plans/v1/plans?year=1900"
        vi = (await plans_client.get(url, headers=admin)).json()
        en = (await plans_client.get(url, headers={**admin, **EN})).json()
        assert by_field(vi) == {"query.year": ("greater_than_equal", "Không được nhỏ hơn 1945")}
        assert by_field(en) == {"query.year": ("greater_than_equal", "Must be at least 1945")}


def test_openapi_says_what_the_entries_hold(plans_app: FastAPI) -> None:
    problem = plans_app.openapi()["components"]["schemas"]["Problem"]
    assert "Accept-Language: en" in problem["properties"]["errors"]["description"]
