"""Errors of the units registry, each with a stable ``code``."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.errors import Conflict, NotFound, Unprocessable, field_error
from shared.etag import Stale


class UnitNotFound(NotFound):
    code = "unit_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy đơn vị", "Unit not found")


class UnitStale(Stale):
    def __init__(self) -> None:
        super().__init__(
            "Đơn vị đã được người khác sửa, hãy tải lại", "The unit was changed; reload it"
        )


class ParentUnknown(Unprocessable):
    code = "unit_parent_unknown"

    def __init__(self) -> None:
        super().__init__(
            "Đơn vị cấp trên không tồn tại",
            "Unknown parent unit",
            errors=field_error("parent_id", "unknown unit", "unknown_unit"),
        )


class ParentNotValid(Unprocessable):
    code = "unit_parent_not_valid"

    def __init__(self, day: date | None) -> None:
        when_vi = f"ngày {day:%d/%m/%Y}" if day else "mọi thời điểm trước đó"
        when_en = f"on {day.isoformat()}" if day else "since ever (the unit has no valid_from)"
        super().__init__(
            f"Đơn vị cấp trên không tồn tại vào {when_vi}, ngày bắt đầu hiệu lực của đơn vị",
            f"The parent unit does not exist {when_en}, the unit's first day",
            errors=field_error("parent_id", "parent not valid on valid_from", "parent_not_valid"),
        )


class UnitCycle(Unprocessable):
    code = "unit_cycle"

    def __init__(self) -> None:
        super().__init__(
            "Không thể đặt đơn vị làm cấp dưới của chính nó hoặc của đơn vị cấp dưới nó",
            "A unit cannot be placed under itself or one of its descendants",
            errors=field_error("parent_id", "would make a cycle", "unit_cycle"),
        )


class InvalidValidity(Unprocessable):
    code = "unit_invalid_dates"

    def __init__(self) -> None:
        super().__init__(
            "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực",
            "valid_to must not be before valid_from",
            errors=field_error("valid_to", "before valid_from", "invalid_dates"),
        )


class UnitCodeInUse(Conflict):
    code = "unit_code_in_use"

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Mã '{code}' đã được một đơn vị khác sử dụng trong khoảng thời gian này",
            f"Code '{code}' belongs to another unit on some of these days",
        )


class SuccessionShape(Unprocessable):
    code = "unit_succession_shape"

    def __init__(self, detail_vi: str, detail_en: str) -> None:
        super().__init__(
            detail_vi, detail_en, errors=field_error("successor_ids", detail_en, "succession_shape")
        )


class SuccessorUnknown(Unprocessable):
    code = "unit_successor_unknown"

    def __init__(self, ids: list[UUID]) -> None:
        super().__init__(
            "Đơn vị kế thừa không tồn tại",
            "Unknown successor unit(s)",
            errors=field_error("successor_ids", ", ".join(map(str, ids)), "unknown_unit"),
        )


class SuccessorNotValid(Unprocessable):
    code = "unit_successor_not_valid"

    def __init__(self, ids: list[UUID], day: date) -> None:
        super().__init__(
            f"Đơn vị kế thừa không có hiệu lực vào ngày {day:%d/%m/%Y}",
            f"Successor unit(s) not valid on {day.isoformat()}",
            errors=field_error("successor_ids", ", ".join(map(str, ids)), "successor_not_valid"),
        )


class SuccessionBeforeStart(Unprocessable):
    code = "unit_succession_before_start"

    def __init__(self) -> None:
        super().__init__(
            "Ngày kế thừa phải sau ngày bắt đầu hiệu lực của đơn vị",
            "effective_on must be after the unit's valid_from",
            errors=field_error("effective_on", "not after valid_from", "succession_before_start"),
        )


class UnitAlreadyRetired(Conflict):
    code = "unit_already_retired"

    def __init__(self, valid_to: date) -> None:
        super().__init__(
            f"Đơn vị đã hết hiệu lực từ sau ngày {valid_to:%d/%m/%Y}",
            f"The unit was already retired after {valid_to.isoformat()}",
        )


class UnitAlreadySucceeded(Conflict):
    code = "unit_already_succeeded"

    def __init__(self) -> None:
        super().__init__("Đơn vị đã có đơn vị kế thừa", "The unit already has successors recorded")
