"""Argon2id hashes for passwords and client secrets.

The cost comes from settings (``PLANS_PASSWORDS__*``): ``create_app`` calls ``configure`` once
at start; until then the library's (RFC 9106) defaults apply. A stored hash made with other
parameters is still verified, and ``needs_rehash`` tells the login to re-hash it.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from plans_api.config import PasswordSettings

_hasher = PasswordHasher()
# Verified against when the user does not exist, so both cases take the same time.
_dummy_hash = _hasher.hash("not-a-real-password")


def configure(settings: PasswordSettings) -> None:
    global _hasher, _dummy_hash
    _hasher = PasswordHasher(
        time_cost=settings.time_cost,
        memory_cost=settings.memory_cost_kib,
        parallelism=settings.parallelism,
    )
    _dummy_hash = _hasher.hash("not-a-real-password")


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _dummy_hash, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
