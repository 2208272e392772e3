#!/bin/sh
# Regenerates the baked project's lock file after a dependency change in its pyproject.toml:
# scripts/relock.py locks every combination of the answers the dependencies follow and merges
# them into the skeleton's one templated uv.lock. Needs the template's Python (cookiecutter)
# and uv on PATH, as `make relock` does.
set -eu
exec python3 "$(dirname "$0")/relock.py" "$@"
