"""Access lines of one event-loop turn go out together, in order, and none is held back."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest

from {{ cookiecutter.package_name }}.core.access_log import JsonAccessLogger
from {{ cookiecutter.package_name }}.core.log_buffer import LineBuffer
from {{ cookiecutter.package_name }}.core.logging import StderrLineWriter, redact_secrets


class RecordingStream:
    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_outside_an_event_loop_a_line_is_written_at_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    LineBuffer().write("one")
    assert capsys.readouterr().err == "one\n"


async def test_a_turns_lines_are_written_in_one_write_at_the_next_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = RecordingStream()
    monkeypatch.setattr(sys, "stderr", stream)
    lines = LineBuffer()
    for text in ("one", "two", "three"):
        lines.write(text)
    assert stream.writes == []

    await asyncio.sleep(0)

    assert stream.writes == ["one\ntwo\nthree\n"]


async def test_another_writer_puts_the_waiting_lines_first(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = LineBuffer()
    monkeypatch.setattr("{{ cookiecutter.package_name }}.core.logging.ACCESS_LINES", lines)
    lines.write("access 1")
    StderrLineWriter("errors").msg("error after access 1")
    lines.write("access 2")
    await asyncio.sleep(0)

    assert capsys.readouterr().err.splitlines() == ["access 1", "error after access 1", "access 2"]


def test_lines_left_by_a_stopped_loop_go_out_with_the_next_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = LineBuffer()

    async def log() -> None:
        lines.write("left behind")

    loop = asyncio.new_event_loop()
    task = loop.create_task(log())
    loop.call_soon(loop.stop)  # after the task's step, before the flush it schedules
    loop.run_forever()
    loop.close()
    assert task.done()
    assert capsys.readouterr().err == ""

    async def log_and_yield() -> None:
        lines.write("next")
        await asyncio.sleep(0)

    asyncio.run(log_and_yield())

    assert capsys.readouterr().err.splitlines() == ["left behind", "next"]


async def test_the_json_access_line_is_written_after_the_turn(
    capsys: pytest.CaptureFixture[str],
) -> None:
    JsonAccessLogger("access", enabled=True, redact=redact_secrets).info("request", status=200)
    assert capsys.readouterr().err == ""

    await asyncio.sleep(0)

    [line] = capsys.readouterr().err.splitlines()
    assert json.loads(line)["status"] == 200
