"""Cell values as importers need them: text, multi-line text, yes/no, dates.

A cell comes as the parser gives it (openpyxl: str, int, float, bool, datetime; CSV and DOCX:
str). What cannot be read raises :class:`CellError`, whose ``code`` names why; an importer turns
it into a :class:`~shared.tables.errors.RowError` of its row and column.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from shared.tables.formulas import unguard
from shared.text import clean, fold_words, nfc

_TRUE = frozenset({"co", "x", "1", "yes", "y", "true", "dung", "c"})
_FALSE = frozenset({"khong", "0", "no", "n", "false", "sai", "k"})
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST = 2958466  # 9999-12-31
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)


class CellError(ValueError):
    """A cell that cannot be read as the column needs; ``code`` names why."""

    def __init__(self, code: str, vi: str, en: str) -> None:
        super().__init__(en)
        self.code = code
        self.vi = vi
        self.en = en


def cell_text(value: Any) -> str | None:
    """A cell as one line of NFC text, trimmed, spaces collapsed; None when empty. Whole
    numbers lose Excel's ``.0``; dates are ISO."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return clean(str(value)) or None


def cell_lines(value: Any) -> str:
    """A cell as NFC text keeping its line breaks (each line right-trimmed), "" when empty; a
    date as dd/mm/yyyy, as officials write it. Undoes the export's formula guard."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, "g")
    text = nfc(str(value)).translate(_INVISIBLE).replace("\xa0", " ")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return unguard("\n".join(line.rstrip() for line in lines).strip())


def cell_bool(value: Any) -> bool | None:
    """Có/Không, x, 1/0, yes/no, true/false (and Excel's booleans); None when empty."""
    if value is None or isinstance(value, bool):
        return value
    text = cell_text(value)
    if text is None:
        return None
    folded = fold_words(text)
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError("invalid_boolean", "Cần ghi Có hoặc Không", "Expected yes or no (Có/Không)")


def cell_date(value: Any) -> date | None:
    """A date cell, an Excel serial number, ``dd/mm/yyyy`` or ISO ``yyyy-mm-dd``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < _EXCEL_LAST:
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = cell_text(value)
    if text is None:
        return None
    try:
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise CellError(
            "invalid_date", "Ngày không hợp lệ (dd/mm/yyyy)", "Invalid date (dd/mm/yyyy)"
        ) from exc
