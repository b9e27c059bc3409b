"""HttpUnitTree asks the real plans-api (in-process) with a real service token."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from shared.auth.unit_tree import HttpUnitTree
from shared.http import ServiceClient, ServiceToken
from tests.factories import make_unit
from tests.shared.conftest import PLANS


@pytest.fixture
def now() -> list[float]:
    return [0.0]


@pytest.fixture
async def tree(service_account, token_endpoint, now) -> AsyncIterator[HttpUnitTree]:
    async with httpx.AsyncClient(mounts={PLANS: token_endpoint}) as http:
        plans = ServiceClient(http, PLANS, ServiceToken(http, service_account), service_account)
        yield HttpUnitTree(plans, ttl=60, clock=lambda: now[0])


def ancestor_calls(recorder) -> int:
    return sum(r.url.path.endswith("/ancestors") for r in recorder.requests)


async def test_ancestors_of_a_unit(plans_app, tree):
    province = await make_unit(plans_app, level="province")
    department = await make_unit(plans_app, parent=province)
    assert set(await tree.ancestors(department.id) or []) == {province.id, department.id}


async def test_unknown_unit_is_none(tree):
    assert await tree.ancestors(uuid.uuid4()) is None


async def test_answers_are_cached_for_the_ttl(plans_app, tree, token_endpoint, now):
    unit = await make_unit(plans_app, level="province")
    await tree.ancestors(unit.id)
    now[0] = 59
    assert await tree.ancestors(unit.id) == [unit.id]
    assert ancestor_calls(token_endpoint) == 1
    now[0] = 61
    await tree.ancestors(unit.id)
    assert ancestor_calls(token_endpoint) == 2


async def test_unknown_units_are_not_cached(plans_app, tree, token_endpoint):
    missing = uuid.uuid4()
    assert await tree.ancestors(missing) is None
    assert await tree.ancestors(missing) is None
    assert ancestor_calls(token_endpoint) == 2


def test_learning_and_reporting_use_it(learning_app, reporting_app):
    assert isinstance(learning_app.state.unit_tree, HttpUnitTree)
    assert isinstance(reporting_app.state.unit_tree, HttpUnitTree)
