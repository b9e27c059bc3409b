"""Reading a plan's task table from an uploaded XLSX, CSV or DOCX file.

:func:`read_task_table` checks the file first (:func:`shared.uploads.check_upload`: size, type,
password, ZIP bomb, DTDs), reads its rows with the table kit (:mod:`shared.tables.sources`:
streamed, so memory stays bounded; in DOCX tables the layout grid, so a cell spanning several
rows gives each row its value and a cell spanning several columns counts once), and turns the
first sheet or table with a task-table header (:mod:`plans_api.task.table_header`) into
:class:`~plans_api.task.table_rows.TaskRow` objects (:mod:`plans_api.task.table_rows`: one per
task, with a dotted ``number``, its ``parent_number`` and its ``kind``, numbered by
:mod:`plans_api.task.table_numbering`) and the row errors of what is wrong with the table. It
writes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from contextlib import closing

from plans_api.task.table_rows import TaskTable, read_rows
from shared.tables.cells import cell_lines
from shared.tables.errors import RowError
from shared.tables.sources import CSV_DELIMITERS, Row, csv_rows, docx_tables, xlsx_sheets
from shared.uploads import CSV, DOCX, XLSX, UploadLimits, check_upload

TABLE_KINDS = (XLSX, CSV, DOCX)
MAX_FILE_BYTES = UploadLimits().max_bytes
MAX_COLUMNS = 64


def read_task_table(data: bytes, filename: str) -> TaskTable:
    """The task rows and row errors of an uploaded file; raises the file errors of
    :mod:`shared.uploads` (``file_too_large``, ``file_type_mismatch``, …) and ``too_many_rows``."""
    kind = check_upload(data, filename, TABLE_KINDS)
    file = io.BytesIO(data)
    if kind is CSV:
        return _read_csv(file)
    sources = xlsx_sheets if kind is XLSX else docx_tables
    with closing(sources(file, MAX_COLUMNS)) as tables:
        return _first_table((name, _texts(rows)) for name, rows in tables)


def _texts(rows: Iterable[Row]) -> Iterator[Row]:
    """Each cell as text, line breaks kept (a date as dd/mm/yyyy)."""
    for row in rows:
        row.values = [cell_lines(value) for value in row.values]
        yield row


def _read_csv(file: io.BytesIO) -> TaskTable:
    """The first delimiter whose header has the required columns."""
    first = None
    for delimiter in CSV_DELIMITERS:
        file.seek(0)
        with closing(csv_rows(file, MAX_COLUMNS, delimiter)) as rows:
            table = read_rows(_texts(rows))
        if table is not None and not _missing_columns(table):
            return table
        first = first or table
    return first or _no_table()


def _first_table(sources: Iterable[tuple[str, Iterator[Row]]]) -> TaskTable:
    """The first sheet or table with a task-table header (or the first with a partial one)."""
    partial = None
    for name, rows in sources:
        table = read_rows(rows)
        if table is None:
            continue
        table.sheet = name
        if not _missing_columns(table):
            return table
        partial = partial or table
    return partial or _no_table()


def _no_table() -> TaskTable:
    return TaskTable(
        errors=[
            RowError(
                None,
                None,
                "table_not_found",
                "Không tìm thấy bảng nhiệm vụ (cần dòng tiêu đề có cột STT và Nội dung)",
                "No task table found (a header row with number and title columns is needed)",
            )
        ]
    )


def _missing_columns(table: TaskTable) -> bool:
    return any(error.code == "missing_column" for error in table.errors)
