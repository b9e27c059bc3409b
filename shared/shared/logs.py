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


class _AppError(logging.Filter):
    """Drops uvicorn's "Exception in ASGI application": Starlette re-raises an error after its
    500 handler answered, and uvicorn would print the traceback (with SQL values) once more."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Exception in ASGI application")


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
    # uvicorn's own lines as JSON too, and without its second, plain-text traceback of an error
    # that the 500 handler (shared.errors) has already logged, request id and all.
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.filters[:] = [f for f in uvicorn_error.filters if not isinstance(f, _AppError)]
    uvicorn_error.addFilter(_AppError())
    # httpx logs every URL it calls, query string included, at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
