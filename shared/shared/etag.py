"""ETags from a row's version number, and ``If-Match``: the header, its parsing, the check.

A route takes :data:`IfMatch`, parses it with :func:`parse_if_match` once the resource is
loaded, and its service calls :func:`ensure_fresh` before changing the row: 412 when the client
read an older version, 428 when the route requires the header and it is missing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response

from shared.errors import PreconditionFailed, PreconditionRequired

IfMatch = Annotated[str | None, Header(description="The ETag you read; a stale one gives 412")]


class Stale(PreconditionFailed):
    """412: the row was changed since the client read it. Subclasses name the resource."""

    def __init__(
        self,
        detail_vi: str = "Dữ liệu đã được người khác sửa, hãy tải lại",
        detail_en: str = "It was changed meanwhile; reload it",
    ) -> None:
        super().__init__(detail_vi, detail_en)


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


def parse_if_match(header: str | None) -> int | None:
    """The version named by ``If-Match``, None when absent or ``*``; 412 when unparseable."""
    if header is None or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed("If-Match không hợp lệ", "Malformed If-Match")
    return int(value)


def ensure_fresh(
    if_match: int | None, version: int, stale: type[Stale] = Stale, *, required: bool = False
) -> None:
    """Raise ``stale()`` (412) when ``If-Match`` names another version than the stored one;
    with ``required``, 428 when it names none."""
    if if_match is None:
        if required:
            raise PreconditionRequired(
                "Hãy gửi ETag đã đọc trong If-Match", "Send the ETag you read as If-Match"
            )
        return
    if if_match != version:
        raise stale()
