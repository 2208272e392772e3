"""Typed dependency aliases for HTTP inputs every feature shares.

Every dependency that does no blocking I/O is `async def`: FastAPI runs a plain `def`
dependency in a worker thread, and that hop costs more than most requests' own work.
What the app builds at start-up (state, settings, the database session) is served by
`bootstrap.py`, which owns it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from {{ cookiecutter.package_name }}.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageRequest


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")] = 0,
) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


PageDep = Annotated[PageRequest, Depends(page_request)]
