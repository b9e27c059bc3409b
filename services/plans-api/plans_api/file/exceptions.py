"""Errors of evidence files: stable codes, Vietnamese and English text.

Size, emptiness and type errors are those of the shared upload checker, :mod:`shared.uploads`
(``file_too_large``, ``file_empty``, ``unsupported_file_type``, ``file_type_mismatch``, …)."""

from __future__ import annotations

from shared.errors import Forbidden, NotFound, Unprocessable, field_error


class FileNotFound(NotFound):
    code = "file_not_found"

    def __init__(self) -> None:
        super().__init__("Không tìm thấy tệp", "File not found")


class UnitRequired(Forbidden):
    code = "unit_required"

    def __init__(self) -> None:
        super().__init__(
            "Tài khoản chưa gắn với đơn vị nên không tải tệp lên được",
            "Your account belongs to no unit, so it cannot upload files",
        )


class UnknownFile(Unprocessable):
    code = "unknown_file"

    def __init__(self, index: int) -> None:
        super().__init__(
            "Tệp minh chứng không tồn tại hoặc bạn không được xem",
            "The evidence file does not exist or you may not see it (upload it with POST /files)",
            errors=field_error(f"evidence.{index}.file_id", "unknown file", self.code),
        )
