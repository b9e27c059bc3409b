"""A plan's task table in and out of files: import (XLSX, CSV, DOCX) and export (XLSX).

Import is checked whole before anything is written: the file (``table_reader``), then each row's
number, parent and unit cells, whose names are matched to the units of the plan's province as of
the plan's issue date. With ``dry_run`` nothing is written; otherwise every task is created in
the request's one transaction, so an import writes all of its rows or none. The tasks are
written in bulk (a few statements for the whole table, not a dozen per row): an import is the
same ``task.created`` events and rows as creating each task through the API, only faster.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from anyio import CapacityLimiter
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.imports import parse_in_thread
from plans_api.outbox import OUTBOX
from plans_api.plan.models import Plan
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.task.schemas import TaskCreate
from plans_api.task.service import apply_schedule, refresh_progress, sort_key, task_reads
from plans_api.task.table_reader import read_task_table
from plans_api.task.table_rows import TaskRow
from plans_api.task.table_writer import write_task_table_xlsx
from plans_api.task.unit_text import UnitCell, parse_unit_cell
from plans_api.unit.names import NameMatches
from plans_api.unit.repository import match_unit_names
from shared import validation_messages
from shared.events.plans import TaskData
from shared.outbox import NewEvent, add_events
from shared.tables.errors import ImportRowsInvalid, RowError

CELLS = {"lead": "lead_text", "coordinating": "coordinating_text"}


@dataclass
class ImportReport:
    rows_read: int
    tasks_created: int = 0
    tasks: list[dict[str, Any]] = field(default_factory=list)  # what would be / was created


async def import_task_table(
    session: AsyncSession,
    plan: Plan,
    data: bytes,
    filename: str,
    *,
    dry_run: bool,
    slots: CapacityLimiter,
) -> ImportReport:
    table = await parse_in_thread(slots, read_task_table, data, filename)
    report = ImportReport(rows_read=len(table.rows))
    errors = list(table.errors)
    existing = set(await session.scalars(select(Task.number).where(Task.plan_id == plan.id)))
    cells = {row.row_number: _cells(row) for row in table.rows}
    matches = await match_unit_names(
        session, plan.province_id, _mentioned_names(cells.values()), _as_of(plan)
    )
    creates: list[tuple[TaskRow, TaskCreate]] = []
    numbers = set(existing)
    for row in table.rows:
        create = _row_to_task(row, cells[row.row_number], matches, numbers, errors)
        if create is not None:
            creates.append((row, create))
        numbers.add(row.number)
    if errors:
        raise ImportRowsInvalid(errors, rows_read=report.rows_read, tasks_created=0)
    report.tasks = [c.model_dump(mode="json", exclude_none=True) for _, c in creates]
    if not dry_run:
        await _create_all(session, plan, creates)
        report.tasks_created = len(creates)
    return report


async def _create_all(
    session: AsyncSession, plan: Plan, creates: list[tuple[TaskRow, TaskCreate]]
) -> None:
    rows = await session.execute(select(Task.number, Task.id).where(Task.plan_id == plan.id))
    ids = {number: task_id for number, task_id in rows}
    tasks: list[Task] = []
    for row, create in creates:
        task = Task(
            id=uuid.uuid4(),
            plan_id=plan.id,
            parent_id=ids.get(row.parent_number or ""),
            number=create.number,
            sort_key=sort_key(create.number),
            kind=create.kind,
            title=create.title,
            lead_text=create.lead_text,
            coordinating_text=create.coordinating_text,
            product=create.product,
            note=create.note,
            schedule_text=create.schedule_text,
        )
        apply_schedule(task, plan, create.schedule_text)
        refresh_progress(task)
        ids[create.number] = task.id
        tasks.append(task)
    session.add_all(tasks)
    await session.flush()
    session.add_all(_links(tasks, [c for _, c in creates]))
    await session.flush()
    reads = await task_reads(session, tasks)
    await add_events(
        session,
        OUTBOX,
        [
            NewEvent("task.created", "task", read.id, TaskData.model_validate(read))
            for read in reads
        ],
    )


def _links(tasks: list[Task], creates: list[TaskCreate]) -> list[TaskUnit | TaskUnitGroup]:
    links: list[TaskUnit | TaskUnitGroup] = []
    for task, create in zip(tasks, creates, strict=True):
        for role in CELLS:
            links += [
                TaskUnit(task_id=task.id, unit_id=unit_id, role=role)
                for unit_id in dict.fromkeys(getattr(create, f"{role}_unit_ids"))
            ]
            text = getattr(create, f"{role}_text") or ""
            links += [
                TaskUnitGroup(task_id=task.id, group_code=code, role=role, text=text)
                for code in dict.fromkeys(getattr(create, f"{role}_groups"))
            ]
    return links


def _cells(row: TaskRow) -> dict[str, UnitCell]:
    return {role: parse_unit_cell(getattr(row, attr) or "") for role, attr in CELLS.items()}


def _mentioned_names(cells: Any) -> list[str]:
    return sorted({m.text for by_role in cells for cell in by_role.values() for m in cell.mentions})


def _as_of(plan: Plan) -> date:
    """Unit names in a plan mean the units of its issue date (Sóc Trăng's departments in 2022)."""
    return plan.issued_on or date(plan.start_year, 1, 1)


def _row_to_task(
    row: TaskRow,
    cells: dict[str, UnitCell],
    matches: NameMatches,
    existing: set[str],
    errors: list[RowError],
) -> TaskCreate | None:
    errors_before = len(errors)
    if row.parent_number and row.parent_number not in existing:
        errors.append(
            _row_error(
                row,
                "number",
                "unknown_parent_task",
                f"Không có nhiệm vụ số {row.parent_number} làm cấp trên",
                f"No task {row.parent_number} to be the parent",
            )
        )
    if row.number in existing:
        errors.append(
            _row_error(
                row,
                "number",
                "task_number_taken",
                f"Kế hoạch đã có nhiệm vụ số {row.number}",
                f"The plan already has task {row.number}",
            )
        )
    units: dict[str, list[Any]] = {}
    for role, cell in cells.items():
        units[role] = []
        for mention in cell.mentions:
            unit_id = matches.get(mention.text)
            if unit_id is None:
                miss = matches.misses.get(mention.text)
                errors.append(
                    _row_error(
                        row,
                        CELLS[role],
                        f"unit_{miss.code if miss else 'unknown'}",
                        f"'{mention.text}': {miss.message_vi if miss else 'không rõ'}",
                        f"'{mention.text}': {miss.message_en if miss else 'unknown'}",
                    )
                )
            elif unit_id not in units[role]:
                units[role].append(unit_id)
    try:
        create = TaskCreate(
            number=row.number,
            title=row.title,
            kind=row.kind,
            lead_unit_ids=units["lead"],
            coordinating_unit_ids=units["coordinating"],
            lead_groups=[g.code for g in cells["lead"].groups],
            coordinating_groups=[g.code for g in cells["coordinating"].groups],
            lead_text=row.lead_text,
            coordinating_text=row.coordinating_text,
            product=row.product,
            schedule_text=row.schedule_text,
            note=row.note,
        )
    except ValidationError as exc:
        for problem in exc.errors():
            column = ".".join(str(p) for p in problem["loc"])
            vi, en = validation_messages.messages(problem)
            errors.append(_row_error(row, column, "invalid_value", vi, en))
        return None
    return create if len(errors) == errors_before else None


def _row_error(row: TaskRow, column: str | None, code: str, vi: str, en: str) -> RowError:
    return RowError(row.row_number, column, code, vi, en)


def export_task_table(plan: Plan, tasks: list[Task]) -> bytes:
    header = {
        "code": plan.code,
        "title": plan.title,
        "kind": plan.kind,
        "issued_on": plan.issued_on,
    }
    return write_task_table_xlsx(header, tasks)
