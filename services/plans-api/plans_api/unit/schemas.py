from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from plans_api.identity.schemas import _nfc

UnitLevel = Literal["province", "department", "district", "commune", "other"]


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(min_length=1, max_length=32, strip_whitespace=True)]
    name: Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_nfc)]
    level: UnitLevel
    parent_id: UUID | None = None
    valid_from: date | None = None
    valid_to: date | None = None


class UnitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    code: str
    name: str
    level: str
    parent_id: UUID | None
    valid_from: date | None
    valid_to: date | None
