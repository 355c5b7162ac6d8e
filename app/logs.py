"""Logging, configured once at start: every ``rembuk`` command, and each server worker
(uvicorn applies the same configuration in every process it starts).

One handler on the root logger, writing to stderr: uvicorn's own loggers
(``uvicorn.error``, ``uvicorn.access``) keep no handler of their own and pass their
records up, so a line looks the same whoever wrote it. ``REMBUK_LOG_FORMAT=text``:
``2026-12-07T02:15:04.123Z WARNING rembuk.csrf: refused a cross-origin POST /login …``;
``json``: one object per line, ``{"time": …, "level": …, "logger": …, "message": …}``
(plus ``exc_info`` when there is a traceback), for a log collector.

Times are UTC with a ``Z``: a log is read next to other machines' logs, not by the room.
What Rembuk logs never names a person or an office: participants' names and
organisations stay in the database, ``app/db.py`` hides SQL parameters in errors, and
the access log leaves out query strings (a phone's search words, ``/s/7/all-ideas?q=...``).
"""

from __future__ import annotations

import logging
import logging.config
import time
from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from app.settings import LogFormat, Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
# Alembic lists the plugins it loads each time a worker checks the schema: not news.
QUIET_LOGGERS = ("alembic.runtime.plugins",)


class WithoutQuery(logging.Filter):
    """uvicorn's access line without the query string: ``GET /s/7/all-ideas?...``."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        # uvicorn.access: (client address, method, path with query, HTTP version, status)
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0] + "?...", *args[3:])
        return True


class UtcTime(logging.Formatter):
    """ISO 8601 in UTC with milliseconds (logging's default is local time, no zone)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


class TextLines(UtcTime):
    """One readable line per record."""


class JsonLines(UtcTime, JsonFormatter):
    """One JSON object per record, with short field names."""

    def __init__(self) -> None:
        super().__init__(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            # uvicorn adds the message again with terminal colours: not for a collector.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )


def logging_config(settings: Settings) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of these settings (also handed to uvicorn)."""
    if settings.log_format is LogFormat.json:
        formatter: dict[str, Any] = {"()": JsonLines}
    else:
        formatter = {"()": TextLines, "fmt": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"rembuk": formatter},
        "filters": {"without_query": {"()": WithoutQuery}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "rembuk", "stream": "ext://sys.stderr"}},
        "root": {"level": settings.log_level.value, "handlers": ["stderr"]},
        # No handler of their own: their records reach the root's (uvicorn sets their levels).
        "loggers": {
            **{name: {"handlers": [], "propagate": True} for name in UVICORN_LOGGERS},
            "uvicorn.access": {"handlers": [], "propagate": True, "filters": ["without_query"]},
            **{name: {"level": "WARNING"} for name in QUIET_LOGGERS},
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings))
