"""Every route of every service commits through ``TransactionalRoute``: none can forget it."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.db import TransactionalRoute
from shared.routing import ServiceRouter


def test_service_router_routes_are_transactional() -> None:
    router = ServiceRouter(prefix="/x")

    @router.get("/y")
    async def read_y() -> None:
        return None

    [route] = router.routes
    assert isinstance(route, TransactionalRoute)


def test_service_router_takes_no_other_route_class() -> None:
    with pytest.raises(TypeError):
        ServiceRouter(route_class=APIRoute)


@pytest.mark.parametrize("app_fixture", ["plans_app", "learning_app", "reporting_app"])
def test_every_route_of_every_app_is_transactional(
    app_fixture: str, request: pytest.FixtureRequest
) -> None:
    app: FastAPI = request.getfixturevalue(app_fixture)
    # Included routers are walked lazily: ``app.routes`` lists them, not their routes.
    contexts = iter_route_contexts(app.routes)
    routes = [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]
    assert len(routes) > 3
    assert [r.path for r in routes if not isinstance(r, TransactionalRoute)] == []
