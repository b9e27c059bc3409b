"""Every table of plans-api, imported so that Alembic sees the whole metadata."""

from plans_api.db import Base
from plans_api.identity.models import ApiClient, LoginFailure, RefreshToken, User
from plans_api.unit.models import Unit

__all__ = ["ApiClient", "Base", "LoginFailure", "RefreshToken", "Unit", "User"]
