"""Structured logging: one structlog pipeline for the service, uvicorn and SQLAlchemy.

JSON lines in production (one object per line, ready for a log shipper), a readable console
renderer in development. The request id bound by the middleware appears in every line logged
while that request runs, including lines from libraries that use the standard `logging` module.

Every line, the access line included, goes through the same processors and the same renderer
(`render_json` in the JSON format) and is written to stderr at once, in one write: no line is
held back, so none is lost when the process is killed, and lines keep the order they were
logged in. The access line, written once per request, takes a shorter road there: straight
from its structlog logger to the stream, not through the standard library's records, handler
and formatter, which would cost more than a small request itself. A handler added to the
standard `logging` module therefore sees every line but that one.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from pydantic_core import PydanticSerializationError, to_json
from structlog.types import EventDict, FilteringBoundLogger, Processor, WrappedLogger

from {{ cookiecutter.package_name }}.core.config import CoreSettings
from {{ cookiecutter.package_name }}.core.observability.tracing import tracing_enabled

REDACTED = "[redacted]"
# Key fragments whose values are secrets: any log field whose name contains one is masked,
# wherever it was bound.
SENSITIVE_KEY_PARTS = ("password", "secret", "token", "authorization", "cookie", "api_key")
# Values that cannot hold a nested mapping: returned as they are, without the Mapping check.
_SCALARS = frozenset({str, int, float, bool, type(None)})
ACCESS_LOGGER_NAME = "access"
# The JSON lines' field names follow OpenTelemetry's semantic conventions wherever one names the
# field (docs/observability.md, "Log fields"), so a log pipeline indexes them beside the traces
# and other services' logs. Code logs the short names; the JSON renderer writes these instead.
SCHEMA_NAMES = {
    "method": "http.request.method",
    "path": "url.path",
    "route": "http.route",
    "status": "http.response.status_code",
    "client_ip": "client.address",
    "user_id": "user.id",
    "session_id": "session.id",
    "error_type": "error.type",
    "exception": "exception.stacktrace",
}


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


def _fallback(value: object) -> object:
    # As structlog's JSON renderer does: a value's own log form if it has one, else its repr.
    try:
        return value.__structlog__()  # type: ignore[attr-defined]
    except AttributeError:
        return repr(value)


def to_schema_names(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> EventDict:
    """Rename the fields SCHEMA_NAMES maps, keeping the order they were logged in."""
    if SCHEMA_NAMES.keys().isdisjoint(event_dict):
        return event_dict
    return {SCHEMA_NAMES.get(key, key): value for key, value in event_dict.items()}


def render_json(_logger: WrappedLogger, _method: str, event_dict: EventDict) -> str:
    """The JSON renderer of every line: compact JSON, keys in the pipeline's order, UTF-8 text.

    pydantic-core's encoder, several times faster than the standard library's (which
    structlog's `JSONRenderer` builds anew on every call); any JSON reader sees the same object.
    """
    try:
        return to_json(event_dict, fallback=_fallback).decode()
    except PydanticSerializationError:
        # Bytes that are not UTF-8 (pydantic-core writes bytes as text): written as their repr.
        return json.dumps(event_dict, default=_fallback, ensure_ascii=False, separators=(",", ":"))


def write_line(line: str) -> None:
    """Write `line` and a newline to the current `sys.stderr`, in one write, at once.

    The stream of the moment, not of start-up: test runners and supervisors replace it.
    """
    stream = sys.stderr
    stream.write(line + "\n")
    stream.flush()


class StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is at the time of the call, not at configuration.

    A handler bound to the stream object of start-up keeps writing to it after stderr is
    redirected (by a test runner or a process supervisor), and fails once it is closed.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            write_line(self.format(record))
        except Exception:
            self.handleError(record)


class StderrLineWriter:
    """A structlog logger writing each rendered line to the current `sys.stderr`.

    The access line's writer: it runs before the answer's last message is sent, so a stderr
    that can no longer be written (closed, or its reader gone) loses the line, as the standard
    library's handler would, rather than the answer.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name  # read by the add_logger_name processor

    def msg(self, line: str) -> None:
        try:
            write_line(line)
        except (OSError, ValueError):  # ValueError: a closed stream
            return

    debug = info = warning = error = critical = exception = msg


# Replaced by configure_logging; until then the access line goes through the normal pipeline.
_access_logger: FilteringBoundLogger = structlog.get_logger(ACCESS_LOGGER_NAME)


def access_logger() -> FilteringBoundLogger:
    """The logger for the access line, as the last configure_logging call built it."""
    return _access_logger


def configure_logging(settings: CoreSettings) -> None:
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
    if tracing_enabled(settings):
        # Imported with tracing on only: see trace_ids.py.
        from {{ cookiecutter.package_name }}.core.observability import trace_ids  # noqa: PLC0415

        shared.insert(1, trace_ids.add_trace_ids)
    renderer: Processor
    # The console renderer keeps the short names: it is read by people, and it lays out the
    # `exception` field as a traceback.
    naming: list[Processor] = []
    # Tracebacks are rendered by the handler's formatter, built anew by each call, and not in
    # `shared`: a logger cached under an earlier configuration keeps that one's processors.
    rendering: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if settings.resolved_log_format == "json":
        renderer = render_json
        rendering.append(structlog.processors.format_exc_info)
        naming.append(to_schema_names)
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
            processors=[*rendering, *naming, renderer],
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
    # The same processors and renderer as every other line, without the standard library's
    # records. Bound now: the proxy wrap_logger returns would build a logger on every call.
    _access_logger = structlog.wrap_logger(
        StderrLineWriter(ACCESS_LOGGER_NAME),
        processors=[*shared, *naming, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
    ).bind()

    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    # SQL statements at INFO only when asked for: they can be large and carry parameters.
    logging.getLogger("sqlalchemy.engine").setLevel(
        logging.INFO if settings.database_echo else logging.WARNING
    )
