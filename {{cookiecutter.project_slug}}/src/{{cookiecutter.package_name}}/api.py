"""Mounts every feature's router under the versioned API prefix."""

from __future__ import annotations

from fastapi import APIRouter

from {{ cookiecutter.package_name }}.auth.router import router as auth_router
{%- if cookiecutter.include_example_resource %}
from {{ cookiecutter.package_name }}.notes.router import router as notes_router
{%- endif %}
from {{ cookiecutter.package_name }}.users.router import router as users_router

API_PREFIX = "/api/v1"

api_router = APIRouter(prefix=API_PREFIX)
api_router.include_router(auth_router)
api_router.include_router(users_router)
{%- if cookiecutter.include_example_resource %}
api_router.include_router(notes_router)
{%- endif %}
