"""A failed statement is logged once, as JSON, by its kind: never its values, never twice."""

from __future__ import annotations

import asyncio
import json
import logging.config
import socket

import httpx
import uvicorn
from sqlalchemy import text

from shared.logs import configure_logging
from tests.factories import bearer, token_for

USERS = "/api/auth/v1/users"
SECRET_NAME = "Nguyễn Bí Mật"
PASSWORD = "mat-khau-bi-mat-dai"


async def test_a_database_error_is_logged_without_values_and_only_once(plans_app, capsys):
    # Every insert into users now fails (the DDL goes with the test's transaction).
    async with plans_app.state.sessionmaker() as session, session.begin():
        await session.execute(
            text("ALTER TABLE users ADD CONSTRAINT ck_users_log_test CHECK (false) NOT VALID")
        )
    # As in production: uvicorn configures its logging, then the app's import configures ours.
    logging.config.dictConfig(uvicorn.config.LOGGING_CONFIG)
    configure_logging("plans-api")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()  # the request waits in the backlog until uvicorn accepts it
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(plans_app, lifespan="off", log_config=None, access_log=False)
    )
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.post(
                USERS,
                headers=bearer(token_for(plans_app, roles=["system_admin"])),
                json={
                    "username": "bi.mat",
                    "password": PASSWORD,
                    "full_name": SECRET_NAME,
                    "roles": ["learner"],
                },
            )
    finally:
        server.should_exit = True
        await serving
        sock.close()

    assert (response.status_code, response.json()["code"]) == (500, "internal_error")
    captured = capsys.readouterr()
    output = captured.out + captured.err
    for secret in (SECRET_NAME, json.dumps(SECRET_NAME)[1:-1], "bi.mat", "$argon2", PASSWORD):
        assert secret not in output
    assert "Exception in ASGI application" not in output
    assert "Traceback" not in output
    logged = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    errors = [x for x in logged if x.get("level") == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["message"] == "database error"
    assert errors[0]["sqlstate"] == "23514"
    assert errors[0]["db_error_class"] == "CheckViolationError"
    assert errors[0]["path"] == USERS
