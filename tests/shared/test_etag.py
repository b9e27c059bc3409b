"""ETags from versions, If-Match parsing, and the one freshness check (412 stale, 428 missing)."""

from __future__ import annotations

import pytest
from fastapi import Response

from shared.errors import PreconditionFailed, PreconditionRequired
from shared.etag import Stale, ensure_fresh, parse_if_match, set_etag


class UserStale(Stale):
    def __init__(self) -> None:
        super().__init__("Tài khoản đã bị sửa", "The user was changed")


def test_set_etag_quotes_the_version() -> None:
    response = Response()
    set_etag(response, 3)
    assert response.headers["ETag"] == '"3"'


class TestParseIfMatch:
    @pytest.mark.parametrize("header", [None, "*", " * "])
    def test_absent_or_any_names_no_version(self, header: str | None) -> None:
        assert parse_if_match(header) is None

    @pytest.mark.parametrize("header", ['"7"', "7", 'W/"7"', ' "7" '])
    def test_strong_weak_and_bare_forms(self, header: str) -> None:
        assert parse_if_match(header) == 7

    @pytest.mark.parametrize("header", ['"abc"', '"-1"', '""', '"1", "2"'])
    def test_malformed_is_412(self, header: str) -> None:
        with pytest.raises(PreconditionFailed):
            parse_if_match(header)


class TestEnsureFresh:
    def test_the_stored_version_or_none_passes(self) -> None:
        ensure_fresh(4, 4)
        ensure_fresh(None, 4)

    def test_another_version_is_412(self) -> None:
        with pytest.raises(Stale) as raised:
            ensure_fresh(3, 4)
        assert (raised.value.status, raised.value.code) == (412, "precondition_failed")

    def test_the_resource_names_its_own_error(self) -> None:
        with pytest.raises(UserStale) as raised:
            ensure_fresh(3, 4, UserStale)
        assert raised.value.detail_en == "The user was changed"
        assert raised.value.code == "precondition_failed"

    def test_missing_where_required_is_428(self) -> None:
        with pytest.raises(PreconditionRequired) as raised:
            ensure_fresh(None, 4, required=True)
        assert (raised.value.status, raised.value.code) == (428, "precondition_required")
        ensure_fresh(4, 4, required=True)
