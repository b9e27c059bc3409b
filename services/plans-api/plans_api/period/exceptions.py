"""Errors of reporting periods and their rules."""

from __future__ import annotations

from plans_api.period.calendar import InvalidPeriodRules
from shared.errors import Conflict, Unprocessable, field_error


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
