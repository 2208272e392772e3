"""Structured logging: one structlog pipeline for the service, uvicorn and SQLAlchemy.

JSON lines in production (one object per line, ready for a log shipper), a readable console
renderer in development. The request id bound by the middleware appears in every line logged
while that request runs, including lines from libraries that use the standard `logging` module.

The access line, written once per request, takes a shorter road to the same output: not
through the standard library's records, handler and formatter, which would cost more than a
small request itself, but rendered by hand in JSON (`core/access_log.py`) or by structlog's
console renderer directly. A handler added to the standard `logging` module therefore sees
every line but that one.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from {{ cookiecutter.package_name }}.core.access_log import AccessLogger, JsonAccessLogger
from {{ cookiecutter.package_name }}.core.config import Settings
from {{ cookiecutter.package_name }}.core.log_buffer import ACCESS_LINES

REDACTED = "[redacted]"
# Key fragments whose values are secrets: any log field whose name contains one is masked,
# wherever it was bound.
SENSITIVE_KEY_PARTS = ("password", "secret", "token", "authorization", "cookie", "api_key")
# Values that cannot hold a nested mapping: returned as they are, without the Mapping check.
_SCALARS = frozenset({str, int, float, bool, type(None)})
ACCESS_LOGGER_NAME = "access"


@functools.lru_cache(maxsize=4096)
def _is_sensitive(key: str) -> bool:
    # Cached: the same few keys come back on every line.
    lowered = key.lower()
    return any(part in lowered for part in SENSITIVE_KEY_PARTS)


def _redact_value(value: object) -> object:
    if type(value) in _SCALARS:
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED if _is_sensitive(str(key)) else _redact_value(item)
            for key, item in value.items()
        }
    return value


def redact_secrets(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Mask passwords, tokens and credential headers before any renderer sees them."""
    for key, value in event_dict.items():
        if _is_sensitive(key) or type(value) not in _SCALARS:
            break
    else:
        # Most lines: plain keys and scalar values, nothing to mask, nothing to copy.
        return event_dict
    for key in list(event_dict):
        if _is_sensitive(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _redact_value(event_dict[key])
    return event_dict


def _drop_color_message(
    _logger: WrappedLogger, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    # uvicorn duplicates each message with ANSI colours in `color_message`.
    event_dict.pop("color_message", None)
    return event_dict


class StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is at the time of the call, not at configuration.

    A handler bound to the stream object of start-up keeps writing to it after stderr is
    redirected (by a test runner or a process supervisor), and fails once it is closed.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # After the access lines logged before it (core/log_buffer.py).
            ACCESS_LINES.write_now(self.format(record))
        except Exception:
            self.handleError(record)


class StderrLineWriter:
    """A structlog logger writing each rendered line to the current `sys.stderr`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name  # read by the add_logger_name processor

    def msg(self, line: str) -> None:
        # After the access lines logged before it (core/log_buffer.py).
        ACCESS_LINES.write_now(line)

    debug = info = warning = error = critical = exception = msg


# Replaced by configure_logging; until then the access line goes through the normal pipeline.
_access_logger: AccessLogger = structlog.get_logger(ACCESS_LOGGER_NAME)


def access_logger() -> AccessLogger:
    """The logger for the access line, as the last configure_logging call built it."""
    return _access_logger


def configure_logging(settings: Settings) -> None:
    """Route structlog and the standard library through one renderer. Safe to call again."""
    global _access_logger  # noqa: PLW0603 - rebuilt along with the configuration it follows
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_color_message,
        redact_secrets,
    ]
    renderer: Processor
    if settings.resolved_log_format == "json":
        renderer = structlog.processors.JSONRenderer()
        shared.append(structlog.processors.format_exc_info)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())

    structlog.configure(
        processors=[
            *shared,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

    handler = StderrHandler()
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)

    # uvicorn installs its own handlers; hand its records to the root pipeline instead. Its
    # access log is replaced by the middleware's line, which carries the request id.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    level = logging.getLevelNamesMapping()[settings.log_level]
    if settings.resolved_log_format == "json":
        # The same line the pipeline would render, written without it (core/access_log.py).
        _access_logger = JsonAccessLogger(
            ACCESS_LOGGER_NAME, enabled=level <= logging.INFO, redact=redact_secrets
        )
    else:
        _access_logger = structlog.wrap_logger(
            StderrLineWriter(ACCESS_LOGGER_NAME),
            processors=[*shared, renderer],
            wrapper_class=structlog.make_filtering_bound_logger(level),
        )

    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    # SQL statements at INFO only when asked for: they can be large and carry parameters.
    logging.getLogger("sqlalchemy.engine").setLevel(
        logging.INFO if settings.database_echo else logging.WARNING
    )
