"""Running the baked project's tools as a service team would: in a clean environment.

The template's tests run inside the template's own virtualenv (under `uv run`, often under
`make`). None of that may leak into a baked project: its Makefile must find its own Python,
make its own .venv and read its own settings, exactly as on a fresh checkout.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

# Variables that would point a baked project at the template's interpreter, virtualenv,
# make invocation or database instead of its own. Every PYTEST_* variable goes too: they
# belong to the template's pytest session (xdist worker ids, addopts, the current test).
LEAKY_VARIABLES = frozenset(
    {
        # interpreter and virtualenv
        "VIRTUAL_ENV",
        "CONDA_PREFIX",
        "PYTHONPATH",
        "PYTHONHOME",
        "UV_PYTHON",
        "UV_PROJECT_ENVIRONMENT",
        "UV_RUN_RECURSION_DEPTH",
        # the outer make, and variables the baked Makefile reads with `?=`
        "MAKEFLAGS",
        "MFLAGS",
        "MAKELEVEL",
        "PYTHON",
        "HOST",
        "PORT",
        # the baked service's settings, which its own .env and tests decide
        "TEST_DATABASE_URL",
        "DATABASE_URL",
        "SECRET_KEY",
        "ENVIRONMENT",
    }
)
LEAKY_PREFIXES = ("PYTEST_",)
OUTPUT_TAIL_LINES = 60
FAILURE_EXCERPT_LINES = 200
PYTEST_FAILURES = re.compile(r"^=+ (FAILURES|ERRORS) =+$")
PYTEST_CAPTURED = re.compile(r"^-+ Captured (log|stdout|stderr) ")
PYTEST_SECTION = re.compile(r"^(_{3,} .+ _{3,}|=+ .+ =+)$")


def template_tool(name: str) -> Path:
    """An executable installed in the template's own virtualenv (cruft, check-jsonschema, uv)."""
    path = Path(sys.executable).parent / name
    assert path.exists(), f"{name} is not installed in {path.parent}; run `make install`"
    return path


def clean_environment(tool_dir: Path) -> dict[str, str]:
    """This process's environment without the leaks, with only `tool_dir` added to PATH.

    `tool_dir` holds the template's uv, so baked Makefiles reuse it (and the shared uv cache)
    instead of bootstrapping their own copy into every bake.
    """
    own_bin = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != own_bin]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in LEAKY_VARIABLES and not key.startswith(LEAKY_PREFIXES)
    }
    env["PATH"] = os.pathsep.join([str(tool_dir), *path])
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def run(
    args: Sequence[str | Path],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; stdout and stderr interleaved, as a terminal shows them.

    The command gets its own process group, so a timeout ends everything it started (make
    -> uv -> pytest -> a server), not only its first process.
    """
    command = [str(arg) for arg in args]
    with subprocess.Popen(
        command,
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            result = subprocess.CompletedProcess(command, process.wait(), output)
            pytest.fail(f"timed out after {timeout:.0f}s: {describe(result)}")
    return subprocess.CompletedProcess(command, process.returncode, output)


def pytest_failures(output: str) -> list[str]:
    """The FAILURES/ERRORS section of a pytest run, without its captured logs and output."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if PYTEST_FAILURES.match(line)), None)
    if start is None:
        return []
    excerpt: list[str] = []
    capturing = False
    for line in lines[start:]:
        if PYTEST_CAPTURED.match(line):
            capturing = True
        elif PYTEST_SECTION.match(line):
            capturing = False
        if not capturing:
            excerpt.append(line)
    return excerpt[:FAILURE_EXCERPT_LINES]


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """A failure message: the command, its exit status, pytest's failures and the output's end."""
    command = " ".join(str(arg) for arg in result.args)
    failures = "\n".join(pytest_failures(result.stdout))
    tail = "\n".join(result.stdout.splitlines()[-OUTPUT_TAIL_LINES:])
    message = f"`{command}` exited with {result.returncode}"
    if failures:
        message += f"; its test failures:\n{failures}\n..."
    return f"{message}\nlast lines of its output:\n{tail}"


def run_ok(
    args: Sequence[str | Path],
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    result = run(args, cwd, env, timeout)
    assert result.returncode == 0, describe(result)
    return result
