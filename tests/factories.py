"""Small builders of plans-api rows for tests, written through the app's own sessionmaker (so
inside the test's rolled-back transaction). ``token_for`` and ``bearer`` come from
``shared.testing``, re-exported here for the tests that import them from this module."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI

from plans_api.identity.models import User
from plans_api.identity.passwords import hash_secret
from plans_api.unit.models import Unit
from shared.testing import bearer, token_for

__all__ = [
    "DEFAULT_PASSWORD",
    "bearer",
    "make_official",
    "make_plan",
    "make_unit",
    "make_user",
    "token_for",
]

DEFAULT_PASSWORD = "mat-khau-Thu-nghiem-1"


async def make_unit(
    app: FastAPI,
    *,
    name: str = "Sở Nội vụ",
    level: str = "department",
    parent: Unit | None = None,
    code: str | None = None,
) -> Unit:
    async with app.state.sessionmaker() as session, session.begin():
        unit = Unit(
            code=code or uuid.uuid4().hex[:8],
            name=name,
            level=level,
            parent_id=parent.id if parent else None,
        )
        session.add(unit)
    return unit


async def make_user(
    app: FastAPI,
    *,
    username: str = "canbo",
    roles: list[str] | None = None,
    unit: Unit | None = None,
    password: str = DEFAULT_PASSWORD,
    active: bool = True,
    full_name: str = "Nguyễn Văn A",
) -> User:
    async with app.state.sessionmaker() as session, session.begin():
        user = User(
            username=username,
            password_hash=hash_secret(password),
            full_name=full_name,
            roles=roles or ["learner"],
            unit_id=unit.id if unit else None,
            is_active=active,
        )
        session.add(user)
    return user


async def make_official(
    app: FastAPI,
    *,
    unit: Unit,
    full_name: str = "Nguyễn Văn An",
    valid_from: Any = None,
    employee_code: str | None = None,
    **fields: Any,
) -> Any:
    """An official with one open version from ``valid_from`` (default 1 Jan 2024), as the API
    would write it."""
    from datetime import date

    from plans_api.official.models import Official, OfficialVersion

    valid_from = valid_from or date(2024, 1, 1)
    async with app.state.sessionmaker() as session, session.begin():
        official = Official(
            full_name=full_name,
            unit_id=unit.id,
            employee_code=employee_code,
            joined_on=valid_from,
            **fields,
        )
        session.add(official)
        await session.flush()
        session.add(
            OfficialVersion(
                official_id=official.id,
                valid_from=valid_from,
                unit_id=unit.id,
                is_leader=official.is_leader,
                cchc_role=official.cchc_role,
                one_stop_shop=official.one_stop_shop,
                expert_pool=official.expert_pool,
                leadership_source=official.leadership_source,
            )
        )
    return official


async def make_plan(
    app: FastAPI,
    *,
    issuer: Unit,
    province: Unit | None = None,
    code: str | None = None,
    title: str = "Kế hoạch nâng cao năng lực đội ngũ làm công tác CCHC",
    start_year: int = 2023,
    end_year: int = 2030,
    **fields: Any,
) -> Any:
    """A plan issued by ``issuer`` in ``province`` (default: the issuer, a province itself)."""
    from plans_api.plan.models import Plan

    async with app.state.sessionmaker() as session, session.begin():
        plan = Plan(
            code=code or f"{uuid.uuid4().hex[:4]}/KH-UBND",
            kind=fields.pop("kind", "ke_hoach"),
            title=title,
            issuer_unit_id=issuer.id,
            province_id=(province or issuer).id,
            start_year=start_year,
            end_year=end_year,
            **fields,
        )
        session.add(plan)
    return plan
