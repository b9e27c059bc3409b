"""Task rows from the rows of a table: numbering, continuation rows, per-row errors.

A row whose number and content cells are empty but whose other cells are not continues the row
above. Every problem is a :class:`~shared.tables.errors.RowError` of the table; nothing stops
the reading but the row limit (``too_many_rows``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

from plans_api.task.schemas import TaskKind
from plans_api.task.table_header import (
    COLUMN_LABELS,
    REQUIRED,
    Column,
    Header,
    column_of,
    find_header,
)
from plans_api.task.table_numbering import (
    Mark,
    Numbering,
    RowProblem,
    mark_in_title,
    parse_mark,
    to_roman,
)
from shared.tables.errors import RowError, TooManyRows
from shared.tables.header import is_column_numbering
from shared.tables.sources import Row

MAX_ROWS = 10_000
MAX_BLANK_RUN = 1_000  # this many empty rows in a row end the table


@dataclass(frozen=True)
class TaskRow:
    """One task of the table. ``row_number`` is the row in the file (1-based, header included)."""

    row_number: int
    number: str  # dotted: "2", "2.3", "1.2.1"
    parent_number: str | None
    kind: TaskKind
    title: str
    lead_text: str | None = None
    coordinating_text: str | None = None
    product: str | None = None
    schedule_text: str | None = None
    note: str | None = None
    label: str = ""  # the number as printed: "I", "2.3", "a)", "-"


@dataclass
class TaskTable:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheet: str | None = None  # the worksheet (XLSX) or "table N" (DOCX) the rows came from


_FIELDS = {
    Column.LEAD: "lead_text",
    Column.COORDINATING: "coordinating_text",
    Column.PRODUCT: "product",
    Column.SCHEDULE: "schedule_text",
    Column.NOTE: "note",
}


class TableBuilder:
    def __init__(self, header: Header) -> None:
        self.columns = header.mapping
        self.table = TaskTable()
        self.numbering = Numbering()
        self.objective_text: str | None = None
        self.has_objectives = False
        self.data_rows = 0
        self.blank_run = 0

    def feed(self, row: Row) -> bool:
        """Process one row; False once the table has ended."""
        if not any(row.text(c) for c in self.columns.values()):
            self.blank_run += 1
            return self.blank_run < MAX_BLANK_RUN
        self.blank_run = 0
        self.data_rows += 1
        if self.data_rows > MAX_ROWS:
            raise TooManyRows(MAX_ROWS)
        if self.data_rows == 1 and is_column_numbering(row):
            return True
        self._objective_cell(row)
        self._row(row)
        return True

    def _cell(self, row: Row, column: Column) -> str:
        return row.text(self.columns.get(column))

    def _objective_cell(self, row: Row) -> None:
        text = self._cell(row, Column.OBJECTIVE)
        if not text or text == self.objective_text:
            return
        self.objective_text = text
        self.has_objectives = True
        ordinal = self.numbering.last_child.get(None, 0) + 1
        self._add(row, Mark("roman", (ordinal,), ""), text, {})

    def _row(self, row: Row) -> None:
        number_text, title = self._cell(row, Column.NUMBER), self._cell(row, Column.TITLE)
        number_column = self.columns[Column.NUMBER]
        title_column = self.columns[Column.TITLE]
        if row.is_continued(number_column):  # a number spanning rows: they belong to it
            number_text = ""
            title = "" if row.is_continued(title_column) else title
        fields = {name: self._cell(row, column) for column, name in _FIELDS.items()}
        mark = parse_mark(number_text)
        if mark.kind == "bad" and column_of(number_text) is Column.NUMBER:
            return  # the header again (repeated on a later page)
        if mark.kind == "bad" and not title:
            mark, title = self._split_mark(number_text)
        if mark.kind == "none" and title:
            mark = mark_in_title(title)
            if mark.kind in ("roman", "arabic", "letter"):
                title = title[len(mark.text) :].strip() or title
            elif mark.kind == "none":
                mark = Mark("bullet", text="")
        if mark.kind == "none":
            self._continue(row, fields)
            return
        if mark.kind == "bad":
            self._error(row, Column.NUMBER, _bad_number(number_text))
            return
        if not title:
            self._error(row, Column.TITLE, _NO_TITLE)
            return
        self._add(row, mark, title, fields)

    def _split_mark(self, text: str) -> tuple[Mark, str]:
        """ "I. CẢI CÁCH THỂ CHẾ" spread over the number and content cells."""
        mark = mark_in_title(text)
        if mark.kind in ("roman", "arabic", "letter"):
            return mark, text[len(mark.text) :].strip()
        return Mark("bad", text=text), ""

    def _add(self, row: Row, mark: Mark, title: str, fields: dict[str, str]) -> None:
        placed = self.numbering.place(mark)
        if isinstance(placed, RowProblem):
            self._error(row, Column.NUMBER, placed)
            return
        number, parent = placed
        self.numbering.claim(number, row.index)
        self.has_objectives = self.has_objectives or mark.kind == "roman"
        self.table.rows.append(
            TaskRow(
                row_number=row.index,
                number=number,
                parent_number=parent,
                kind="task",  # set once the whole tree is known
                title=title,
                label=mark.text or (to_roman(mark.parts[0]) if mark.kind == "roman" else ""),
                **{name: value or None for name, value in fields.items()},
            )
        )

    def _continue(self, row: Row, fields: dict[str, str]) -> None:
        """A row without number and content adds its cells to the task above."""
        if not self.table.rows:
            self._error(row, Column.TITLE, _NO_TITLE)
            return
        last = self.table.rows[-1]
        changes: dict[str, Any] = {}
        for column, name in _FIELDS.items():
            index = self.columns.get(column)
            value = fields[name]
            if not value or (index is not None and row.is_continued(index)):
                continue
            before = getattr(last, name)
            changes[name] = f"{before}\n{value}" if before else value
        self.table.rows[-1] = replace(last, **changes)

    def _error(self, row: Row, column: Column, text: RowProblem) -> None:
        self.table.errors.append(
            RowError(row.index, COLUMN_LABELS[column], text.code, text.message, text.message_en)
        )

    def finish(self) -> TaskTable:
        depth: dict[str, int] = {}
        kinds: tuple[TaskKind, TaskKind] = (
            ("objective", "task") if self.has_objectives else ("task", "activity")
        )
        rows = []
        for row in self.table.rows:
            level = 0 if row.parent_number is None else depth[row.parent_number] + 1
            depth[row.number] = level
            rows.append(replace(row, kind=kinds[level] if level < 2 else "activity"))
        self.table.rows = rows
        if not rows and not self.table.errors:
            self.table.errors.append(
                RowError(None, None, "no_rows", "Bảng không có dòng nhiệm vụ nào", "No task rows")
            )
        return self.table


_NO_TITLE = RowProblem("Dòng không có nội dung nhiệm vụ", "The row has no title", "missing_title")


def _bad_number(text: str) -> RowProblem:
    return RowProblem(
        f"Không hiểu số thứ tự “{text[:40]}”",
        f"Number “{text[:40]}” is not understood",
        "invalid_number",
    )


def read_rows(rows: Iterator[Row]) -> TaskTable | None:
    """The task table of one source, or None when it has no header at all."""
    header, pending = find_header(rows)
    if header is None:
        return None
    missing = [c for c in REQUIRED if c not in header.mapping]
    if missing:
        return TaskTable(errors=[_missing(column, header.last_row) for column in missing])
    builder = TableBuilder(header)
    for row in chain(pending, rows):
        if not builder.feed(row):
            break
    return builder.finish()


def _missing(column: Column, row: int) -> RowError:
    label = COLUMN_LABELS[column]
    return RowError(
        row,
        label,
        "missing_column",
        f"Thiếu cột “{label}” trong dòng tiêu đề",
        f"The header has no “{label}” column",
    )
