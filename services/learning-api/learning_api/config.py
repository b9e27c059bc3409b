"""learning-api settings: environment variables prefixed ``LEARNING_`` (groups with ``__``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from shared.config import ServiceSettings


class LearningSettings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="LEARNING_", env_nested_delimiter="__", extra="ignore"
    )


@lru_cache
def get_settings() -> LearningSettings:
    return LearningSettings()
