"""Baked and installed projects, shared by the heavy tests of one test session.

`make install` is the slow step of every toolchain test, so each set of answers is baked and
installed once per session (per xdist worker) and reused by the tests that only run
commands in it. Tests that need a tree nobody else touches bake their own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from tests.support.commands import run, run_ok
from tests.support.cookies import Cookies, baked_path
from tests.support.services import missing
from tests.support.template import DEFAULT_PYTHON_VERSION

INSTALL_TIMEOUT_SECONDS = 600


class InstalledProjects:
    def __init__(self, cookies: Cookies, env: Mapping[str, str]) -> None:
        self._cookies = cookies
        self._env = env
        self._installed: dict[str, Path] = {}

    def installed(self, **answers: object) -> Path:
        """A project baked with these answers (defaults for the rest), after `make install`."""
        answers = {"python_version": DEFAULT_PYTHON_VERSION, **answers}
        key = json.dumps(answers, sort_keys=True)
        if key not in self._installed:
            path = baked_path(self._cookies.bake(extra_context=answers))
            python_version = str(answers["python_version"])
            # The baked project's own interpreter lookup decides, as it will for its users.
            found = run(["sh", "scripts/find-python.sh", python_version], path, self._env)
            if found.returncode != 0:
                missing(
                    f"Python {python_version}",
                    f"install it (for example `pyenv install {python_version}`): "
                    + found.stdout.strip(),
                )
            # As on a machine that sets PYTHONDONTWRITEBYTECODE=1: any bytecode in the venv
            # afterwards was compiled by `make install` itself.
            install_env = {**self._env, "PYTHONDONTWRITEBYTECODE": "1"}
            run_ok(["make", "install"], path, install_env, timeout=INSTALL_TIMEOUT_SECONDS)
            self._installed[key] = path
        return self._installed[key]
