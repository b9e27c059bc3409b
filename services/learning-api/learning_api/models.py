"""Every table of learning-api, imported so that Alembic sees the whole metadata."""

from learning_api.db import Base

__all__ = ["Base"]
