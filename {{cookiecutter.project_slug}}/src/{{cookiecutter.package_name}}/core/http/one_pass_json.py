"""JSON bodies rendered once, in pydantic-core, for endpoints whose bodies are large.

A route that returns a model makes FastAPI dump it to Python objects, validate those again
against the response model and only then serialise them: three passes over every item of a
page. `page_response` validates the items once (from their attributes or keys) and
serialises in the same pass. The route keeps `response_model=` for its documentation; FastAPI
sends a returned `Response` as it is.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, TypeAdapter
from starlette.responses import Response

from {{ cookiecutter.package_name }}.core.http.paging import Pager
from {{ cookiecutter.package_name }}.core.pagination import Page, PageResult

JSON_MEDIA_TYPE = "application/json"


@functools.cache
def _page_adapter(read_model: type[BaseModel]) -> TypeAdapter[Any]:
    # Built once per item model: building an adapter compiles its validator and serialiser.
    return TypeAdapter(Page[read_model])  # type: ignore[valid-type]


def render_page(
    read_model: type[BaseModel], items: list[Any], limit: int, next_cursor: str | None
) -> bytes:
    """The JSON page of `items`, read as `read_model` from their attributes."""
    adapter = _page_adapter(read_model)
    page = adapter.validate_python(
        {"items": items, "limit": limit, "next_cursor": next_cursor}, from_attributes=True
    )
    return adapter.dump_json(page, by_alias=True)


def page_response(read_model: type[BaseModel], result: PageResult[Any], pager: Pager) -> Response:
    """`result` as the page `pager` started, with its `next_cursor` and `Link` header."""
    next_cursor = pager.next_cursor(result)
    return Response(
        render_page(read_model, result.items, pager.limit, next_cursor),
        media_type=JSON_MEDIA_TYPE,
        headers=pager.headers(next_cursor),
    )


def model_response(read_model: type[BaseModel], source: object) -> Response:
    """`source` read as `read_model` from its attributes and rendered, in one pass.

    For a single object: FastAPI would validate the returned model again before serialising.
    """
    validator = read_model.__pydantic_validator__
    serializer = read_model.__pydantic_serializer__
    body = serializer.to_json(
        validator.validate_python(source, from_attributes=True), by_alias=True
    )
    return Response(body, media_type=JSON_MEDIA_TYPE)
