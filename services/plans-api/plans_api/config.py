"""plans-api settings: environment variables prefixed ``PLANS_`` (nested groups with ``__``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings

# Printed by the run command and written in the README: demo accounts are for a local try-out only.
DEFAULT_DEMO_PASSWORD = "demo-CCHC-2025"  # noqa: S105


class SigningSettings(BaseModel):
    """Keys that sign access tokens.

    Every ``*.pem`` in ``keys_dir`` is published in the JWKS; the last by name signs, so a new key
    is rolled out by adding a file that sorts later and the old one removed once its tokens expire.
    ``private_key`` (a PEM in the environment) takes precedence for signing when set.
    """

    keys_dir: Path = Path(".data/keys")
    private_key: SecretStr | None = None
    generate_if_missing: bool = True
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    client_token_minutes: int = 60


class LoginThrottleSettings(BaseModel):
    """Growing delays, never a hard lock (:mod:`plans_api.identity.throttle`).

    Failed logins are counted per (account, client address) and per client address. A key's first
    ``free_failures_*`` failures cost nothing; each further one makes the key wait
    ``base_delay_seconds`` doubled per failure beyond them, at most ``max_delay_seconds``. A key's
    count starts again once it has had no failure for ``forget_after_seconds``.
    """

    free_failures_per_account_address: int = Field(5, ge=1)
    free_failures_per_address: int = Field(50, ge=1)
    base_delay_seconds: int = Field(1, ge=1)
    max_delay_seconds: int = Field(900, ge=1)
    forget_after_seconds: int = Field(86_400, ge=1)


class PasswordSettings(BaseModel):
    """Argon2id cost of password and client-secret hashes (defaults: RFC 9106's second
    recommendation, as argon2-cffi has them)."""

    time_cost: int = Field(3, ge=1)
    memory_cost_kib: int = Field(65536, ge=8)
    parallelism: int = Field(4, ge=1)


class BootstrapClient(BaseModel):
    client_id: str
    client_secret: SecretStr
    name: str
    scopes: list[str] = Field(default_factory=list)


class BootstrapSettings(BaseModel):
    # Service accounts the other services use (client credentials), created or updated on start.
    clients: list[BootstrapClient] = Field(default_factory=list)


class FilesSettings(BaseModel):
    """Evidence files: stored once per content (by SHA-256) under ``dir``."""

    dir: Path = Path(".data/files")
    max_bytes: int = 10 * 1024 * 1024


class ImportsSettings(BaseModel):
    """Table imports (:mod:`plans_api.imports`): how many files are parsed at once per process;
    more wait for a slot."""

    max_concurrent: int = Field(2, ge=1)


class DemoSettings(BaseModel):
    """Demo mode (:mod:`plans_api.demo`): the seed plans and the demo accounts."""

    enabled: bool = False  # demo mode: create the demo accounts
    password: SecretStr = SecretStr(DEFAULT_DEMO_PASSWORD)


class PlansSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="PLANS_", env_nested_delimiter="__", extra="ignore"
    )

    signing: SigningSettings = Field(default_factory=SigningSettings)
    login_throttle: LoginThrottleSettings = Field(default_factory=LoginThrottleSettings)
    passwords: PasswordSettings = Field(default_factory=PasswordSettings)
    bootstrap: BootstrapSettings = Field(default_factory=BootstrapSettings)
    files: FilesSettings = Field(default_factory=FilesSettings)
    imports: ImportsSettings = Field(default_factory=ImportsSettings)
    # Demo mode (``make run``): the four seed plans, their units, synthetic officials and the
    # demo accounts are loaded on start. Never in production.
    demo: DemoSettings = Field(default_factory=DemoSettings)
    # API.md names these two without the service prefix.
    bootstrap_admin_username: str | None = Field(
        None,
        validation_alias=AliasChoices("BOOTSTRAP_ADMIN_USERNAME", "PLANS_BOOTSTRAP_ADMIN_USERNAME"),
    )
    bootstrap_admin_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("BOOTSTRAP_ADMIN_PASSWORD", "PLANS_BOOTSTRAP_ADMIN_PASSWORD"),
    )


@lru_cache
def get_settings() -> PlansSettings:
    return PlansSettings()
