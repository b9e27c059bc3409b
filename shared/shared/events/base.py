"""What every event contract is made of: a data model that reads objects or dicts, NFC text
and numbers that go out as JSON numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, PlainSerializer

from shared.text import nfc


class EventData(BaseModel):
    """The ``data`` of an event. Built from the producer's objects (attributes or dicts); fields
    the contract does not name are ignored, so a consumer reads a newer producer's events."""

    model_config = ConfigDict(from_attributes=True, extra="ignore", frozen=True)


NfcText = Annotated[str, AfterValidator(nfc)]
# Exact in Python, a JSON number on the wire.
JsonDecimal = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
