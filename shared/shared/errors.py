"""Errors as RFC 9457 problem details, with a stable ``code`` and Vietnamese/English text.

Raise an ``AppError`` subclass anywhere; ``install_error_handlers`` renders every error, ours,
FastAPI's validation errors and Starlette's HTTP errors alike, as ``application/problem+json``.
Vietnamese is the default language; ``Accept-Language: en`` selects English.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared import validation_messages

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("shared.errors")


class AppError(Exception):
    status: int = 400
    code: str = "bad_request"
    title_vi: str = "Yêu cầu không hợp lệ"
    title_en: str = "Bad request"

    def __init__(
        self,
        detail_vi: str | None = None,
        detail_en: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail_en or detail_vi or self.title_en)
        self.detail_vi = detail_vi
        self.detail_en = detail_en or detail_vi
        self.headers = headers or {}
        self.extra = extra

    def extra_for(self, english: bool) -> dict[str, Any]:
        """The body's members beyond the standard ones, in the caller's language."""
        return self.extra


def field_error(field: str, message: str, kind: str) -> list[dict[str, Any]]:
    """The ``errors`` of a domain validation problem: one entry shaped like those of request
    validation, e.g. ``errors=field_error("end_year", "before start_year", self.code)``."""
    return [{"field": field, "message": message, "type": kind}]


class BadRequest(AppError):
    pass


class Unauthorized(AppError):
    status = 401
    code = "unauthorized"
    title_vi = "Chưa xác thực"
    title_en = "Not authenticated"

    def __init__(self, detail_vi: str | None = None, detail_en: str | None = None, **kw: Any):
        kw.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail_vi, detail_en, **kw)


class InvalidToken(Unauthorized):
    code = "invalid_token"
    title_vi = "Mã truy cập không hợp lệ"
    title_en = "Invalid access token"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title_vi = "Không có quyền"
    title_en = "Forbidden"


class NotFound(AppError):
    status = 404
    code = "not_found"
    title_vi = "Không tìm thấy"
    title_en = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title_vi = "Xung đột dữ liệu"
    title_en = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    code = "precondition_failed"
    title_vi = "Dữ liệu đã bị thay đổi"
    title_en = "Precondition failed"


class PreconditionRequired(AppError):
    status = 428
    code = "precondition_required"
    title_vi = "Thiếu điều kiện If-Match"
    title_en = "If-Match required"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title_vi = "Dữ liệu gửi lên quá lớn"
    title_en = "Payload too large"


class Unprocessable(AppError):
    status = 422
    code = "validation_error"
    title_vi = "Dữ liệu không hợp lệ"
    title_en = "Validation failed"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    title_vi = "Quá nhiều yêu cầu"
    title_en = "Too many requests"

    def __init__(
        self, retry_after: int, detail_vi: str | None = None, detail_en: str | None = None
    ):
        super().__init__(detail_vi, detail_en, headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(AppError):
    status = 503
    code = "service_unavailable"
    title_vi = "Dịch vụ tạm thời không sẵn sàng"
    title_en = "Service unavailable"


class Problem(BaseModel):
    """The body of every error response (RFC 9457), for OpenAPI documentation."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str
    errors: list[dict[str, Any]] | None = Field(
        None,
        description=(
            "Request validation: one entry per field, {field, message, type}: field is the dotted"
            " location (body.name, query.year), type is pydantic's stable error type (missing,"
            " int_parsing, string_too_long…) or our code, message is in the caller's language"
            " (Vietnamese by default, English with Accept-Language: en)"
        ),
    )


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entries documenting problem+json bodies for the given statuses."""
    return {s: {"model": Problem, "content": {PROBLEM_JSON: {}}} for s in statuses}


_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_MALFORMED_BODY = {
    "description": "The body could not be read (not UTF-8, a broken form): ``bad_request``",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """An app's OpenAPI as its answers are: FastAPI documents request-validation errors as
    ``application/json`` ``HTTPValidationError``, but they are sent as problem+json
    (:func:`_validation_error`); and an operation that takes a body may answer 400 when the body
    cannot be decoded. Every operation is mended here, once for all services."""
    problem = {"$ref": "#/components/schemas/Problem"}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = {
                    "description": responses["422"].get("description", "Validation Error"),
                    "content": {PROBLEM_JSON: {"schema": problem}},
                }
            if "requestBody" in operation:
                responses.setdefault("400", _MALFORMED_BODY)
    for name in _VALIDATION_SCHEMAS:
        components.pop(name, None)
    return schema


def wants_english(request: Request) -> bool:
    return request.headers.get("accept-language", "").strip().lower().startswith("en")


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:cchc:problem:{code}",
        "title": title,
        "status": status,
        "code": code,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(
        jsonable_encoder(body), status_code=status, headers=headers, media_type=PROBLEM_JSON
    )


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    en = wants_english(request)
    return problem_response(
        request,
        status=exc.status,
        code=exc.code,
        title=exc.title_en if en else exc.title_vi,
        detail=exc.detail_en if en else exc.detail_vi,
        headers=exc.headers,
        **exc.extra_for(en),
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    en = wants_english(request)
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())),
            "message": validation_messages.message(e, en),
            "type": e.get("type"),
        }
        for e in exc.errors()
    ]
    return problem_response(
        request,
        status=422,
        code="validation_error",
        title="Validation failed" if en else "Dữ liệu không hợp lệ",
        detail=(
            f"{len(errors)} field(s) are invalid"
            if en
            else f"{len(errors)} trường dữ liệu không hợp lệ"
        ),
        errors=errors,
    )


_HTTP_CODES = {
    # Starlette's answer to a body it cannot decode (bytes that are not UTF-8, a broken
    # multipart form): documented on every operation that takes a body (document_problems).
    400: ("bad_request", "Yêu cầu không hợp lệ", "Bad request"),
    404: ("not_found", "Không tìm thấy", "Not found"),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ", "Method not allowed"),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn", "Payload too large"),
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, vi, en = _HTTP_CODES.get(exc.status_code, ("http_error", "Lỗi", "Error"))
    return problem_response(
        request,
        status=exc.status_code,
        code=code,
        title=en if wants_english(request) else vi,
        headers=getattr(exc, "headers", None),
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    database = _database_error(exc)
    if database is None:
        logger.exception("unhandled error", extra={"path": request.url.path})
    else:
        # A database error's text holds the statement's values (a new user's password hash, an
        # official's name) and PostgreSQL's DETAIL quotes them too: log its kind, never its text.
        orig = database.orig or database
        logger.error(
            "database error",
            extra={
                "path": request.url.path,
                "error_class": type(exc).__name__,
                "db_error_class": type(orig.__cause__ or orig).__name__,
                "sqlstate": getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None),
                "stack": "".join(traceback.format_tb(exc.__traceback__)),
            },
        )
    en = wants_english(request)
    return problem_response(
        request,
        status=500,
        code="internal_error",
        title="Internal error" if en else "Lỗi hệ thống",
    )


def _database_error(exc: BaseException) -> DBAPIError | None:
    """The SQLAlchemy database error ``exc`` is or was raised from, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, DBAPIError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
