"""The shapes of the demo data: plain records that the loader turns into rows.

Units and plans refer to each other by ``key``, a name local to the demo data ("ct.snv").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class UnitRecord:
    key: str
    code: str
    name: str
    level: str  # province, department, district, commune, other
    parent: str | None = None
    short_name: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None  # the last day it existed


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: str
    successor: str
    kind: str  # merge, split, rename
    effective_on: date


@dataclass(frozen=True)
class MilestoneRecord:
    due_on: date
    value: Decimal
    comparator: str | None = None  # when the document's differs from the target's


@dataclass(frozen=True)
class TargetRecord:
    code: str
    title: str  # the document's words
    measure: str  # percent, count
    comparator: str  # gt, gte, eq
    milestones: tuple[MilestoneRecord, ...]
    source: str = "manual"
    group: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TaskRecord:
    """A row of a plan's appendix table, quoted from the document."""

    number: str
    title: str
    lead: str | None = None
    coordinating: str | None = None
    product: str | None = None
    schedule: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class LegalBasis:
    document: str
    title: str
    issued_on: date | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "document": self.document,
            "title": self.title,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
        }


@dataclass(frozen=True)
class PlanRecord:
    key: str
    code: str
    kind: str  # ke_hoach, de_an, quyet_dinh, chuong_trinh
    title: str
    issuer: str  # unit key
    province: str  # unit key
    issued_on: date | None
    start_year: int
    end_year: int
    legal_bases: tuple[LegalBasis, ...] = ()
    targets: tuple[TargetRecord, ...] = ()
    tasks: tuple[TaskRecord, ...] = ()
    summary: str | None = None
    parent: str | None = None  # plan key
    source: str = ""  # the seed document it was transcribed from


def year_end(year: int) -> date:
    return date(year, 12, 31)


def milestone(year: int, value: int | str, comparator: str | None = None) -> MilestoneRecord:
    """A milestone due at the end of ``year``."""
    return MilestoneRecord(year_end(year), Decimal(value), comparator)
