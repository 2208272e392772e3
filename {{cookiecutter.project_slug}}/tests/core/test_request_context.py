from __future__ import annotations

import pytest
from httpx import AsyncClient


async def test_a_request_id_is_generated_and_echoed(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert len(response.headers["x-request-id"]) == 32


async def test_a_clean_caller_request_id_is_kept(client: AsyncClient) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": "abc-123.def_4"})
    assert response.headers["x-request-id"] == "abc-123.def_4"


@pytest.mark.parametrize("unsafe", ["has space", "x" * 129, 'quote"d', "new\tline"])
async def test_an_unsafe_caller_request_id_is_replaced(client: AsyncClient, unsafe: str) -> None:
    response = await client.get("/health/live", headers={"X-Request-ID": unsafe})
    assert response.headers["x-request-id"] != unsafe
    assert len(response.headers["x-request-id"]) == 32
