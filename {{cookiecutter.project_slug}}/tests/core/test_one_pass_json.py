"""A page rendered straight to JSON equals what FastAPI would have sent for the model."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from {{ cookiecutter.package_name }}.core.http.one_pass_json import page_response, render_page
from {{ cookiecutter.package_name }}.core.pagination import Page, PageRequest, PageResult


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
    result = PageResult.from_rows(rows, PageRequest(limit=2, offset=4))
    expected = Page[ItemRead](
        items=[ItemRead.model_validate(row) for row in rows[:2]],
        limit=2,
        offset=4,
        has_more=True,
    )
    assert json.loads(render_page(ItemRead, result)) == json.loads(expected.model_dump_json())


def test_fields_outside_the_read_model_are_left_out() -> None:
    body = json.loads(render_page(ItemRead, PageResult.from_rows(items(1), PageRequest())))
    assert set(body["items"][0]) == {"id", "title", "created_at"}
    assert body["has_more"] is False


def test_the_response_is_json() -> None:
    response = page_response(ItemRead, PageResult.from_rows([], PageRequest()))
    assert response.media_type == "application/json"
    assert json.loads(bytes(response.body)) == {
        "items": [],
        "limit": 20,
        "offset": 0,
        "has_more": False,
    }
