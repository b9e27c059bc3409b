"""Errors of progress reports: stable codes, Vietnamese and English text."""

from __future__ import annotations

from uuid import UUID

from shared.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error


class ReportNotFound(NotFound):
    code = "report_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy báo cáo", "Report not found")


class ReportExists(Conflict):
    code = "report_exists"

    def __init__(self, report_id: UUID) -> None:
        super().__init__(
            "Đơn vị đã có báo cáo cho nhiệm vụ trong kỳ này; hãy sửa báo cáo đó",
            "The unit already reported on this task for this period; change that report (PATCH)",
            report_id=str(report_id),
        )


class ReportLocked(Forbidden):
    code = "report_locked"

    def __init__(self) -> None:
        super().__init__(
            "Đã quá hạn báo cáo của kỳ; chỉ Sở Nội vụ được sửa",
            "The period's deadline has passed; only a reform_admin may change the report",
        )


class UnitForbidden(Forbidden):
    code = "unit_forbidden"

    def __init__(self) -> None:
        super().__init__(
            "Chỉ được báo cáo cho đơn vị mình hoặc đơn vị trực thuộc",
            "You may report only for your unit or a unit below it",
        )


class UnknownPeriod(Unprocessable):
    code = "unknown_period"

    def __init__(self) -> None:
        super().__init__(
            "Kỳ báo cáo không tồn tại",
            "Unknown period (list them with GET /periods)",
            errors=field_error("period_id", "unknown period", self.code),
        )


class PeriodOtherProvince(Unprocessable):
    code = "period_other_province"

    def __init__(self) -> None:
        super().__init__(
            "Kỳ báo cáo thuộc tỉnh, thành phố khác",
            "The period belongs to another province",
            errors=field_error("period_id", "another province", self.code),
        )


class PeriodNotForPlan(Unprocessable):
    code = "period_not_for_plan"

    def __init__(self) -> None:
        super().__init__(
            "Kỳ báo cáo không áp dụng cho kế hoạch này (kế hoạch có lịch riêng hoặc ngược lại)",
            "The period is not one of the plan's (the plan has rules of its own, or not)",
            errors=field_error("period_id", "not the plan's period", self.code),
        )


class PeriodOutsidePlanYears(Unprocessable):
    code = "period_out_of_plan_years"

    def __init__(self) -> None:
        super().__init__(
            "Kỳ báo cáo nằm ngoài các năm của kế hoạch",
            "The period falls outside the plan's years",
            errors=field_error("period_id", "outside the plan's years", self.code),
        )


class UnitRequired(Unprocessable):
    code = "unit_required"

    def __init__(self) -> None:
        super().__init__(
            "Cần chỉ rõ đơn vị báo cáo",
            "Name the reporting unit (unit_id)",
            errors=field_error("unit_id", "required", self.code),
        )


class UnitNotOnTask(Unprocessable):
    code = "unit_not_on_task"

    def __init__(self) -> None:
        super().__init__(
            "Đơn vị không chủ trì hay phối hợp thực hiện nhiệm vụ này",
            "The unit neither leads nor coordinates this task",
            errors=field_error("unit_id", "not on the task", self.code),
        )


class UnknownTarget(Unprocessable):
    code = "unknown_target"

    def __init__(self, target_id: str) -> None:
        super().__init__(
            "Số liệu cho chỉ tiêu không thuộc kế hoạch hoặc không nhập tay",
            "A figure names a target that is not a manual target of the plan",
            errors=field_error(f"figures.{target_id}", "not a manual target", self.code),
        )


class FigureOutOfRange(Unprocessable):
    code = "figure_out_of_range"

    def __init__(self, target_id: str) -> None:
        super().__init__(
            "Số liệu không được âm; tỷ lệ phần trăm phải từ 0 đến 100",
            "Figures are not negative; percentages are 0..100",
            errors=field_error(f"figures.{target_id}", "out of range", self.code),
        )
