#!/bin/sh
# Regenerates the baked project's lock files after a dependency change in its pyproject.toml.
# The dependencies depend on three answers, `database` (asyncpg only for PostgreSQL),
# `include_background_jobs` (taskiq and its brokers only with the jobs) and `auth_provider`
# (argon2 for local passwords, httpx for an OIDC provider's keys), so there is one lock per
# combination of values, each stored under a conditional file name that renders to `uv.lock`
# for its combination and to nothing (the file is skipped) for the others. Each lock is resolved for
# every Python the template offers (requires-python >= 3.11) and stored with the project name
# templated, so every bake ships a lock that matches its pyproject.toml.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for auth in local oidc; do
for database in postgresql sqlite; do
    for jobs in true false; do
        if [ "$jobs" = true ]; then
            condition="cookiecutter.database == \"$database\" and cookiecutter.include_background_jobs"
        else
            condition="cookiecutter.database == \"$database\" and not cookiecutter.include_background_jobs"
        fi
        condition="$condition and cookiecutter.auth_provider == \"$auth\""
        bake="$work/$auth-$database-$jobs"
        # The manifests do not touch the lock, and the hook refuses them with SQLite.
        python3 -m cookiecutter --no-input -o "$bake" "$here" "database=$database" \
            "include_background_jobs=$jobs" "auth_provider=$auth" include_kubernetes=false >/dev/null
        (cd "$bake/orders-service" && UV_PYTHON_DOWNLOADS=never uv lock --quiet)
        target="$here/{{cookiecutter.project_slug}}/{% if $condition %}uv.lock{% endif %}"
        sed 's/^name = "orders-service"$/name = "{{ cookiecutter.project_slug }}"/' \
            "$bake/orders-service/uv.lock" > "$target"
        echo "updated lock for database=$database include_background_jobs=$jobs auth_provider=$auth"
    done
done
done
