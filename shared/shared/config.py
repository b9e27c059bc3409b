"""Settings read from the environment (pydantic-settings).

Each service subclasses ``ServiceSettings`` with its own ``env_prefix`` (``PLANS_``, ``LEARNING_``,
``REPORTING_``); nested groups use ``__``, e.g. ``PLANS_DATABASE__URL``.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class DatabaseSettings(BaseModel):
    url: SecretStr = SecretStr("postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    pool_size: int = 10
    max_overflow: int = 10
    echo: bool = False


class AuthSettings(BaseModel):
    """How this service verifies access tokens."""

    issuer: str = "http://localhost:8000/api/auth/v1"
    audience: str = "cchc-platform"
    jwks_url: str = "http://127.0.0.1:8001/api/auth/v1/jwks"
    jwks_cache_seconds: int = 300
    # An unknown kid triggers a refetch, but not more often than this (rotation without a storm).
    jwks_min_refresh_seconds: int = 10
    leeway_seconds: int = 30


class ServiceClientSettings(BaseModel):
    """Credentials this service uses to call the others (client-credentials grant)."""

    token_url: str = "http://127.0.0.1:8001/api/auth/v1/token"  # noqa: S105
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    timeout_seconds: float = 10.0
    max_retries: int = 3


class ServiceUrls(BaseModel):
    """Where the other services answer (inside the cluster: no gateway in between)."""

    plans: str = "http://127.0.0.1:8001"
    learning: str = "http://127.0.0.1:8002"
    reporting: str = "http://127.0.0.1:8003"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    environment: str = "development"
    log_level: str = "INFO"
    max_body_bytes: int = 1_048_576
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    service_client: ServiceClientSettings = Field(default_factory=ServiceClientSettings)
    services: ServiceUrls = Field(default_factory=ServiceUrls)
