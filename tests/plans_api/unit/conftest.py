from __future__ import annotations

from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI

from tests.factories import bearer, token_for
from tests.plans_api.unit import reorganisation


@pytest.fixture
def admin(plans_app: FastAPI) -> dict[str, str]:
    return bearer(token_for(plans_app, roles=["reform_admin"]))


@pytest.fixture
async def reorg(plans_client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, UUID]:
    """The Cần Thơ / Ho Chi Minh City reorganisation of 1 July 2025 (see ``reorganisation``)."""
    return await reorganisation.build(plans_client, admin)
