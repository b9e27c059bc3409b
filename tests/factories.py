"""Small builders for tests: rows written through the app's own sessionmaker, tokens signed with
the plans app's real key ring."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI

from plans_api.identity.models import User
from plans_api.identity.passwords import hash_secret
from plans_api.unit.models import Unit

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
) -> User:
    async with app.state.sessionmaker() as session, session.begin():
        user = User(
            username=username,
            password_hash=hash_secret(password),
            full_name="Nguyễn Văn A",
            roles=roles or ["learner"],
            unit_id=unit.id if unit else None,
            is_active=active,
        )
        session.add(user)
    return user


def token_for(
    app: FastAPI,
    *,
    roles: list[str],
    unit_id: uuid.UUID | None = None,
    subject: str | None = None,
    **claims: Any,
) -> str:
    settings = app.state.settings
    body = {
        "sub": subject or str(uuid.uuid4()),
        "preferred_username": "tester",
        "name": "Người thử",
        "roles": roles,
        "unit_id": str(unit_id) if unit_id else None,
        "token_use": "access",
        **claims,
    }
    return str(
        app.state.keyring.sign(
            body, issuer=settings.auth.issuer, audience=settings.auth.audience, ttl_seconds=600
        )
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
