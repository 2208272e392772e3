from __future__ import annotations

import json
import logging

import pytest
import structlog

from {{ cookiecutter.package_name }}.core.observability.logging import (
    ACCESS_LOGGER_NAME,
    REDACTED,
    access_logger,
    configure_logging,
    redact_secrets,
)
from tests.conftest import make_settings


def test_secret_fields_are_redacted_at_any_depth() -> None:
    event = {
        "event": "login",
        "password": "hunter2hunter2",
        "headers": {"Authorization": "Bearer abc", "Accept": "*/*"},
        "refresh_token": "abc",
        "user_id": "42",
    }
    cleaned = redact_secrets(None, "info", dict(event))
    assert cleaned["password"] == REDACTED
    assert cleaned["refresh_token"] == REDACTED
    assert cleaned["headers"] == {"Authorization": REDACTED, "Accept": "*/*"}
    assert cleaned["user_id"] == "42"


def test_json_lines_carry_the_bound_request_id_and_no_secret(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    structlog.contextvars.bind_contextvars(request_id="req-1")
    try:
        structlog.get_logger("test").info("something_happened", password="hunter2hunter2")
        logging.getLogger("uvicorn.error").info("from the standard library")
    finally:
        structlog.contextvars.clear_contextvars()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["event"] for line in lines] == ["something_happened", "from the standard library"]
    assert all(line["request_id"] == "req-1" for line in lines)
    assert lines[0]["password"] == REDACTED
    assert "hunter2hunter2" not in json.dumps(lines)


def test_every_line_is_written_at_once_in_the_order_logged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # No line waits for another writer or a later moment: each is on stderr when the call
    # returns, whichever road it took (the access line's own writer or the standard library's).
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    access_logger().info("request", status=200)
    assert [json.loads(line)["event"] for line in capsys.readouterr().err.splitlines()] == [
        "request"
    ]
    structlog.get_logger("errors").error("after_the_first_request")
    access_logger().info("request", status=500)
    logging.getLogger("uvicorn.error").warning("from the standard library")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["logger"], line["event"]) for line in lines] == [
        ("errors", "after_the_first_request"),
        (ACCESS_LOGGER_NAME, "request"),
        ("uvicorn.error", "from the standard library"),
    ]


def test_json_lines_are_compact_utf8_with_the_pipelines_key_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    logging.getLogger("uvicorn.error").info("café %s", "ok")
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith('{"event":"café ok","level":"info","logger":"uvicorn.error",')
    assert list(json.loads(line)) == ["event", "level", "logger", "timestamp"]


def test_json_lines_use_the_semantic_convention_names_in_the_order_logged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    structlog.get_logger("test").info(
        "session_started", user_id="42", session_id="7", reason="kept", status=201
    )
    logging.getLogger("library").info("plain %s", "record")

    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    event, record = lines
    assert list(event)[:5] == [
        "user.id",
        "session.id",
        "reason",
        "http.response.status_code",
        "event",
    ]
    assert (event["user.id"], event["session.id"], event["http.response.status_code"]) == (
        "42",
        "7",
        201,
    )
    assert not {"user_id", "session_id", "status"} & set(event)
    assert record["event"] == "plain record"


def test_a_traceback_is_the_exception_stacktrace_field(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    try:
        raise ValueError("boom")
    except ValueError:
        structlog.get_logger("test").exception("it_failed", error_type="ValueError")

    (line,) = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert "ValueError: boom" in line["exception.stacktrace"]
    assert line["error.type"] == "ValueError"
    assert "exception" not in line


def test_the_console_format_keeps_the_short_names(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="console"))
    structlog.get_logger("test").info("session_started", user_id="42")

    err = capsys.readouterr().err
    assert "user_id" in err
    assert "user.id" not in err
