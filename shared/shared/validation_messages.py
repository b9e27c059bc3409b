"""Request-validation messages in Vietnamese and English, chosen from pydantic's error ``type``.

pydantic's own ``msg`` is English only; ``message(error, english)`` renders one entry of
``ValidationError.errors()`` from the table below, with the limits from the error's ``ctx``
("không được nhỏ hơn 1" / "must be at least 1"). A type the table does not list gets a generic
Vietnamese sentence (and pydantic's English under ``Accept-Language: en``).

A validator of ours raises ``Invalid(vi, en)``, a ``ValueError`` carrying both texts, which is
rendered as written; a bare ``ValueError`` keeps its (English) text after the generic sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

GENERIC_VI = "Giá trị không hợp lệ"
GENERIC_EN = "Invalid value"


class Invalid(ValueError):
    """A validator's own message, in both languages: ``raise Invalid("…", "…")``."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


_NUMBER_VI = "Phải là một số"
_NUMBER_EN = "Must be a number"
_DATE_VI = "Phải là một ngày hợp lệ, dạng YYYY-MM-DD"
_DATE_EN = "Must be a valid date (YYYY-MM-DD)"
_DATETIME_VI = "Phải là một thời điểm hợp lệ, dạng ISO 8601"
_DATETIME_EN = "Must be a valid date and time (ISO 8601)"
_OBJECT_VI = "Phải là một đối tượng JSON"
_OBJECT_EN = "Must be a JSON object"
_UUID_VI = "Phải là một mã định danh (UUID) hợp lệ"
_UUID_EN = "Must be a valid UUID"
_BOOL_VI = "Phải là true hoặc false"
_BOOL_EN = "Must be true or false"
_INT_VI = "Phải là một số nguyên"
_INT_EN = "Must be an integer"
_STRING_VI = "Phải là một chuỗi ký tự"
_STRING_EN = "Must be a string"
_CHOICE_VI = "Phải là một trong các giá trị: {expected}"
_CHOICE_EN = "Must be one of: {expected}"

# type -> (Vietnamese, English); ``{name}`` is filled from the error's ``ctx``.
MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Thiếu trường bắt buộc", "Field required"),
    "missing_argument": ("Thiếu trường bắt buộc", "Field required"),
    "extra_forbidden": ("Trường này không được phép", "This field is not allowed"),
    "unexpected_keyword_argument": ("Trường này không được phép", "This field is not allowed"),
    "frozen_field": ("Trường này không được thay đổi", "This field cannot be changed"),
    "none_required": ("Phải để trống (null)", "Must be null"),
    "int_parsing": (_INT_VI, _INT_EN),
    "int_type": (_INT_VI, _INT_EN),
    "int_from_float": (
        "Phải là một số nguyên, không có phần thập phân",
        "Must be a whole number, without a fractional part",
    ),
    "int_parsing_size": ("Số quá lớn", "Number too large"),
    "float_parsing": (_NUMBER_VI, _NUMBER_EN),
    "float_type": (_NUMBER_VI, _NUMBER_EN),
    "finite_number": ("Phải là một số hữu hạn", "Must be a finite number"),
    "decimal_parsing": (_NUMBER_VI, _NUMBER_EN),
    "decimal_type": (_NUMBER_VI, _NUMBER_EN),
    "decimal_max_digits": (
        "Không được có quá {max_digits} chữ số",
        "Must have at most {max_digits} digits",
    ),
    "decimal_max_places": (
        "Không được có quá {decimal_places} chữ số sau dấu thập phân",
        "Must have at most {decimal_places} decimal places",
    ),
    "decimal_whole_digits": (
        "Phần nguyên không được có quá {whole_digits} chữ số",
        "Must have at most {whole_digits} digits before the decimal point",
    ),
    "greater_than": ("Phải lớn hơn {gt}", "Must be greater than {gt}"),
    "greater_than_equal": ("Không được nhỏ hơn {ge}", "Must be at least {ge}"),
    "less_than": ("Phải nhỏ hơn {lt}", "Must be less than {lt}"),
    "less_than_equal": ("Không được lớn hơn {le}", "Must be at most {le}"),
    "multiple_of": ("Phải là bội số của {multiple_of}", "Must be a multiple of {multiple_of}"),
    "string_type": (_STRING_VI, _STRING_EN),
    "string_unicode": ("Phải là văn bản Unicode hợp lệ", "Must be valid Unicode text"),
    "string_too_short": (
        "Phải có ít nhất {min_length} ký tự",
        "Must have at least {min_length} characters",
    ),
    "string_too_long": (
        "Không được dài quá {max_length} ký tự",
        "Must be at most {max_length} characters long",
    ),
    "string_pattern_mismatch": (
        "Không đúng định dạng yêu cầu ({pattern})",
        "Does not match the expected format ({pattern})",
    ),
    "too_short": (
        "Phải có ít nhất {min_length} phần tử",
        "Must have at least {min_length} items",
    ),
    "too_long": ("Không được có quá {max_length} phần tử", "Must have at most {max_length} items"),
    "literal_error": (_CHOICE_VI, _CHOICE_EN),
    "enum": (_CHOICE_VI, _CHOICE_EN),
    "uuid_parsing": (_UUID_VI, _UUID_EN),
    "uuid_type": (_UUID_VI, _UUID_EN),
    "uuid_version": (
        "Phải là UUID phiên bản {expected_version}",
        "Must be a version {expected_version} UUID",
    ),
    "date_parsing": (_DATE_VI, _DATE_EN),
    "date_type": (_DATE_VI, _DATE_EN),
    "date_from_datetime_parsing": (_DATE_VI, _DATE_EN),
    "date_from_datetime_inexact": (
        "Phải là một ngày, không kèm giờ",
        "Must be a date, without a time of day",
    ),
    "date_past": ("Phải là một ngày trong quá khứ", "Must be a date in the past"),
    "date_future": ("Phải là một ngày trong tương lai", "Must be a date in the future"),
    "datetime_parsing": (_DATETIME_VI, _DATETIME_EN),
    "datetime_type": (_DATETIME_VI, _DATETIME_EN),
    "datetime_from_date_parsing": (_DATETIME_VI, _DATETIME_EN),
    "timezone_aware": ("Phải ghi rõ múi giờ", "Must include a time zone"),
    "timezone_naive": ("Không được ghi múi giờ", "Must not include a time zone"),
    "time_parsing": ("Phải là một giờ hợp lệ, dạng HH:MM", "Must be a valid time (HH:MM)"),
    "time_type": ("Phải là một giờ hợp lệ, dạng HH:MM", "Must be a valid time (HH:MM)"),
    "bool_parsing": (_BOOL_VI, _BOOL_EN),
    "bool_type": (_BOOL_VI, _BOOL_EN),
    "json_invalid": ("Nội dung JSON không hợp lệ", "Invalid JSON"),
    "json_type": ("Nội dung JSON không hợp lệ", "Invalid JSON"),
    "list_type": ("Phải là một danh sách", "Must be a list"),
    "tuple_type": ("Phải là một danh sách", "Must be a list"),
    "set_type": ("Phải là một danh sách không trùng lặp", "Must be a list without duplicates"),
    "dict_type": (_OBJECT_VI, _OBJECT_EN),
    "model_type": (_OBJECT_VI, _OBJECT_EN),
    "model_attributes_type": (_OBJECT_VI, _OBJECT_EN),
    "dataclass_type": (_OBJECT_VI, _OBJECT_EN),
    "union_tag_invalid": (
        "Loại không hợp lệ; phải là một trong: {expected_tags}",
        "Invalid kind; must be one of: {expected_tags}",
    ),
    "union_tag_not_found": ("Thiếu trường {discriminator}", "Field {discriminator} is missing"),
    "url_parsing": ("Phải là một địa chỉ URL hợp lệ", "Must be a valid URL"),
    "url_type": ("Phải là một địa chỉ URL hợp lệ", "Must be a valid URL"),
    "url_scheme": (
        "Địa chỉ URL phải bắt đầu bằng {expected_schemes}",
        "URL scheme must be {expected_schemes}",
    ),
    "bytes_type": ("Phải là dữ liệu nhị phân", "Must be binary data"),
    "bytes_too_long": ("Không được quá {max_length} byte", "Must be at most {max_length} bytes"),
    "bytes_too_short": (
        "Phải có ít nhất {min_length} byte",
        "Must have at least {min_length} bytes",
    ),
}

# Natural wording where a limit reads better as words: "không được âm", "không được để trống".
_SPECIAL: dict[tuple[str, str, Any], tuple[str, str]] = {
    ("greater_than_equal", "ge", 0): ("Không được âm", "Must not be negative"),
    ("greater_than", "gt", 0): ("Phải lớn hơn 0", "Must be greater than 0"),
    ("string_too_short", "min_length", 1): ("Không được để trống", "Must not be empty"),
    ("too_short", "min_length", 1): ("Phải có ít nhất một phần tử", "Must have at least one item"),
}


def _vi_choices(text: str) -> str:
    """pydantic's ``expected`` ("'lead' or 'coordinating'") with a Vietnamese "hoặc"."""
    return text.replace(" or ", " hoặc ")


def _format(template: str, ctx: Mapping[str, Any], english: bool) -> str | None:
    values = {k: (v if english or k != "expected" else _vi_choices(str(v))) for k, v in ctx.items()}
    try:
        return template.format_map(values)
    except (KeyError, IndexError, ValueError):
        return None


def messages(error: Mapping[str, Any]) -> tuple[str, str]:
    """The (Vietnamese, English) message of one pydantic error entry."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    pydantic_en = str(error.get("msg") or GENERIC_EN)
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if isinstance(cause, Invalid):
            return cause.vi, cause.en
        text = str(cause) if cause is not None else pydantic_en
        return (f"{GENERIC_VI}: {text}" if text else GENERIC_VI), (text or GENERIC_EN)
    for (special, key, value), pair in _SPECIAL.items():
        if kind == special and key in ctx and ctx[key] == value:
            return pair
    if kind not in MESSAGES:
        return GENERIC_VI, pydantic_en
    vi, en = MESSAGES[kind]
    return (_format(vi, ctx, False) or GENERIC_VI), (_format(en, ctx, True) or pydantic_en)


def message(error: Mapping[str, Any], english: bool) -> str:
    """One pydantic error entry's message in the caller's language."""
    vi, en = messages(error)
    return en if english else vi
