"""ServiceClient: retries, backoff, service tokens and request ids. The token comes from the real
plans-api (in-process); only the service being called is scripted."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from pydantic import SecretStr

from shared.context import request_id_var
from shared.http import ServiceToken, UpstreamUnavailable, parse_retry_after

OK = {"ok": True}


def answers(*statuses: int | type[httpx.TransportError], headers: dict[str, str] | None = None):
    """A handler answering with ``statuses`` in turn (an exception class is raised), then 200."""
    queue = list(statuses)

    async def handler(request: httpx.Request) -> httpx.Response:
        outcome = queue.pop(0) if queue else 200
        if isinstance(outcome, type):
            raise outcome("scripted failure", request=request)
        return httpx.Response(outcome, json=OK, headers=headers if outcome != 200 else None)

    return handler


class TestRetries:
    async def test_get_is_retried_until_it_succeeds(self, other_service, sleeps):
        client, received = other_service(answers(503, 502))
        response = await client.get("/things")
        assert response.status_code == 200
        assert len(received.requests) == 3
        assert len(sleeps.delays) == 2

    async def test_connection_errors_and_timeouts_are_retried(self, other_service):
        client, received = other_service(answers(httpx.ConnectError, httpx.ReadTimeout, 504))
        response = await client.put("/things/1", json={"name": "x"})
        assert response.status_code == 200
        assert len(received.requests) == 4

    async def test_retries_and_backoff_are_bounded(self, other_service, sleeps, service_account):
        client, received = other_service(answers(*[503] * 10))
        with pytest.raises(UpstreamUnavailable) as caught:
            await client.get("/things")
        assert caught.value.status == 503
        assert caught.value.code == "upstream_unavailable"
        assert len(received.requests) == service_account.max_retries + 1
        ceilings = [0.1, 0.2, 0.25]  # backoff_seconds doubling, capped at max_backoff_seconds
        assert len(sleeps.delays) == len(ceilings)
        assert all(0 <= d <= c for d, c in zip(sleeps.delays, ceilings, strict=True))

    async def test_post_is_not_retried(self, other_service, sleeps):
        client, received = other_service(answers(503))
        with pytest.raises(UpstreamUnavailable):
            await client.post("/things", json={})
        assert len(received.requests) == 1
        assert sleeps.delays == []

    async def test_post_connect_error_is_not_retried(self, other_service):
        client, received = other_service(answers(httpx.ConnectError))
        with pytest.raises(UpstreamUnavailable):
            await client.post("/things", json={})
        assert len(received.requests) == 1

    async def test_post_marked_retry_is_retried(self, other_service):
        client, received = other_service(answers(503, httpx.ReadTimeout))
        response = await client.post("/things", json={"id": 1}, retry=True)
        assert response.status_code == 200
        assert len(received.requests) == 3
        assert all(r.content == b'{"id":1}' for r in received.requests)

    async def test_client_errors_are_returned_not_retried(self, other_service):
        client, received = other_service(answers(404))
        response = await client.get("/things/x")
        assert response.status_code == 404
        assert len(received.requests) == 1

    async def test_server_error_is_upstream_unavailable(self, other_service):
        client, received = other_service(answers(500))
        with pytest.raises(UpstreamUnavailable):
            await client.get("/things")
        assert len(received.requests) == 1  # 500 is not in the retried set


class TestRetryAfter:
    async def test_retry_after_is_honoured(self, other_service, sleeps):
        client, _ = other_service(answers(429, headers={"Retry-After": "2"}))
        await client.get("/things")
        assert sleeps.delays == [2]

    async def test_retry_after_is_capped(self, other_service, sleeps):
        client, _ = other_service(answers(503, headers={"Retry-After": "3600"}))
        await client.get("/things")
        assert sleeps.delays == [30]

    def test_http_date_and_garbage(self):
        soon = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
        assert 15 < (parse_retry_after(soon) or 0) <= 20
        assert parse_retry_after("soon") is None
        assert parse_retry_after(None) is None


class TestServiceToken:
    async def test_calls_carry_a_valid_service_token(self, plans_app, other_service):
        client, received = other_service(answers())
        await client.get("/things")
        scheme, _, token = received.requests[0].headers["authorization"].partition(" ")
        principal = await plans_app.state.token_verifier.verify(token)
        assert scheme == "Bearer"
        assert principal.kind == "client"
        assert "events:write" in principal.scopes

    async def test_token_is_cached(self, other_service, token_endpoint):
        client, received = other_service(answers())
        for _ in range(3):
            await client.get("/things")
        assert len(token_endpoint.requests) == 1
        assert len({r.headers["authorization"] for r in received.requests}) == 1

    async def test_401_fetches_a_new_token_once(self, other_service, token_endpoint):
        client, received = other_service(answers(401))
        response = await client.post("/things", json={})
        assert response.status_code == 200
        assert len(token_endpoint.requests) == 2
        first, second = (r.headers["authorization"] for r in received.requests)
        assert first != second

    async def test_refused_twice_is_upstream_unavailable(self, other_service, token_endpoint):
        client, received = other_service(answers(401, 401, 401))
        with pytest.raises(UpstreamUnavailable):
            await client.get("/things")
        assert len(received.requests) == 2
        assert len(token_endpoint.requests) == 2

    async def test_token_is_renewed_before_it_expires(self, service_account, http_to, plans_app):
        now = [0.0]
        token = ServiceToken(
            http_to("http://unused.test", httpx.MockTransport(answers())),
            service_account,
            clock=lambda: now[0],
        )
        first = await token.get()
        now[0] = 3600 - 61  # client tokens last 60 minutes; renewed 60 s early
        assert await token.get() == first
        now[0] = 3600 - 59
        assert await token.get() != first

    async def test_wrong_secret_is_upstream_unavailable(self, service_account, http_to):
        settings = service_account.model_copy(update={"client_secret": SecretStr("wrong")})
        token = ServiceToken(
            http_to("http://unused.test", httpx.MockTransport(answers())), settings
        )
        with pytest.raises(UpstreamUnavailable):
            await token.get()

    async def test_secrets_and_tokens_are_never_logged(
        self, other_service, service_account, caplog
    ):
        client, received = other_service(answers(401, 401))
        with caplog.at_level(logging.DEBUG), pytest.raises(UpstreamUnavailable):
            await client.get("/things")
        logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
        token = received.requests[0].headers["authorization"].split()[1]
        assert service_account.client_secret.get_secret_value() not in logged
        assert token not in logged
        assert "service call failed" in logged


class TestRequestId:
    async def test_current_request_id_is_sent(self, other_service):
        client, received = other_service(answers())
        reset = request_id_var.set("req-123")
        try:
            await client.get("/things")
        finally:
            request_id_var.reset(reset)
        assert received.requests[0].headers["x-request-id"] == "req-123"

    async def test_no_request_id_outside_a_request(self, other_service):
        client, received = other_service(answers())
        await client.get("/things")
        assert "x-request-id" not in received.requests[0].headers
