"""The feature routers that make up the versioned API, and its prefix.

`create_app` includes each one in the app under `API_PREFIX`, rather than nesting them in one
API router: FastAPI matches a request against included routers level by level, and each level
costs every API request a pass over its routes (docs/adr/0007-request-hot-path.md).
"""

from __future__ import annotations

from fastapi import APIRouter

from {{ cookiecutter.package_name }}.auth.router import router as auth_router
{%- if cookiecutter.include_example_resource %}
from {{ cookiecutter.package_name }}.notes.router import router as notes_router
{%- endif %}
from {{ cookiecutter.package_name }}.users.router import router as users_router

API_PREFIX = "/api/v1"

FEATURE_ROUTERS: tuple[APIRouter, ...] = (
    auth_router,
    users_router,
{%- if cookiecutter.include_example_resource %}
    notes_router,
{%- endif %}
)
