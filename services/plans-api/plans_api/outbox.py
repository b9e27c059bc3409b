"""plans-api's outbox (events for reporting-api, written in the request's transaction) and its
idempotency records: the tables and the two handles the domains use, ``OUTBOX`` and
``IDEMPOTENT``."""

from fastapi import Depends

from plans_api.db import Base
from shared.idempotency import IdempotencyRecordMixin, idempotent
from shared.outbox import Outbox, OutboxEventMixin, OutboxSequenceMixin


class OutboxEvent(OutboxEventMixin, Base):
    pass


class OutboxSequence(OutboxSequenceMixin, Base):
    pass


class IdempotencyRecord(IdempotencyRecordMixin, Base):
    __tablename__ = "idempotency_keys"


OUTBOX = Outbox("plans-api", OutboxEvent, OutboxSequence)
IDEMPOTENT = Depends(idempotent(IdempotencyRecord))
