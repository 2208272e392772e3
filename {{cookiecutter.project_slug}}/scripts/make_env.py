"""Create the development `.env` from `.env.example`, with a freshly generated SECRET_KEY.

Runs from `make install` when `.env` is missing and never overwrites one. The file is
gitignored and skipped by cruft, so the random secret never reaches a tracked file.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

PLACEHOLDER = "SECRET_KEY=replace-me-with-make-env"
{%- if cookiecutter.database == "mysql" %}
# Optional: the local MariaDB password for compose.yaml, present when the service uses it.
MARIADB_PLACEHOLDER = "MARIADB_PASSWORD=replace-me-with-make-env"
{%- else %}
# Optional: the local PostgreSQL password for compose.yaml, present when the service uses it.
POSTGRES_PLACEHOLDER = "POSTGRES_PASSWORD=replace-me-with-make-env"
{%- endif %}
# Optional too: the local RabbitMQ password for compose.yaml, when the service has jobs.
RABBITMQ_PLACEHOLDER = "RABBITMQ_PASSWORD=replace-me-with-make-env"


def render(example: str) -> str:
    if PLACEHOLDER not in example:
        msg = f".env.example has no line {PLACEHOLDER!r}; restore it or write .env by hand"
        raise SystemExit(msg)
    rendered = example.replace(PLACEHOLDER, f"SECRET_KEY={secrets.token_urlsafe(48)}")
{%- if cookiecutter.database == "mysql" %}
    rendered = rendered.replace(
        MARIADB_PLACEHOLDER, f"MARIADB_PASSWORD={secrets.token_urlsafe(24)}"
    )
{%- else %}
    rendered = rendered.replace(
        POSTGRES_PLACEHOLDER, f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}"
    )
{%- endif %}
    return rendered.replace(RABBITMQ_PLACEHOLDER, f"RABBITMQ_PASSWORD={secrets.token_urlsafe(24)}")


def main() -> int:
    target = Path(".env")
    if target.exists():
        print(".env exists; left as it is")  # noqa: T201
        return 0
    target.write_text(render(Path(".env.example").read_text(encoding="utf-8")), encoding="utf-8")
    target.chmod(0o600)
    print("created .env with a new development SECRET_KEY")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
