"""The one place python-jose is used to verify access tokens.

It closes python-jose's gaps: the algorithm list is pinned to RS256; ``exp``, ``iat``, ``iss``,
``aud`` and ``sub`` are required (python-jose's ``require_*`` options are off by default); a token
without ``kid`` or with a ``crit`` header is refused; keys come from JWKS RSA entries only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from jose import jwt
from jose.exceptions import JOSEError

from shared.auth.keys import ALGORITHM, KeySource
from shared.errors import InvalidToken

if TYPE_CHECKING:
    from shared.auth.revocation import RevocationList

logger = logging.getLogger("shared.auth")

_OPTIONS = {
    "verify_signature": True,
    "verify_aud": True,
    "verify_iat": True,
    "verify_exp": True,
    "verify_nbf": True,
    "verify_iss": True,
    "verify_sub": True,
    "verify_jti": True,
    "require_exp": True,
    "require_iat": True,
    "require_iss": True,
    "require_aud": True,
    "require_sub": True,
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (``kind='user'``) or another system (``kind='client'``)."""

    subject: str
    kind: str
    username: str | None = None
    full_name: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    unit_id: UUID | None = None
    official_id: UUID | None = None
    claims: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class TokenVerifier:
    """``revocations`` (set in the app's lifespan, :mod:`shared.auth.revocation`): a user's token
    issued before the user's ``valid_after`` is refused."""

    def __init__(self, keys: KeySource, issuer: str, audience: str, leeway: int = 30) -> None:
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.revocations: RevocationList | None = None

    async def verify(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
        except JOSEError as exc:
            raise invalid_token("malformed") from exc
        if header.get("alg") != ALGORITHM:
            raise invalid_token("algorithm")
        if "crit" in header:
            raise invalid_token("crit")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise invalid_token("kid")
        key = await self.keys.get(kid)
        if key is None:
            raise invalid_token("unknown kid")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={**_OPTIONS, "leeway": self.leeway},
            )
        except JOSEError as exc:
            raise invalid_token(type(exc).__name__) from exc
        principal = principal_from_claims(claims)
        if principal.kind == "user" and self.revocations is not None:
            valid_after = await self.revocations.valid_after(principal.subject)
            if valid_after is not None and int(claims["iat"]) < valid_after:
                raise invalid_token("revoked")
        return principal


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    try:
        return Principal(
            subject=str(claims["sub"]),
            kind="client" if claims.get("token_use") == "client" else "user",
            username=claims.get("preferred_username"),
            full_name=claims.get("name"),
            roles=frozenset(_str_list(claims.get("roles"))),
            scopes=frozenset(str(claims.get("scope") or "").split()),
            unit_id=_uuid_or_none(claims.get("unit_id")),
            official_id=_uuid_or_none(claims.get("official_id")),
            claims=claims,
        )
    except (TypeError, ValueError) as exc:
        raise invalid_token("claims") from exc


def _str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("roles must be a list of strings")
    return value


def _uuid_or_none(value: Any) -> UUID | None:
    return UUID(str(value)) if value else None


def invalid_token(reason: str) -> InvalidToken:
    """The one answer for every refused token: the same title and detail whatever the reason, so
    a caller learns nothing about why (expired, bad signature, wrong audience...). The reason goes
    to the log, never the token."""
    logger.info("access token refused: %s", reason, extra={"reason": reason})
    return InvalidToken(
        "Mã truy cập không hợp lệ hoặc đã hết hạn", "The access token is invalid or expired"
    )
