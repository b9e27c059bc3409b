"""What the words of a task's schedule mean.

The time column of a plan's task table ("Thời gian thực hiện", "Thời gian hoàn thành") holds free
Vietnamese text: ``Quý II - IV``, ``Hàng năm (nếu cần thiết)``, ``2023 - 2030``,
``Năm 2023 và các năm tiếp theo``. :func:`parse_schedule` keeps those words and adds their meaning;
:func:`due_dates` turns the meaning into due dates. Words that are not understood are kept, flagged
and never guessed.

Relative words are resolved with the plan's context (:class:`PlanYears`):

- ``Trong năm``, ``Quý I``, ``Tháng 6``, ``6 tháng đầu năm`` and ``Trước 30/6`` name no year and
  mean the *reference year*: the year the plan was issued, or the plan's first year when the plan
  was issued before it (an annual plan issued in December for the next year);
- ``Hàng năm``, ``Hàng quý`` and ``Thường xuyên`` run over the plan's years; ``Năm 2023 và các năm
  tiếp theo`` runs from 2023 to the plan's last year.

A **window** is not a recurrence: ``2022 - 2023``, ``Năm 2023``, ``Quý II - IV``, ``6 tháng đầu
năm`` say *when* a one-off piece of work is done, so they have one due date, the window's end
(31/12/2023, 31/12/2023, 31/12, 30/6), and ``window`` says where it opens and closes. Recurrence
comes only from words that say so: ``Hàng năm``, ``Hàng quý``, ``Định kỳ 6 tháng``, ``Hàng
tháng``, ``Năm 2023 và các năm tiếp theo`` give a due date per period (31/3, 30/6, 30/9, 31/12 for
quarters, 30/6 and 31/12 for halves, the last day of a month, 31/12 for a year), and a continuous
task (``Thường xuyên``) gets a year-end checkpoint per year; none of them falls before the plan's
issue date. Lists are due per item: ``2025, 2030``; ``Quý III, Quý IV``, ``Quý I Quý IV`` (no
separator) and quarters written on separate lines. A date given in words is the due date itself
(``Trước 30/6/2023`` is due on 30/6/2023).

A condition makes a schedule ``conditional`` without flagging it: ``(nếu cần thiết)``, ``khi
cần``, ``nếu có``, ``khi có yêu cầu``, ``khi có …`` (any words after ``khi có``), in brackets or
after the schedule's words; a condition alone (``Khi có yêu cầu``) is ``on_condition``, with no due
date. A conditional task is not due until a person activates it. Any other bracketed remark is
kept in ``detail`` and flagged ``unrecognised_note``. A window whose end is before its start
(``2030 - 2023``, ``Quý IV - II``) is flagged ``reversed_range``. A schedule whose years fall
outside the plan's keeps its meaning and is flagged ``outside_plan_years``.
"""

from __future__ import annotations

import dataclasses
import re
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from shared.text import fold


class ScheduleKind(StrEnum):
    NONE = "none"  # an empty cell
    ONCE = "once"  # one due date: "Tháng 6/2023", "Trước 30/6/2023", "Đến hết năm 2025"
    QUARTERS_IN_YEAR = "quarters_in_year"  # "Quý I", "Quý II - IV", "Quý IV/2023"
    HALVES_IN_YEAR = "halves_in_year"  # "6 tháng đầu năm"
    WITHIN_YEAR = "within_year"  # "Trong năm", "Năm 2023", "2023"
    YEAR_RANGE = "year_range"  # a window: "2023 - 2030", "Từ năm 2022 đến hết năm 2025"
    YEARS_LIST = "years_list"  # "2025, 2030"
    RECURRING = "recurring"  # "Hàng năm", "Hàng quý", "Năm 2023 và các năm tiếp theo"
    CONTINUOUS = "continuous"  # "Thường xuyên"
    ON_CONDITION = "on_condition"  # a condition alone: "Khi có yêu cầu", "Nếu cần thiết"
    UNPARSED = "unparsed"  # kept as text, flagged


class Recurrence(StrEnum):
    ANNUAL = "annual"
    SEMIANNUAL = "semiannual"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    CONTINUOUS = "continuous"


class FlagReason(StrEnum):
    EMPTY = "empty"
    NOT_UNDERSTOOD = "not_understood"
    INVALID_DATE = "invalid_date"  # "31/2/2023", "Tháng 13"
    REVERSED_RANGE = "reversed_range"  # a window ending before it starts: "2030 - 2023"
    OUTSIDE_PLAN_YEARS = "outside_plan_years"
    UNRECOGNISED_NOTE = "unrecognised_note"  # a bracketed remark other than "(nếu cần thiết)"


@dataclass(frozen=True)
class PlanYears:
    """The plan's context: the years it covers, and the year (or day) it was issued: no
    recurring due date falls before ``issued_on``."""

    start_year: int
    end_year: int
    issued_year: int | None = None
    issued_on: date | None = None

    def __post_init__(self) -> None:
        if self.start_year > self.end_year:
            raise ValueError(f"start_year {self.start_year} is after end_year {self.end_year}")
        if self.issued_on is not None and self.issued_year is None:
            object.__setattr__(self, "issued_year", self.issued_on.year)

    @property
    def reference_year(self) -> int:
        """The year of words that name none ("Trong năm", "Quý I")."""
        issued = self.issued_year
        if issued is None or issued < self.start_year:
            return self.start_year
        return issued

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year

    def parse(self, text: str | None) -> ParsedSchedule | None:
        """The meaning of a schedule cell; None for an empty one."""
        if not text or not text.strip():
            return None
        return parse_schedule(
            text, start_year=self.start_year, end_year=self.end_year, issued_year=self.issued_year
        )

    def due_dates(self, text: str | None) -> list[date]:
        parsed = self.parse(text)
        return [] if parsed is None else self.due(parsed)

    def due(self, parsed: ParsedSchedule) -> list[date]:
        """The due dates of ``parsed`` in this plan (recurring ones from its issue day on)."""
        return due_dates(parsed, self.start_year, self.end_year, not_before=self.issued_on)


@dataclass(frozen=True)
class ParsedSchedule:
    """A schedule's original words and their meaning.

    ``years`` are the years the words name (empty: the plan's years, from ``from_year`` when set);
    ``quarters``, ``halves`` and ``months`` say which periods of each year are due, and
    ``quarters_span`` that the quarters are one span (``Quý II - IV``: due at its end, not per
    quarter); ``due_on`` is the date of a ``once`` schedule; ``window_from``..``window_to`` is
    the window of a one-off schedule (a year range, a year, a span of quarters, a half), due at
    ``window_to``. ``conditional``: not due until activated. ``flagged`` asks a person to look:
    ``reason`` says why and ``detail`` holds the words or years concerned.
    """

    text: str
    kind: ScheduleKind
    years: tuple[int, ...] = ()
    from_year: int | None = None
    quarters: tuple[int, ...] = ()
    halves: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    quarters_span: bool = False
    due_on: date | None = None
    window_from: date | None = None
    window_to: date | None = None
    recurrence: Recurrence | None = None
    conditional: bool = False
    flagged: bool = False
    reason: FlagReason | None = None
    detail: str | None = None


class _Invalid(ValueError):
    """Words that have the shape of a schedule but no valid meaning ("31/2/2023")."""

    def __init__(self, reason: FlagReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


# ---------------------------------------------------------------- folding and notes

_PAREN = re.compile(r"\(([^()]*)\)")
# "nếu cần (thiết)", "khi cần", "nếu có", "khi có yêu cầu", "khi có văn bản hướng dẫn" …
_CONDITION = r"(?:neu|khi)\s+(?:thuc\s+su\s+)?(?:can|co)(?:\s+[^()]*)?"
_CONDITION_TAIL = re.compile(rf"\s*[,;-]?\s*(?<![a-z0-9])(?<!\()(?:{_CONDITION})$")


def _split_notes(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """The words to parse, whether they are conditional, and other bracketed remarks."""
    conditional = False
    notes: list[str] = []
    for match in _PAREN.finditer(text):
        inner = " ".join(match.group(1).split())
        if re.fullmatch(_CONDITION, fold(inner)):
            conditional = True
        elif inner:
            notes.append(inner)
    core = _trim(fold(_PAREN.sub(" ", text)))
    if re.fullmatch(_CONDITION, core):
        return "", True, tuple(notes)
    tail = _CONDITION_TAIL.search(core)
    if tail is not None and tail.start() > 0:
        conditional = True
        core = _trim(core[: tail.start()])
    return core, conditional, tuple(notes)


def _trim(words: str) -> str:
    """Without a leading bullet or trailing punctuation (a trailing dash is kept: "2023 -")."""
    return re.sub(r"^[-+*•\s]+", "", words).rstrip(" .;,:")


# ---------------------------------------------------------------- grammar

_Y = r"(?:19|20|21)\d{2}"
_QN = r"(?:iv|iii|ii|i|[1-4])"
# "Quý II - IV", "Quý III, Quý IV", and lists without a separator ("Quý I Quý IV", one per line)
_QUARTER_LIST = rf"quy\s*{_QN}(?:(?:\s*(?:-|,|;|va|den|toi)\s*(?:quy\s*)?|\s*quy\s*){_QN})*"
_YEAR_SUFFIX = rf"(?:\s*(?:/|-|cua\s+nam|nam)\s*(?P<y>{_Y}))?"
_MONTH = r"(?P<m>\d{1,2})"
_BY = r"(?:truoc|cham\s+nhat(?:\s+la|\s+vao)?|han(?:\s+chot)?|hoan\s+thanh\s+truoc|den|trong|vao)"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_RECURRENCE = {
    "nam": Recurrence.ANNUAL,
    "6 thang": Recurrence.SEMIANNUAL,
    "sau thang": Recurrence.SEMIANNUAL,
    "quy": Recurrence.QUARTERLY,
    "thang": Recurrence.MONTHLY,
}

_Handler = Callable[[re.Match[str], PlanYears], ParsedSchedule]


def _year(match: re.Match[str], plan: PlanYears) -> int:
    value = match.group("y")
    return int(value) if value else plan.reference_year


def _valid_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise _Invalid(FlagReason.INVALID_DATE)
    return month


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, _valid_month(month))[1])


def _quarter_list(spec: str) -> tuple[tuple[int, ...], bool]:
    """The quarters, and whether they are one span: ``quy ii - iv`` → ((2, 3, 4), True);
    ``quy iii, quy iv`` and ``quy iii quy iv`` → ((3, 4), False); ``quy i`` → ((1,), True)."""
    quarters: list[int] = []
    ranging = False
    spans = 0
    for numeral, to in re.findall(rf"({_QN})(?![a-z0-9])|(-|den|toi)", spec.replace("quy", " ")):
        if to:
            ranging = True
            spans += 1
            continue
        quarter = _ROMAN[numeral]
        if ranging:
            if quarter <= quarters[-1]:
                raise _Invalid(FlagReason.REVERSED_RANGE)
            quarters.extend(range(quarters[-1] + 1, quarter + 1))
            ranging = False
        else:
            quarters.append(quarter)
    named = len(re.findall(rf"{_QN}(?![a-z0-9])", spec.replace("quy", " ")))
    one_span = named == 1 or (spans == 1 and named == 2)
    return tuple(sorted(set(quarters))), one_span


def _quarter_window(year: int, quarters: tuple[int, ...]) -> tuple[date, date]:
    return date(year, quarters[0] * 3 - 2, 1), quarter_end(year, quarters[-1])


def _year_window(first: int, last: int) -> tuple[date, date]:
    return date(first, 1, 1), date(last, 12, 31)


def _continuous(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    return ParsedSchedule("", ScheduleKind.CONTINUOUS, recurrence=Recurrence.CONTINUOUS)


def _recurring(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    unit = " ".join(match.group("unit").split())
    return ParsedSchedule("", ScheduleKind.RECURRING, recurrence=_RECURRENCE[unit])


def _recurring_within_year(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    if match.group("m"):
        month = _valid_month(int(match.group("m")))
        return ParsedSchedule(
            "", ScheduleKind.RECURRING, months=(month,), recurrence=Recurrence.ANNUAL
        )
    quarters, span = _quarter_list(match.group("q"))
    return ParsedSchedule(
        "",
        ScheduleKind.RECURRING,
        quarters=quarters,
        quarters_span=span and len(quarters) > 1,
        recurrence=Recurrence.ANNUAL,
    )


def _recurring_from(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    year = int(match.group("y"))
    return ParsedSchedule("", ScheduleKind.RECURRING, from_year=year, recurrence=Recurrence.ANNUAL)


def _year_range(first: int, last: int) -> ParsedSchedule:
    if first > last:
        raise _Invalid(FlagReason.REVERSED_RANGE)
    opens, closes = _year_window(first, last)
    return ParsedSchedule(
        "",
        ScheduleKind.YEAR_RANGE,
        years=tuple(range(first, last + 1)),
        window_from=opens,
        window_to=closes,
    )


def _range(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    return _year_range(int(match.group("y1")), int(match.group("y2")))


def _from_now(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    return _year_range(plan.reference_year, int(match.group("y2")))


def _open_range(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    """``Từ năm 2026``: a window from that year to the plan's end."""
    first = int(match.group("y"))
    opens, closes = _year_window(first, max(first, plan.end_year))
    return ParsedSchedule(
        "", ScheduleKind.YEAR_RANGE, from_year=first, window_from=opens, window_to=closes
    )


def _years_list(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    years = sorted({int(y) for y in re.findall(_Y, match.group(0))})
    return ParsedSchedule("", ScheduleKind.YEARS_LIST, years=tuple(years))


def _by_year_end(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    year = _year(match, plan)
    return ParsedSchedule("", ScheduleKind.ONCE, years=(year,), due_on=date(year, 12, 31))


def _within_year(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    year = _year(match, plan)
    opens, closes = _year_window(year, year)
    return ParsedSchedule(
        "", ScheduleKind.WITHIN_YEAR, years=(year,), window_from=opens, window_to=closes
    )


def _quarters(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    quarters, span = _quarter_list(match.group("q"))
    year = _year(match, plan)
    if not span:  # a list: due at the end of each quarter named
        return ParsedSchedule("", ScheduleKind.QUARTERS_IN_YEAR, years=(year,), quarters=quarters)
    opens, closes = _quarter_window(year, quarters)
    return ParsedSchedule(
        "",
        ScheduleKind.QUARTERS_IN_YEAR,
        years=(year,),
        quarters=quarters,
        quarters_span=len(quarters) > 1,
        window_from=opens,
        window_to=closes,
    )


def _halves(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    half, year = (1 if match.group("h") == "dau" else 2), _year(match, plan)
    return ParsedSchedule(
        "",
        ScheduleKind.HALVES_IN_YEAR,
        years=(year,),
        halves=(half,),
        window_from=date(year, 6 * half - 5, 1),
        window_to=_month_end(year, 6 * half),
    )


def _month(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    year, month = _year(match, plan), int(match.group("m"))
    due = _month_end(year, month)
    return ParsedSchedule("", ScheduleKind.ONCE, years=(year,), months=(month,), due_on=due)


def _day(match: re.Match[str], plan: PlanYears) -> ParsedSchedule:
    year, month, day = _year(match, plan), int(match.group("m")), int(match.group("d"))
    try:
        due = date(year, month, day)
    except ValueError:
        raise _Invalid(FlagReason.INVALID_DATE) from None
    return ParsedSchedule("", ScheduleKind.ONCE, years=(year,), due_on=due)


_GRAMMAR: tuple[tuple[re.Pattern[str], _Handler], ...] = tuple(
    (re.compile(pattern), handler)
    for pattern, handler in (
        (
            r"(?:thuong\s+xuyen|lien\s+tuc)"
            r"(?:\s*[,;]?\s*(?:va\s+)?(?:lien\s+tuc|thuong\s+xuyen|hang\s+nam|moi\s+nam))?",
            _continuous,
        ),
        (
            rf"(?:trong\s+|vao\s+)?(?:(?P<q>{_QUARTER_LIST})|thang\s*{_MONTH})"
            r"\s*,?\s*(?:cua\s+)?(?:hang|moi)\s+nam",
            _recurring_within_year,
        ),
        (
            rf"(?:hang|moi)\s+nam\s*,?\s*(?:vao\s+)?(?:trong\s+)?"
            rf"(?:(?P<q>{_QUARTER_LIST})|thang\s*{_MONTH})",
            _recurring_within_year,
        ),
        (
            r"(?:dinh\s+ky\s+)?(?:hang|moi|dinh\s+ky)\s+(?P<unit>nam|quy|thang|(?:6|sau)\s+thang)",
            _recurring,
        ),
        (
            rf"(?:tu\s+|trong\s+)?(?:nam\s+)?(?P<y>{_Y})\s*(?:va|den|,)?\s*(?:cac|nhung)\s+nam\s+"
            r"(?:tiep\s+theo|tiep|sau(?:\s+do)?)",
            _recurring_from,
        ),
        (rf"tu\s+(?:nam\s+)?(?P<y>{_Y})\s+tro\s+(?:di|ve\s+sau)", _recurring_from),
        (rf"tu\s+nay\s+(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?(?P<y2>{_Y})", _from_now),
        (
            rf"(?:(?:giai\s+doan|cac\s+nam|nam|tu\s+nam|tu)\s+)?(?P<y1>{_Y})\s*(?:-|den|toi)\s*"
            rf"(?:het\s+)?(?:nam\s+)?(?P<y2>{_Y})",
            _range,
        ),
        (rf"(?:bat\s+dau\s+)?tu\s+(?:nam\s+)?(?P<y>{_Y})", _open_range),
        (rf"(?:(?:cac\s+)?nam\s+)?{_Y}(?:\s*(?:,|;|va)\s*(?:nam\s+)?{_Y})+", _years_list),
        (
            rf"(?:(?:den|truoc|cham\s+nhat|trong)\s+)?(?:cuoi|het)\s+nam(?:\s+(?P<y>{_Y}))?",
            _by_year_end,
        ),
        (rf"den\s+(?:het\s+)?nam\s+(?P<y>{_Y})", _by_year_end),
        (rf"(?:trong\s+|ca\s+)?(?:nam\s+)?(?P<y>{_Y})", _within_year),
        (r"(?:trong\s+nam(?:\s+nay)?|ca\s+nam|nam\s+nay)(?P<y>)", _within_year),
        (rf"(?:trong\s+|vao\s+)?(?P<q>{_QUARTER_LIST}){_YEAR_SUFFIX}", _quarters),
        (
            rf"(?:trong\s+)?(?:(?:6|sau)\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam(?:\s*/?\s*(?P<y>{_Y}))?",
            _halves,
        ),
        (rf"(?:trong\s+|vao\s+)?thang\s*{_MONTH}{_YEAR_SUFFIX}", _month),
        (rf"{_MONTH}\s*/\s*(?P<y>{_Y})", _month),
        (
            rf"(?:{_BY}\s*:?\s*)?(?:ngay\s+)?(?P<d>\d{{1,2}})\s*(?P<sep>[/.-])\s*{_MONTH}"
            rf"(?:\s*(?P=sep)\s*(?P<y>{_Y}))?",
            _day,
        ),
        (
            rf"(?:{_BY}\s+)?ngay\s+(?P<d>\d{{1,2}})\s+thang\s+{_MONTH}(?:\s+nam\s+(?P<y>{_Y}))?",
            _day,
        ),
    )
)


# ---------------------------------------------------------------- parsing


def _flag(parsed: ParsedSchedule, reason: FlagReason, detail: str | None) -> ParsedSchedule:
    return replace(parsed, flagged=True, reason=reason, detail=detail)


def _unparsed(reason: FlagReason) -> ParsedSchedule:
    return ParsedSchedule("", ScheduleKind.UNPARSED, flagged=True, reason=reason)


def _meaning(words: str, plan: PlanYears) -> ParsedSchedule:
    for pattern, handler in _GRAMMAR:
        match = pattern.fullmatch(words)
        if match is None:
            continue
        try:
            return handler(match, plan)
        except _Invalid as invalid:
            return _unparsed(invalid.reason)
    return _unparsed(FlagReason.NOT_UNDERSTOOD)


def _years_outside(parsed: ParsedSchedule, plan: PlanYears) -> list[int]:
    years = set(parsed.years)
    if parsed.from_year is not None:
        years.add(parsed.from_year)
    return sorted(year for year in years if not plan.covers(year))


def parse_schedule(
    text: str, *, start_year: int, end_year: int, issued_year: int | None = None
) -> ParsedSchedule:
    """The meaning of ``text`` for a plan covering ``start_year``..``end_year``."""
    plan = PlanYears(start_year, end_year, issued_year)
    words, conditional, notes = _split_notes(text)
    if not words and conditional and not notes:
        return ParsedSchedule(text, ScheduleKind.ON_CONDITION, conditional=True)
    if not words:
        reason = FlagReason.UNRECOGNISED_NOTE if notes else FlagReason.EMPTY
        kind = ScheduleKind.UNPARSED if notes else ScheduleKind.NONE
        detail = "; ".join(notes) or None
        return ParsedSchedule(
            text, kind, conditional=conditional, flagged=True, reason=reason, detail=detail
        )
    parsed = replace(_meaning(words, plan), text=text, conditional=conditional)
    if parsed.kind is ScheduleKind.UNPARSED:
        return parsed
    if notes:
        return _flag(parsed, FlagReason.UNRECOGNISED_NOTE, "; ".join(notes))
    outside = _years_outside(parsed, plan)
    if outside:
        return _flag(parsed, FlagReason.OUTSIDE_PLAN_YEARS, ", ".join(map(str, outside)))
    return parsed


# ---------------------------------------------------------------- due dates


def quarter_end(year: int, quarter: int) -> date:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter} is not 1..4")
    return _month_end(year, quarter * 3)


def _periods_in_year(parsed: ParsedSchedule, year: int) -> list[date]:
    if parsed.quarters and parsed.quarters_span:
        return [quarter_end(year, parsed.quarters[-1])]
    if parsed.quarters:
        return [quarter_end(year, q) for q in parsed.quarters]
    if parsed.halves:
        return [_month_end(year, 6 * h) for h in parsed.halves]
    if parsed.months:
        return [_month_end(year, m) for m in parsed.months]
    if parsed.recurrence is Recurrence.QUARTERLY:
        return [quarter_end(year, q) for q in (1, 2, 3, 4)]
    if parsed.recurrence is Recurrence.SEMIANNUAL:
        return [date(year, 6, 30), date(year, 12, 31)]
    if parsed.recurrence is Recurrence.MONTHLY:
        return [_month_end(year, m) for m in range(1, 13)]
    return [date(year, 12, 31)]


_NO_DUE_DATES = (ScheduleKind.NONE, ScheduleKind.UNPARSED, ScheduleKind.ON_CONDITION)


def due_dates(
    parsed: ParsedSchedule, start_year: int, end_year: int, *, not_before: date | None = None
) -> list[date]:
    """Due dates in order: one at the end of a window (``2022 - 2023``, ``Quý II - IV``), one
    per item of a list, one per period of a recurrence (none before ``not_before``, the plan's
    issue day); none for unparsed, empty or condition-only ones.

    Years the words name are kept even outside ``start_year``..``end_year`` (such a schedule is
    flagged); schedules that name no years (``Hàng năm``, ``Thường xuyên``) use the plan's, and
    an open window (``Từ năm 2026``) closes with the plan.
    """
    if start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    if parsed.kind in _NO_DUE_DATES:
        return []
    if parsed.due_on is not None:
        return [parsed.due_on]
    if parsed.kind is ScheduleKind.YEAR_RANGE and not parsed.years and parsed.from_year:
        return [date(max(parsed.from_year, end_year), 12, 31)]
    if parsed.window_to is not None:
        return [parsed.window_to]
    years = parsed.years or range(
        start_year if parsed.from_year is None else parsed.from_year, end_year + 1
    )
    dates = {due for year in years for due in _periods_in_year(parsed, year)}
    if parsed.recurrence is not None and not_before is not None:
        dates = {due for due in dates if due >= not_before}
    return sorted(dates)


def meaning(parsed: ParsedSchedule) -> dict[str, object]:
    """The JSON of a task's ``schedule``: the words and their meaning, the window as
    ``{"from", "to"}``."""
    fields = dataclasses.asdict(parsed)
    opens, closes = fields.pop("window_from"), fields.pop("window_to")
    fields["window"] = None if opens is None else {"from": opens, "to": closes}
    return fields


def recurrence(parsed: ParsedSchedule) -> str | None:
    """The API's ``recurrence``: ``annual``, ``semiannual``, ``quarterly``, ``monthly``,
    ``continuous`` or None for a schedule that does not repeat."""
    return None if parsed.recurrence is None else parsed.recurrence.value
