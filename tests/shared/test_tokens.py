"""Attacks on token verification: every one is a 401 problem+json and the token is never logged.

Run against plans-api (keys in-process) and learning-api (keys fetched from plans-api's JWKS)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import uuid
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI
from jose import jwt

from tests.factories import token_for

PATHS = {"plans": "/api/auth/v1/me", "learning": "/api/learning/v1/me"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def assemble(header: dict[str, Any], claims: dict[str, Any], sign: Any) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def good_claims(app: FastAPI, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": str(uuid.uuid4()),
        "iss": app.state.settings.auth.issuer,
        "aud": app.state.settings.auth.audience,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "roles": ["learner"],
        "token_use": "access",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def signed(app: FastAPI, claims: dict[str, Any], **headers: Any) -> str:
    key = app.state.keyring.active
    header = {"kid": key.kid, **headers}
    header = {k: v for k, v in header.items() if v is not None}
    return jwt.encode(claims, key.private_pem.decode(), algorithm="RS256", headers=header)


def public_key_bytes(app: FastAPI, encoding: serialization.Encoding) -> bytes:
    private = serialization.load_pem_private_key(app.state.keyring.active.private_pem, None)
    return private.public_key().public_bytes(
        encoding, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def attacks(app: FastAPI) -> dict[str, str]:
    kid = app.state.keyring.active.kid
    claims = good_claims(app)
    valid = signed(app, claims)
    head, _, signature = valid.split(".")
    tampered_claims = {**claims, "roles": ["system_admin"]}

    def hs256_with(key: bytes) -> str:
        return assemble(
            {"alg": "HS256", "typ": "JWT", "kid": kid},
            claims,
            lambda data: hmac.new(key, data, hashlib.sha256).digest(),
        )

    return {
        "alg none": assemble({"alg": "none", "typ": "JWT", "kid": kid}, claims, lambda _: b""),
        "alg none, no signature part": ".".join(
            [b64(b'{"alg":"none"}'), b64(json.dumps(claims).encode()), ""]
        ),
        "HS256 signed with the public key (PEM)": hs256_with(
            public_key_bytes(app, serialization.Encoding.PEM)
        ),
        "HS256 signed with the public key (DER)": hs256_with(
            public_key_bytes(app, serialization.Encoding.DER)
        ),
        "no exp": signed(app, good_claims(app, exp=None)),
        "no aud": signed(app, good_claims(app, aud=None)),
        "no iss": signed(app, good_claims(app, iss=None)),
        "no iat": signed(app, good_claims(app, iat=None)),
        "no sub": signed(app, good_claims(app, sub=None)),
        "crit header": signed(app, claims, crit=["exp"]),
        "no kid": signed(app, claims, kid=None),
        "unknown kid": signed(app, claims, kid="not-a-known-key"),
        "expired": signed(
            app, good_claims(app, iat=int(time.time()) - 3600, exp=int(time.time()) - 600)
        ),
        "not yet valid": signed(app, good_claims(app, nbf=int(time.time()) + 600)),
        "wrong issuer": signed(app, good_claims(app, iss="https://evil.example/auth")),
        "wrong audience": signed(app, good_claims(app, aud="some-other-api")),
        "tampered payload": f"{head}.{b64(json.dumps(tampered_claims).encode())}.{signature}",
        "bad signature": f"{head}.{valid.split('.')[1]}.{signature[:-4]}AAAA",
        "roles not a list": signed(app, good_claims(app, roles="system_admin")),
        "garbage": "this-is-not-a-jwt",
        "three garbage parts": "a.b.c",
        "huge": "a" * 10_000 + ".b.c",
    }


@pytest.fixture(params=list(PATHS))
def target(request, plans_app, plans_client, learning_client) -> tuple[httpx.AsyncClient, str]:
    client = plans_client if request.param == "plans" else learning_client
    return client, PATHS[request.param]


class TestAttacks:
    async def test_each_attack_is_401_and_never_logged(self, plans_app, target, caplog):
        client, path = target
        caplog.set_level(logging.DEBUG)
        for name, token in attacks(plans_app).items():
            response = await client.get(path, headers={"Authorization": f"Bearer {token}"})

            assert response.status_code == 401, name
            assert response.headers["content-type"] == "application/problem+json", name
            assert response.json()["code"] == "invalid_token", name
            assert response.headers["www-authenticate"] == "Bearer", name
            logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
            assert token not in logged, name

    async def test_answers_do_not_say_why_the_log_does(self, plans_app, target, caplog):
        client, path = target
        caplog.set_level(logging.INFO, logger="shared.auth")
        bodies = set()
        for token in attacks(plans_app).values():
            for language in ("vi", "en"):
                response = await client.get(
                    path, headers={"Authorization": f"Bearer {token}", "Accept-Language": language}
                )
                body = response.json()
                bodies.add((language, body.pop("title"), body.pop("detail"), *sorted(body)))

        assert len(bodies) == 2, bodies  # one answer per language, whatever the attack
        reasons = {r.__dict__.get("reason") for r in caplog.records if r.name == "shared.auth"}
        assert {
            "algorithm",
            "crit",
            "kid",
            "unknown kid",
            "malformed",
            "too long",
            "ExpiredSignatureError",
            "JWTClaimsError",
            "JWTError",
        } <= reasons

    async def test_the_valid_token_of_the_same_shape_passes(self, plans_app, target):
        client, path = target
        response = await client.get(
            path, headers={"Authorization": "Bearer " + signed(plans_app, good_claims(plans_app))}
        )
        assert response.status_code == 200

    @pytest.mark.parametrize(
        "header",
        [
            "",
            "Bearer",
            "Bearer ",
            "Basic dXNlcjpwYXNz",
            "Token abc",
            "Bearer a b",
        ],
    )
    async def test_garbage_authorization_header(self, target, header):
        client, path = target
        response = await client.get(path, headers={"Authorization": header})
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"

    async def test_nul_in_the_authorization_header(self, target):
        # Refused before authentication, like a NUL anywhere else in a request.
        client, path = target
        response = await client.get(path, headers={"Authorization": "bearer\x00x"})
        assert (response.status_code, response.json()["code"]) == (422, "nul_character")
        assert response.headers["content-type"] == "application/problem+json"

    async def test_no_header(self, target):
        client, path = target
        response = await client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


class TestRotation:
    async def test_a_new_key_is_picked_up_from_the_jwks(self, plans_app, learning_client):
        """A token signed by a key learning-api has not seen yet: it refetches the JWKS."""
        from plans_api.identity.signing import KeyRing, generate_pem, signing_key_from_pem

        keyring: KeyRing = plans_app.state.keyring
        old_keys, old_active = keyring.keys, keyring.active
        new = signing_key_from_pem(generate_pem())
        try:
            keyring.keys, keyring.active = [*old_keys, new], new
            learning_client._transport.app.state.token_verifier.keys._fetched_at = 0
            token = token_for(plans_app, roles=["learner"])
            response = await learning_client.get(
                "/api/learning/v1/me", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200
        finally:
            keyring.keys, keyring.active = old_keys, old_active
