"""Reading a plan's task table from an uploaded XLSX, CSV or DOCX file.

:func:`read_task_table` checks the file first (:mod:`plans_api.task.table_safety`: size, type,
password, ZIP bomb, DTDs), then turns it into :class:`TaskRow` objects (one per task, with a
dotted ``number``, its ``parent_number`` and its ``kind``) and the :class:`RowError` list of what
is wrong with the table; it writes nothing. Rows are read as a stream (openpyxl in read-only mode)
and reading stops at the first row past :data:`MAX_ROWS` (``too_many_rows``), so memory stays
bounded.

The table: its header row (or two rows, when a header cell spans two columns) is found among the
first rows by its words, Vietnamese or English, with accents and case ignored (``STT``/``TT``,
``Nội dung``/``Nhiệm vụ``, ``Đơn vị chủ trì``, ``Cơ quan phối hợp``, ``Sản phẩm``/``Kết quả``,
``Thời gian``/``Thời hạn``, ``Ghi chú``; a ``Mục tiêu``/``Nhóm nhiệm vụ`` column names each row's
objective; an unnamed column left of the content is the number). Numbering: ``I``, ``II`` are
objectives; ``1``, ``1.1``, ``2.3`` tasks (under the current objective, if any); ``a)`` and ``-``
(or no number) activities under the task above. A row whose number and content cells are empty
but whose other cells are not continues the row above. In DOCX tables the layout grid is read, so
a cell spanning several rows (an objective) gives each row its value and a cell spanning several
columns counts once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from plans_api.tabular import TooManyRows
from shared.errors import AppError
from shared.text import fold_words
from shared.uploads import (
    CSV,
    DOCX,
    XLSX,
    FileEmpty,
    FileEncoding,
    FileEncrypted,
    FileTooLarge,
    FileTooLargeUncompressed,
    FileTypeError,
    FileTypeMismatch,
    FileUnreadable,
    UploadLimits,
    check_upload,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "Column",
    "FileEmpty",
    "FileEncoding",
    "FileEncrypted",
    "FileTooLarge",
    "FileTooLargeUncompressed",
    "FileTypeError",
    "FileTypeMismatch",
    "FileUnreadable",
    "RowError",
    "TaskKind",
    "TaskRow",
    "TaskTable",
    "TooManyRows",
    "read_task_table",
    "to_roman",
]

TABLE_KINDS = (XLSX, CSV, DOCX)
MAX_FILE_BYTES = UploadLimits().max_bytes
MAX_ROWS = 10_000
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 20
MAX_BLANK_RUN = 1_000  # this many empty rows in a row end the table


# ---------------------------------------------------------------- the result


class TaskKind(StrEnum):
    OBJECTIVE = "objective"
    TASK = "task"
    ACTIVITY = "activity"


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


@dataclass(frozen=True)
class RowError:
    """``row`` None: the whole file; ``column`` None: the whole row."""

    row: int | None
    column: str | None
    message: str
    code: str = "invalid_row"
    message_en: str | None = None


@dataclass
class TaskTable:
    rows: list[TaskRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheet: str | None = None  # the worksheet (XLSX) or "table N" (DOCX) the rows came from


# ---------------------------------------------------------------- public entry point


def read_task_table(data: bytes, filename: str) -> TaskTable:
    """The task rows and row errors of an uploaded file; raises the file errors of
    :mod:`shared.uploads` (``file_too_large``, ``file_type_mismatch``, …)."""
    kind = check_upload(data, filename, TABLE_KINDS)
    if kind is CSV:
        return _read_csv(data.decode("utf-8-sig"))  # checked to be UTF-8
    if kind is XLSX:
        return _read_xlsx(data)
    return _read_docx(data)


# ---------------------------------------------------------------- raw rows of each source


@dataclass(slots=True)
class _RawRow:
    """A row of the source. ``spread``: the cell repeats the one on its left (a horizontal
    merge); ``continued``: it repeats the one above (a vertical merge)."""

    index: int
    texts: list[str]
    spread: list[bool] | None = None
    continued: list[bool] | None = None

    def is_spread(self, column: int) -> bool:
        return bool(self.spread and self.spread[column])

    def is_continued(self, column: int) -> bool:
        return bool(self.continued and self.continued[column])

    def text(self, column: int | None) -> str:
        if column is None or column >= len(self.texts) or self.is_spread(column):
            return ""
        return self.texts[column]


_ESCAPED = re.compile(r"^'(?=[=+\-@\t\r])")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


def _clean(value: Any) -> str:
    """A cell's value as NFC text with normalised line breaks (a date as dd/mm/yyyy)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, "g")
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE).replace("\xa0", " ")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    return _ESCAPED.sub("", text)  # undo the export's guard against formulas


def _csv_rows(text: str, delimiter: str) -> Iterator[_RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, cells in enumerate(reader, start=1):
            yield _RawRow(index, [_clean(c) for c in cells[:MAX_COLUMNS]])
    except csv.Error as error:
        raise FileUnreadable(f"Tệp CSV lỗi: {error}", f"Malformed CSV: {error}") from None


def _xlsx_rows(sheet: Any) -> Iterator[_RawRow]:
    sheet.reset_dimensions()  # a forged <dimension> must not pad every row to 16384 cells
    index = 0
    for cells in sheet.iter_rows(max_col=MAX_COLUMNS):
        first = next((c for c in cells if getattr(c, "row", None)), None)
        index = first.row if first is not None else index + 1
        yield _RawRow(index, [_clean(c.value) for c in cells])


def _docx_rows(table: Any) -> Iterator[_RawRow]:
    """The table's layout grid: a spanned cell is repeated, with its spread/continued flags."""
    from docx.oxml.ns import qn

    above: list[Any] = []
    texts_above: list[str] = []
    for index, tr in enumerate(table._tbl.tr_lst, start=1):
        tcs: list[Any] = [None] * tr.grid_before
        for tc in tr.tc_lst:
            tcs.extend([tc] * tc.grid_span)
        tcs = tcs[:MAX_COLUMNS]
        texts, spread, continued = [], [], []
        for column, tc in enumerate(tcs):
            is_continued = tc is not None and tc.vMerge == "continue" and column < len(above)
            if is_continued:
                tcs[column] = above[column]
                texts.append(texts_above[column])
            else:
                texts.append(_tc_text(tc, qn))
            continued.append(is_continued)
            spread.append(column > 0 and tcs[column] is not None and tcs[column] is tcs[column - 1])
        above, texts_above = tcs, texts
        yield _RawRow(index, texts, spread, continued)


def _tc_text(tc: Any, qn: Any) -> str:
    if tc is None:
        return ""
    return _clean("\n".join(p.text for p in tc.iterchildren(qn("w:p"))))


# ---------------------------------------------------------------- sources


def _read_csv(text: str) -> TaskTable:
    first = None
    for delimiter in (",", ";", "\t"):
        table = _read_rows(_csv_rows(text, delimiter))
        if table is not None and not _missing_columns(table):
            return table
        first = first or table
    return first or _no_table()


def _read_xlsx(data: bytes) -> TaskTable:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken package
        raise FileUnreadable("Không đọc được tệp Excel", "The workbook cannot be read") from None
    try:
        return _first_table(
            (sheet.title, _xlsx_rows(sheet)) for sheet in workbook.worksheets if _is_cells(sheet)
        )
    except AppError:
        raise
    except Exception:
        raise FileUnreadable("Không đọc được tệp Excel", "The workbook cannot be read") from None
    finally:
        workbook.close()


def _is_cells(sheet: Any) -> bool:
    return hasattr(sheet, "iter_rows")  # chartsheets have no cells


def _read_docx(data: bytes) -> TaskTable:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
        tables = list(document.tables)
    except Exception:  # python-docx and lxml raise many kinds on a broken package
        raise FileUnreadable("Không đọc được tệp Word", "The document cannot be read") from None
    return _first_table((f"table {n}", _docx_rows(t)) for n, t in enumerate(tables, start=1))


def _first_table(sources: Iterable[tuple[str, Iterator[_RawRow]]]) -> TaskTable:
    """The first sheet or table with a task-table header (or the first with a partial one)."""
    partial = None
    for name, rows in sources:
        table = _read_rows(rows)
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
                "Không tìm thấy bảng nhiệm vụ (cần dòng tiêu đề có cột STT và Nội dung)",
                "table_not_found",
                "No task table found (a header row with number and title columns is needed)",
            )
        ]
    )


def _missing_columns(table: TaskTable) -> bool:
    return any(error.code == "missing_column" for error in table.errors)


# ---------------------------------------------------------------- header


class Column(StrEnum):
    NUMBER = "number"
    TITLE = "title"
    LEAD = "lead"
    COORDINATING = "coordinating"
    PRODUCT = "product"
    SCHEDULE = "schedule"
    NOTE = "note"
    OBJECTIVE = "objective"


COLUMN_LABELS = {  # the words of the exported header, used in messages too
    Column.NUMBER: "STT",
    Column.TITLE: "Nội dung",
    Column.LEAD: "Cơ quan chủ trì",
    Column.COORDINATING: "Cơ quan phối hợp",
    Column.PRODUCT: "Sản phẩm",
    Column.SCHEDULE: "Thời gian thực hiện",
    Column.NOTE: "Ghi chú",
    Column.OBJECTIVE: "Mục tiêu",
}

# Tried in order on the folded header text; the first pattern found decides the column.
_HEADER_WORDS: tuple[tuple[Column, re.Pattern[str]], ...] = tuple(
    (column, re.compile(pattern))
    for column, pattern in (
        (Column.NUMBER, r"^(?:stt|tt|so tt|so thu tu|thu tu|no|number|item)$"),
        (Column.NOTE, r"\bghi chu\b|\bnotes?\b|\bremarks?\b"),
        (Column.LEAD, r"\bchu tri\b|\blead\b|\bresponsible\b"),
        (Column.COORDINATING, r"\bphoi hop\b|\bcoordinat"),
        (Column.SCHEDULE, r"\bthoi gian\b|\bthoi han\b|\btien do\b|\bdeadline\b|\btime\b|\bdue\b"),
        (Column.OBJECTIVE, r"\bmuc tieu\b|\bnhom nhiem vu\b|\bobjective\b|\bgoal\b"),
        (
            Column.PRODUCT,
            r"\bsan pham\b|\bket qua\b|^(?:cac )?hoat dong\b|\bproducts?\b|\boutputs?\b",
        ),
        (Column.TITLE, r"\bnoi dung\b|\bnhiem vu\b|\bcong viec\b|\btasks?\b|\btitle\b|\bcontent"),
    )
)
_REQUIRED = (Column.NUMBER, Column.TITLE)


def _column_of(header: str) -> Column | None:
    folded = fold_words(header)
    if not folded:
        return None
    for column, pattern in _HEADER_WORDS:
        if pattern.search(folded):
            return column
    return None


def _map_header(texts: list[str]) -> dict[Column, int]:
    mapping: dict[Column, int] = {}
    for index, text in enumerate(texts):
        column = _column_of(text)
        if column is not None and column not in mapping:
            mapping[column] = index
    title = mapping.get(Column.TITLE)
    if Column.NUMBER not in mapping and title and not texts[title - 1].strip():
        mapping[Column.NUMBER] = title - 1  # an unnamed first column left of the title
    return mapping


def _merged_header(top: _RawRow, below: _RawRow) -> list[str]:
    """Two header rows as one: a top cell spanning columns lends its words to each of them."""
    width = max(len(top.texts), len(below.texts))
    words, carried = [], ""
    for column in range(width):
        upper = top.texts[column] if column < len(top.texts) else ""
        if top.is_spread(column) or (not upper and carried and below.text(column)):
            upper = carried
        carried = upper
        lower = below.text(column) if not below.is_continued(column) else ""
        words.append(f"{upper} {lower}".strip())
    return words


@dataclass
class _Header:
    mapping: dict[Column, int]
    last_row: int  # index of the header's last row in the source


def _find_header(rows: Iterator[_RawRow]) -> tuple[_Header | None, list[_RawRow]]:
    """The header among the first rows, and the rows read past it (to be processed as data)."""
    seen: list[_RawRow] = []
    for row in rows:
        seen.append(row)
        if len(seen) > HEADER_SEARCH_ROWS + 1:
            break
    for position, row in enumerate(seen[:HEADER_SEARCH_ROWS]):
        single = _map_header(row.texts)
        if len(single) < 2:
            continue
        header, used = _Header(single, row.index), 1
        if position + 1 < len(seen):
            below = seen[position + 1]
            double = _map_header(_merged_header(row, below))
            if len(double) > len(single) and _looks_like_header(below, single):
                header, used = _Header(double, below.index), 2
        return header, seen[position + used :]
    return None, []


def _looks_like_header(row: _RawRow, mapping: dict[Column, int]) -> bool:
    number = mapping.get(Column.NUMBER)
    if number is not None and _mark(row.text(number)).kind in ("arabic", "roman", "letter"):
        return False
    return any(_column_of(text) for text in row.texts if text)


# ---------------------------------------------------------------- numbering marks


@dataclass(frozen=True)
class _Mark:
    kind: str  # roman, arabic, letter, bullet, none, bad
    parts: tuple[int, ...] = ()
    text: str = ""


_ROMAN = re.compile(r"^(?=[IVXL])(L?X{0,3})(IX|IV|V?I{0,3})$")
_ARABIC = re.compile(r"^\d{1,5}(?:\.\d{1,4})*$")
_LETTER = re.compile(r"^([a-zđ])\s*[).]$")
_BULLET = re.compile(r"^[-+•·*–—]+$")
_LETTERS = "abcdđeghiklmnopqrstuvxy"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
# A mark written at the start of the content cell: "I. CẢI CÁCH THỂ CHẾ", "a) Rà soát", "- Tổ chức".
_LEADING_MARK = re.compile(
    r"^(?:([IVXL]+)\.\s+|([a-zđ])\)\s+|(\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.)\s+|[-+•–]\s*)"
)


def _roman_value(text: str) -> int:
    values = [_ROMAN_VALUES[c] for c in text]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def to_roman(value: int) -> str:
    """1 → I, 14 → XIV (objectives are numbered so in the tables officials write)."""
    numerals = ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


def _mark(text: str) -> _Mark:
    raw = text.strip()
    if not raw:
        return _Mark("none")
    if _BULLET.match(raw):
        return _Mark("bullet", text=raw)
    letter = _LETTER.match(raw)
    if letter:
        return _Mark("letter", (_LETTERS.index(letter.group(1)) + 1,), raw)
    core = raw.rstrip(" .):")
    if _ROMAN.match(core):
        return _Mark("roman", (_roman_value(core),), raw)
    if _ARABIC.match(core):
        return _Mark("arabic", tuple(int(p) for p in core.split(".")), raw)
    return _Mark("bad", text=raw)


def _mark_in_title(title: str) -> _Mark:
    """The mark a content cell starts with when the number cell is empty ("- Tổ chức ...")."""
    found = _LEADING_MARK.match(title)
    if found is None:
        return _Mark("none")
    roman, letter, digits = found.groups()
    text = found.group(0).strip()
    if roman:
        return (
            _Mark("roman", (_roman_value(roman),), text) if _ROMAN.match(roman) else _Mark("none")
        )
    if letter:
        return _Mark("letter", (_LETTERS.index(letter) + 1,), text)
    if digits:
        return _Mark("arabic", tuple(int(p) for p in digits.rstrip(".").split(".")), text)
    return _Mark("bullet", text=text)


class _Numbering:
    """Turns marks into dotted numbers: objectives 1, 2; tasks 1.1 (or 1 without objectives);
    letters and bullets under the row above them."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}  # number -> row index
        self.objective: str | None = None
        self.task: str | None = None  # the last row numbered with digits or a letter's parent
        self.container: str | None = None  # what a bullet row goes under
        self.last_child: dict[str | None, int] = {}
        self.short_tasks: set[str] = set()  # tasks numbered 1, 2 under an objective

    def place(self, mark: _Mark) -> tuple[str, str | None] | _RowProblem:
        if mark.kind == "roman":
            return self._taken(str(mark.parts[0]), None, objective=True)
        if mark.kind == "arabic":
            return self._arabic(mark.parts)
        parent = self.task if mark.kind == "letter" else self.container
        if parent is None:
            parent = self.objective
        if parent is None:
            return _RowProblem(
                "Không xác định được nhiệm vụ cấp trên của dòng này (thiếu số thứ tự)",
                "The row has no number and no task above it to belong to",
                "unplaced_row",
            )
        ordinal = mark.parts[0] if mark.kind == "letter" else self.last_child.get(parent, 0) + 1
        return self._taken(f"{parent}.{ordinal}", parent, letter=mark.kind == "letter")

    def _arabic(self, parts: tuple[int, ...]) -> tuple[str, str | None] | _RowProblem:
        relative = ".".join(map(str, parts))
        number = relative
        if self.objective is not None:
            # "2.1" under objective II is absolute, unless the objective's tasks are numbered
            # 1, 2, 3 on their own: then it is activity 1 of task 2 ("2.2.1").
            own = len(parts) > 1 and f"{self.objective}.{parts[0]}" in self.short_tasks
            absolute = len(parts) > 1 and str(parts[0]) == self.objective and not own
            number = relative if absolute else f"{self.objective}.{relative}"
        placed = self._taken(number, self._nearest_parent(number), task=True)
        if self.objective is not None and len(parts) == 1 and not isinstance(placed, _RowProblem):
            self.short_tasks.add(number)
        return placed

    def _nearest_parent(self, number: str) -> str | None:
        pieces = number.split(".")
        for cut in range(len(pieces) - 1, 0, -1):
            candidate = ".".join(pieces[:cut])
            if candidate in self.numbers:
                return candidate
        return None

    def _taken(
        self,
        number: str,
        parent: str | None,
        *,
        objective: bool = False,
        task: bool = False,
        letter: bool = False,
    ) -> tuple[str, str | None] | _RowProblem:
        if number in self.numbers:
            return _RowProblem(
                f"Số thứ tự {number} trùng với dòng {self.numbers[number]}",
                f"Number {number} repeats row {self.numbers[number]}",
                "duplicate_number",
            )
        last = int(number.rsplit(".", 1)[-1])
        self.last_child[parent] = max(self.last_child.get(parent, 0), last)
        if objective:
            self.objective, self.task = number, None
        if objective or task or letter:
            self.container = number
        if task:
            self.task = number
        return number, parent

    def claim(self, number: str, row: int) -> None:
        self.numbers[number] = row


@dataclass(frozen=True)
class _RowProblem:
    message: str
    message_en: str
    code: str


# ---------------------------------------------------------------- rows


_FIELDS = {
    Column.LEAD: "lead_text",
    Column.COORDINATING: "coordinating_text",
    Column.PRODUCT: "product",
    Column.SCHEDULE: "schedule_text",
    Column.NOTE: "note",
}


def _is_column_index_row(row: _RawRow) -> bool:
    """A row numbering the columns under the header: "(1) (2) (3)" or "1 2 3"."""
    values = [t for t in row.texts if t]
    if len(values) < 3:
        return False
    return all(re.fullmatch(rf"\(?{n}\)?", v) for n, v in enumerate(values, start=1))


class _TableBuilder:
    def __init__(self, header: _Header) -> None:
        self.columns = header.mapping
        self.table = TaskTable()
        self.numbering = _Numbering()
        self.objective_text: str | None = None
        self.has_objectives = False
        self.data_rows = 0
        self.blank_run = 0

    def feed(self, row: _RawRow) -> bool:
        """Process one row; False once the table has ended."""
        if not any(row.text(c) for c in self.columns.values()):
            self.blank_run += 1
            return self.blank_run < MAX_BLANK_RUN
        self.blank_run = 0
        self.data_rows += 1
        if self.data_rows > MAX_ROWS:
            raise TooManyRows(
                f"Bảng có hơn {MAX_ROWS:,} dòng".replace(",", "."),
                f"The table has more than {MAX_ROWS:,} rows",
            )
        if self.data_rows == 1 and _is_column_index_row(row):
            return True
        self._objective_cell(row)
        self._row(row)
        return True

    def _cell(self, row: _RawRow, column: Column) -> str:
        return row.text(self.columns.get(column))

    def _objective_cell(self, row: _RawRow) -> None:
        text = self._cell(row, Column.OBJECTIVE)
        if not text or text == self.objective_text:
            return
        self.objective_text = text
        self.has_objectives = True
        ordinal = self.numbering.last_child.get(None, 0) + 1
        self._add(row, _Mark("roman", (ordinal,), ""), text, {})

    def _row(self, row: _RawRow) -> None:
        number_text, title = self._cell(row, Column.NUMBER), self._cell(row, Column.TITLE)
        number_column = self.columns[Column.NUMBER]
        title_column = self.columns[Column.TITLE]
        if row.is_continued(number_column):  # a number spanning rows: they belong to it
            number_text = ""
            title = "" if row.is_continued(title_column) else title
        fields = {name: self._cell(row, column) for column, name in _FIELDS.items()}
        mark = _mark(number_text)
        if mark.kind == "bad" and _column_of(number_text) is Column.NUMBER:
            return  # the header again (repeated on a later page)
        if mark.kind == "bad" and not title:
            mark, title = self._split_mark(number_text)
        if mark.kind == "none" and title:
            mark = _mark_in_title(title)
            if mark.kind in ("roman", "arabic", "letter"):
                title = title[len(mark.text) :].strip() or title
            elif mark.kind == "none":
                mark = _Mark("bullet", text="")
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

    def _split_mark(self, text: str) -> tuple[_Mark, str]:
        """ "I. CẢI CÁCH THỂ CHẾ" spread over the number and content cells."""
        mark = _mark_in_title(text)
        if mark.kind in ("roman", "arabic", "letter"):
            return mark, text[len(mark.text) :].strip()
        return _Mark("bad", text=text), ""

    def _add(self, row: _RawRow, mark: _Mark, title: str, fields: dict[str, str]) -> None:
        placed = self.numbering.place(mark)
        if isinstance(placed, _RowProblem):
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
                kind=TaskKind.TASK,  # set once the whole tree is known
                title=title,
                label=mark.text or (to_roman(mark.parts[0]) if mark.kind == "roman" else ""),
                **{name: value or None for name, value in fields.items()},
            )
        )

    def _continue(self, row: _RawRow, fields: dict[str, str]) -> None:
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

    def _error(self, row: _RawRow, column: Column, text: _RowProblem) -> None:
        self.table.errors.append(
            RowError(row.index, COLUMN_LABELS[column], text.message, text.code, text.message_en)
        )

    def finish(self) -> TaskTable:
        depth: dict[str, int] = {}
        kinds = (
            (TaskKind.OBJECTIVE, TaskKind.TASK)
            if self.has_objectives
            else (TaskKind.TASK, TaskKind.ACTIVITY)
        )
        rows = []
        for row in self.table.rows:
            level = 0 if row.parent_number is None else depth[row.parent_number] + 1
            depth[row.number] = level
            rows.append(replace(row, kind=kinds[level] if level < 2 else TaskKind.ACTIVITY))
        self.table.rows = rows
        if not rows and not self.table.errors:
            self.table.errors.append(
                RowError(None, None, "Bảng không có dòng nhiệm vụ nào", "no_rows", "No task rows")
            )
        return self.table


_NO_TITLE = _RowProblem("Dòng không có nội dung nhiệm vụ", "The row has no title", "missing_title")


def _bad_number(text: str) -> _RowProblem:
    return _RowProblem(
        f"Không hiểu số thứ tự “{text[:40]}”",
        f"Number “{text[:40]}” is not understood",
        "invalid_number",
    )


def _read_rows(rows: Iterator[_RawRow]) -> TaskTable | None:
    """The task table of one source, or None when it has no header at all."""
    header, pending = _find_header(rows)
    if header is None:
        return None
    missing = [c for c in _REQUIRED if c not in header.mapping]
    if missing:
        return TaskTable(errors=[_missing(column, header.last_row) for column in missing])
    builder = _TableBuilder(header)
    for row in _chain(pending, rows):
        if not builder.feed(row):
            break
    return builder.finish()


def _chain(first: list[_RawRow], rest: Iterator[_RawRow]) -> Iterator[_RawRow]:
    yield from first
    yield from rest


def _missing(column: Column, row: int) -> RowError:
    label = COLUMN_LABELS[column]
    return RowError(
        row,
        label,
        f"Thiếu cột “{label}” trong dòng tiêu đề",
        "missing_column",
        f"The header has no “{label}” column",
    )
