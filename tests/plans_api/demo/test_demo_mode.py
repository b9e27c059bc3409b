"""Demo mode: the app loads the seed plans on start, and only then has demo accounts."""

from __future__ import annotations

import pytest
from asgi_lifespan import LifespanManager

from plans_api.config import DEFAULT_DEMO_PASSWORD, DemoSettings, PlansSettings
from plans_api.main import create_app
from tests.plans_api.identity.test_token import login


@pytest.mark.commits  # a second app, with its own engine, loads the demo data
async def test_demo_mode_loads_plans_and_accounts(plans_settings: PlansSettings, plans_client):
    settings = plans_settings.model_copy(update={"demo": DemoSettings(enabled=True)})
    app = create_app(settings)
    async with LifespanManager(app):
        pass  # the lifespan loaded the demo data

    response = await login(plans_client, "sonoivu.cantho", DEFAULT_DEMO_PASSWORD)
    token = response.json()["access_token"]
    plans = await plans_client.get(
        "/api/plans/v1/plans", headers={"Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    codes = {p["code"] for p in plans.json()["items"]}
    assert {"57/KH-UBND", "04/ĐA-UBND", "2709/QĐ-UBND"} <= codes


async def test_no_demo_accounts_outside_demo_mode(plans_client):
    response = await login(plans_client, "sonoivu.cantho", DEFAULT_DEMO_PASSWORD)
    assert response.status_code == 401
