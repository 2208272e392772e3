#!/bin/sh
# Regenerates the baked project's lock files after a dependency change in its pyproject.toml.
# The dependencies depend on two answers, `database` (asyncpg for PostgreSQL, asyncmy for
# MySQL) and `include_background_jobs` (taskiq and its brokers only with the jobs), so there is
# one lock per pair of values, each stored under a conditional file name that renders to
# `uv.lock` for its pair and to nothing (the file is skipped) for the other five. Each bake
# starts from the lock it has (a new pair from PostgreSQL's with the same jobs answer), so a
# relock changes only what the pyproject.toml changed; `uv lock --upgrade` is for upgrades. Each lock is resolved for
# every Python the template offers (requires-python >= 3.11) and stored with the project name
# templated, so every bake ships a lock that matches its pyproject.toml.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for database in postgresql mysql sqlite; do
    for jobs in true false; do
        if [ "$jobs" = true ]; then
            condition="cookiecutter.database == \"$database\" and cookiecutter.include_background_jobs"
        else
            condition="cookiecutter.database == \"$database\" and not cookiecutter.include_background_jobs"
        fi
        bake="$work/$database-$jobs"
        # The manifests do not touch the lock, and the hook refuses them with SQLite.
        python3 -m cookiecutter --no-input -o "$bake" "$here" "database=$database" \
            "include_background_jobs=$jobs" include_kubernetes=false >/dev/null
        target="$here/{{cookiecutter.project_slug}}/{% if $condition %}uv.lock{% endif %}"
        seed="$target"
        if [ ! -f "$seed" ]; then
            seed=$(echo "$target" | sed "s/== \"$database\"/== \"postgresql\"/")
        fi
        if [ -f "$seed" ]; then
            sed 's/^name = "{{ cookiecutter.project_slug }}"$/name = "orders-service"/' \
                "$seed" > "$bake/orders-service/uv.lock"
        fi
        (cd "$bake/orders-service" && UV_PYTHON_DOWNLOADS=never uv lock --quiet)
        sed 's/^name = "orders-service"$/name = "{{ cookiecutter.project_slug }}"/' \
            "$bake/orders-service/uv.lock" > "$target"
        echo "updated lock for database=$database include_background_jobs=$jobs"
    done
done
