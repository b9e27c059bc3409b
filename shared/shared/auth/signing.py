"""RS256 signing keys and the access tokens they sign: what an issuer needs (plans-api, and the
tests' ``shared.testing``). Verification is ``shared.auth.tokens``."""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from shared.auth.keys import ALGORITHM


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes
    public_jwk: dict[str, Any]

    def sign(
        self,
        claims: dict[str, Any],
        *,
        issuer: str,
        audience: str,
        ttl_seconds: int,
        issued_at: int | None = None,
    ) -> str:
        """A token of ``claims`` plus ``iss``, ``aud``, ``iat``, ``nbf``, ``exp`` and a ``jti``.

        ``issued_at`` (at most a second ahead: an account's ``tokens_valid_after``, rounded up)
        is the ``iat`` when later than now."""
        now = int(time.time())
        payload = {
            **claims,
            "iss": issuer,
            "aud": audience,
            "iat": max(now, issued_at or 0),
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            payload, self.private_pem.decode(), algorithm=ALGORITHM, headers={"kid": self.kid}
        )


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signing_key_from_pem(pem: bytes) -> SigningKey:
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, rsa.RSAPrivateKey) or private.key_size < 2048:
        raise ValueError("signing keys must be RSA keys of at least 2048 bits")
    numbers = private.public_key().public_numbers()
    n, e = _b64url_uint(numbers.n), _b64url_uint(numbers.e)
    # RFC 7638 thumbprint: the same key always gets the same kid, on every replica.
    canonical = json.dumps({"e": e, "kty": "RSA", "n": n}, separators=(",", ":"), sort_keys=True)
    kid = (
        base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    )
    jwk = {"kty": "RSA", "use": "sig", "alg": ALGORITHM, "kid": kid, "n": n, "e": e}
    return SigningKey(kid=kid, private_pem=pem, public_jwk=jwk)


def generate_pem() -> bytes:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
