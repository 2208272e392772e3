"""The body-limit middleware's edge paths, driven through raw ASGI where HTTP cannot reach."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import pytest
from starlette.types import Message, Receive, Scope, Send

from {{ cookiecutter.package_name }}.core.http.body_limit import (
    BodyLimitMiddleware,
    BodyTooLarge,
    InvalidContentLength,
    body_framing,
)

LIMIT = 10
App = Callable[[Scope, Receive, Send], Awaitable[None]]


CHUNKED = [(b"transfer-encoding", b"chunked")]


def http_scope(
    headers: list[tuple[bytes, bytes]] | None = None, http_version: str = "1.1"
) -> Scope:
    """A POST whose body is chunked unless `headers` says otherwise."""
    return {
        "type": "http",
        "http_version": http_version,
        "method": "POST",
        "path": "/upload",
        "headers": CHUNKED if headers is None else headers,
    }


def receiver(*chunks: bytes) -> Receive:
    """A client that sends `chunks` as the body, then disconnects."""
    messages: list[Message] = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    messages.append({"type": "http.disconnect"})

    async def receive() -> Message:
        return messages.pop(0)

    return receive


async def run(app: App, scope: Scope, receive: Receive, **limits: object) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = BodyLimitMiddleware(app, max_body_bytes=LIMIT, **limits)  # type: ignore[arg-type]
    await middleware(scope, receive, send)
    return sent


async def read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        chunk: bytes = message.get("body", b"")
        body += chunk
        if not message.get("more_body"):
            return body


async def ok(send: Send, body: bytes = b"ok") -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


def status_of(sent: list[Message]) -> int:
    starts = [message for message in sent if message["type"] == "http.response.start"]
    assert len(starts) == 1
    status: int = starts[0]["status"]
    return status


def body_of(sent: list[Message]) -> dict[str, object]:
    raw = b"".join(message.get("body", b"") for message in sent)
    decoded: dict[str, object] = json.loads(raw)
    return decoded


def test_no_framing_headers_mean_no_length_and_no_chunks() -> None:
    assert body_framing([(b"content-type", b"application/json")]) == (None, False)


def test_a_transfer_encoding_is_noticed() -> None:
    assert body_framing(CHUNKED) == (None, True)


def test_repeated_equal_content_lengths_are_one_length() -> None:
    assert body_framing([(b"content-length", b"5"), (b"content-length", b"5")]) == (5, False)


@pytest.mark.parametrize(
    "headers",
    [
        [(b"content-length", b"5"), (b"content-length", b"6")],
        [(b"content-length", b"-5")],
        [(b"content-length", b"\xd9\xa5")],  # a non-ASCII digit
        [(b"content-length", b"")],
    ],
)
def test_conflicting_or_malformed_content_length_is_refused(
    headers: list[tuple[bytes, bytes]],
) -> None:
    with pytest.raises(InvalidContentLength):
        body_framing(headers)


def test_a_huge_content_length_is_larger_than_any_limit() -> None:
    length, _ = body_framing([(b"content-length", b"9" * 5000)])
    assert length is not None
    assert length > 64 * 1024 * 1024


def test_the_first_matching_prefix_sets_the_limit() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError

    middleware = BodyLimitMiddleware(
        app, max_body_bytes=100, limits_by_prefix=[("/auth/", 5), ("/", 50)]
    )
    assert middleware.limit_for("/auth/login") == 5
    assert middleware.limit_for("/users/me") == 50
    assert BodyLimitMiddleware(app, max_body_bytes=100).limit_for("/users/me") == 100


async def test_other_scope_types_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    await run(app, {"type": "lifespan"}, receiver())
    assert seen == ["lifespan"]


@pytest.mark.parametrize(
    "scope",
    [
        http_scope(headers=[(b"content-length", b"5")]),
        http_scope(headers=[(b"content-length", b"5")], http_version="2"),
        http_scope(headers=[]),  # HTTP/1.1 with no framing header: no body at all
    ],
    ids=["declared-1.1", "declared-2", "bodiless-1.1"],
)
async def test_a_body_the_server_already_bounds_is_not_counted(scope: Scope) -> None:
    original = receiver(b"12345")
    received: list[Receive] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        received.append(receive)
        await ok(send)

    sent = await run(app, scope, original)
    assert received == [original]
    assert status_of(sent) == 200


async def test_an_http2_body_without_a_length_is_counted() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        await ok(send)

    sent = await run(app, http_scope(headers=[], http_version="2"), receiver(b"x" * 11))
    assert status_of(sent) == 413


async def test_a_declared_length_within_the_limit_is_still_counted_when_chunked() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        await ok(send)

    # Both headers: the server frames by Transfer-Encoding, so the length proves nothing.
    headers = [(b"content-length", b"5"), *CHUNKED]
    sent = await run(app, http_scope(headers=headers), receiver(b"x" * 6, b"x" * 6))
    assert status_of(sent) == 413


async def test_a_declared_length_over_the_limit_never_reaches_the_app() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise AssertionError("the app must not run")

    sent = await run(app, http_scope(headers=[(b"content-length", b"11")]), receiver(b"x" * 11))
    assert status_of(sent) == 413
    assert body_of(sent)["max_body_bytes"] == LIMIT


async def test_an_app_that_lets_the_error_escape_gets_a_413() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await read_body(receive)
        await ok(send)

    sent = await run(app, http_scope(), receiver(b"x" * 6, b"x" * 6))
    assert status_of(sent) == 413


async def test_an_app_that_answers_its_failed_read_is_overridden() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await read_body(receive)
        except BodyTooLarge:
            await ok(send, b"the app's own answer")
            return
        raise AssertionError("the read must fail")

    sent = await run(app, http_scope(), receiver(b"x" * 6, b"x" * 6))
    assert status_of(sent) == 413
    assert b"the app's own answer" not in b"".join(m.get("body", b"") for m in sent)


async def test_an_app_that_swallows_the_error_and_raises_later_gets_one_413() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await read_body(receive)
        except BodyTooLarge:
            await ok(send)
        # Every later read fails too: no byte past the limit reaches the app.
        await receive()

    sent = await run(app, http_scope(), receiver(b"x" * 11))
    assert status_of(sent) == 413


async def test_an_overflow_after_the_response_started_is_raised() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await read_body(receive)

    with pytest.raises(BodyTooLarge):
        await run(app, http_scope(), receiver(b"x" * 11))


async def test_a_streamed_body_within_the_limit_is_delivered_whole() -> None:
    bodies: list[bytes] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        bodies.append(await read_body(receive))
        disconnect = await receive()
        assert disconnect["type"] == "http.disconnect"
        await ok(send)

    sent = await run(app, http_scope(), receiver(b"x" * 5, b"y" * 5))
    assert bodies == [b"x" * 5 + b"y" * 5]
    assert status_of(sent) == 200
