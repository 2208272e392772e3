"""The service's one settings object: the shared fields and every feature's own.

A feature with configuration of its own declares a `CoreSettings` subclass in its folder
(as `auth/settings.py` does) and adds it to the bases below; nothing else changes.
"""

from __future__ import annotations

from {{ cookiecutter.package_name }}.auth.settings import AuthSettings
{%- if cookiecutter.include_background_jobs %}
from {{ cookiecutter.package_name }}.email.settings import EmailSettings
{%- endif %}
{%- if cookiecutter.include_graphql %}
from {{ cookiecutter.package_name }}.graphql_api.settings import GraphQLSettings
{%- endif %}
{%- if cookiecutter.include_background_jobs %}
from {{ cookiecutter.package_name }}.jobs.settings import JobsSettings
{%- endif %}


class Settings(AuthSettings{% if cookiecutter.include_background_jobs %}, JobsSettings, EmailSettings{% endif %}{% if cookiecutter.include_graphql %}, GraphQLSettings{% endif %}):
    """Service configuration; every field maps to an upper-case environment variable."""
