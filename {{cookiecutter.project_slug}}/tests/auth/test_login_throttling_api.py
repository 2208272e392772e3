"""Login throttling over HTTP: per account and per client address, with growing backoff.

ASVS 5.0 V6.3.1: controls against credential stuffing and brute force, without a permanent
lockout. Each test starts with no failure counted (the `client` fixture clears the counters)
and moves the throttle's clock by hand instead of sleeping; a test that reads the lock's exact
Retry-After stops that clock, so the password checks before it cannot eat into the lock.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient, Response

from {{ cookiecutter.package_name }}.auth.throttle import InMemoryAttemptStore
from {{ cookiecutter.package_name }}.bootstrap import AppState
from tests.api_helpers import PASSWORD, register, unique_email
from tests.clocks import FakeClock
from tests.login_burst import burst, count_verifications, login_from

LOGIN = "/api/v1/auth/login"
WRONG = "not the right passphrase"


@pytest.fixture
def clock(app: FastAPI, client: AsyncClient, monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    state: AppState = app.state.app_state
    store = state.login_throttle.store
    assert isinstance(store, InMemoryAttemptStore)
    fake = FakeClock()
    monkeypatch.setattr(store, "clock", fake)
    return fake


class Caller:
    """Logs in over HTTP from a chosen client address (uvicorn's `request.client.host`)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._hosts = (f"203.0.113.{number}" for number in range(1, 255))

    async def login(self, email: str, password: str, host: str | None = None) -> Response:
        """From `host`, or from a new address on each call when `host` is None."""
        address = host or next(self._hosts)
        transport = ASGITransport(app=self._app, client=(address, 50000))
        async with AsyncClient(transport=transport, base_url="http://testserver") as http:
            return await http.post(LOGIN, data={"username": email, "password": password})

    async def fail(self, email: str, times: int, host: str | None = None) -> None:
        for _ in range(times):
            response = await self.login(email, WRONG, host)
            assert response.status_code == 401, response.text


@pytest.fixture
def caller(app: FastAPI, client: AsyncClient) -> Caller:
    # Depends on `client`, which clears the counters before the test.
    return Caller(app)


@pytest.fixture
async def email(client: AsyncClient) -> str:
    address = unique_email("throttled")
    await register(client, address)
    return address


def assert_throttled(response: Response, retry_after: int) -> None:
    assert response.status_code == 429, response.text
    assert response.headers["retry-after"] == str(retry_after)
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 429
    assert body["type"].endswith(":too-many-requests")
    assert "Retry-After" in body["detail"]
    assert "access_token" not in body


@pytest.mark.usefixtures("clock")
async def test_five_failures_for_an_account_lock_it_even_from_new_addresses(
    caller: Caller, email: str
) -> None:
    await caller.fail(email, 5)
    # The right password, from an address never seen: still refused, before any hash runs.
    assert_throttled(await caller.login(email, PASSWORD), retry_after=60)


async def test_four_failures_do_not_lock(caller: Caller, email: str) -> None:
    await caller.fail(email, 4)
    assert (await caller.login(email, PASSWORD)).status_code == 200


@pytest.mark.usefixtures("clock")
async def test_the_account_is_normalised_so_case_and_spaces_do_not_reset_the_count(
    caller: Caller, email: str
) -> None:
    for variant in (email, email.upper(), f" {email}", email.title(), f"{email} "):
        assert (await caller.login(variant, WRONG)).status_code == 401
    assert_throttled(await caller.login(email, PASSWORD), retry_after=60)


@pytest.mark.usefixtures("clock")
async def test_five_failures_from_one_address_lock_it_for_every_account(
    caller: Caller, email: str
) -> None:
    for _ in range(5):
        response = await caller.login(unique_email("guess"), WRONG, host="198.51.100.1")
        assert response.status_code == 401
    assert_throttled(await caller.login(email, PASSWORD, host="198.51.100.1"), retry_after=60)
    # Another address, the same account: the account itself has no failure counted.
    assert (await caller.login(email, PASSWORD, host="198.51.100.2")).status_code == 200


@pytest.mark.usefixtures("clock")
async def test_unknown_and_known_accounts_are_throttled_alike(caller: Caller, email: str) -> None:
    unknown = unique_email("nobody")
    await caller.fail(email, 5)
    await caller.fail(unknown, 5)
    known_answer = await caller.login(email, WRONG)
    unknown_answer = await caller.login(unknown, WRONG)
    assert_throttled(known_answer, retry_after=60)
    assert_throttled(unknown_answer, retry_after=60)
    assert known_answer.json() == unknown_answer.json()


async def test_continued_failures_double_the_lock_up_to_fifteen_minutes_then_it_lifts(
    caller: Caller, email: str, clock: FakeClock
) -> None:
    await caller.fail(email, 5)
    for expected in (60, 120, 240, 480, 900, 900):
        assert_throttled(await caller.login(email, PASSWORD), retry_after=expected)
        clock.advance(expected - 1)
        assert_throttled(await caller.login(email, PASSWORD), retry_after=1)
        clock.advance(1)
        await caller.fail(email, 1)
    # No permanent lockout: once the lock has passed, the right password works again.
    clock.advance(900)
    assert (await caller.login(email, PASSWORD)).status_code == 200


async def test_a_success_resets_the_accounts_count(caller: Caller, email: str) -> None:
    await caller.fail(email, 4)
    assert (await caller.login(email, PASSWORD)).status_code == 200
    await caller.fail(email, 4)
    assert (await caller.login(email, PASSWORD)).status_code == 200


async def test_the_count_forgets_failures_after_fifteen_minutes(
    caller: Caller, email: str, clock: FakeClock
) -> None:
    await caller.fail(email, 4)
    clock.advance(15 * 60)
    await caller.fail(email, 4)
    assert (await caller.login(email, PASSWORD)).status_code == 200


@pytest.mark.usefixtures("clock")
async def test_a_throttled_login_is_logged_as_a_security_event_without_secrets(
    caller: Caller, email: str, caplog: pytest.LogCaptureFixture
) -> None:
    await caller.fail(email, 5, host="198.51.100.9")
    assert_throttled(await caller.login(email, PASSWORD, host="198.51.100.9"), retry_after=60)
    events = [record.msg for record in caplog.records if isinstance(record.msg, dict)]
    (throttled,) = [event for event in events if event["event"] == "login_throttled"]
    assert throttled["client_ip"] == "198.51.100.9"
    assert throttled["retry_after"] == 60
    assert set(throttled["scopes"]) == {"account", "client"}
    assert PASSWORD not in caplog.text
    assert WRONG not in caplog.text
    assert email not in str(throttled)


BURST = 20


@pytest.mark.parametrize(
    "shape",
    ["one account from one address", "one account from many addresses", "many from one address"],
)
@pytest.mark.usefixtures("clock")
async def test_parallel_guesses_get_no_more_password_checks_than_the_limit(
    app: FastAPI, email: str, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    # Sent at once, the guesses all arrive before the first one's failure is known: each must
    # take its place in the count before its password is verified, or all of them get checked.
    if shape == "one account from one address":
        guesses = [(email, "198.51.100.20")] * BURST
    elif shape == "one account from many addresses":
        guesses = [(email, f"203.0.113.{number}") for number in range(1, BURST + 1)]
    else:
        guesses = [(unique_email("guess"), "198.51.100.21") for _ in range(BURST)]
    limit = app.state.app_state.settings.login_max_failures
    verifications = count_verifications(app, monkeypatch)
    statuses = await burst(app, guesses)
    assert verifications.calls == limit
    assert statuses == {401: limit, 429: BURST - limit}
    # The lock stands after the burst: the right password is refused too, unverified.
    assert await login_from(app, email, PASSWORD, guesses[-1][1]) == 429
    assert verifications.calls == limit


async def test_the_429_is_part_of_the_login_contract(client: AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    responses = schema["paths"][LOGIN]["post"]["responses"]
    assert "application/problem+json" in responses["429"]["content"]
