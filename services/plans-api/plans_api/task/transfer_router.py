"""A plan's task table as a file: import (XLSX, CSV, DOCX) and export (XLSX)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import File, Form, Query, Response, UploadFile
from pydantic import BaseModel, Field

from plans_api.access import caller_reach
from plans_api.imports import ImportSlots
from plans_api.plan.dependencies import VisiblePlan
from plans_api.task import repository as repo
from plans_api.task.repository import TaskFilters
from plans_api.task.table_reader import MAX_FILE_BYTES
from plans_api.task.transfer import export_task_table, import_task_table
from shared.auth.dependencies import Admin, CurrentPrincipal
from shared.clock import ClockDep
from shared.db import DbSession
from shared.errors import problem_responses
from shared.routing import ServiceRouter

router = ServiceRouter(prefix="/api/plans/v1", tags=["tasks"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportResult(BaseModel):
    rows_read: int
    tasks_created: int
    errors: list[dict[str, Any]] = Field(
        default_factory=list, description="{row, column, code, message}: empty when accepted"
    )
    tasks: list[dict[str, Any]] = Field(
        default_factory=list, description="The tasks created (or, with dry_run, to be created)"
    )


@router.post(
    "/plans/{plan_id}/import",
    response_model=ImportResult,
    responses=problem_responses(401, 403, 404, 413, 415, 422),
    summary="Import a plan's task table (XLSX, CSV or DOCX)",
)
async def import_plan_tasks(
    plan_id: UUID,
    session: DbSession,
    _: Admin,
    plan: VisiblePlan,
    slots: ImportSlots,
    file: Annotated[UploadFile, File(description="XLSX, CSV (UTF-8) or DOCX, at most 10 MB")],
    dry_run: Annotated[bool, Form(description="Check and show, write nothing")] = False,
) -> ImportResult:
    """Columns are found by their header words (STT/TT, Nội dung, Cơ quan chủ trì, Cơ quan phối
    hợp, Sản phẩm, Thời gian, Ghi chú). Unit names are matched within the plan's province as of
    its issue date; groups (``Sở, ban, ngành``, ``UBND cấp xã``) are kept as groups. Any invalid
    row gives 422 ``import_rows_invalid`` with every error listed, and nothing is written. Files
    are parsed a few at a time (``PLANS_IMPORTS__MAX_CONCURRENT``); more wait their turn."""
    data = await file.read(MAX_FILE_BYTES + 1)  # one byte over is enough to refuse it
    report = await import_task_table(
        session, plan, data, file.filename or "", dry_run=dry_run, slots=slots
    )
    return ImportResult(
        rows_read=report.rows_read,
        tasks_created=report.tasks_created,
        tasks=report.tasks,
    )


@router.get(
    "/plans/{plan_id}/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **problem_responses(401, 404, 422)},
    summary="A plan's task table as a workbook",
)
async def export_plan_tasks(
    plan_id: UUID,
    session: DbSession,
    principal: CurrentPrincipal,
    clock: ClockDep,
    plan: VisiblePlan,
    format: Annotated[str, Query(pattern="^xlsx$", description="Only xlsx for now")] = "xlsx",
) -> Response:
    """The layout officials use (STT, Nội dung, Cơ quan chủ trì, Cơ quan phối hợp, Sản phẩm,
    Thời gian thực hiện, Ghi chú). A unit officer gets the tasks of their subtree only."""
    reach = await caller_reach(session, principal, clock.today())
    tasks = await repo.list_tasks(session, TaskFilters(plan_id=plan.id), reach)
    body = export_task_table(plan, tasks)
    filename = f"nhiem-vu-{plan.id}.xlsx"
    return Response(
        body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
