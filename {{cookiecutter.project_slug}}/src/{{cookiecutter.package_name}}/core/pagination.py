"""Keyset pagination shared by every list endpoint: a page size and where the page starts.

A page starts after the last row of the one before, by its place in the list's order (its
sort value, then its id, which no two rows share). Rows inserted or deleted between two
requests neither repeat nor skip a row that stayed, and a page deep in a long list costs the
database what the first one does: it seeks to the place in the list's index instead of
walking past every row before it, as an offset would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
MAX_CURSOR_LENGTH = 1024

ItemT = TypeVar("ItemT")
ReadT = TypeVar("ReadT")
SortValue = datetime | str


@dataclass(frozen=True, slots=True)
class Position:
    """A row's place in a list's order: its sort value, then its id as the tie-break."""

    value: SortValue
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    # The last row of the previous page; None for the first page.
    after: Position | None = None


@dataclass(frozen=True, slots=True)
class PageResult(Generic[ItemT]):
    """What a service returns for a page of domain objects."""

    items: list[ItemT]
    # Where the next page starts; None on the last page.
    next: Position | None

    @classmethod
    def from_rows(cls, rows: list[ItemT], page: PageRequest, sort_field: str) -> PageResult[ItemT]:
        # Repositories fetch one row past the page: its presence means another page exists.
        items = rows[: page.limit]
        if len(rows) <= page.limit:
            return cls(items=items, next=None)
        last = items[-1]
        # Any row type with the sort field and an `id`: read by name, as the sort is chosen.
        position = Position(getattr(last, sort_field), getattr(last, "id"))  # noqa: B009
        return cls(items=items, next=position)


class PageQuery(BaseModel):
    """The query parameters of a list: its page. A list with filters extends it.

    Unknown parameters are refused (422, naming them) rather than ignored: a misspelt filter
    would otherwise return the whole list as if it had matched.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page")
    cursor: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        description="The `next_cursor` of the previous page; leave out for the first page",
    )


class Page(BaseModel, Generic[ReadT]):
    """The API shape of one page."""

    items: list[ReadT]
    limit: int
    next_cursor: str | None = Field(
        description="Pass as `cursor`, with the same other parameters, for the next page; "
        'null on the last page. Also sent as the `Link` header\'s `rel="next"` URL.'
    )
