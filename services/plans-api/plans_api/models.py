"""Every table of plans-api, imported so that Alembic sees the whole metadata."""

from plans_api.db import Base
from plans_api.identity.models import ApiClient, LoginFailure, RefreshToken, User
from plans_api.unit.models import Unit
from shared.outbox import Outbox, OutboxEventMixin, OutboxSequenceMixin


class OutboxEvent(OutboxEventMixin, Base):
    pass


class OutboxSequence(OutboxSequenceMixin, Base):
    pass


OUTBOX = Outbox("plans-api", OutboxEvent, OutboxSequence)

__all__ = [
    "OUTBOX",
    "ApiClient",
    "Base",
    "LoginFailure",
    "OutboxEvent",
    "OutboxSequence",
    "RefreshToken",
    "Unit",
    "User",
]
