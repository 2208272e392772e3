"""The hand-rendered JSON access line says what structlog's pipeline would say for it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import structlog

from {{ cookiecutter.package_name }}.core.access_log import JsonAccessLogger, UtcStamper
from {{ cookiecutter.package_name }}.core.logging import (
    ACCESS_LOGGER_NAME,
    REDACTED,
    access_logger,
    configure_logging,
    redact_secrets,
)
from tests.conftest import make_settings

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


class Loggable:
    def __structlog__(self) -> str:
        return "loggable"


class Opaque:
    def __repr__(self) -> str:
        return "<opaque>"


@pytest.fixture(autouse=True)
def _request_context() -> Iterator[None]:
    structlog.contextvars.bind_contextvars(request_id="req-1", api_token="abc")
    yield
    structlog.contextvars.clear_contextvars()


def _lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


def test_json_format_uses_the_hand_rendered_line() -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    assert isinstance(access_logger(), JsonAccessLogger)
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="console"))
    assert not isinstance(access_logger(), JsonAccessLogger)


def test_it_matches_the_pipelines_line_key_for_key(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json"))
    fields = {"method": "GET", "path": '/a"b', "status": 200, "duration_ms": 1.5}
    structlog.get_logger(ACCESS_LOGGER_NAME).info("request", **fields)
    access_logger().info("request", **fields)
    through_pipeline, by_hand = (json.loads(line) for line in _lines(capsys))

    assert list(by_hand) == list(through_pipeline)
    assert ISO_UTC.match(by_hand.pop("timestamp"))
    assert ISO_UTC.match(through_pipeline.pop("timestamp"))
    assert by_hand == through_pipeline
    assert by_hand["request_id"] == "req-1"
    assert by_hand["api_token"] == REDACTED


def test_values_json_cannot_encode_are_logged_as_structlog_would(
    capsys: pytest.CaptureFixture[str],
) -> None:
    JsonAccessLogger("access", enabled=True, redact=redact_secrets).info(
        "request", own=Loggable(), other=Opaque()
    )
    line = json.loads(_lines(capsys)[0])
    assert (line["own"], line["other"]) == ("loggable", "<opaque>")
    assert ISO_UTC.match(line["timestamp"])


def test_nothing_is_written_when_info_lines_are_off(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(make_settings("sqlite+aiosqlite://", log_format="json", log_level="WARNING"))
    access_logger().info("request", status=200)
    assert _lines(capsys) == []


@pytest.mark.parametrize("now_ns", [1_767_225_600_000_000_000, 1_767_225_600_250_000_999])
def test_timestamps_read_as_datetime_writes_them(now_ns: int) -> None:
    stamper = UtcStamper()
    stamper(now_ns - 10**9)  # a second earlier, so the cached prefix must roll over
    second, nanos = divmod(now_ns, 10**9)
    moment = datetime.fromtimestamp(second, UTC) + timedelta(microseconds=nanos // 1000)
    assert stamper(now_ns) == moment.isoformat().replace("+00:00", "Z")
