"""Deprecating a route: `Deprecation` (RFC 9745) and `Sunset` (RFC 8594) on every answer.

The `/api/v1` prefix is the version: a change that would break a client goes into a new
prefix, and the route it replaces is marked here first, so clients learn of the date from
every answer and from the OpenAPI document (`deprecated: true`, the headers described)
before the route goes away:

    @router.get("/things", **deprecated(since=datetime(2027, 1, 1, tzinfo=UTC),
                                         sunset=datetime(2027, 7, 1, tzinfo=UTC),
                                         successor="/api/v2/things"))
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any

from fastapi import Depends, Response


def deprecated(
    *, since: datetime, sunset: datetime | None = None, successor: str | None = None
) -> dict[str, Any]:
    """The route arguments that mark it deprecated since `since`, gone after `sunset`."""
    if since.tzinfo is None or (sunset is not None and sunset.tzinfo is None):
        msg = "deprecated(): pass aware datetimes (tzinfo=UTC), so the dates are unambiguous"
        raise ValueError(msg)
    if sunset is not None and sunset <= since:
        msg = "deprecated(): the sunset must come after the deprecation"
        raise ValueError(msg)
    headers = {"Deprecation": f"@{int(since.timestamp())}"}
    documented: dict[str, Any] = {
        "Deprecation": {
            "description": "When the route was deprecated (RFC 9745): `@` and Unix seconds",
            "schema": {"type": "string"},
        }
    }
    if sunset is not None:
        headers["Sunset"] = format_datetime(sunset, usegmt=True)
        documented["Sunset"] = {
            "description": "After this date the route may answer 410 or 404 (RFC 8594)",
            "schema": {"type": "string"},
        }
    if successor is not None:
        headers["Link"] = f'<{successor}>; rel="successor-version"'
        documented["Link"] = {
            "description": "The route that replaces it",
            "schema": {"type": "string"},
        }

    async def announce(response: Response) -> None:
        response.headers.update(headers)

    return {
        "deprecated": True,
        "dependencies": [Depends(announce)],
        "responses": {"default": {"description": "Any answer", "headers": documented}},
    }
