"""Every ORM model, imported in one place so Alembic and the tests see the whole schema.

The features come from `features.py`: a feature with a `models.py` has its tables loaded
here, and no other list of models exists to keep in step.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from sqlalchemy import MetaData

from {{ cookiecutter.package_name }}.core.db.base import Base
from {{ cookiecutter.package_name }}.features import FEATURES
{%- if cookiecutter.include_background_jobs or cookiecutter.auth_provider == "oidc" %}

# Packages beside the features that own tables but serve no routes.
{%- if cookiecutter.auth_provider == "oidc" %}
# `auth` holds the accounts and their provider subjects; the OIDC provider serves the login.
{%- endif %}
INFRASTRUCTURE: tuple[str, ...] = ({% if cookiecutter.auth_provider == "oidc" and cookiecutter.include_background_jobs %}"auth", "jobs"{% elif cookiecutter.auth_provider == "oidc" %}"auth",{% else %}"jobs",{% endif %})
{%- endif %}


def load_models() -> MetaData:
    """Import every feature's `models` module; return the metadata holding all their tables."""
    for name in {% if cookiecutter.include_background_jobs or cookiecutter.auth_provider == "oidc" %}(*FEATURES, *INFRASTRUCTURE){% else %}FEATURES{% endif %}:
        module = f"{__package__}.{name}.models"
        if find_spec(module) is not None:
            import_module(module)
    return Base.metadata
