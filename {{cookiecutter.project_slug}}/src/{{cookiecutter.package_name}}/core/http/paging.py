"""A list endpoint's page: its cursor read on the way in, its `next_cursor` and `Link` out.

The router asks the pager for the page to read (`start`), passes it to the service, and has
the pager shape the service's result (`page`): the body's `next_cursor` and an RFC 8288
`Link: <...>; rel="next"` header with the same query and the next cursor.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel
from starlette.datastructures import QueryParams
from starlette.responses import Response

from {{ cookiecutter.package_name }}.core.http.cursors import CursorCodec
from {{ cookiecutter.package_name }}.core.pagination import Page, PageQuery, PageRequest, PageResult


class Pager:
    __slots__ = ("_codec", "_listing", "_params", "_path", "limit")

    def __init__(self, codec: CursorCodec, path: str, params: QueryParams) -> None:
        self._codec = codec
        self._path = path
        self._params = params
        self._listing = ""
        self.limit = 0  # set by start()

    def start(self, query: PageQuery) -> PageRequest:
        """The page `query` asks for. A cursor belongs to the path and every other parameter."""
        filters = query.model_dump(mode="json", exclude={"limit", "cursor"})
        self._listing = f"{self._path}?{json.dumps(filters, sort_keys=True)}"
        self.limit = query.limit
        after = None if query.cursor is None else self._codec.decode(self._listing, query.cursor)
        return PageRequest(limit=query.limit, after=after)

    def next_cursor(self, result: PageResult[Any]) -> str | None:
        if result.next is None:
            return None
        return self._codec.encode(self._listing, result.next)

    def headers(self, next_cursor: str | None) -> dict[str, str]:
        """The `Link` header to the next page, relative to this service (none on the last)."""
        if next_cursor is None:
            return {}
        params = [(key, value) for key, value in self._params.multi_items() if key != "cursor"]
        params.append(("cursor", next_cursor))
        return {"Link": f'<{self._path}?{urlencode(params)}>; rel="next"'}

    def page(
        self, read_model: type[BaseModel], result: PageResult[Any], response: Response
    ) -> Page[Any]:
        """`result` as the API's page of `read_model`, its `Link` header set on `response`."""
        next_cursor = self.next_cursor(result)
        response.headers.update(self.headers(next_cursor))
        return Page[read_model].model_validate(  # type: ignore[valid-type]
            {"items": result.items, "limit": self.limit, "next_cursor": next_cursor},
            from_attributes=True,
        )
