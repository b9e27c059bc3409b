"""Errors of reporting periods and their rules."""

from __future__ import annotations

from plans_api.period.calendar import InvalidPeriodRules
from shared.errors import Conflict, NotFound, Unprocessable, field_error
from shared.etag import Stale


class InvalidRules(Unprocessable):
    def __init__(self, error: InvalidPeriodRules) -> None:
        self.code = error.code
        super().__init__(
            "Quy tắc kỳ báo cáo không hợp lệ",
            str(error),
            errors=field_error(error.field, str(error), error.code),
        )


class ProvinceRequired(Unprocessable):
    code = "province_required"

    def __init__(self) -> None:
        super().__init__(
            "Cần chỉ rõ province_id hoặc plan_id",
            "Name a province_id or a plan_id",
            errors=field_error("province_id", "required", self.code),
        )


class UnknownProvince(Unprocessable):
    code = "unknown_province"

    def __init__(self) -> None:
        super().__init__(
            "Tỉnh không tồn tại",
            "Unknown province",
            errors=field_error("province_id", "unknown province", self.code),
        )


class UnknownPlan(Unprocessable):
    code = "unknown_plan"

    def __init__(self) -> None:
        super().__init__(
            "Kế hoạch không tồn tại",
            "Unknown plan",
            errors=field_error("plan_id", "unknown plan", self.code),
        )


class OneScope(Unprocessable):
    code = "one_scope"

    def __init__(self) -> None:
        super().__init__(
            "Chỉ chọn một trong province_id hoặc plan_id",
            "Send exactly one of province_id and plan_id",
            errors=field_error("plan_id", "exactly one of province_id, plan_id", self.code),
        )


class PeriodRulesInUse(Conflict):
    code = "period_rules_in_use"

    def __init__(self) -> None:
        super().__init__(
            "Đã có báo cáo theo các kỳ hiện tại, không thể đổi quy tắc",
            "Reports exist for periods made by the current rules; they cannot change",
        )


class OneUnitDeadline(Unprocessable):
    code = "one_unit_deadline"

    def __init__(self) -> None:
        super().__init__(
            "Chỉ chọn một trong unit_lead_days hoặc unit_due_day",
            "Send at most one of unit_lead_days and unit_due_day",
            errors=field_error(
                "unit_due_day", "at most one of unit_lead_days, unit_due_day", self.code
            ),
        )


class HolidayOutsideYear(Unprocessable):
    code = "holiday_outside_year"

    def __init__(self, index: int, year: int) -> None:
        super().__init__(
            f"Ngày thứ {index + 1} của danh sách không thuộc năm {year}",
            f"Day {index + 1} of the list is not in {year}",
            errors=field_error(f"days.{index}.day", f"not in {year}", self.code),
        )


class DuplicateHoliday(Unprocessable):
    code = "duplicate_holiday"

    def __init__(self, index: int) -> None:
        super().__init__(
            f"Ngày thứ {index + 1} của danh sách trùng với một ngày trước đó",
            f"Day {index + 1} of the list repeats an earlier day",
            errors=field_error(f"days.{index}.day", "listed twice", self.code),
        )


class WorkingDayNotWeekend(Unprocessable):
    code = "working_day_not_weekend"

    def __init__(self, index: int) -> None:
        super().__init__(
            f"Ngày làm bù (ngày thứ {index + 1}) phải là thứ Bảy hoặc Chủ nhật",
            f"A working swap day (day {index + 1}) must be a Saturday or a Sunday",
            errors=field_error(f"days.{index}.day", "not a Saturday or Sunday", self.code),
        )


class HolidaysStale(Stale):
    def __init__(self) -> None:
        super().__init__(
            "Danh sách ngày nghỉ của năm đã được người khác sửa, hãy tải lại",
            "The year's holidays were changed meanwhile; reload them",
        )


class UnknownPeriod(NotFound):
    code = "period_not_found"

    def __init__(self) -> None:
        super().__init__("Kỳ báo cáo không tồn tại", "No such period")


class PeriodStale(Stale):
    def __init__(self) -> None:
        super().__init__(
            "Kỳ báo cáo đã được người khác sửa, hãy tải lại",
            "The period was changed meanwhile; reload it",
        )


class DeadlineBeforeDataEnd(Unprocessable):
    code = "deadline_before_data_end"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Hạn báo cáo không được trước ngày cuối của kỳ số liệu",
            "A deadline cannot be before the data window's last day",
            errors=field_error(field, "before data_to", self.code),
        )


class UnitDueAfterProvince(Unprocessable):
    code = "unit_due_after_province"

    def __init__(self) -> None:
        super().__init__(
            "Hạn báo cáo của đơn vị không được sau hạn của tỉnh, thành phố",
            "Units cannot be due after the province",
            errors=field_error("unit_due_on", "after due_on", self.code),
        )
