"""The events plans-api produces: units, officials, plans, targets, tasks and progress reports.

Each aggregate's events carry the aggregate as plans-api reads it; ``GET /events/export`` sends
the same data as ``<aggregate>.snapshot`` records, units with their successions and officials
with their dated versions.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, Discriminator, Field, Tag
from typing_extensions import TypedDict

from shared.events.base import EventData, JsonDecimal, NfcText

SOURCE = "plans-api"

# --- units ---------------------------------------------------------------------------------

UnitLevel = Literal["province", "department", "district", "commune", "other"]
SuccessionKind = Literal["merge", "split", "rename"]


class UnitData(EventData):
    """``unit.created``, ``unit.updated``."""

    id: UUID
    code: NfcText
    name: NfcText
    short_name: NfcText | None
    level: UnitLevel
    parent_id: UUID | None
    agency_code: str | None
    valid_from: date | None
    valid_to: date | None
    created_at: AwareDatetime
    updated_at: AwareDatetime


class UnitSucceeded(EventData):
    """``unit.succeeded``: the unit retired the day before ``effective_on``, and its
    successors."""

    unit: UnitData
    successors: list[UnitData]
    kind: SuccessionKind
    effective_on: date


class SuccessionLink(EventData):
    successor_id: UUID
    kind: SuccessionKind
    effective_on: date


class UnitSnapshot(UnitData):
    successions: list[SuccessionLink]


# --- officials -----------------------------------------------------------------------------

CchcRole = Literal["dedicated", "concurrent", "none"]


class OfficialData(EventData):
    """``official.created``, ``official.updated``."""

    id: UUID
    employee_code: NfcText | None
    full_name: NfcText
    unit_id: UUID
    position: NfcText | None
    is_leader: bool
    cchc_role: CchcRole
    one_stop_shop: bool
    education_level: NfcText | None
    cchc_since: date | None
    expert_pool: bool
    leadership_source: bool
    email: str | None
    joined_on: date | None
    left_on: date | None
    version: int
    created_at: AwareDatetime
    updated_at: AwareDatetime


class OfficialVersionData(EventData):
    """One dated state of an official, from ``valid_from`` to ``valid_to`` (exclusive)."""

    valid_from: date
    valid_to: date | None
    unit_id: UUID
    is_leader: bool
    cchc_role: CchcRole
    one_stop_shop: bool
    expert_pool: bool
    leadership_source: bool


class OfficialSnapshot(OfficialData):
    versions: list[OfficialVersionData]


# --- plans and targets ---------------------------------------------------------------------

PlanKind = Literal["ke_hoach", "de_an", "quyet_dinh", "chuong_trinh"]
PlanStatus = Literal["draft", "active", "completed", "cancelled"]
Measure = Literal["percent", "count"]
Comparator = Literal["gt", "gte", "eq", "lt", "lte"]
TargetSource = Literal["manual", "training_coverage"]
OfficialGroup = Literal["cchc_officials", "leaders", "one_stop_shop", "all_officials"]


class LegalBasisData(EventData):
    document: NfcText
    title: NfcText | None
    issued_on: date | None


class PlanData(EventData):
    """``plan.created``, ``plan.updated``."""

    id: UUID
    code: NfcText
    kind: PlanKind
    title: NfcText
    summary: NfcText | None
    issuer_unit_id: UUID
    province_id: UUID
    issued_on: date | None
    start_year: int
    end_year: int
    parent_plan_id: UUID | None
    status: PlanStatus
    legal_bases: list[LegalBasisData]
    version: int
    created_at: AwareDatetime
    updated_at: AwareDatetime


class MilestoneData(EventData):
    due_on: date
    value: JsonDecimal
    level: str | None
    comparator: Comparator | None


class TargetData(EventData):
    """``target.created``, ``target.updated``."""

    id: UUID
    plan_id: UUID
    code: NfcText
    title: NfcText
    measure: Measure
    comparator: Comparator
    milestones: list[MilestoneData]
    source: TargetSource
    group: OfficialGroup | None
    area_code: str | None
    position: int
    note: NfcText | None
    version: int


# --- tasks ---------------------------------------------------------------------------------

TaskKind = Literal["objective", "task", "activity"]
TaskStatus = Literal["not_started", "in_progress", "done", "blocked"]
UnitGroup = Literal[
    "province_departments",
    "area_lead_departments",
    "district_committees",
    "commune_committees",
    "local_committees",
    "all_committees",
    "central_agencies",
    "units_concerned",
]
ScheduleKind = Literal[
    "none",
    "once",
    "quarters_in_year",
    "halves_in_year",
    "within_year",
    "year_range",
    "years_list",
    "recurring",
    "continuous",
    "on_condition",
    "unparsed",
]
Recurrence = Literal["annual", "semiannual", "quarterly", "monthly", "continuous"]
FlagReason = Literal[
    "empty",
    "not_understood",
    "invalid_date",
    "reversed_range",
    "outside_plan_years",
    "unrecognised_note",
]


# A one-off schedule's window ("2022 - 2023": 2022-01-01 to 2023-12-31), due at its end.
ScheduleWindow = TypedDict("ScheduleWindow", {"from": date, "to": date})


class ScheduleData(EventData):
    """The meaning of a task's schedule words (the defaults are the parser's)."""

    text: NfcText
    kind: ScheduleKind
    years: list[int] = Field(default_factory=list)
    from_year: int | None = None
    quarters: list[int] = Field(default_factory=list)
    halves: list[int] = Field(default_factory=list)
    months: list[int] = Field(default_factory=list)
    quarters_span: bool = False
    due_on: date | None = None
    window: ScheduleWindow | None = None
    recurrence: Recurrence | None = None
    conditional: bool = False
    flagged: bool = False
    reason: FlagReason | None = None
    detail: NfcText | None = None


class TaskData(EventData):
    """``task.created``, ``task.updated``."""

    id: UUID
    plan_id: UUID
    parent_id: UUID | None
    number: str
    depth: int
    kind: TaskKind
    title: NfcText
    area: str | None
    lead_unit_ids: list[UUID]
    coordinating_unit_ids: list[UUID]
    lead_groups: list[UnitGroup]
    coordinating_groups: list[UnitGroup]
    lead_text: NfcText | None
    coordinating_text: NfcText | None
    product: NfcText | None
    schedule_text: NfcText | None
    schedule: ScheduleData | None
    schedule_flagged: bool
    recurrence: Recurrence | None
    due_dates: list[date]
    next_due_on: date | None
    done: bool
    conditional: bool = False
    activated_on: date | None = None
    status: TaskStatus
    note: NfcText | None
    version: int


# --- progress reports ----------------------------------------------------------------------


class LinkEvidenceData(EventData):
    kind: Literal["link"] = "link"
    url: str
    title: NfcText


class FileEvidenceData(EventData):
    kind: Literal["file"]
    file_id: UUID
    title: NfcText
    name: NfcText
    size: int
    content_type: str


def _evidence_kind(value: Any) -> str:
    """Links stored before files existed carry no ``kind``."""
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return "file" if kind == "file" else "link"


EvidenceData = Annotated[
    Annotated[LinkEvidenceData, Tag("link")] | Annotated[FileEvidenceData, Tag("file")],
    Discriminator(_evidence_kind),
]


class ReportData(EventData):
    """``report.submitted``, ``report.updated``."""

    id: UUID
    task_id: UUID
    unit_id: UUID
    period_id: UUID
    status: TaskStatus
    percent: JsonDecimal | None
    narrative: NfcText | None
    figures: dict[UUID, float]
    evidence: list[EvidenceData]
    submitted_by: UUID | None
    submitted_at: AwareDatetime
    updated_at: AwareDatetime
    late: bool
    version: int


EVENTS: dict[str, type[EventData]] = {
    "unit.created": UnitData,
    "unit.updated": UnitData,
    "unit.succeeded": UnitSucceeded,
    "official.created": OfficialData,
    "official.updated": OfficialData,
    "plan.created": PlanData,
    "plan.updated": PlanData,
    "target.created": TargetData,
    "target.updated": TargetData,
    "task.created": TaskData,
    "task.updated": TaskData,
    "report.submitted": ReportData,
    "report.updated": ReportData,
}
SNAPSHOTS: dict[str, type[EventData]] = {
    "unit": UnitSnapshot,
    "official": OfficialSnapshot,
    "plan": PlanData,
    "target": TargetData,
    "task": TaskData,
    "report": ReportData,
}
