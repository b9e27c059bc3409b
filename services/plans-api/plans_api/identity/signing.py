"""Signing keys for access tokens and the JWKS that publishes their public halves."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plans_api.config import SigningSettings
from shared.auth.signing import SigningKey, generate_pem, signing_key_from_pem

__all__ = ["KeyRing", "SigningKey", "generate_pem", "signing_key_from_pem"]

logger = logging.getLogger("plans_api.signing")


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

    def sign(
        self,
        claims: dict[str, Any],
        *,
        issuer: str,
        audience: str,
        ttl_seconds: int,
        issued_at: int | None = None,
    ) -> str:
        return self.active.sign(
            claims, issuer=issuer, audience=audience, ttl_seconds=ttl_seconds, issued_at=issued_at
        )


def _generate_into(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now(UTC):%Y%m%d%H%M%S}.pem"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(generate_pem())
    logger.info("generated a new signing key", extra={"path": str(path)})
    return path
