"""Errors of the task tree: stable codes, Vietnamese and English text."""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict, NotFound, Unprocessable, field_error


class TaskNotFound(NotFound):
    code = "task_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy nhiệm vụ", "Task not found")


class TaskNumberTaken(Conflict):
    code = "task_number_taken"

    def __init__(self, number: str) -> None:
        super().__init__(
            f"Kế hoạch đã có nhiệm vụ số {number}", f"The plan already has task {number}"
        )


class UnknownParentTask(Unprocessable):
    code = "unknown_parent_task"

    def __init__(self, detail_vi: str, detail_en: str) -> None:
        super().__init__(
            detail_vi, detail_en, errors=field_error("parent_id", detail_en, self.code)
        )


class TaskParentCycle(Unprocessable):
    code = "task_parent_cycle"

    def __init__(self) -> None:
        super().__init__(
            "Nhiệm vụ không thể nằm dưới chính nó",
            "A task cannot be below itself",
            errors=field_error("parent_id", "cycle", self.code),
        )


class UnitOutsideProvince(Unprocessable):
    code = "unit_outside_plan_province"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Đơn vị không tồn tại hoặc không thuộc tỉnh, thành phố của kế hoạch",
            "Unknown unit, or a unit outside the plan's province",
            errors=field_error(field, "unknown or outside the plan's province", self.code),
        )


class DueDateOutOfPlanYears(Unprocessable):
    code = "due_date_out_of_plan_years"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Hạn hoàn thành nằm ngoài các năm của kế hoạch",
            "A due date falls outside the plan's years",
            errors=field_error(field, "outside the plan's years", self.code),
        )


class ScheduleWindowReversed(Unprocessable):
    code = "schedule_window_reversed"

    def __init__(self) -> None:
        super().__init__(
            "Thời gian thực hiện kết thúc trước khi bắt đầu (ví dụ 2025 - 2023)",
            "The schedule's window ends before it starts (e.g. 2025 - 2023)",
            errors=field_error("schedule_text", "the window ends before it starts", self.code),
        )


class TaskNotConditional(Conflict):
    code = "task_not_conditional"

    def __init__(self) -> None:
        super().__init__(
            "Nhiệm vụ không có điều kiện nên không cần kích hoạt",
            "The task has no condition, so there is nothing to activate",
        )


class TaskAlreadyActivated(Conflict):
    code = "task_already_activated"

    def __init__(self, on: date) -> None:
        super().__init__(
            f"Nhiệm vụ đã được kích hoạt ngày {on:%d/%m/%Y}",
            f"The task was already activated on {on.isoformat()}",
        )
