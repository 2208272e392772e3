#!/bin/sh
# Regenerates the baked project's lock files after a dependency change in its pyproject.toml.
# The dependencies depend on the `database` answer (asyncpg only for PostgreSQL), so there is
# one lock per value, each stored under a conditional file name that renders to `uv.lock`
# for its value and to nothing (the file is skipped) for the other. Each lock is resolved for
# every Python the template offers (requires-python >= 3.11) and stored with the project name
# templated, so every bake ships a lock that matches its pyproject.toml.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for database in postgresql sqlite; do
    # The manifests do not touch the lock, and the hook refuses them with SQLite.
    python3 -m cookiecutter --no-input -o "$work/$database" "$here" "database=$database" \
        include_kubernetes=false >/dev/null
    (cd "$work/$database/orders-service" && UV_PYTHON_DOWNLOADS=never uv lock --quiet)
    target="$here/{{cookiecutter.project_slug}}/{% if cookiecutter.database == \"$database\" %}uv.lock{% endif %}"
    sed 's/^name = "orders-service"$/name = "{{ cookiecutter.project_slug }}"/' \
        "$work/$database/orders-service/uv.lock" > "$target"
    echo "updated lock for database=$database"
done
