"""Verification keys, built only from JWKS RSA entries.

A key is never built from a PEM/DER string or an ``oct`` entry, so nothing a token says can turn a
public key into an HMAC secret.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Protocol

import httpx
from jose import jwk
from jose.backends.base import Key

logger = logging.getLogger("shared.auth.keys")
ALGORITHM = "RS256"


def rsa_keys_from_jwks(jwks: dict[str, Any]) -> dict[str, Key]:
    """The RS256 verification keys of a JWKS document, by ``kid``; other entries are skipped."""
    keys: dict[str, Key] = {}
    for entry in jwks.get("keys", []):
        if not isinstance(entry, dict):
            continue
        if entry.get("kty") != "RSA" or not entry.get("kid") or "d" in entry:
            continue
        if entry.get("use", "sig") != "sig" or entry.get("alg", ALGORITHM) != ALGORITHM:
            continue
        public = {k: entry[k] for k in ("kty", "kid", "n", "e") if k in entry}
        try:
            keys[entry["kid"]] = jwk.construct(public, algorithm=ALGORITHM)
        except Exception:
            logger.warning("skipping malformed JWKS entry", extra={"kid": entry.get("kid")})
    return keys


class KeySource(Protocol):
    async def get(self, kid: str) -> Key | None: ...


class StaticKeySource:
    """Keys known in-process (the issuer verifying its own tokens, and tests)."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self._keys = rsa_keys_from_jwks(jwks)

    def replace(self, jwks: dict[str, Any]) -> None:
        self._keys = rsa_keys_from_jwks(jwks)

    async def get(self, kid: str) -> Key | None:
        return self._keys.get(kid)


class RemoteJWKS:
    """A JWKS URL, cached for ``ttl`` seconds; an unknown ``kid`` refetches (at most every
    ``min_refresh`` seconds), so a newly rotated key is picked up without a restart."""

    def __init__(
        self, url: str, client: httpx.AsyncClient, ttl: float = 300, min_refresh: float = 10
    ) -> None:
        self.url = url
        self._client = client
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._keys: dict[str, Key] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> Key | None:
        now = time.monotonic()
        stale = now - self._fetched_at > self._ttl
        unknown = kid not in self._keys and now - self._fetched_at > self._min_refresh
        if stale or unknown:
            await self._refresh(now)
        return self._keys.get(kid)

    async def _refresh(self, asked_at: float) -> None:
        async with self._lock:
            if self._fetched_at >= asked_at:  # another task refreshed while we waited
                return
            try:
                response = await self._client.get(self.url, timeout=5.0)
                response.raise_for_status()
                self._keys = rsa_keys_from_jwks(response.json())
                self._fetched_at = time.monotonic()
            except (httpx.HTTPError, ValueError) as exc:
                # Keep the keys we had: a brief outage of the issuer must not log everyone out.
                logger.warning("JWKS fetch failed", extra={"url": self.url, "error": str(exc)})
