"""Bounded offset pagination shared by every list endpoint."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# Deep offsets make the database walk past that many rows; beyond this, clients should filter.
MAX_OFFSET = 10_000

ItemT = TypeVar("ItemT")
ReadT = TypeVar("ReadT")


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    offset: int = 0


@dataclass(frozen=True, slots=True)
class PageResult(Generic[ItemT]):
    """What a service returns for a page of domain objects."""

    items: list[ItemT]
    limit: int
    offset: int
    has_more: bool

    @classmethod
    def from_rows(cls, rows: list[ItemT], page: PageRequest) -> PageResult[ItemT]:
        # Repositories fetch one row past the page: its presence means another page exists.
        return cls(
            items=rows[: page.limit],
            limit=page.limit,
            offset=page.offset,
            has_more=len(rows) > page.limit,
        )


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A page already rendered as `Page`'s JSON, byte for byte (by PostgreSQL, for a list
    every client repeats); `page_response` sends it as it is."""

    body: bytes

    @classmethod
    def of(cls, items: bytes, page: PageRequest, fetched: int) -> RenderedPage:
        """`items`: the page's items as JSON objects joined by commas; `fetched`: how many
        rows the query returned, at most one past the page, as for `PageResult.from_rows`."""
        has_more = b"true" if fetched > page.limit else b"false"
        return cls(
            b'{"items":[%b],"limit":%d,"offset":%d,"has_more":%b}'
            % (items, page.limit, page.offset, has_more)
        )


class Page(BaseModel, Generic[ReadT]):
    """The API shape of one page."""

    items: list[ReadT]
    limit: int
    offset: int
    has_more: bool
