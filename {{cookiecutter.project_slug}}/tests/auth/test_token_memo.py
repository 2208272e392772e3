"""The codec remembers verified tokens, yet still refuses them once they expire."""

from __future__ import annotations

import time
import uuid

import pytest

from {{ cookiecutter.package_name }}.auth import tokens
from {{ cookiecutter.package_name }}.auth.tokens import LEEWAY_SECONDS, AccessTokenCodec, InvalidTokenError
from {{ cookiecutter.package_name }}.core.db.base import utcnow


def issue(codec: AccessTokenCodec) -> str:
    return codec.issue(user_id=uuid.uuid4(), session_id=uuid.uuid4(), now=utcnow())


def test_a_token_verified_once_is_not_checked_again(
    codec: AccessTokenCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issue(codec)
    first = codec.verify(token)
    calls: list[str] = []
    monkeypatch.setattr(codec, "_verify_signed", calls.append)
    assert codec.verify(token) == first
    assert calls == []


def test_a_remembered_token_is_refused_once_it_expires(
    codec: AccessTokenCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = issue(codec)
    expires_at = codec.verify(token).expires_at.timestamp()
    monkeypatch.setattr(time, "time", lambda: expires_at + LEEWAY_SECONDS)
    with pytest.raises(InvalidTokenError):
        codec.verify(token)
    # Forgotten as well: the next try goes through the full check again, and fails there too.
    monkeypatch.undo()
    assert token not in codec._verified


def test_a_forged_token_is_never_remembered(codec: AccessTokenCodec) -> None:
    header, payload, _signature = issue(codec).split(".")
    forged = f"{header}.{payload}.{'A' * 86}"
    for _ in range(2):
        with pytest.raises(InvalidTokenError):
            codec.verify(forged)
    assert forged not in codec._verified


def test_the_least_recently_used_tokens_are_forgotten_first(
    codec: AccessTokenCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokens, "VERIFIED_TOKENS_REMEMBERED", 2)
    first, second, third = issue(codec), issue(codec), issue(codec)
    codec.verify(first)
    codec.verify(second)
    codec.verify(first)  # now the most recently used
    codec.verify(third)
    assert list(codec._verified) == [first, third]
