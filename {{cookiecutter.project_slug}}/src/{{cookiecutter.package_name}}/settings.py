"""The service's one settings object: the shared fields and every feature's own.

A feature with configuration of its own declares a `CoreSettings` subclass in its folder
(as `auth/settings.py` does) and adds it to the bases below; nothing else changes.
"""

from __future__ import annotations

from {{ cookiecutter.package_name }}.auth.settings import AuthSettings


class Settings(AuthSettings):
    """Service configuration; every field maps to an upper-case environment variable."""
