"""Identity API under /api/auth/v1: tokens, JWKS, who am I, accounts and API clients."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Form, Query, Request, Response, status
from fastapi.security import HTTPBasic

from plans_api.identity import sessions
from plans_api.identity import users as user_service
from plans_api.identity.dependencies import TokenServiceDep
from plans_api.identity.schemas import (
    ClientCreate,
    ClientCreated,
    MeRead,
    PasswordChange,
    RevocationList,
    RevocationRead,
    TokenResponse,
    UserCreate,
    UserRead,
    UserUpdate,
)
from plans_api.outbox import IDEMPOTENT
from shared.auth.dependencies import Admin, CurrentPrincipal, require_scopes
from shared.auth.revocation import REVOCATIONS_SCOPE
from shared.db import DbSession
from shared.errors import BadRequest, problem_responses
from shared.etag import IfMatch, parse_if_match, set_etag
from shared.pagination import Page, Pagination, paginate
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/auth/v1", tags=["auth"])
_basic = HTTPBasic(auto_error=False)


@router.post(
    "/token",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    responses=problem_responses(400, 401, 422, 429),
    summary="Get an access token (password, refresh_token or client_credentials grant)",
)
async def issue_token(
    request: Request,
    response: Response,
    tokens: TokenServiceDep,
    grant_type: Annotated[str, Form(max_length=40)],
    username: Annotated[str | None, Form(max_length=150)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    refresh_token: Annotated[str | None, Form(max_length=200)] = None,
    client_id: Annotated[str | None, Form(max_length=100)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
) -> TokenResponse:
    """OAuth 2.0 token endpoint (form body). Wrong credentials give 401 with the same message
    whether or not the user exists; repeated failures give 429 with ``Retry-After``."""
    response.headers["Cache-Control"] = "no-store"
    if grant_type == "password" and username and password:
        address = request.client.host if request.client else None
        return await tokens.password_grant(username, password, address)
    if grant_type == "refresh_token" and refresh_token:
        return await tokens.refresh_grant(refresh_token)
    if grant_type == "client_credentials":
        client_id, client_secret = _client_credentials(request, client_id, client_secret)
        return await tokens.client_credentials_grant(client_id, client_secret)
    raise BadRequest(
        "grant_type không được hỗ trợ hoặc thiếu tham số",
        "Unsupported grant_type or missing parameters",
        error="unsupported_grant_type"
        if grant_type not in ("password", "refresh_token", "client_credentials")
        else "invalid_request",
    )


def _client_credentials(
    request: Request, client_id: str | None, client_secret: str | None
) -> tuple[str, str]:
    """Client credentials from the form or, as RFC 6749 prefers, HTTP Basic."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
            client_id, _, client_secret = decoded.partition(":")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise BadRequest("Xác thực Basic không hợp lệ", "Malformed Basic credentials") from exc
    if not client_id or not client_secret:
        raise BadRequest(
            "Thiếu client_id hoặc client_secret",
            "client_id and client_secret required",
            error="invalid_request",
        )
    return client_id, client_secret


@router.get("/jwks", summary="Public keys (JWKS) that verify access tokens")
async def get_jwks(request: Request, response: Response) -> dict[str, Any]:
    """The RS256 public keys; tokens name theirs in the ``kid`` header."""
    response.headers["Cache-Control"] = "public, max-age=300"
    jwks: dict[str, Any] = request.app.state.keyring.jwks()
    return jwks


@router.get(
    "/me",
    response_model=MeRead,
    responses=problem_responses(401),
    summary="Who am I: the caller's identity from the access token",
)
async def read_me(principal: CurrentPrincipal) -> MeRead:
    """The account behind the token: id, username, full name, unit, roles, official."""
    return MeRead(
        id=principal.subject,
        username=principal.username or principal.claims.get("client_id"),
        full_name=principal.full_name,
        unit_id=principal.unit_id,
        roles=sorted(principal.roles),
        official_id=principal.official_id,
        kind="client" if principal.kind == "client" else "user",
        scopes=sorted(principal.scopes),
    )


@router.post(
    "/me/password",
    response_model=TokenResponse,
    response_model_exclude_none=True,
    responses=problem_responses(401, 403, 422, 429),
    summary="Change my password (every session of the account ends)",
)
async def change_my_password(
    request: Request,
    response: Response,
    data: PasswordChange,
    principal: CurrentPrincipal,
    tokens: TokenServiceDep,
) -> TokenResponse:
    """Give the current password and the new one. Every refresh token of the account is revoked
    and its access tokens are refused from now on (by the other services within
    ``AUTH__REVOCATION_CACHE_SECONDS``); the answer is a new token pair for this caller. A wrong
    current password is 403 ``wrong_password`` and counts as a failed login (429 with
    ``Retry-After`` when too many); an API client gets 403 ``users_only``."""
    response.headers["Cache-Control"] = "no-store"
    address = request.client.host if request.client else None
    answer = await tokens.change_own_password(
        principal, data.current_password, data.new_password, address
    )
    sessions.sessions_ended(request.app)
    return answer


@router.get(
    "/revocations",
    response_model=RevocationList,
    responses=problem_responses(401, 403),
    summary="Accounts whose earlier access tokens are refused (for the other services)",
)
async def list_revocations(
    request: Request,
    session: DbSession,
    _: Annotated[object, Depends(require_scopes(REVOCATIONS_SCOPE))],
) -> RevocationList:
    """For a service token with the scope ``auth:revocations``: each account whose access
    tokens issued before ``valid_after`` must be refused, for the changes (password, deactivation,
    role or unit) of the last access-token lifetime. The services cache it for at most
    ``AUTH__REVOCATION_CACHE_SECONDS``."""
    window = sessions.revocation_window_seconds(request.app)
    entries = await sessions.recent_valid_after(session, window)
    return RevocationList(
        items=[RevocationRead(user_id=UUID(u), valid_after=v) for u, v in sorted(entries.items())],
        window_seconds=window,
    )


@router.post(
    "/users",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409, 422),
    summary="Create an account",
    dependencies=[IDEMPOTENT],
)
async def create_user(
    data: UserCreate, session: DbSession, actor: Admin, response: Response
) -> UserRead:
    """system_admin or reform_admin; only a system_admin may grant ``system_admin``."""
    user = await user_service.create_user(session, actor, data)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.get(
    "/users",
    response_model=Page[UserRead],
    responses=problem_responses(401, 403),
    summary="List accounts",
)
async def list_users(
    session: DbSession,
    _: Admin,
    page: Pagination,
    unit_id: UUID | None = None,
    role: str | None = None,
    q: Annotated[str | None, Query(max_length=100, description="part of username or name")] = None,
) -> Page[UserRead]:
    """Filter by ``unit_id``, ``role`` or ``q`` (part of the username or full name)."""
    rows, total = await paginate(session, user_service.users_query(unit_id, role, q), page)
    return Page(
        items=[UserRead.model_validate(u) for u in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/users/{user_id}",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404),
    summary="Read an account",
)
async def read_user(user_id: UUID, session: DbSession, _: Admin, response: Response) -> UserRead:
    user = await user_service.get_user(session, user_id)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.patch(
    "/users/{user_id}",
    response_model=UserRead,
    responses=problem_responses(401, 403, 404, 412, 422),
    summary="Change an account",
)
async def update_user(
    request: Request,
    user_id: UUID,
    data: UserUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> UserRead:
    """Send the ``ETag`` you read as ``If-Match``: a stale one gives 412. A new ``password`` (a
    reset) or ``is_active: false`` revokes every refresh token of the account and refuses its
    access tokens issued until now; a change of ``roles`` or ``unit_id`` refuses those access
    tokens (a refresh gives new ones). The other services see it within
    ``AUTH__REVOCATION_CACHE_SECONDS`` (60 s). A reset also clears the login-failure counts, as
    ``POST /users/{id}/unlock`` does."""
    user = await user_service.get_user(session, user_id)
    user = await user_service.update_user(session, actor, user, data, parse_if_match(if_match))
    sessions.sessions_ended(request.app)
    set_etag(response, user.version)
    return UserRead.model_validate(user)


@router.post(
    "/users/{user_id}/unlock",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
    summary="Clear an account's failed-login counts (its login delays end)",
)
async def unlock_user(user_id: UUID, session: DbSession, actor: Admin) -> Response:
    """Every (account, address) count of the account is cleared; a count kept per address
    (one address trying many accounts) is not."""
    user = await user_service.get_user(session, user_id)
    await user_service.unlock_user(session, actor, user)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/clients",
    response_model=ClientCreated,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 422),
    summary="Register an API client",
)
async def create_client(data: ClientCreate, session: DbSession, actor: Admin) -> ClientCreated:
    """For another system using the client-credentials grant. The secret is shown only once."""
    return await user_service.create_client(session, actor, data)
