from __future__ import annotations

from shared.errors import Unprocessable


class UnknownEventTypes(Unprocessable):
    code = "unknown_event_type"
    title_vi = "Loại sự kiện không xác định"
    title_en = "Unknown event type"


class InvalidEventData(Unprocessable):
    code = "invalid_event_data"
    title_vi = "Dữ liệu sự kiện không đúng hợp đồng"
    title_en = "Event data does not match its contract"
