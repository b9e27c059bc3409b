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
    # How long learning-api and reporting-api keep a unit's ancestry fetched from plans-api.
    unit_tree_cache_seconds: int = 60
    # How long a service keeps plans-api's list of revoked sessions (shared.auth.revocation): the
    # bound within which a deactivated, demoted or re-passworded account's access tokens stop.
    revocation_cache_seconds: int = Field(60, ge=0, le=300)


class ServiceClientSettings(BaseModel):
    """Credentials this service uses to call the others (client-credentials grant)."""

    token_url: str = "http://127.0.0.1:8001/api/auth/v1/token"  # noqa: S105
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    timeout_seconds: float = 10.0
    # Retries of idempotent calls (and of calls marked ``retry=True``) on connection errors,
    # timeouts, 429, 502, 503 and 504: exponential backoff with full jitter, capped.
    max_retries: int = Field(3, ge=0, le=10)
    backoff_seconds: float = 0.2
    max_backoff_seconds: float = 5.0
    # A Retry-After longer than this is shortened to it.
    max_retry_after_seconds: float = 30.0
    # The cached service token is replaced this long before it expires.
    token_refresh_margin_seconds: int = 60


class ServiceUrls(BaseModel):
    """Where the other services answer (inside the cluster: no gateway in between)."""

    plans: str = "http://127.0.0.1:8001"
    learning: str = "http://127.0.0.1:8002"
    reporting: str = "http://127.0.0.1:8003"


class OutboxSettings(BaseModel):
    """The relay that delivers this service's outbox events to reporting-api."""

    enabled: bool = False
    # Where on ``services.reporting`` the events go.
    events_path: str = "/api/reporting/v1/events"
    batch_size: int = Field(100, ge=1, le=500)  # reporting-api takes at most 500 per call
    interval_seconds: float = 1.0  # pause when the outbox is drained
    initial_backoff_seconds: float = 5.0  # after a failed delivery; doubles per failed attempt
    max_backoff_seconds: float = 600.0
    # Delivered events are deleted after this many days (0: kept for ever); reporting-api keeps
    # its own copy and rebuilds from the producers' export endpoints, not from the outbox.
    retention_days: int = Field(30, ge=0)
    prune_interval_seconds: float = 3600.0


class IdempotencySettings(BaseModel):
    """How long an ``Idempotency-Key`` is remembered: a retry after that creates again. Expired
    records are deleted every ``prune_interval_seconds`` (0: never, e.g. where another process
    prunes)."""

    ttl_hours: int = Field(24, ge=1)
    prune_interval_seconds: float = Field(3600.0, ge=0)


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_nested_delimiter="__", extra="ignore")

    environment: str = "development"
    log_level: str = "INFO"
    max_body_bytes: int = 1_048_576
    # Upload routes (file imports, attachments) only; the gateway has the same two limits.
    max_upload_bytes: int = 10_485_760
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    service_client: ServiceClientSettings = Field(default_factory=ServiceClientSettings)
    services: ServiceUrls = Field(default_factory=ServiceUrls)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    idempotency: IdempotencySettings = Field(default_factory=IdempotencySettings)
