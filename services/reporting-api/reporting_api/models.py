"""Every table of reporting-api, imported so that Alembic sees the whole metadata."""

from reporting_api.db import Base

__all__ = ["Base"]
