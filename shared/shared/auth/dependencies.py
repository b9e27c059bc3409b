"""FastAPI dependencies: the current principal, role and scope checks, and unit (subtree) access.

The app provides ``app.state.token_verifier`` (a ``TokenVerifier``) and, for unit checks,
``app.state.unit_tree`` (a ``UnitTree``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol
from uuid import UUID

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shared.auth.roles import ADMIN_ROLES, ALL_UNITS_ROLES, READER_ROLES, UNIT_WRITER_ROLES
from shared.auth.tokens import Principal, TokenVerifier, invalid_token
from shared.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="Access token from POST /api/auth/v1/token")


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise Unauthorized("Cần đăng nhập", "Authentication required")
    token = credentials.credentials
    if len(token) > 8192 or token.count(".") != 2:
        raise invalid_token("too long" if len(token) > 8192 else "malformed")
    verifier: TokenVerifier = request.app.state.token_verifier
    principal = await verifier.verify(token)
    request.state.principal = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through users holding any of ``roles``."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(
                "Tài khoản không có vai trò cần thiết",
                "Your account lacks the required role",
                required_roles=sorted(roles),
            )
        return principal

    return check


# The callers each group of :mod:`shared.auth.roles` admits, ready for a route's signature.
Admin = Annotated[Principal, Depends(require_roles(*ADMIN_ROLES))]
UnitWriter = Annotated[Principal, Depends(require_roles(*UNIT_WRITER_ROLES))]
Reader = Annotated[Principal, Depends(require_roles(*READER_ROLES))]


def require_scopes(*scopes: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through API clients (service accounts) holding every scope."""

    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.kind != "client" or not principal.scopes.issuperset(scopes):
            raise Forbidden(
                "Chỉ tài khoản dịch vụ có quyền này",
                "Only a service account with this scope",
                required_scopes=sorted(scopes),
            )
        return principal

    return check


class UnitTree(Protocol):
    async def ancestors(self, unit_id: UUID) -> list[UUID] | None:
        """The unit and its ancestors up to the root, or None if the unit does not exist."""


def sees_every_unit(principal: Principal) -> bool:
    """Whether ``principal`` is confined to no unit subtree: the roles of ``ALL_UNITS_ROLES``
    and, for now, every API client (whatever its scopes: issue 10 makes that least privilege).
    The one place that rule is written: unit reads, task and plan reach and unit checks ask it."""
    return principal.kind == "client" or principal.has_role(*ALL_UNITS_ROLES)


async def may_act_on_unit(request: Request, principal: Principal, unit_id: UUID) -> bool:
    if sees_every_unit(principal):
        return True
    if principal.unit_id is None:
        return False
    tree: UnitTree = request.app.state.unit_tree
    chain = await tree.ancestors(unit_id)
    return chain is not None and principal.unit_id in chain


async def ensure_unit_access(request: Request, principal: Principal, unit_id: UUID) -> None:
    """Raise 403 unless the caller may act on ``unit_id`` (their own unit or below it)."""
    if not await may_act_on_unit(request, principal, unit_id):
        raise Forbidden(
            "Không có quyền với đơn vị này", "You may not act on this unit", unit_id=str(unit_id)
        )
