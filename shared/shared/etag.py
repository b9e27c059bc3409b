"""ETags from a row's version number, and ``If-Match`` parsing."""

from __future__ import annotations

from fastapi import Response

from shared.errors import PreconditionFailed


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
