"""The task table of a demo plan as rows: tasks with their parsed schedule, and the units and
unit groups their lead and coordinating cells name.

Names are matched as a task-table import matches them
(:func:`plans_api.unit.repository.match_unit_names`, within the plan's province, any date); a
name that matches no unit, or several, is an error in the demo data and stops the load. Schedules
are stored as the task service stores them: the parsed meaning (words included), or nothing for
an empty cell.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from plans_api.demo.records import PlanRecord, TaskRecord
from plans_api.plan.models import Plan
from plans_api.task.models import Task, TaskUnit, TaskUnitGroup
from plans_api.task.service import apply_schedule, refresh_progress, sort_key
from plans_api.task.unit_text import UnitCell, parse_unit_cell
from plans_api.unit.names import NameMatches
from plans_api.unit.repository import match_unit_names


class DemoDataError(ValueError):
    """The demo data contradicts itself (a bug in this package, not a user's input)."""


def _cells(record: TaskRecord) -> dict[str, UnitCell]:
    texts = {"lead": record.lead, "coordinating": record.coordinating}
    return {role: parse_unit_cell(text) for role, text in texts.items() if text}


class TaskRows:
    """Inserts the tasks of one plan that are not there yet, with their units and groups."""

    def __init__(self, session: AsyncSession, plan: Plan, record: PlanRecord) -> None:
        self.session, self.plan, self.record = session, plan, record

    async def load(self) -> list[Task]:
        query = select(Task).where(Task.plan_id == self.plan.id)
        tasks = {t.number: t for t in await self.session.scalars(query)}
        missing = [r for r in self.record.tasks if r.number not in tasks]
        cells = {r.number: _cells(r) for r in missing}
        units = await self._match(cells.values())
        for record in missing:  # parents come before their children
            task = self._task(record, tasks)
            self.session.add(task)
            self._units(task, cells[record.number], units)
            tasks[record.number] = task
        return [tasks[r.number] for r in missing]

    async def _match(self, cells: Iterable[dict[str, UnitCell]]) -> NameMatches:
        names = {
            m.normalized for by_role in cells for cell in by_role.values() for m in cell.mentions
        }
        matches = await match_unit_names(self.session, self.plan.province_id, names, None)
        if matches.misses:
            raise DemoDataError(f"{self.record.code}: unmatched unit names {matches.misses}")
        return matches

    def _task(self, record: TaskRecord, tasks: dict[str, Task]) -> Task:
        """A task as the task service writes one (schedule parsed, due dates, progress)."""
        parent_number = record.number.rpartition(".")[0]
        task = Task(
            id=uuid.uuid4(),
            plan_id=self.plan.id,
            parent_id=tasks[parent_number].id if parent_number else None,
            number=record.number,
            sort_key=sort_key(record.number),
            kind="activity" if parent_number else "task",
            title=record.title,
            lead_text=record.lead,
            coordinating_text=record.coordinating,
            product=record.product,
            note=record.note,
            schedule_text=record.schedule,
        )
        apply_schedule(task, self.plan, record.schedule)
        refresh_progress(task)
        return task

    def _units(self, task: Task, cells: dict[str, UnitCell], units: NameMatches) -> None:
        for role, cell in cells.items():
            for unit_id in {units[m.normalized] for m in cell.mentions}:
                self.session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role))
            for group in cell.groups:
                self.session.add(
                    TaskUnitGroup(
                        task_id=task.id, group_code=group.code.value, role=role, text=group.text
                    )
                )
