"""Every table of reporting-api, imported so that Alembic sees the whole metadata."""

from reporting_api.db import Base
from reporting_api.event.models import Event

__all__ = ["Base", "Event"]
