"""Schedules of task tables: the seeds' own cells first, then every other shape we understand,
then what we refuse to guess."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from plans_api.demo.seeds import PLANS
from plans_api.task.schedule import (
    FlagReason,
    ParsedSchedule,
    PlanYears,
    Recurrence,
    ScheduleKind,
    due_dates,
    meaning,
    parse_schedule,
    quarter_end,
    recurrence,
)


@dataclass(frozen=True)
class Plan:
    start_year: int
    end_year: int
    issued_year: int

    def parse(self, text: str) -> ParsedSchedule:
        return parse_schedule(
            text, start_year=self.start_year, end_year=self.end_year, issued_year=self.issued_year
        )

    def due(self, text: str) -> list[date]:
        return due_dates(self.parse(text), self.start_year, self.end_year)


CAN_THO_57 = Plan(2023, 2030, 2023)  # 000: Kế hoạch 57/KH-UBND, 17/3/2023, 2023–2030
SOC_TRANG_04 = Plan(2022, 2030, 2022)  # 003: Đề án 04/ĐA-UBND, 30/12/2022, 2022–2030
HCMC_2709 = Plan(2022, 2025, 2022)  # 004: Đề án 2709/QĐ-UBND, 10/8/2022, 2022–2025
PLAN = CAN_THO_57
SEED_FACTS = Path(__file__).parents[1] / "demo" / "seed_facts.toml"


def year_ends(first: int, last: int) -> list[date]:
    return [date(year, 12, 31) for year in range(first, last + 1)]


# ---------------------------------------------------------------- the seeds' table cells

# every "Thời gian hoàn thành" / "Thời gian thực hiện" cell of the seeds' appendix tables, as
# extracted (line breaks included), with the plan it belongs to
SEED_CELLS = [
    # 000 Cần Thơ, tasks 1–5
    (CAN_THO_57, "Hàng năm (nếu cần\nthiết)", ScheduleKind.RECURRING, year_ends(2023, 2030)),
    (CAN_THO_57, "Năm 2023 và các\nnăm tiếp theo", ScheduleKind.RECURRING, year_ends(2023, 2030)),
    (CAN_THO_57, "", ScheduleKind.NONE, []),
    # 003 Sóc Trăng, tasks 1, 2, 2.1–2.5, 3–9
    # windows: one due date, at the window's end
    (SOC_TRANG_04, "2023 - 2030", ScheduleKind.YEAR_RANGE, [date(2030, 12, 31)]),
    (SOC_TRANG_04, "Thường xuyên", ScheduleKind.CONTINUOUS, year_ends(2022, 2030)),
    (
        SOC_TRANG_04,
        "2025, 2030",
        ScheduleKind.YEARS_LIST,
        [date(2025, 12, 31), date(2030, 12, 31)],
    ),
    # 004 Ho Chi Minh City, tasks 1–7
    (HCMC_2709, "2022 - 2023", ScheduleKind.YEAR_RANGE, [date(2023, 12, 31)]),
    (HCMC_2709, "2023 - 2025", ScheduleKind.YEAR_RANGE, [date(2025, 12, 31)]),
    (HCMC_2709, "2022 - 2025", ScheduleKind.YEAR_RANGE, [date(2025, 12, 31)]),
    (HCMC_2709, "Năm 2023", ScheduleKind.WITHIN_YEAR, [date(2023, 12, 31)]),
]


@pytest.mark.parametrize(("plan", "text", "kind", "due"), SEED_CELLS)
def test_seed_cells(plan: Plan, text: str, kind: ScheduleKind, due: list[date]) -> None:
    parsed = plan.parse(text)
    assert parsed.text == text
    assert parsed.kind is kind
    assert due_dates(parsed, plan.start_year, plan.end_year) == due


@pytest.mark.parametrize(("plan", "text"), [(cell[0], cell[1]) for cell in SEED_CELLS if cell[1]])
def test_seed_cells_need_no_look(plan: Plan, text: str) -> None:
    parsed = plan.parse(text)
    assert not parsed.flagged
    assert parsed.reason is None


def test_seed_conditional_cell() -> None:
    parsed = CAN_THO_57.parse("Hàng năm (nếu cần\nthiết)")
    assert parsed.conditional
    assert parsed.recurrence is Recurrence.ANNUAL
    assert not parsed.flagged


def test_seed_empty_cell_is_flagged() -> None:
    parsed = CAN_THO_57.parse("")
    assert parsed.flagged
    assert parsed.reason is FlagReason.EMPTY


@pytest.mark.parametrize(
    ("plan", "text", "kind", "due"),
    [
        # words about schedules in the seeds' bodies and in 001's targets
        (SOC_TRANG_04, "Từ nay đến năm 2030", ScheduleKind.YEAR_RANGE, [date(2030, 12, 31)]),
        (HCMC_2709, "Từ năm 2022 đến hết năm 2025", ScheduleKind.YEAR_RANGE, [date(2025, 12, 31)]),
        (
            SOC_TRANG_04,
            "trong năm 2022 và các năm tiếp theo",
            ScheduleKind.RECURRING,
            year_ends(2022, 2030),
        ),
        (SOC_TRANG_04, "hằng năm", ScheduleKind.RECURRING, year_ends(2022, 2030)),
        (HCMC_2709, "Hàng năm", ScheduleKind.RECURRING, year_ends(2022, 2025)),
        (HCMC_2709, "Mỗi năm", ScheduleKind.RECURRING, year_ends(2022, 2025)),
        (HCMC_2709, "đến cuối năm 2023", ScheduleKind.ONCE, [date(2023, 12, 31)]),
        (HCMC_2709, "cuối năm 2024", ScheduleKind.ONCE, [date(2024, 12, 31)]),
        (HCMC_2709, "đến hết năm 2025", ScheduleKind.ONCE, [date(2025, 12, 31)]),
        (HCMC_2709, "Phấn đấu đến năm 2025", ScheduleKind.UNPARSED, []),
    ],
)
def test_seed_body_words(plan: Plan, text: str, kind: ScheduleKind, due: list[date]) -> None:
    assert plan.parse(text).kind is kind
    assert plan.due(text) == due


def test_seed_quarterly_report() -> None:
    parsed = SOC_TRANG_04.parse("định kỳ hàng quý")  # 003 task 5: "Báo cáo định kỳ hàng quý"
    assert parsed.recurrence is Recurrence.QUARTERLY
    dates = due_dates(parsed, 2022, 2030)
    assert len(dates) == 4 * 9
    assert dates[:4] == [
        date(2022, 3, 31),
        date(2022, 6, 30),
        date(2022, 9, 30),
        date(2022, 12, 31),
    ]


def test_seed_mixed_cadence_is_flagged_not_guessed() -> None:
    parsed = HCMC_2709.parse("định kỳ hàng quý, 6 tháng và năm")  # 004 IX: three cadences at once
    assert parsed.kind is ScheduleKind.UNPARSED
    assert parsed.flagged
    assert parsed.reason is FlagReason.NOT_UNDERSTOOD
    assert due_dates(parsed, 2022, 2025) == []


# ---------------------------------------------------------------- the shapes of the issue


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("Quý I", ScheduleKind.QUARTERS_IN_YEAR, [date(2023, 3, 31)]),
        ("Quý II - IV", ScheduleKind.QUARTERS_IN_YEAR, [date(2023, 12, 31)]),
        ("Quý III, Quý IV", ScheduleKind.QUARTERS_IN_YEAR, [date(2023, 9, 30), date(2023, 12, 31)]),
        ("Quý IV/2023", ScheduleKind.QUARTERS_IN_YEAR, [date(2023, 12, 31)]),
        ("Trong năm", ScheduleKind.WITHIN_YEAR, [date(2023, 12, 31)]),
        ("Hàng năm", ScheduleKind.RECURRING, year_ends(2023, 2030)),
        ("Thường xuyên", ScheduleKind.CONTINUOUS, year_ends(2023, 2030)),
        ("Năm 2023 và các năm tiếp theo", ScheduleKind.RECURRING, year_ends(2023, 2030)),
        ("2023 - 2030", ScheduleKind.YEAR_RANGE, [date(2030, 12, 31)]),
        ("2025, 2030", ScheduleKind.YEARS_LIST, [date(2025, 12, 31), date(2030, 12, 31)]),
        ("Hàng năm (nếu cần thiết)", ScheduleKind.RECURRING, year_ends(2023, 2030)),
        ("Tháng 6/2023", ScheduleKind.ONCE, [date(2023, 6, 30)]),
        ("Trước 30/6/2023", ScheduleKind.ONCE, [date(2023, 6, 30)]),
        ("Năm 2023", ScheduleKind.WITHIN_YEAR, [date(2023, 12, 31)]),
        ("2023", ScheduleKind.WITHIN_YEAR, [date(2023, 12, 31)]),
        ("6 tháng đầu năm", ScheduleKind.HALVES_IN_YEAR, [date(2023, 6, 30)]),
        ("Năm 2024-2025", ScheduleKind.YEAR_RANGE, [date(2025, 12, 31)]),
    ],
)
def test_issue_shapes(text: str, kind: ScheduleKind, due: list[date]) -> None:
    parsed = PLAN.parse(text)
    assert parsed.text == text
    assert parsed.kind is kind
    assert not parsed.flagged
    assert PLAN.due(text) == due


@pytest.mark.parametrize(
    ("variant", "original"),
    [
        ("QUÝ I", "Quý I"),
        ("quý i", "Quý I"),
        ("Quy I", "Quý I"),
        ("Quý 1", "Quý I"),
        ("  Quý   I  ", "Quý I"),
        ("Quý I.", "Quý I"),
        ("Quý II – IV", "Quý II - IV"),
        ("Quý II—IV", "Quý II - IV"),
        ("Quý II-IV", "Quý II - IV"),
        ("quy 2 - 4", "Quý II - IV"),
        ("Quý II đến Quý IV", "Quý II - IV"),
        ("Quý III và Quý IV", "Quý III, Quý IV"),
        ("Quý III, IV", "Quý III, Quý IV"),
        ("Quý III,Quý IV", "Quý III, Quý IV"),
        ("Quý IV / 2023", "Quý IV/2023"),
        ("Quý IV năm 2023", "Quý IV/2023"),
        ("quy iv/2023", "Quý IV/2023"),
        ("trong năm", "Trong năm"),
        ("Trong năm nay", "Trong năm"),
        ("TRONG NĂM", "Trong năm"),
        ("Trong nam", "Trong năm"),
        ("Hằng năm", "Hàng năm"),
        ("hang nam", "Hàng năm"),
        ("Định kỳ hằng năm", "Hàng năm"),
        ("Mỗi năm", "Hàng năm"),
        ("THƯỜNG XUYÊN", "Thường xuyên"),
        ("Thuong xuyen", "Thường xuyên"),
        ("Thường xuyên, liên tục", "Thường xuyên"),
        ("Liên tục", "Thường xuyên"),
        ("Năm 2023 và các năm tiếp theo.", "Năm 2023 và các năm tiếp theo"),
        ("năm 2023 và những năm tiếp theo", "Năm 2023 và các năm tiếp theo"),
        ("Từ năm 2023 trở đi", "Năm 2023 và các năm tiếp theo"),
        ("2023 và các năm sau", "Năm 2023 và các năm tiếp theo"),
        ("2023–2030", "2023 - 2030"),
        ("2023 — 2030", "2023 - 2030"),
        ("2023-2030", "2023 - 2030"),
        ("2023 -2030", "2023 - 2030"),
        ("Giai đoạn 2023 - 2030", "2023 - 2030"),
        ("Từ 2023 đến 2030", "2023 - 2030"),
        ("Từ năm 2023 đến năm 2030", "2023 - 2030"),
        ("2025; 2030", "2025, 2030"),
        ("Năm 2025 và năm 2030", "2025, 2030"),
        ("2030, 2025", "2025, 2030"),
        ("Hàng năm (nếu cần)", "Hàng năm (nếu cần thiết)"),
        ("Hằng năm (khi cần thiết)", "Hàng năm (nếu cần thiết)"),
        ("Hàng năm, nếu cần thiết", "Hàng năm (nếu cần thiết)"),
        ("Hàng năm (Nếu Cần Thiết)", "Hàng năm (nếu cần thiết)"),
        ("Tháng 6 năm 2023", "Tháng 6/2023"),
        ("tháng 06/2023", "Tháng 6/2023"),
        ("Trong tháng 6/2023", "Tháng 6/2023"),
        ("6/2023", "Tháng 6/2023"),
        ("Trước ngày 30/6/2023", "Trước 30/6/2023"),
        ("trước 30-6-2023", "Trước 30/6/2023"),
        ("Chậm nhất ngày 30.6.2023", "Trước 30/6/2023"),
        ("Hạn chót: 30/06/2023", "Trước 30/6/2023"),
        ("30/6/2023", "Trước 30/6/2023"),
        ("Ngày 30 tháng 6 năm 2023", "Trước 30/6/2023"),
        ("Trước 30/6", "Trước 30/6/2023"),
        ("năm 2023", "Năm 2023"),
        ("Trong năm 2023", "Năm 2023"),
        ("NĂM 2023", "Năm 2023"),
        (" 2023 ", "2023"),
        ("6 tháng đầu năm 2023", "6 tháng đầu năm"),
        ("Sáu tháng đầu năm", "6 tháng đầu năm"),
        ("Nửa đầu năm", "6 tháng đầu năm"),
        ("Năm 2024 - 2025", "Năm 2024-2025"),
        ("năm 2024–2025", "Năm 2024-2025"),
    ],
)
def test_variants_mean_the_same(variant: str, original: str) -> None:
    parsed, expected = PLAN.parse(variant), PLAN.parse(original)
    assert parsed.text == variant
    assert parsed.kind is expected.kind
    assert parsed.conditional == expected.conditional
    assert parsed.recurrence == expected.recurrence
    assert PLAN.due(variant) == PLAN.due(original)
    assert not parsed.flagged


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Đến cuối năm 2023", [date(2023, 12, 31)]),
        ("Cuối năm", [date(2023, 12, 31)]),
        ("Đến năm 2025", [date(2025, 12, 31)]),
        ("6 tháng cuối năm", [date(2023, 12, 31)]),
        ("Tháng 2/2024", [date(2024, 2, 29)]),
        ("Tháng 12", [date(2023, 12, 31)]),
        ("Quý I/2024", [date(2024, 3, 31)]),
        ("Quý I - II năm 2025", [date(2025, 6, 30)]),
        ("29/2/2024", [date(2024, 2, 29)]),
    ],
)
def test_other_due_dates(text: str, due: list[date]) -> None:
    assert not PLAN.parse(text).flagged
    assert PLAN.due(text) == due


# ---------------------------------------------------------------- recurrence


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Hàng năm", "annual"),
        ("Hàng năm (nếu cần thiết)", "annual"),
        ("Năm 2023 và các năm tiếp theo", "annual"),
        ("Hàng quý", "quarterly"),
        ("Hằng quý", "quarterly"),
        ("Mỗi quý", "quarterly"),
        ("Định kỳ 6 tháng", "semiannual"),
        ("Hàng tháng", "monthly"),
        ("Thường xuyên", "continuous"),
        ("Quý I hằng năm", "annual"),
        ("2023 - 2030", None),
        ("2025, 2030", None),
        ("Quý II - IV", None),
        ("Trong năm", None),
        ("Tháng 6/2023", None),
        ("Không rõ", None),
    ],
)
def test_recurrence(text: str, value: str | None) -> None:
    assert recurrence(PLAN.parse(text)) == value


@pytest.mark.parametrize(
    ("text", "per_year"),
    [
        ("Hàng quý", [(3, 31), (6, 30), (9, 30), (12, 31)]),
        ("Định kỳ 6 tháng", [(6, 30), (12, 31)]),
        ("Quý I hằng năm", [(3, 31)]),
        ("Hàng năm, vào quý IV", [(12, 31)]),
        ("Tháng 6 hàng năm", [(6, 30)]),
        ("Quý II, Quý IV hằng năm", [(6, 30), (12, 31)]),
    ],
)
def test_recurring_within_each_year(text: str, per_year: list[tuple[int, int]]) -> None:
    parsed = PLAN.parse(text)
    assert parsed.kind is ScheduleKind.RECURRING
    assert due_dates(parsed, 2024, 2025) == [
        date(year, month, day) for year in (2024, 2025) for month, day in per_year
    ]


def test_monthly_recurrence_has_every_month_end() -> None:
    dates = due_dates(PLAN.parse("Hàng tháng"), 2024, 2024)
    assert [d.month for d in dates] == list(range(1, 13))
    assert dates[1] == date(2024, 2, 29)


def test_recurring_follows_the_years_asked_for() -> None:
    parsed = PLAN.parse("Hàng năm")
    assert parsed.years == ()
    assert due_dates(parsed, 2024, 2026) == year_ends(2024, 2026)


def test_following_years_end_with_the_plan() -> None:
    parsed = PLAN.parse("Năm 2025 và các năm tiếp theo")
    assert parsed.from_year == 2025
    assert due_dates(parsed, 2023, 2027) == year_ends(2025, 2027)


def test_open_range_from_a_year() -> None:
    parsed = PLAN.parse("Từ năm 2026")
    assert parsed.kind is ScheduleKind.YEAR_RANGE
    assert parsed.recurrence is None
    assert due_dates(parsed, 2023, 2030) == [date(2030, 12, 31)]


# ---------------------------------------------------------------- context


def test_relative_words_use_the_issue_year() -> None:
    plan = Plan(2022, 2030, 2024)
    assert plan.due("Trong năm") == [date(2024, 12, 31)]
    assert plan.due("Quý I") == [date(2024, 3, 31)]
    assert plan.due("Tháng 6") == [date(2024, 6, 30)]
    assert plan.due("Trước 15/10") == [date(2024, 10, 15)]


def test_a_plan_issued_before_its_first_year_uses_its_first_year() -> None:
    annual_2024 = Plan(2024, 2024, 2023)  # a CCHC plan for 2024 issued in December 2023
    parsed = annual_2024.parse("Trong năm")
    assert parsed.years == (2024,)
    assert not parsed.flagged
    assert annual_2024.due("Quý II - IV") == [date(2024, 12, 31)]
    assert annual_2024.due("Quý II, Quý III") == [date(2024, 6, 30), date(2024, 9, 30)]


def test_no_issue_year_means_the_first_year() -> None:
    parsed = parse_schedule("Trong năm", start_year=2025, end_year=2026)
    assert parsed.years == (2025,)


def test_a_plan_issued_after_its_years_flags_relative_words() -> None:
    parsed = Plan(2022, 2023, 2024).parse("Trong năm")
    assert parsed.years == (2024,)
    assert parsed.flagged
    assert parsed.reason is FlagReason.OUTSIDE_PLAN_YEARS


def test_plan_years_must_be_in_order() -> None:
    with pytest.raises(ValueError):
        parse_schedule("Hàng năm", start_year=2030, end_year=2023)
    with pytest.raises(ValueError):
        due_dates(PLAN.parse("Hàng năm"), 2030, 2023)
    assert PlanYears(2023, 2030, 2022).reference_year == 2023


@pytest.mark.parametrize(
    ("plan", "text", "detail", "due"),
    [
        (CAN_THO_57, "2022 - 2023", "2022", [date(2023, 12, 31)]),
        (CAN_THO_57, "2025, 2031", "2031", [date(2025, 12, 31), date(2031, 12, 31)]),
        (CAN_THO_57, "Quý IV/2022", "2022", [date(2022, 12, 31)]),
        (CAN_THO_57, "Trước 30/6/2031", "2031", [date(2031, 6, 30)]),
        (HCMC_2709, "2023 - 2030", "2026, 2027, 2028, 2029, 2030", [date(2030, 12, 31)]),
        (HCMC_2709, "Năm 2026 và các năm tiếp theo", "2026", []),
    ],
)
def test_outside_plan_years_is_kept_and_flagged(
    plan: Plan, text: str, detail: str, due: list[date]
) -> None:
    parsed = plan.parse(text)
    assert parsed.kind is not ScheduleKind.UNPARSED
    assert parsed.flagged
    assert parsed.reason is FlagReason.OUTSIDE_PLAN_YEARS
    assert parsed.detail == detail
    assert parsed.text == text
    assert plan.due(text) == due


# ---------------------------------------------------------------- not guessed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Theo tiến độ", FlagReason.NOT_UNDERSTOOD),
        ("Sau khi Bộ Nội vụ ban hành hướng dẫn", FlagReason.NOT_UNDERSTOOD),
        ("Quý V", FlagReason.NOT_UNDERSTOOD),
        ("Quý IV/2023 - Quý I/2024", FlagReason.NOT_UNDERSTOOD),
        ("Trước tháng 6/2023", FlagReason.NOT_UNDERSTOOD),
        ("6 tháng", FlagReason.NOT_UNDERSTOOD),
        ("Tháng 6 - 9/2023", FlagReason.NOT_UNDERSTOOD),
        ("6-9/2023", FlagReason.NOT_UNDERSTOOD),
        ("Quý I/23", FlagReason.NOT_UNDERSTOOD),
        ("2023 - ", FlagReason.NOT_UNDERSTOOD),
        ("Hàng năm (nếu cần", FlagReason.NOT_UNDERSTOOD),
        ("Quý I/2023: xây dựng kế hoạch; Quý II - IV: tổ chức", FlagReason.NOT_UNDERSTOOD),
        ("31/2/2023", FlagReason.INVALID_DATE),
        ("Tháng 13/2023", FlagReason.INVALID_DATE),
        ("Tháng 0", FlagReason.INVALID_DATE),
        ("Tháng 13 hàng năm", FlagReason.INVALID_DATE),
        ("2030 - 2023", FlagReason.REVERSED_RANGE),
        ("Quý IV - II", FlagReason.REVERSED_RANGE),
        ("(dự kiến)", FlagReason.UNRECOGNISED_NOTE),
        ("   ", FlagReason.EMPTY),
        ("\n", FlagReason.EMPTY),
    ],
)
def test_not_understood_is_flagged_never_guessed(text: str, reason: FlagReason) -> None:
    parsed = PLAN.parse(text)
    assert parsed.text == text
    assert parsed.kind in (ScheduleKind.UNPARSED, ScheduleKind.NONE)
    assert parsed.flagged
    assert parsed.reason is reason
    assert parsed.years == () and parsed.due_on is None and parsed.recurrence is None
    assert PLAN.due(text) == []


def test_unknown_note_keeps_the_meaning_and_asks_for_a_look() -> None:
    parsed = PLAN.parse("2023 - 2025 (tùy tình hình thực tế)")
    assert parsed.kind is ScheduleKind.YEAR_RANGE
    assert parsed.flagged
    assert parsed.reason is FlagReason.UNRECOGNISED_NOTE
    assert parsed.detail == "tùy tình hình thực tế"


def test_conditional_is_not_a_flag() -> None:
    for text in ("Hàng năm (nếu cần thiết)", "Quý II (nếu có)", "Trong năm, khi cần"):
        parsed = PLAN.parse(text)
        assert parsed.conditional, text
        assert not parsed.flagged, text
    assert not PLAN.parse("Hàng năm").conditional


def test_original_words_are_kept_exactly() -> None:
    text = "Năm 2023 và các\nnăm tiếp theo"
    assert PLAN.parse(text).text == text
    assert PLAN.parse("Hàng năm (nếu cần\nthiết)").text == "Hàng năm (nếu cần\nthiết)"


def test_decomposed_accents_read_like_composed_ones() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Quý II - IV")
    assert decomposed != "Quý II - IV"
    assert PLAN.parse(decomposed).quarters == (2, 3, 4)


# ---------------------------------------------------------------- due dates as a whole


def test_quarter_ends() -> None:
    assert [quarter_end(2023, q) for q in (1, 2, 3, 4)] == [
        date(2023, 3, 31),
        date(2023, 6, 30),
        date(2023, 9, 30),
        date(2023, 12, 31),
    ]
    with pytest.raises(ValueError):
        quarter_end(2023, 5)


ALL_SHAPES = [cell[1] for cell in SEED_CELLS] + [
    "Quý I",
    "Quý II - IV",
    "Quý III, Quý IV",
    "Quý IV/2023",
    "Trong năm",
    "Hàng năm",
    "Hàng quý",
    "Định kỳ 6 tháng",
    "Hàng tháng",
    "Thường xuyên",
    "Năm 2023 và các năm tiếp theo",
    "2022 - 2023",
    "2025, 2030",
    "Tháng 6/2023",
    "Trước 30/6/2023",
    "6 tháng đầu năm",
    "Năm 2024-2025",
    "Quý I hằng năm",
    "Theo tiến độ",
]


@pytest.mark.parametrize("text", ALL_SHAPES)
@pytest.mark.parametrize(("start", "end", "issued"), [(2023, 2030, 2023), (2022, 2025, 2022)])
def test_due_dates_are_sorted_distinct_period_ends(
    text: str, start: int, end: int, issued: int
) -> None:
    plan = Plan(start, end, issued)
    parsed = plan.parse(text)
    dates = plan.due(text)
    assert dates == sorted(set(dates))
    for due in dates:
        is_period_end = (due.month, due.day) in {(3, 31), (6, 30), (9, 30), (12, 31)}
        assert is_period_end or due == parsed.due_on or parsed.recurrence is Recurrence.MONTHLY
    if not parsed.flagged:
        assert all(start <= due.year <= end for due in dates)
    assert (dates == []) == (parsed.kind in (ScheduleKind.UNPARSED, ScheduleKind.NONE))


# ---------------------------------------------------------------- windows are not recurrences


@pytest.mark.parametrize(
    ("plan", "text", "opens", "closes"),
    [
        # 004 Ho Chi Minh City, tasks 1, 2, 7: overdue since 31/12/2022 before this was right
        (HCMC_2709, "2022 - 2023", date(2022, 1, 1), date(2023, 12, 31)),
        (HCMC_2709, "2023 - 2025", date(2023, 1, 1), date(2025, 12, 31)),
        (HCMC_2709, "Năm 2023", date(2023, 1, 1), date(2023, 12, 31)),
        (SOC_TRANG_04, "2023 - 2030", date(2023, 1, 1), date(2030, 12, 31)),
        (CAN_THO_57, "Quý II - IV", date(2023, 4, 1), date(2023, 12, 31)),
        (CAN_THO_57, "Quý I - II năm 2025", date(2025, 1, 1), date(2025, 6, 30)),
        (CAN_THO_57, "Quý III", date(2023, 7, 1), date(2023, 9, 30)),
        (CAN_THO_57, "6 tháng cuối năm", date(2023, 7, 1), date(2023, 12, 31)),
        (CAN_THO_57, "Từ năm 2026", date(2026, 1, 1), date(2030, 12, 31)),
    ],
)
def test_a_window_is_due_once_at_its_end(plan: Plan, text: str, opens: date, closes: date) -> None:
    parsed = plan.parse(text)
    assert (parsed.window_from, parsed.window_to) == (opens, closes)
    assert parsed.recurrence is None and not parsed.flagged
    assert plan.due(text) == [closes]
    assert meaning(parsed)["window"] == {"from": opens, "to": closes}


@pytest.mark.parametrize(
    ("text", "quarters"),
    [
        ("Quý I Quý IV", (1, 4)),
        ("Quý I\nQuý IV", (1, 4)),
        ("Quý II,\nQuý III", (2, 3)),
        ("Quý I  Quý III Quý IV", (1, 3, 4)),
        ("Quý III, Quý IV", (3, 4)),
    ],
)
def test_quarter_lists_are_due_per_quarter(text: str, quarters: tuple[int, ...]) -> None:
    parsed = PLAN.parse(text)
    assert parsed.kind is ScheduleKind.QUARTERS_IN_YEAR and not parsed.flagged
    assert parsed.quarters == quarters and not parsed.quarters_span
    assert parsed.window_from is None and meaning(parsed)["window"] is None
    assert PLAN.due(text) == [quarter_end(2023, q) for q in quarters]


def test_a_span_of_quarters_every_year_is_due_at_its_end_each_year() -> None:
    parsed = PLAN.parse("Quý II - IV hằng năm")
    assert parsed.quarters == (2, 3, 4) and parsed.quarters_span
    assert due_dates(parsed, 2024, 2025) == year_ends(2024, 2025)


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("Hàng quý", date(2022, 9, 30)),  # 004 issued 10/8/2022: not 31/3 nor 30/6/2022
        ("Hàng tháng", date(2022, 8, 31)),
        ("Định kỳ 6 tháng", date(2022, 12, 31)),
        ("Thường xuyên", date(2022, 12, 31)),
        ("Hàng năm", date(2022, 12, 31)),
    ],
)
def test_recurrences_start_at_the_issue_date(text: str, first: date) -> None:
    plan = PlanYears(2022, 2025, issued_on=date(2022, 8, 10))
    dates = plan.due_dates(text)
    assert dates[0] == first
    assert dates[-1] == date(2025, 12, 31)
    assert plan.issued_year == 2022 and plan.reference_year == 2022


def test_a_window_is_not_cut_by_the_issue_date() -> None:
    plan = PlanYears(2022, 2025, issued_on=date(2022, 8, 10))
    assert plan.due_dates("Quý I") == [date(2022, 3, 31)]  # kept: a person looks at it


@pytest.mark.parametrize("text", ["2030 - 2023", "Quý IV - II", "Từ năm 2025 đến năm 2023"])
def test_a_window_ending_before_it_starts_is_flagged(text: str) -> None:
    parsed = PLAN.parse(text)
    assert parsed.kind is ScheduleKind.UNPARSED
    assert parsed.flagged and parsed.reason is FlagReason.REVERSED_RANGE
    assert PLAN.due(text) == []


# ---------------------------------------------------------------- conditions


@pytest.mark.parametrize(
    "text",
    [
        "Khi có yêu cầu",
        "khi có yêu cầu",
        "Khi có văn bản hướng dẫn của Bộ Nội vụ",
        "Nếu cần thiết",
        "Khi cần",
        "(nếu có)",
    ],
)
def test_a_condition_alone_has_no_due_date_and_no_flag(text: str) -> None:
    parsed = PLAN.parse(text)
    assert parsed.kind is ScheduleKind.ON_CONDITION
    assert parsed.conditional and not parsed.flagged and parsed.reason is None
    assert parsed.text == text
    assert PLAN.due(text) == []


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("Hàng năm (nếu cần\nthiết)", year_ends(2023, 2030)),  # 000 task 1, as extracted
        ("Quý II - IV (khi có yêu cầu)", [date(2023, 12, 31)]),
        ("Năm 2024, khi có chỉ đạo của UBND tỉnh", [date(2024, 12, 31)]),
        ("Trong năm, nếu có", [date(2023, 12, 31)]),
    ],
)
def test_a_condition_after_the_words_keeps_their_meaning(text: str, due: list[date]) -> None:
    parsed = PLAN.parse(text)
    assert parsed.conditional and not parsed.flagged
    assert PLAN.due(text) == due


def test_after_is_not_a_condition_we_guess() -> None:
    parsed = PLAN.parse("Sau khi Bộ Nội vụ ban hành hướng dẫn")
    assert parsed.flagged and parsed.reason is FlagReason.NOT_UNDERSTOOD


# ---------------------------------------------------------------- every schedule cell of the seeds


def _seed_schedules() -> list[tuple[str, str]]:
    facts = tomllib.loads(SEED_FACTS.read_text())["plan"]
    return [
        (plan["key"], task["schedule"])
        for plan in facts
        for task in plan.get("task", [])
        if task.get("schedule")
    ]


@pytest.mark.parametrize(("key", "text"), _seed_schedules())
def test_seed_facts_windows_and_recurrences(key: str, text: str) -> None:
    record = next(plan for plan in PLANS if plan.key == key)
    plan = PlanYears(record.start_year, record.end_year, issued_on=record.issued_on)
    parsed = plan.parse(text)
    assert parsed is not None and not parsed.flagged, text
    dates = plan.due(parsed)
    if parsed.recurrence is None:  # a window or a list: never a due date per year of a window
        assert parsed.window_to is None or dates == [parsed.window_to], text
        assert parsed.kind in (
            ScheduleKind.YEAR_RANGE,
            ScheduleKind.WITHIN_YEAR,
            ScheduleKind.YEARS_LIST,
        )
    else:
        assert record.issued_on is None or dates[0] >= record.issued_on, text
    assert parsed.conditional == ("nếu cần thiết" in text)
