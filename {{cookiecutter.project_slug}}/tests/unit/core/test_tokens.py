from __future__ import annotations

import uuid
from datetime import timedelta

import jwt
import pytest

from {{ cookiecutter.package_name }}.core.models import utcnow
from {{ cookiecutter.package_name }}.core.tokens import (
    AccessTokenCodec,
    InvalidTokenError,
    hash_refresh_token,
    new_refresh_token,
)

KEY = "k" * 64


def codec(**overrides: object) -> AccessTokenCodec:
    values: dict[str, object] = {
        "secret_key": KEY,
        "issuer": "svc",
        "audience": "svc-api",
        "ttl": timedelta(minutes=15),
    }
    values.update(overrides)
    return AccessTokenCodec(**values)  # type: ignore[arg-type]


def issue(token_codec: AccessTokenCodec | None = None, **time_shift: float) -> str:
    now = utcnow() + timedelta(**time_shift)
    return (token_codec or codec()).issue(user_id=uuid.uuid4(), session_id=uuid.uuid4(), now=now)


def test_a_fresh_token_verifies_with_every_claim() -> None:
    token = issue()
    claims = jwt.decode(token, KEY, algorithms=["HS256"], audience="svc-api")
    assert set(claims) == {"iss", "aud", "sub", "iat", "nbf", "exp", "jti", "sid"}
    header = jwt.get_unverified_header(token)
    assert header == {"alg": "HS256", "typ": "at+jwt", "kid": "1"}
    assert codec().verify(token).token_id == claims["jti"]


def test_an_expired_token_is_refused_after_the_leeway() -> None:
    with pytest.raises(InvalidTokenError):
        codec().verify(issue(minutes=-16))


def test_a_token_within_the_leeway_is_accepted() -> None:
    assert codec().verify(issue(minutes=-15, seconds=10))


@pytest.mark.parametrize(
    "other",
    [{"issuer": "someone-else"}, {"audience": "another-api"}, {"secret_key": "x" * 64}],
)
def test_a_token_for_another_issuer_audience_or_key_is_refused(other: dict[str, str]) -> None:
    with pytest.raises(InvalidTokenError):
        codec().verify(issue(codec(**other)))


def test_the_none_algorithm_is_refused() -> None:
    now = utcnow()
    claims = {
        "iss": "svc", "aud": "svc-api", "sub": str(uuid.uuid4()), "iat": now, "nbf": now,
        "exp": now + timedelta(minutes=5), "jti": "j", "sid": str(uuid.uuid4()),
    }  # fmt: skip
    forged = jwt.encode(claims, "", algorithm="none", headers={"typ": "at+jwt", "kid": "1"})
    with pytest.raises(InvalidTokenError):
        codec().verify(forged)


def test_a_token_missing_a_required_claim_is_refused() -> None:
    now = utcnow()
    claims = {
        "iss": "svc",
        "aud": "svc-api",
        "sub": str(uuid.uuid4()),
        "exp": now + timedelta(minutes=5),
    }
    token = jwt.encode(claims, KEY, algorithm="HS256", headers={"typ": "at+jwt", "kid": "1"})
    with pytest.raises(InvalidTokenError):
        codec().verify(token)


def test_a_token_of_another_type_is_refused() -> None:
    token = issue()
    claims = jwt.decode(token, KEY, algorithms=["HS256"], audience="svc-api")
    retyped = jwt.encode(claims, KEY, algorithm="HS256", headers={"typ": "JWT", "kid": "1"})
    with pytest.raises(InvalidTokenError):
        codec().verify(retyped)


def test_refresh_tokens_are_random_and_stored_hashed() -> None:
    first, second = new_refresh_token(), new_refresh_token()
    assert first != second
    assert len(first) >= 43
    assert hash_refresh_token(first) != first
    assert len(hash_refresh_token(first)) == 64
