"""Bulk import of officials from XLSX or CSV, all or nothing.

The file is read (in a worker thread) into a list of checked rows; rows whose employee code
exists update that official, the others create one; every row is checked before anything is
written, then the whole file is written in one transaction with bulk statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import IO, Any, cast
from uuid import UUID

from anyio import CapacityLimiter
from pydantic import ValidationError
from sqlalchemy import ARRAY, String, Table, Uuid, any_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.imports import parse_in_thread
from plans_api.official import repository as repo
from plans_api.official.models import Official, OfficialVersion
from plans_api.official.schemas import ImportReport, OfficialFields
from plans_api.official.service import (
    VERSIONED,
    Scope,
    VersionPlan,
    plan_version,
    version_state,
)
from plans_api.outbox import OUTBOX
from plans_api.unit.models import Unit
from plans_api.unit.repository import subtree_select
from shared import validation_messages
from shared.errors import AppError
from shared.events.plans import OfficialData
from shared.outbox import NewEvent, add_events
from shared.tables.cells import CellError, cell_bool, cell_date, cell_text
from shared.tables.errors import ImportRowsInvalid, RowError
from shared.tables.header import Column
from shared.tables.records import Record, read_records
from shared.tables.sources import first_table
from shared.text import fold_words
from shared.uploads import CSV, XLSX, UploadLimits, check_upload


@dataclass(frozen=True)
class Limits:
    max_rows: int = 20_000
    max_columns: int = 100
    upload: UploadLimits = field(default_factory=UploadLimits)


LIMITS = Limits()
_CHUNK = 2_000

COLUMNS = (
    Column("full_name", ("Họ và tên", "Họ tên", "full_name"), required=True),
    Column("employee_code", ("Mã cán bộ", "Mã CBCCVC", "Mã số cán bộ", "employee_code")),
    Column("unit", ("Đơn vị", "Đơn vị công tác", "unit", "unit_code", "unit_name"), required=True),
    Column("position", ("Chức vụ", "position")),
    Column("is_leader", ("Lãnh đạo", "is_leader")),
    Column("cchc_role", ("Vai trò CCHC", "cchc_role")),
    Column("one_stop_shop", ("Một cửa", "one_stop_shop")),
    Column("education_level", ("Trình độ", "education_level")),
    Column("cchc_since", ("Làm CCHC từ", "cchc_since")),
    Column("expert_pool", ("Chuyên gia", "expert_pool")),
    Column("leadership_source", ("Nguồn lãnh đạo", "leadership_source")),
    Column("email", ("Email", "Thư điện tử", "email")),
    Column("joined_on", ("Ngày vào", "Ngày bắt đầu công tác", "joined_on")),
)
_TEXT = ("full_name", "employee_code", "position", "education_level", "email")
_BOOLS = ("is_leader", "one_stop_shop", "expert_pool", "leadership_source")
_DATES = ("cchc_since", "joined_on")
_ROLES = {
    "chuyen trach": "dedicated",
    "dedicated": "dedicated",
    "kiem nhiem": "concurrent",
    "concurrent": "concurrent",
    "khong": "none",
    "none": "none",
}
_PLACEHOLDER_UNIT = UUID(int=0)
OFFICIALS = cast(Table, Official.__table__)
VERSIONS = cast(Table, OfficialVersion.__table__)


# --- messages ----------------------------------------------------------------------------


@dataclass
class Errors:
    """The row errors found so far; ``titles``: column key → the file's header text."""

    titles: dict[str, str] = field(default_factory=dict)
    items: list[RowError] = field(default_factory=list)

    def add(self, row: int, key: str | None, code: str, vi: str, en: str) -> None:
        column = self.titles.get(key, key) if key else None
        self.items.append(RowError(row, column, code, vi, en))


# --- units -------------------------------------------------------------------------------


@dataclass
class UnitIndex:
    """The units an importer may name, as of the import's date, by code and by folded name."""

    by_code: dict[str, list[UUID]] = field(default_factory=dict)
    by_name: dict[str, list[UUID]] = field(default_factory=dict)

    def add(self, unit_id: UUID, codes: Sequence[str | None], names: Sequence[str | None]) -> None:
        for code in {c.strip().lower() for c in codes if c}:
            self.by_code.setdefault(code, []).append(unit_id)
        for name in {fold_words(n) for n in names if n}:
            self.by_name.setdefault(name, []).append(unit_id)

    def resolve(self, text: str) -> UUID:
        found = self.by_code.get(text.strip().lower()) or self.by_name.get(fold_words(text)) or []
        if len(found) == 1:
            return found[0]
        if found:
            raise CellError(
                "ambiguous_unit",
                f"Có nhiều đơn vị tên '{text}': hãy ghi mã đơn vị",
                f"Several units are named '{text}': use the unit code",
            )
        raise CellError(
            "unknown_unit",
            f"Không có đơn vị '{text}' trong phạm vi của bạn",
            f"No unit '{text}' among your units",
        )


async def load_units(session: AsyncSession, scope: Scope, day: date) -> UnitIndex:
    query = select(Unit.id, Unit.code, Unit.agency_code, Unit.name, Unit.short_name).where(
        repo.unit_valid_on(day)
    )
    if scope.root is not None:
        query = query.where(repo.in_unit_subtree(Unit.id, scope.root))
    index = UnitIndex()
    for row in (await session.execute(query)).all():
        index.add(row.id, (row.code, row.agency_code), (row.name, row.short_name))
    return index


# --- parsing (in a worker thread) ----------------------------------------------------------


@dataclass(frozen=True)
class Row:
    row: int
    given: dict[str, Any]  # the fields the row sets (non-empty cells), checked


def _cell(key: str, value: Any, units: UnitIndex) -> Any:
    if key in _BOOLS:
        return cell_bool(value)
    if key in _DATES:
        return cell_date(value)
    text = cell_text(value)
    if text is None or key in _TEXT:
        return text
    if key == "unit":
        return units.resolve(text)
    role = _ROLES.get(fold_words(text))
    if role is None:
        raise CellError(
            "invalid_role",
            "Vai trò CCHC phải là Chuyên trách, Kiêm nhiệm hoặc Không",
            "The CCHC role must be Chuyên trách (dedicated), Kiêm nhiệm (concurrent) or Không",
        )
    return role


def _parse_record(record: Record, units: UnitIndex, errors: Errors) -> Row | None:
    given: dict[str, Any] = {}
    failed: set[str] = set()
    for key, raw in record.values.items():
        target = "unit_id" if key == "unit" else key
        try:
            value = _cell(key, raw, units)
        except CellError as exc:
            errors.add(record.row, key, exc.code, exc.vi, exc.en)
            failed.add(target)
            continue
        if value is not None:
            given[target] = value
        elif key in ("full_name", "unit"):
            errors.add(record.row, key, "required", "Ô này không được để trống", "Required")
            failed.add(target)
    try:
        checked = OfficialFields.model_validate({"unit_id": _PLACEHOLDER_UNIT, **given})
    except ValidationError as exc:
        for error in exc.errors():
            field_name = str(error["loc"][0]) if error["loc"] else None
            if field_name not in failed:
                vi, en = validation_messages.messages(error)
                errors.add(record.row, field_name, "invalid", vi, en)
        return None
    if failed:
        return None
    return Row(record.row, {k: getattr(checked, k) for k in given})


@dataclass
class Parsed:
    rows_read: int
    rows: list[Row]


def parse_file(
    file: IO[bytes], filename: str | None, units: UnitIndex, errors: Errors, limits: Limits
) -> Parsed:
    kind = check_upload(file, filename, (XLSX, CSV), limits.upload)
    with closing(first_table(file, kind, limits.max_columns)) as table:
        header, records = read_records(table, COLUMNS, limits.max_rows)
    errors.titles.update(header.titles)
    errors.titles["unit_id"] = header.titles["unit"]
    rows: list[Row] = []
    first_row_of: dict[str, int] = {}
    for record in records:
        row = _parse_record(record, units, errors)
        code = row.given.get("employee_code") if row else None
        if code is not None and code in first_row_of:
            errors.add(
                record.row,
                "employee_code",
                "duplicate_code",
                f"Mã cán bộ '{code}' trùng với dòng {first_row_of[code]}",
                f"Employee code '{code}' repeats row {first_row_of[code]}",
            )
            continue
        if row is not None:
            if code is not None:
                first_row_of[code] = row.row
            rows.append(row)
    return Parsed(len(records), rows)


# --- checking against the registry ---------------------------------------------------------


@dataclass
class Update:
    row: int
    record: dict[str, Any]  # the whole record after the change
    version_id: UUID
    plan: VersionPlan


@dataclass
class Plan:
    creates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0


_RECORD_FIELDS = tuple(OfficialFields.model_fields)


async def _existing(session: AsyncSession, codes: list[str]) -> dict[str, dict[str, Any]]:
    if not codes:
        return {}
    table = OFFICIALS
    query = select(table).where(table.c.employee_code == any_(bindparam("c", codes, ARRAY(String))))
    return {row.employee_code: dict(row._mapping) for row in (await session.execute(query)).all()}


async def _current_versions(session: AsyncSession, ids: list[UUID]) -> dict[UUID, Any]:
    if not ids:
        return {}
    v = OfficialVersion
    query = (
        select(v.id, v.official_id, v.valid_from, v.valid_to)
        .where(v.official_id == any_(bindparam("i", ids, ARRAY(Uuid))))
        .ext(distinct_on(v.official_id))
        .order_by(v.official_id, v.valid_from.desc())
    )
    return {row.official_id: row for row in (await session.execute(query)).all()}


async def _scope_ids(session: AsyncSession, scope: Scope) -> set[UUID] | None:
    if scope.root is None:
        return None
    return set((await session.scalars(subtree_select(scope.root))).all())


async def plan_import(
    session: AsyncSession, scope: Scope, rows: list[Row], effective_on: date, errors: Errors
) -> Plan:
    codes = [r.given["employee_code"] for r in rows if "employee_code" in r.given]
    existing = await _existing(session, codes)
    versions = await _current_versions(session, [o["id"] for o in existing.values()])
    allowed = await _scope_ids(session, scope)
    plan = Plan()
    for row in rows:
        current = existing.get(row.given.get("employee_code", ""))
        if current is None:
            plan.creates.append((row.row, row.given))
        elif allowed is not None and current["unit_id"] not in allowed and scope.admin:
            errors.add(
                row.row,
                "employee_code",
                "out_of_scope",
                "Mã cán bộ này thuộc một đơn vị ngoài phạm vi của bạn",
                "This employee code belongs to an official outside your units",
            )
        elif allowed is not None and current["unit_id"] not in allowed:
            # A unit officer is not told that another unit holds the code: any invalid value.
            errors.add(
                row.row,
                "employee_code",
                "invalid",
                "Giá trị không hợp lệ: mã cán bộ không hợp lệ",
                "Invalid employee code",
            )
        else:
            _plan_update(plan, row, current, versions.get(current["id"]), effective_on, errors)
    return plan


def _plan_update(
    plan: Plan,
    row: Row,
    current: dict[str, Any],
    version: Any,
    effective_on: date,
    errors: Errors,
) -> None:
    record = {**current, **row.given}
    if all(record[k] == current[k] for k in row.given):
        plan.unchanged += 1
        return
    if record["left_on"] and record["joined_on"] and record["left_on"] < record["joined_on"]:
        errors.add(row.row, "joined_on", "invalid", "Ngày vào sau ngày nghỉ", "Joined after left")
        return
    if version is None:
        version_plan = VersionPlan(record["left_on"], False, (effective_on, record["left_on"]))
        plan.updates.append(Update(row.row, record, uuid.uuid4(), version_plan))
        return
    try:
        version_plan = plan_version(
            version.valid_from, version.valid_to, effective_on, record["left_on"], False
        )
    except AppError as exc:
        errors.add(row.row, None, exc.code, exc.detail_vi or "", exc.detail_en or "")
        return
    plan.updates.append(Update(row.row, record, version.id, version_plan))


# --- writing -----------------------------------------------------------------------------


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


_DEFAULTS = {
    name: info.default
    for name, info in OfficialFields.model_fields.items()
    if not info.is_required()
}


async def write_import(session: AsyncSession, plan: Plan, effective_on: date) -> None:
    now = datetime.now(UTC)
    new = [
        {
            **_DEFAULTS,
            **given,
            "id": uuid.uuid4(),
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for _, given in plan.creates
    ]
    versions = [_version_row(o, o["joined_on"] or effective_on, None) for o in new]
    for change in plan.updates:
        change.record.update(version=change.record["version"] + 1, updated_at=now)
        if change.plan.new_version is not None:
            versions.append(_version_row(change.record, *change.plan.new_version))
    if new:
        await session.execute(insert(OFFICIALS), new)
    await _write_updates(session, plan.updates)
    if versions:
        await session.execute(insert(VERSIONS), versions)
    events = [("official.created", o) for o in new]
    events += [("official.updated", u.record) for u in plan.updates]
    await _add_events(session, events, now)


def _version_row(record: dict[str, Any], valid_from: date, valid_to: date | None) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "official_id": record["id"],
        "valid_from": valid_from,
        "valid_to": valid_to,
        **version_state(record),
    }


async def _write_updates(session: AsyncSession, updates: list[Update]) -> None:
    if not updates:
        return
    officials = OFFICIALS
    columns = (*_RECORD_FIELDS, "version", "updated_at")
    await session.execute(
        update(officials)
        .where(officials.c.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in columns}),
        [{"b_id": u.record["id"], **{f"b_{c}": u.record[c] for c in columns}} for u in updates],
    )
    versions = VERSIONS
    closes = [u for u in updates if u.plan.new_version is not None]
    if closes:
        await session.execute(
            update(versions)
            .where(versions.c.id == bindparam("b_id"))
            .values(valid_to=bindparam("b_valid_to")),
            [{"b_id": u.version_id, "b_valid_to": u.plan.current_valid_to} for u in closes],
        )
    # A change dated after the official left touches no version: only rewrites remain.
    rewrites = [u for u in updates if u.plan.rewrite_current]
    if rewrites:
        state = ("valid_to", *VERSIONED)
        await session.execute(
            update(versions)
            .where(versions.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in state}),
            [
                {
                    "b_id": u.version_id,
                    "b_valid_to": u.plan.current_valid_to,
                    **{f"b_{k}": v for k, v in version_state(u.record).items()},
                }
                for u in rewrites
            ],
        )


async def _add_events(
    session: AsyncSession, events: list[tuple[str, dict[str, Any]]], now: datetime
) -> None:
    await add_events(
        session,
        OUTBOX,
        [NewEvent(kind, "official", r["id"], OfficialData.model_validate(r)) for kind, r in events],
        occurred_at=now,
    )


# --- the whole import ----------------------------------------------------------------------


async def import_officials(
    session: AsyncSession,
    scope: Scope,
    file: IO[bytes],
    filename: str | None,
    *,
    dry_run: bool,
    effective_on: date,
    limits: Limits | None = None,
    slots: CapacityLimiter,
) -> ImportReport:
    units = await load_units(session, scope, effective_on)
    errors = Errors()
    parsed = await parse_in_thread(
        slots, parse_file, file, filename, units, errors, limits or LIMITS
    )
    plan = await plan_import(session, scope, parsed.rows, effective_on, errors)
    report = ImportReport(
        dry_run=dry_run,
        rows_read=parsed.rows_read,
        created=len(plan.creates),
        updated=len(plan.updates),
    )
    if errors.items:
        raise ImportRowsInvalid(
            sorted(errors.items, key=lambda e: e.row or 0),
            **report.model_dump(mode="json", exclude={"errors"}),
            unchanged=plan.unchanged,
        )
    if not dry_run:
        await write_import(session, plan, effective_on)
    return report
