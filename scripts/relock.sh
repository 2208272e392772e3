#!/bin/sh
# Regenerates the baked project's uv.lock after a dependency change in its pyproject.toml.
# The lock is resolved for every Python the template offers (requires-python >= 3.11) and
# stored with the project name templated, so every bake ships a lock that matches it.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m cookiecutter --no-input -o "$work" "$here"
(cd "$work/orders-service" && UV_PYTHON_DOWNLOADS=never uv lock)
sed 's/^name = "orders-service"$/name = "{{ cookiecutter.project_slug }}"/' \
    "$work/orders-service/uv.lock" > "$here/{{cookiecutter.project_slug}}/uv.lock"
echo "updated {{cookiecutter.project_slug}}/uv.lock"
