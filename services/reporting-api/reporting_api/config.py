"""reporting-api settings: environment variables prefixed ``REPORTING_`` (groups: ``__``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class ReportingSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="REPORTING_", env_nested_delimiter="__", extra="ignore"
    )


@lru_cache
def get_settings() -> ReportingSettings:
    return ReportingSettings()
