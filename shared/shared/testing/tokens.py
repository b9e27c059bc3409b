"""Access tokens for tests, signed with a real RSA key that the apps under test trust.

One key per test process, made at import. A service's app built for tests verifies with
``TEST_JWKS`` (e.g. ``StaticKeySource(TEST_JWKS)``), and plans-api's key ring signs
with the same key when ``TEST_KEY.private_pem`` is in its keys folder, so a token from
``token_for`` and one from plans-api's token endpoint are alike. Tokens go through the real
verifier of ``shared.auth.tokens``: nothing about them is faked.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI

from shared.auth.signing import generate_pem, signing_key_from_pem

TEST_KEY = signing_key_from_pem(generate_pem())
TEST_JWKS: dict[str, Any] = {"keys": [TEST_KEY.public_jwk]}


def token_for(
    app: FastAPI,
    *,
    roles: list[str],
    unit_id: uuid.UUID | None = None,
    subject: str | None = None,
    **claims: Any,
) -> str:
    """A user's access token for ``app`` (its issuer and audience), valid for ten minutes."""
    auth = app.state.settings.auth
    body = {
        "sub": subject or str(uuid.uuid4()),
        "preferred_username": "tester",
        "name": "Người thử",
        "roles": roles,
        "unit_id": str(unit_id) if unit_id else None,
        "token_use": "access",
        **claims,
    }
    return TEST_KEY.sign(body, issuer=auth.issuer, audience=auth.audience, ttl_seconds=600)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
