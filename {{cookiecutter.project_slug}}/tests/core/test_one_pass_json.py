"""A page rendered straight to JSON equals what FastAPI would have sent for the model."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from starlette.datastructures import QueryParams

from {{ cookiecutter.package_name }}.core.http.cursors import CursorCodec
from {{ cookiecutter.package_name }}.core.http.one_pass_json import page_response, render_page
from {{ cookiecutter.package_name }}.core.http.paging import Pager
from {{ cookiecutter.package_name }}.core.pagination import Page, PageQuery, PageResult, Position


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    created_at: datetime


@dataclass
class Item:
    """Stands in for an ORM object: only attributes, one of them not part of the API."""

    id: uuid.UUID
    title: str
    created_at: datetime
    secret: str = "never rendered"


def items(count: int) -> list[Item]:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return [Item(uuid.uuid4(), f"item {n}", now) for n in range(count)]


def test_the_body_is_the_models_json() -> None:
    rows = items(3)
    expected = Page[ItemRead](
        items=[ItemRead.model_validate(row) for row in rows[:2]], limit=2, next_cursor="abc"
    )
    rendered = render_page(ItemRead, rows[:2], 2, "abc")
    assert json.loads(rendered) == json.loads(expected.model_dump_json())


def test_fields_outside_the_read_model_are_left_out() -> None:
    body = json.loads(render_page(ItemRead, items(1), 20, None))
    assert set(body["items"][0]) == {"id", "title", "created_at"}
    assert body["next_cursor"] is None


def test_the_response_is_json_with_the_next_pages_link() -> None:
    rows = items(3)
    pager = Pager(CursorCodec("key"), "/things", QueryParams("limit=2"))
    page = pager.start(PageQuery(limit=2))
    result = PageResult.from_rows(rows, page, "created_at")

    response = page_response(ItemRead, result, pager)

    assert response.media_type == "application/json"
    body = json.loads(bytes(response.body))
    assert [item["title"] for item in body["items"]] == ["item 0", "item 1"]
    assert body["limit"] == 2
    assert response.headers["link"] == f'</things?limit=2&cursor={body["next_cursor"]}>; rel="next"'
    # The cursor holds the last item's place.
    assert CursorCodec("key").decode("/things?{}", body["next_cursor"]) == Position(
        rows[1].created_at, rows[1].id
    )
