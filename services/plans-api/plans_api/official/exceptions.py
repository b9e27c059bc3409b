"""Errors of the officials registry, each with a stable ``code``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.errors import Conflict, Forbidden, NotFound, Unprocessable, field_error
from shared.etag import Stale


class OfficialNotFound(NotFound):
    code = "official_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy cán bộ", "Official not found")


class UnknownUnit(Unprocessable):
    code = "unknown_unit"

    def __init__(self, unit_id: UUID) -> None:
        super().__init__(
            "Đơn vị không tồn tại",
            "Unknown unit",
            errors=field_error("unit_id", "unknown unit", "unknown_unit"),
            unit_id=str(unit_id),
        )


class UnitOutOfScope(Forbidden):
    code = "unit_out_of_scope"

    def __init__(self, unit_id: UUID) -> None:
        super().__init__(
            "Đơn vị này không thuộc phạm vi quản lý của bạn",
            "This unit is outside the units you manage",
            unit_id=str(unit_id),
        )


class EmployeeCodeTaken(Conflict):
    code = "employee_code_taken"

    def __init__(self, employee_code: str) -> None:
        super().__init__(
            f"Mã cán bộ '{employee_code}' đã được sử dụng",
            f"Employee code '{employee_code}' is already used",
            employee_code=employee_code,
        )


class InvalidEmployeeCode(Unprocessable):
    """A code the caller may not use, answered like any invalid value: a unit officer is not told
    that an official outside its units holds the code (an administrator is: 409 above)."""

    def __init__(self) -> None:
        super().__init__(
            "Mã cán bộ không hợp lệ",
            "Invalid employee code",
            errors=field_error("employee_code", "invalid employee code", "invalid"),
        )


class OfficialChanged(Stale):
    def __init__(self) -> None:
        super().__init__(
            "Hồ sơ cán bộ đã được người khác sửa, hãy tải lại",
            "The official was changed by someone else; reload it",
        )


class EffectiveBeforeCurrentVersion(Unprocessable):
    code = "effective_before_current_version"

    def __init__(self, valid_from: date) -> None:
        super().__init__(
            f"Ngày hiệu lực không được trước {valid_from:%d/%m/%Y} (ngày bắt đầu của bản ghi "
            "hiện tại)",
            f"The effective date may not be before {valid_from.isoformat()}, when the current "
            "version began",
            current_valid_from=valid_from.isoformat(),
        )


class LeftBeforeCurrentVersion(Unprocessable):
    code = "left_before_current_version"

    def __init__(self, valid_from: date) -> None:
        super().__init__(
            f"Ngày nghỉ không được trước {valid_from:%d/%m/%Y} (ngày bắt đầu của bản ghi hiện tại)",
            f"left_on may not be before {valid_from.isoformat()}, when the current version began",
            current_valid_from=valid_from.isoformat(),
        )
