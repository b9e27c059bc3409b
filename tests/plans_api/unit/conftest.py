from __future__ import annotations

import importlib.util
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.dialects.postgresql import insert

from plans_api.unit.models import ReformArea
from tests.factories import bearer, token_for
from tests.plans_api.unit import reorganisation


@pytest.fixture
def admin(plans_app: FastAPI) -> dict[str, str]:
    return bearer(token_for(plans_app, roles=["reform_admin"]))


@pytest.fixture
async def reorg(plans_client: httpx.AsyncClient, admin: dict[str, str]) -> dict[str, UUID]:
    """The Cần Thơ / Ho Chi Minh City reorganisation of 1 July 2025 (see ``reorganisation``)."""
    return await reorganisation.build(plans_client, admin)


def _migration_areas() -> list[tuple[str, str, str, int]]:
    versions = Path(__file__).resolve().parents[3] / "services/plans-api/migrations/versions"
    path = next(versions.glob("*_plans_registry.py"))
    spec = importlib.util.spec_from_file_location("plans_registry_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.REFORM_AREAS)


@pytest.fixture
async def reform_areas(plans_app: FastAPI, plans_client: httpx.AsyncClient) -> None:
    """The catalogue the migration loads: tests/conftest.py truncates every table after a test
    that used the client, this one included, so it is loaded again (if missing)."""
    rows = [
        {"code": code, "name_vi": vi, "name_en": en, "position": position}
        for code, vi, en, position in _migration_areas()
    ]
    async with plans_app.state.sessionmaker() as session, session.begin():
        await session.execute(insert(ReformArea).values(rows).on_conflict_do_nothing())
