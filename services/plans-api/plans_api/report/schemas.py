from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    StringConstraints,
    Tag,
    UrlConstraints,
    model_validator,
)

from plans_api.plan.schemas import JsonDecimal
from plans_api.task.schemas import TaskStatus
from shared.text import trim
from shared.validation_messages import Invalid

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Narrative = Annotated[str, StringConstraints(max_length=20000), AfterValidator(trim)]
Figures = Annotated[
    dict[UUID, Annotated[float, Field(allow_inf_nan=False)]],
    Field(max_length=200, description="{target_id: value} for the plan's manual targets"),
]


class LinkEvidence(BaseModel):
    """A link to the evidence."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["link"] = "link"
    url: Annotated[HttpUrl, UrlConstraints(max_length=2000, allowed_schemes=["http", "https"])]
    title: Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(trim)]


class FileEvidence(BaseModel):
    """A file uploaded with ``POST /files``; the report shows its name, size and type."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["file"]
    file_id: UUID
    title: (
        Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(trim)] | None
    ) = Field(None, description="default: the file's name")


def _evidence_kind(value: Any) -> str:
    kind = value.get("kind", "link") if isinstance(value, dict) else getattr(value, "kind", None)
    return kind if kind in ("link", "file") else "link"


Evidence = Annotated[
    Annotated[LinkEvidence, Tag("link")] | Annotated[FileEvidence, Tag("file")],
    Discriminator(_evidence_kind),
]
EvidenceList = Annotated[list[Evidence], Field(max_length=50)]


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period_id: UUID
    unit_id: UUID | None = Field(None, description="The reporting unit; default: your own")
    status: TaskStatus
    percent: Percent | None = Field(None, description="0..100; done means 100 unless given")
    narrative: Narrative | None = None
    figures: Figures = Field(default_factory=dict)
    evidence: EvidenceList = Field(default_factory=list)


class ReportUpdate(BaseModel):
    """Only the fields sent change; ``figures`` and ``evidence`` replace the old ones."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus | None = None
    percent: Percent | None = None
    narrative: Narrative | None = None
    figures: Figures | None = None
    evidence: EvidenceList | None = None

    @model_validator(mode="after")
    def _required_stay(self) -> Self:
        for name in ("status", "figures", "evidence"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise Invalid(f"{name} không được để trống (null)", f"{name} cannot be null")
        return self


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    task_id: UUID
    unit_id: UUID
    period_id: UUID
    status: TaskStatus
    percent: JsonDecimal | None
    narrative: str | None
    figures: dict[str, float]
    evidence: list[dict[str, Any]]
    submitted_by: UUID | None
    submitted_at: datetime
    updated_at: datetime
    late: bool = Field(description="First submitted after the unit deadline of the period")
    version: int


class RevisionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    report_id: UUID
    changed_by: UUID | None
    changed_at: datetime
    late: bool = Field(description="Made after the unit deadline of the period")
    before: dict[str, Any] | None
    after: dict[str, Any]
