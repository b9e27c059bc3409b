"""Accounts and API clients: creation, listing, updates, and the bootstrap from environment."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from uuid import UUID

from anyio import to_thread
from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.config import PlansSettings
from plans_api.identity import throttle
from plans_api.identity.exceptions import UsernameTaken, UserStale
from plans_api.identity.models import ApiClient, User
from plans_api.identity.passwords import hash_secret
from plans_api.identity.schemas import ClientCreate, ClientCreated, UserCreate, UserUpdate
from plans_api.identity.sessions import end_sessions
from plans_api.unit.models import Unit
from shared.auth.roles import Role
from shared.auth.tokens import Principal
from shared.errors import Forbidden, NotFound, Unprocessable, field_error
from shared.etag import ensure_fresh
from shared.search import contains

logger = logging.getLogger("plans_api.identity")


class UserNotFound(NotFound):
    code = "user_not_found"


def _check_may_grant(actor: Principal, roles: Sequence[str]) -> None:
    if Role.SYSTEM_ADMIN in roles and not actor.has_role(Role.SYSTEM_ADMIN):
        raise Forbidden(
            "Chỉ quản trị hệ thống được cấp vai trò system_admin",
            "Only a system_admin may grant system_admin",
        )


async def _check_unit(session: AsyncSession, unit_id: UUID | None) -> None:
    if unit_id is not None and await session.get(Unit, unit_id) is None:
        raise Unprocessable(
            "Đơn vị không tồn tại",
            "Unknown unit",
            errors=field_error("unit_id", "unknown unit", "unknown_unit"),
        )


async def create_user(session: AsyncSession, actor: Principal, data: UserCreate) -> User:
    _check_may_grant(actor, data.roles)
    await _check_unit(session, data.unit_id)
    if await session.scalar(select(User.id).where(User.username == data.username)):
        raise UsernameTaken(data.username)
    user = User(
        username=data.username,
        password_hash=await to_thread.run_sync(hash_secret, data.password),
        full_name=data.full_name,
        unit_id=data.unit_id,
        roles=sorted(set(data.roles)),
        official_id=data.official_id,
    )
    session.add(user)
    await session.flush()
    return user


def users_query(unit_id: UUID | None, role: str | None, q: str | None) -> Select[User]:
    query = select(User).order_by(User.username)
    if unit_id is not None:
        query = query.where(User.unit_id == unit_id)
    if role:
        query = query.where(User.roles.contains([role]))
    if q:
        text = q.strip()
        query = query.where(contains(User.username, text) | contains(User.full_name, text))
    return query


async def get_user(session: AsyncSession, user_id: UUID) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise UserNotFound("Không tìm thấy tài khoản", "User not found")
    return user


async def update_user(
    session: AsyncSession, actor: Principal, user: User, data: UserUpdate, if_match: int | None
) -> User:
    ensure_fresh(if_match, user.version, UserStale)
    if Role.SYSTEM_ADMIN in user.roles:
        _check_may_grant(actor, [Role.SYSTEM_ADMIN])
    changes = data.model_dump(exclude_unset=True)
    if changes.get("roles") is not None:
        _check_may_grant(actor, changes["roles"])
        changes["roles"] = sorted(set(changes["roles"]))
    if "unit_id" in changes:
        await _check_unit(session, changes["unit_id"])
    before = (user.is_active, sorted(user.roles), user.unit_id)
    new_password = changes.pop("password", None)
    if new_password is not None:
        user.password_hash = await to_thread.run_sync(hash_secret, new_password)
    for field, value in changes.items():
        if value is not None or field in ("unit_id", "official_id"):
            setattr(user, field, value)
    deactivated = before[0] and not user.is_active
    if new_password is not None or deactivated:
        # A reset or deactivation ends every session; a reset also lifts the login delays.
        await end_sessions(session, user, refresh_tokens=True)
        if new_password is not None:
            await throttle.clear_account(session, user.username)
    elif (sorted(user.roles), user.unit_id) != before[1:]:
        await end_sessions(session, user, refresh_tokens=False)  # its tokens name the old ones
    await session.flush()
    return user


async def unlock_user(session: AsyncSession, actor: Principal, user: User) -> None:
    """Clear every login-failure count of the account (on all addresses)."""
    if Role.SYSTEM_ADMIN in user.roles:
        _check_may_grant(actor, [Role.SYSTEM_ADMIN])
    await throttle.clear_account(session, user.username)


async def create_client(
    session: AsyncSession, actor: Principal, data: ClientCreate
) -> ClientCreated:
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id=f"cli_{secrets.token_hex(8)}",
        name=data.name,
        secret_hash=await to_thread.run_sync(hash_secret, secret),
        scopes=sorted(set(data.scopes)),
        created_by=UUID(actor.subject) if actor.kind == "user" else None,
    )
    session.add(client)
    await session.flush()
    return ClientCreated(
        id=client.id,
        name=client.name,
        client_id=client.client_id,
        client_secret=secret,
        scopes=client.scopes,
    )


async def bootstrap(session: AsyncSession, settings: PlansSettings) -> None:
    """Create the bootstrap admin (if missing) and the configured service accounts."""
    name, password = settings.bootstrap_admin_username, settings.bootstrap_admin_password
    if name and password:
        result = await session.execute(
            insert(User)
            .values(
                username=name.strip().lower(),
                password_hash=hash_secret(password.get_secret_value()),
                full_name="Quản trị hệ thống",
                roles=[Role.SYSTEM_ADMIN],
            )
            .on_conflict_do_nothing(index_elements=[User.username])
            .returning(User.id)
        )
        if result.first() is not None:
            logger.info("bootstrap admin created", extra={"username": name})
    for client in settings.bootstrap.clients:
        values = {
            "name": client.name,
            "secret_hash": hash_secret(client.client_secret.get_secret_value()),
            "scopes": sorted(set(client.scopes)),
            "is_active": True,
        }
        await session.execute(
            insert(ApiClient)
            .values(client_id=client.client_id, **values)
            .on_conflict_do_update(index_elements=[ApiClient.client_id], set_=values)
        )
