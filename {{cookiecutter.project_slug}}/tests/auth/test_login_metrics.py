"""Logins are counted by outcome, the throttle's refusals among them, and by nothing else."""

from __future__ import annotations

from httpx import AsyncClient

from tests.api_helpers import PASSWORD, register, unique_email
from tests.metrics_reading import sample

LOGIN = "/api/v1/auth/login"
ATTEMPTS = "auth_login_attempts_total"


async def test_each_login_is_counted_under_its_outcome(client: AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    before = {
        outcome: sample(ATTEMPTS, outcome=outcome)
        for outcome in ("success", "failure", "throttled")
    }

    ok = await client.post(LOGIN, data={"username": email, "password": PASSWORD})
    assert ok.status_code == 200
    for _ in range(5):
        wrong = await client.post(LOGIN, data={"username": email, "password": "not it at all"})
        assert wrong.status_code == 401
    locked = await client.post(LOGIN, data={"username": email, "password": PASSWORD})
    assert locked.status_code == 429

    assert sample(ATTEMPTS, outcome="success") == before["success"] + 1
    assert sample(ATTEMPTS, outcome="failure") == before["failure"] + 5
    assert sample(ATTEMPTS, outcome="throttled") == before["throttled"] + 1
