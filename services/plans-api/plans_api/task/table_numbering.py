"""Numbering marks of a task table and the dotted numbers they give.

``I``, ``II`` are objectives; ``1``, ``1.1``, ``2.3`` tasks (under the current objective, if
any); ``a)`` and ``-`` (or no number) activities under the task above. A mark may also start the
content cell (``I. CẢI CÁCH THỂ CHẾ``, ``a) Rà soát``, ``- Tổ chức``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
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


def parse_mark(text: str) -> Mark:
    raw = text.strip()
    if not raw:
        return Mark("none")
    if _BULLET.match(raw):
        return Mark("bullet", text=raw)
    letter = _LETTER.match(raw)
    if letter:
        return Mark("letter", (_LETTERS.index(letter.group(1)) + 1,), raw)
    core = raw.rstrip(" .):")
    if _ROMAN.match(core):
        return Mark("roman", (_roman_value(core),), raw)
    if _ARABIC.match(core):
        return Mark("arabic", tuple(int(p) for p in core.split(".")), raw)
    return Mark("bad", text=raw)


def mark_in_title(title: str) -> Mark:
    """The mark a content cell starts with when the number cell is empty ("- Tổ chức ...")."""
    found = _LEADING_MARK.match(title)
    if found is None:
        return Mark("none")
    roman, letter, digits = found.groups()
    text = found.group(0).strip()
    if roman:
        return Mark("roman", (_roman_value(roman),), text) if _ROMAN.match(roman) else Mark("none")
    if letter:
        return Mark("letter", (_LETTERS.index(letter) + 1,), text)
    if digits:
        return Mark("arabic", tuple(int(p) for p in digits.rstrip(".").split(".")), text)
    return Mark("bullet", text=text)


class Numbering:
    """Turns marks into dotted numbers: objectives 1, 2; tasks 1.1 (or 1 without objectives);
    letters and bullets under the row above them."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}  # number -> row index
        self.objective: str | None = None
        self.task: str | None = None  # the last row numbered with digits or a letter's parent
        self.container: str | None = None  # what a bullet row goes under
        self.last_child: dict[str | None, int] = {}
        self.short_tasks: set[str] = set()  # tasks numbered 1, 2 under an objective

    def place(self, mark: Mark) -> tuple[str, str | None] | RowProblem:
        if mark.kind == "roman":
            return self._taken(str(mark.parts[0]), None, objective=True)
        if mark.kind == "arabic":
            return self._arabic(mark.parts)
        parent = self.task if mark.kind == "letter" else self.container
        if parent is None:
            parent = self.objective
        if parent is None:
            return RowProblem(
                "Không xác định được nhiệm vụ cấp trên của dòng này (thiếu số thứ tự)",
                "The row has no number and no task above it to belong to",
                "unplaced_row",
            )
        ordinal = mark.parts[0] if mark.kind == "letter" else self.last_child.get(parent, 0) + 1
        return self._taken(f"{parent}.{ordinal}", parent, letter=mark.kind == "letter")

    def _arabic(self, parts: tuple[int, ...]) -> tuple[str, str | None] | RowProblem:
        relative = ".".join(map(str, parts))
        number = relative
        if self.objective is not None:
            # "2.1" under objective II is absolute, unless the objective's tasks are numbered
            # 1, 2, 3 on their own: then it is activity 1 of task 2 ("2.2.1").
            own = len(parts) > 1 and f"{self.objective}.{parts[0]}" in self.short_tasks
            absolute = len(parts) > 1 and str(parts[0]) == self.objective and not own
            number = relative if absolute else f"{self.objective}.{relative}"
        placed = self._taken(number, self._nearest_parent(number), task=True)
        if self.objective is not None and len(parts) == 1 and not isinstance(placed, RowProblem):
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
    ) -> tuple[str, str | None] | RowProblem:
        if number in self.numbers:
            return RowProblem(
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
class RowProblem:
    message: str
    message_en: str
    code: str
