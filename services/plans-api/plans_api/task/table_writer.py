"""Writing a plan's task table as the workbook officials use (the appendix of a plan).

Title rows with the plan's title and number, the header ``STT | Nội dung | Cơ quan chủ trì | Cơ
quan phối hợp | Sản phẩm | Thời gian thực hiện | Ghi chú``, objectives in bold across the table
and numbered ``I``, ``II``, wrapped text, a frozen header repeated on every printed page, A4
landscape fitted to the page width.

Cell text that a spreadsheet could take for a formula is written as a string cell guarded by
:func:`shared.tables.formulas.safe_text` (a leading apostrophe), which
:func:`plans_api.task.table_reader.read_task_table` removes again, so an exported table imports
back unchanged.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from plans_api.task.table_header import COLUMN_LABELS, Column
from plans_api.task.table_numbering import to_roman
from shared.tables.formulas import safe_text


class ExportRow(Protocol):
    """What a row needs: a :class:`~plans_api.task.table_rows.TaskRow` or a ``Task``."""

    @property
    def number(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def lead_text(self) -> str | None: ...
    @property
    def coordinating_text(self) -> str | None: ...
    @property
    def product(self) -> str | None: ...
    @property
    def schedule_text(self) -> str | None: ...
    @property
    def note(self) -> str | None: ...


COLUMNS = (
    Column.NUMBER,
    Column.TITLE,
    Column.LEAD,
    Column.COORDINATING,
    Column.PRODUCT,
    Column.SCHEDULE,
    Column.NOTE,
)
WIDTHS = (7, 55, 24, 30, 34, 18, 18)
HEADER_ROW = 5
_FIELDS = ("title", "lead_text", "coordinating_text", "product", "schedule_text", "note")
_KIND_WORDS = {
    "ke_hoach": "Kế hoạch",
    "de_an": "Đề án",
    "quyet_dinh": "Quyết định",
    "chuong_trinh": "Chương trình",
}

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_FONT = "Times New Roman"
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_OBJECTIVE_FILL = PatternFill("solid", fgColor="F2F2F2")


def write_task_table_xlsx(
    plan_header: Mapping[str, Any], rows: Iterable[ExportRow | Mapping[str, Any]]
) -> bytes:
    """The workbook's bytes. ``plan_header``: ``title``, and optionally ``code``, ``kind``
    (``ke_hoach`` …), ``issued_on`` (a date or ISO text) and ``issuer`` (the issuing body's
    name); ``rows`` in any order (they are sorted by number)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Nhiệm vụ"
    _title_rows(sheet, plan_header)
    _header(sheet)
    _body(sheet, sorted((_row(r) for r in rows), key=lambda r: _sort_key(r["number"])))
    _page_setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- rows


def _row(row: ExportRow | Mapping[str, Any]) -> dict[str, Any]:
    names = ("number", "kind", *_FIELDS)
    if isinstance(row, Mapping):
        return {name: row.get(name) for name in names}
    return {name: getattr(row, name, None) for name in names}


def _sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in str(number).split("."))


def _shown_number(row: dict[str, Any], objectives: set[str]) -> str:
    """``I`` for an objective; below one, the number without the objective's part."""
    number = str(row["number"])
    head, _, rest = number.partition(".")
    if row["kind"] == "objective":
        last = number.rsplit(".", 1)[-1]
        return to_roman(int(last)) if last.isdigit() else number
    return rest if head in objectives and rest else number


# ---------------------------------------------------------------- layout


def _merged_line(sheet: Worksheet, row: int, text: str, font: Font, height: float) -> None:
    last = get_column_letter(len(COLUMNS))
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row=row, column=1, value=safe_text(text))
    cell.font, cell.alignment = font, _CENTER
    sheet.row_dimensions[row].height = height


def _title_rows(sheet: Worksheet, header: Mapping[str, Any]) -> None:
    kind = _KIND_WORDS.get(str(header.get("kind") or ""), "Kế hoạch")
    title = str(header.get("title") or "")
    _merged_line(sheet, 1, "PHỤ LỤC", Font(name=_FONT, bold=True, size=13), 20)
    named = title.upper().startswith(kind.upper())  # "Kế hoạch CCHC năm 2024"
    heading = f"NHIỆM VỤ THỰC HIỆN {'' if named else kind.upper() + ' '}{title.upper()}".strip()
    _merged_line(sheet, 2, heading, Font(name=_FONT, bold=True, size=13), 36)
    _merged_line(sheet, 3, _attachment(kind, header), Font(name=_FONT, italic=True, size=12), 20)


def _attachment(kind: str, header: Mapping[str, Any]) -> str:
    """ "(Kèm theo Kế hoạch số 57/KH-UBND ngày 17 tháng 3 năm 2023 của …)"."""
    words = [f"Kèm theo {kind}"]
    if header.get("code"):
        words.append(f"số {header['code']}")
    issued = header.get("issued_on")
    if isinstance(issued, str) and issued:
        issued = date.fromisoformat(issued[:10])
    if isinstance(issued, date):
        words.append(f"ngày {issued.day} tháng {issued.month} năm {issued.year}")
    if header.get("issuer"):
        words.append(f"của {header['issuer']}")
    return f"({' '.join(words)})"


def _header(sheet: Worksheet) -> None:
    for index, (column, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=COLUMN_LABELS[column])
        cell.font = Font(name=_FONT, bold=True, size=12)
        cell.alignment, cell.border, cell.fill = _CENTER, _BORDER, _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"


def _body(sheet: Worksheet, rows: list[dict[str, Any]]) -> None:
    objectives = {str(r["number"]) for r in rows if r["kind"] == "objective"}
    plain, bold = Font(name=_FONT, size=12), Font(name=_FONT, size=12, bold=True)
    for offset, row in enumerate(rows, start=1):
        line = HEADER_ROW + offset
        values = [_shown_number(row, objectives), *(row[name] for name in _FIELDS)]
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=line, column=index)
            text = safe_text(str(value)) if value not in (None, "") else None
            cell.value = text
            if text is not None:
                cell.data_type = "s"
            cell.font, cell.alignment, cell.border = plain, _WRAP, _BORDER
        sheet.cell(row=line, column=1).alignment = Alignment(vertical="top", horizontal="center")
        if row["kind"] == "objective":
            _objective_line(sheet, line, bold, merge=not any(values[2:]))
        elif row["kind"] == "activity":
            sheet.cell(row=line, column=2).alignment = Alignment(
                wrap_text=True, vertical="top", indent=1
            )


def _objective_line(sheet: Worksheet, line: int, font: Font, *, merge: bool) -> None:
    """An objective: bold, its title across the rest of the row (when nothing else is in it)."""
    if merge:
        sheet.merge_cells(f"B{line}:{get_column_letter(len(COLUMNS))}{line}")
    for index in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row=line, column=index)
        cell.font, cell.fill, cell.border = font, _OBJECTIVE_FILL, _BORDER


def _page_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.print_options.horizontalCentered = True
