"""Tell the user what to do next.

This hook only prints. It runs no network, git or install step and writes no file, because
cruft re-runs hooks on every `cruft update` and `cruft diff`: anything random or
machine-specific written here would turn into a conflict in every baked service. First-run
setup (the development `.env` with a generated secret) belongs to the baked project's
`make install` and `make run`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping


def next_steps(answers: Mapping[str, object]) -> str:
    slug = answers["project_slug"]
    return "\n".join(
        [
            f"Generated {answers['project_name']} in ./{slug}",
            "",
            "Next steps:",
            f"  cd {slug}",
            "  make run      # installs, migrates the embedded SQLite database, serves on :8000",
            "  make test     # the service's test suite",
            "  make admin    # creates the first administrator account",
            "",
            "Open http://127.0.0.1:8000/docs for the interactive API documentation.",
        ]
    )


if __name__ == "__main__":
    print(next_steps(json.loads(r"""{{ cookiecutter | tojson }}""")))
