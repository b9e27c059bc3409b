"""Every table of learning-api, imported so that Alembic sees the whole metadata."""

from learning_api.db import Base
from shared.outbox import Outbox, OutboxEventMixin, OutboxSequenceMixin


class OutboxEvent(OutboxEventMixin, Base):
    pass


class OutboxSequence(OutboxSequenceMixin, Base):
    pass


OUTBOX = Outbox("learning-api", OutboxEvent, OutboxSequence)

__all__ = ["OUTBOX", "Base", "OutboxEvent", "OutboxSequence"]
