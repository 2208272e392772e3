"""The committed OpenAPI document: built from the app, written the same way every time.

The document must depend on the code alone, never on the machine or the shell that wrote it,
so the app is built from settings that read no environment variable and no `.env`, and the
JSON is written with sorted keys, a fixed indent and a final newline: the same code always
writes the same bytes, and a change to the API shows as a small diff.
"""

from __future__ import annotations

import json

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from {{ cookiecutter.package_name }}.main import create_app
from {{ cookiecutter.package_name }}.settings import Settings


class DocumentSettings(Settings):
    """Settings from their defaults and the values given here only: no environment, no .env."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def build_document() -> dict[str, object]:
    """The app's OpenAPI document. Building the app connects to nothing and serves nothing."""
    settings = DocumentSettings(
        environment="development",
        database_url="sqlite+aiosqlite://",
        # Required by the settings, never used: the app is built, not started.
        secret_key="openapi-document-only",  # noqa: S106
        metrics_enabled=False,
        log_format="console",
    )
    document: dict[str, object] = create_app(settings).openapi()
    return document


def render(document: object) -> str:
    """The document as it is committed: sorted keys, two-space indent, final newline, UTF-8."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
