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


class Page(BaseModel, Generic[ReadT]):
    """The API shape of one page."""

    items: list[ReadT]
    limit: int
    offset: int
    has_more: bool
