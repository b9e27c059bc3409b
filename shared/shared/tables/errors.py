"""Errors of table imports: the table as a whole (stable codes), and the one row-error contract.

An import checks every row before it writes any, and answers all the problems at once as one
problem, :class:`ImportRowsInvalid` (422 ``import_rows_invalid``), whose ``errors`` list each
problem in one shape::

    {"row": 5, "column": "Đơn vị", "code": "unknown_unit", "message": "…", "message_en": "…"}

``row`` is the row as the spreadsheet shows it (None: the whole file), ``column`` the header as
the file writes it (None: the whole row), ``message`` in the caller's language (Vietnamese, or
English under ``Accept-Language: en``) and ``message_en`` always in English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shared.errors import Unprocessable

MAX_LISTED_ERRORS = 1_000


class TooManyRows(Unprocessable):
    code = "too_many_rows"
    title_vi = "Tệp có quá nhiều dòng"
    title_en = "Too many rows"

    def __init__(self, max_rows: int) -> None:
        shown = f"{max_rows:,}"
        super().__init__(
            f"Tệp có hơn {shown.replace(',', '.')} dòng dữ liệu",
            f"The file has more than {shown} data rows",
            max_rows=max_rows,
        )


class MissingColumns(Unprocessable):
    code = "missing_columns"
    title_vi = "Thiếu cột bắt buộc"
    title_en = "Required columns are missing"

    def __init__(self, missing: list[str]) -> None:
        names = ", ".join(missing)
        super().__init__(f"Thiếu cột: {names}", f"Missing columns: {names}", missing=missing)


class DuplicateColumns(Unprocessable):
    code = "duplicate_columns"
    title_vi = "Cột bị lặp"
    title_en = "Duplicate columns"

    def __init__(self, column: str) -> None:
        super().__init__(
            f"Cột '{column}' xuất hiện hai lần", f"Column '{column}' appears twice", column=column
        )


@dataclass(frozen=True)
class RowError:
    """One problem of an imported table (see the module's docstring)."""

    row: int | None
    column: str | None
    code: str
    message_vi: str
    message_en: str

    def as_dict(self, english: bool) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message_en if english else self.message_vi,
            "message_en": self.message_en,
        }


class ImportRowsInvalid(Unprocessable):
    """Some rows of an import are invalid: every problem is listed and nothing was written.
    ``report``: the route's own counts (``rows_read``, …), added to the body."""

    code = "import_rows_invalid"
    title_vi = "Tệp có dòng không hợp lệ"
    title_en = "The file has invalid rows"

    def __init__(self, errors: Sequence[RowError], **report: Any) -> None:
        count = len(errors)
        super().__init__(
            f"{count} lỗi trong tệp, chưa có dữ liệu nào được ghi: hãy sửa các lỗi đã liệt kê",
            f"{count} error(s) in the file; nothing was written: fix the rows listed",
            error_count=count,
            **report,
        )
        self.errors = list(errors[:MAX_LISTED_ERRORS])

    def extra_for(self, english: bool) -> dict[str, Any]:
        return {**self.extra, "errors": [error.as_dict(english) for error in self.errors]}
