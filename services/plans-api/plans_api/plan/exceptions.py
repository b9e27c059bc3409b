"""Errors of plans and targets: stable codes, Vietnamese and English text."""

from __future__ import annotations

from shared.errors import Conflict, NotFound, Unprocessable, field_error


class PlanNotFound(NotFound):
    code = "plan_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy kế hoạch", "Plan not found")


class TargetNotFound(NotFound):
    code = "target_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy chỉ tiêu", "Target not found")


class PlanCodeTaken(Conflict):
    code = "plan_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Số ký hiệu '{code}' đã có trong tỉnh, thành phố",
            f"The code '{code}' is taken in the province",
        )


class TargetCodeTaken(Conflict):
    code = "target_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Mã chỉ tiêu '{code}' đã có trong kế hoạch", f"The plan already has target '{code}'"
        )


class UnknownUnit(Unprocessable):
    code = "unknown_unit"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Đơn vị không tồn tại",
            "Unknown unit",
            errors=field_error(field, "unknown unit", self.code),
        )


class InvalidPlanYears(Unprocessable):
    code = "invalid_plan_years"

    def __init__(self) -> None:
        super().__init__(
            "Năm bắt đầu phải trước hoặc bằng năm kết thúc",
            "start_year must not be after end_year",
            errors=field_error("end_year", "before start_year", self.code),
        )


class IssuedOnOutOfRange(Unprocessable):
    code = "issued_on_out_of_range"

    def __init__(self) -> None:
        super().__init__(
            "Ngày ban hành không phù hợp với các năm của kế hoạch",
            "issued_on is implausible for the plan's years (at most 3 years before its start, "
            "not after its end)",
            errors=field_error("issued_on", "implausible year", self.code),
        )


class UnknownParentPlan(Unprocessable):
    code = "unknown_parent_plan"

    def __init__(self) -> None:
        super().__init__(
            "Kế hoạch cấp trên không tồn tại",
            "Unknown parent plan",
            errors=field_error("parent_plan_id", "unknown plan", self.code),
        )


class ParentPlanOtherProvince(Unprocessable):
    code = "parent_plan_other_province"

    def __init__(self) -> None:
        super().__init__(
            "Kế hoạch cấp trên thuộc tỉnh, thành phố khác",
            "The parent plan belongs to another province",
            errors=field_error("parent_plan_id", "another province", self.code),
        )


class ParentPlanCycle(Unprocessable):
    code = "parent_plan_cycle"

    def __init__(self) -> None:
        super().__init__(
            "Kế hoạch không thể là cấp trên của chính nó",
            "A plan cannot be its own ancestor",
            errors=field_error("parent_plan_id", "cycle", self.code),
        )


class IssuerOtherProvince(Unprocessable):
    code = "issuer_other_province"

    def __init__(self) -> None:
        super().__init__(
            "Đơn vị ban hành mới phải thuộc cùng tỉnh, thành phố",
            "The new issuer must belong to the plan's province",
            errors=field_error("issuer_unit_id", "another province", self.code),
        )


class UnknownArea(Unprocessable):
    code = "unknown_area"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Lĩnh vực CCHC không tồn tại",
            "Unknown reform area",
            errors=field_error(field, "unknown reform area", self.code),
        )


class MilestoneOutOfPlanYears(Unprocessable):
    code = "milestone_out_of_plan_years"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Mốc thời gian nằm ngoài các năm của kế hoạch",
            "A milestone falls outside the plan's years",
            errors=field_error(field, "outside the plan's years", self.code),
        )


class MilestonesOutOfOrder(Unprocessable):
    code = "milestones_out_of_order"

    def __init__(self, index: int) -> None:
        super().__init__(
            "Các mốc phải theo thứ tự thời gian tăng dần (theo từng cấp)",
            "Milestones must have strictly increasing dates (per level)",
            errors=field_error(f"milestones.{index}.due_on", "not after the previous", self.code),
        )


class PercentOutOfRange(Unprocessable):
    code = "percent_out_of_range"

    def __init__(self, field: str) -> None:
        super().__init__(
            "Giá trị phần trăm phải từ 0 đến 100",
            "A percentage must be between 0 and 100",
            errors=field_error(field, "not within 0..100", self.code),
        )


class MetricGroupRequired(Unprocessable):
    code = "metric_group_required"

    def __init__(self, source: str, groups: list[str]) -> None:
        super().__init__(
            f"Chỉ tiêu tự động '{source}' cần nhóm đối tượng: {', '.join(groups)}",
            f"The automatic metric '{source}' needs a group: {', '.join(groups)}",
            errors=field_error("group", "required", self.code),
        )


class GroupNotAllowed(Unprocessable):
    code = "group_not_allowed"

    def __init__(self) -> None:
        super().__init__(
            "Chỉ tiêu nhập tay không có nhóm đối tượng",
            "A manual target has no group",
            errors=field_error("group", "not allowed for source manual", self.code),
        )
