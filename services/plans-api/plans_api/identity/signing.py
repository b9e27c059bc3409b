"""Signing keys for access tokens and the JWKS that publishes their public halves."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwt

from plans_api.config import SigningSettings

logger = logging.getLogger("plans_api.signing")


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes
    public_jwk: dict[str, Any]


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
    jwk = {"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": n, "e": e}
    return SigningKey(kid=kid, private_pem=pem, public_jwk=jwk)


def generate_pem() -> bytes:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


class KeyRing:
    """All published keys; ``active`` signs new tokens."""

    def __init__(self, keys: list[SigningKey], active: SigningKey) -> None:
        self.keys = keys
        self.active = active

    @classmethod
    def load(cls, settings: SigningSettings) -> KeyRing:
        files = sorted(settings.keys_dir.glob("*.pem")) if settings.keys_dir.is_dir() else []
        if not files and settings.private_key is None and settings.generate_if_missing:
            files = [_generate_into(settings.keys_dir)]
        keys = [signing_key_from_pem(f.read_bytes()) for f in files]
        if settings.private_key is not None:
            env_key = signing_key_from_pem(settings.private_key.get_secret_value().encode())
            keys = [k for k in keys if k.kid != env_key.kid] + [env_key]
        if not keys:
            raise RuntimeError(
                "No signing key: set PLANS_SIGNING__PRIVATE_KEY or put a PEM in "
                "PLANS_SIGNING__KEYS_DIR"
            )
        return cls(keys, active=keys[-1])

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.public_jwk for k in self.keys]}

    def sign(self, claims: dict[str, Any], *, issuer: str, audience: str, ttl_seconds: int) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "iss": issuer,
            "aud": audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl_seconds,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            payload,
            self.active.private_pem.decode(),
            algorithm="RS256",
            headers={"kid": self.active.kid},
        )


def _generate_into(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now(UTC):%Y%m%d%H%M%S}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(generate_pem())
    logger.info("generated a new signing key", extra={"path": str(path)})
    return path
