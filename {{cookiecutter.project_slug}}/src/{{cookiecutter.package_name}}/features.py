"""The features this service is made of: the one list a new feature is added to.

Each name is a package beside this module holding `router.py` (an `APIRouter` named
`router`) and, when it owns tables, `models.py`. `api.py` includes the routers and
`models.py` imports the ORM models from this list, so Alembic and the app never miss one;
the import-linter contracts in `pyproject.toml` name features by wildcard, so they need no
entry. Order is the order of the routes in the OpenAPI document.
"""

from __future__ import annotations
{%- if cookiecutter.auth_provider == "oidc" and not cookiecutter.include_example_resource %}

FEATURES: tuple[str, ...] = ("users",)
{%- else %}

FEATURES: tuple[str, ...] = (
{%- if cookiecutter.auth_provider == "local" %}
    "auth",
{%- endif %}
    "users",
{%- if cookiecutter.include_example_resource %}
    "notes",
{%- endif %}
{%- if cookiecutter.include_background_jobs and cookiecutter.include_example_resource %}
    "note_imports",
{%- endif %}
)
{%- endif %}
