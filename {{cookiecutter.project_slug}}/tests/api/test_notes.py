from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from tests.api_helpers import Account, new_account


async def _create(client: AsyncClient, account: Account, title: str = "Buy milk") -> dict[str, str]:
    response = await client.post(
        "/api/v1/notes", json={"title": title, "body": "two litres"}, headers=account.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


async def test_create_read_update_delete(client: AsyncClient) -> None:
    account = await new_account(client)
    note = await _create(client, account)
    url = f"/api/v1/notes/{note['id']}"

    read = await client.get(url, headers=account.headers)
    assert read.status_code == 200
    assert read.json()["title"] == "Buy milk"

    updated = await client.patch(url, json={"title": "Buy oat milk"}, headers=account.headers)
    assert updated.status_code == 200
    assert updated.json()["title"] == "Buy oat milk"
    assert updated.json()["body"] == "two litres"

    assert (await client.delete(url, headers=account.headers)).status_code == 204
    assert (await client.get(url, headers=account.headers)).status_code == 404


async def test_list_is_newest_first_and_paged(client: AsyncClient) -> None:
    account = await new_account(client)
    for index in range(3):
        await _create(client, account, f"note {index}")
    first = (await client.get("/api/v1/notes?limit=2", headers=account.headers)).json()
    assert [item["title"] for item in first["items"]] == ["note 2", "note 1"]
    assert first["has_more"] is True
    second = (await client.get("/api/v1/notes?limit=2&offset=2", headers=account.headers)).json()
    assert [item["title"] for item in second["items"]] == ["note 0"]
    assert second["has_more"] is False


async def test_another_users_note_is_not_found(client: AsyncClient) -> None:
    owner = await new_account(client, "owner")
    intruder = await new_account(client, "intruder")
    note = await _create(client, owner)
    url = f"/api/v1/notes/{note['id']}"

    assert (await client.get(url, headers=intruder.headers)).status_code == 404
    patched = await client.patch(url, json={"title": "mine now"}, headers=intruder.headers)
    assert patched.status_code == 404
    assert (await client.delete(url, headers=intruder.headers)).status_code == 404
    listed = (await client.get("/api/v1/notes", headers=intruder.headers)).json()
    assert listed["items"] == []
    # The owner's note is untouched.
    assert (await client.get(url, headers=owner.headers)).json()["title"] == "Buy milk"


async def test_unknown_note_id_is_404(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get(f"/api/v1/notes/{uuid.uuid4()}", headers=account.headers)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=101", "offset=-1", "limit=abc", "offset=99999999999999999999"],
)
async def test_pagination_out_of_bounds_is_422(client: AsyncClient, query: str) -> None:
    account = await new_account(client)
    response = await client.get(f"/api/v1/notes?{query}", headers=account.headers)
    assert response.status_code == 422


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"title": None},
        {"title": "x" * 201},
        {"title": "nul\u0000byte"},
        {"title": "ok", "body": "nul\u0000byte"},
        {"title": "ok", "owner_id": str(uuid.uuid4())},
        {"title": 42},
    ],
)
async def test_invalid_note_is_422_never_500(client: AsyncClient, payload: object) -> None:
    account = await new_account(client)
    response = await client.post("/api/v1/notes", json=payload, headers=account.headers)
    assert response.status_code == 422


async def test_a_malformed_note_id_is_422(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.get("/api/v1/notes/not-a-uuid", headers=account.headers)
    assert response.status_code == 422


async def test_notes_need_authentication(client: AsyncClient) -> None:
    assert (await client.get("/api/v1/notes")).status_code == 401


async def test_a_lone_surrogate_is_422_never_500(client: AsyncClient) -> None:
    account = await new_account(client)
    response = await client.post(
        "/api/v1/notes",
        content=b'{"title": "half \\ud800 pair"}',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
