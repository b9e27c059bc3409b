"""JSON logs on stdout, each line carrying the request id of the request being served."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from shared.context import request_id_var


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            static_fields={"service": service},
        )
    )
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Our access log replaces uvicorn's (which would print query strings verbatim).
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every URL it calls, query string included, at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
