"""The feature routers that make up the versioned API, and its prefix.

`create_app` includes each one in the app under `API_PREFIX`, rather than nesting them in one
API router: FastAPI matches a request against included routers level by level, and each level
costs every API request a pass over its routes (docs/adr/0007-request-hot-path.md).
"""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

from {{ cookiecutter.package_name }}.features import FEATURES

API_PREFIX = "/api/v1"


def feature_routers() -> tuple[APIRouter, ...]:
    """Each feature's `router`, in `FEATURES` order."""
    routers = []
    for name in FEATURES:
        router = import_module(f"{__package__}.{name}.router").router
        if not isinstance(router, APIRouter):
            msg = f"{__package__}.{name}.router.router must be a fastapi.APIRouter"
            raise TypeError(msg)
        routers.append(router)
    return tuple(routers)
