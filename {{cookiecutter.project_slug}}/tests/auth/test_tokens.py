from __future__ import annotations

import base64
import secrets
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from {{ cookiecutter.package_name }}.auth.signing_keys import (
    Algorithm,
    KeyConfigurationError,
    KeySet,
    build_keyset,
)
from {{ cookiecutter.package_name }}.auth.tokens import (
    AccessTokenCodec,
    InvalidTokenError,
    hash_refresh_token,
    new_refresh_token,
)
from {{ cookiecutter.package_name }}.core.db.base import utcnow

SECRET = "s" * 48
ALGORITHMS: list[Algorithm] = ["EdDSA", "HS256"]


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def codec(
    keyset: KeySet | None = None, *, issuer: str = "svc", audience: str = "svc-api"
) -> AccessTokenCodec:
    return AccessTokenCodec(
        keyset=keyset or build_keyset("EdDSA", [], SECRET),
        issuer=issuer,
        audience=audience,
        ttl=timedelta(minutes=15),
    )


def issue(token_codec: AccessTokenCodec | None = None, **time_shift: float) -> str:
    now = utcnow() + timedelta(**time_shift)
    return (token_codec or codec()).issue(user_id=uuid.uuid4(), session_id=uuid.uuid4(), now=now)


def claims_now() -> dict[str, object]:
    now = utcnow()
    return {
        "iss": "svc",
        "aud": "svc-api",
        "sub": str(uuid.uuid4()),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": "j",
        "sid": str(uuid.uuid4()),
    }


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_fresh_token_carries_every_claim_and_verifies(algorithm: Algorithm) -> None:
    token_codec = codec(build_keyset(algorithm, [], SECRET))
    token = issue(token_codec)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == algorithm
    assert header["typ"] == "at+jwt"
    assert len(header["kid"]) == 16
    payload = jwt.decode(token, options={"verify_signature": False})
    assert set(payload) == {"iss", "aud", "sub", "iat", "nbf", "exp", "jti", "sid"}
    assert token_codec.verify(token).token_id == payload["jti"]


def test_the_default_lifetime_and_leeway() -> None:
    with pytest.raises(InvalidTokenError):
        codec().verify(issue(minutes=-16))
    assert codec().verify(issue(minutes=-15, seconds=10))


@pytest.mark.parametrize(
    ("issuer", "audience"), [("someone-else", "svc-api"), ("svc", "another-api")]
)
def test_a_token_for_another_issuer_or_audience_is_refused(issuer: str, audience: str) -> None:
    with pytest.raises(InvalidTokenError):
        codec().verify(issue(codec(issuer=issuer, audience=audience)))


def test_a_token_signed_by_a_key_outside_the_set_is_refused() -> None:
    stranger = codec(build_keyset("EdDSA", [new_key()], SECRET))
    with pytest.raises(InvalidTokenError):
        codec().verify(issue(stranger))


def test_rotation_signs_with_the_newest_and_verifies_the_previous() -> None:
    old, new = new_key(), new_key()
    before = codec(build_keyset("EdDSA", [old], SECRET))
    during = codec(build_keyset("EdDSA", [new, old], SECRET))
    after = codec(build_keyset("EdDSA", [new], SECRET))
    old_token = issue(before)
    assert during.verify(old_token)
    new_token = issue(during)
    assert after.verify(new_token)
    with pytest.raises(InvalidTokenError):
        after.verify(old_token)


def test_the_none_algorithm_is_refused() -> None:
    keyset = build_keyset("EdDSA", [], SECRET)
    forged = jwt.encode(
        claims_now(), "", algorithm="none", headers={"typ": "at+jwt", "kid": keyset.current.kid}
    )
    with pytest.raises(InvalidTokenError):
        codec(keyset).verify(forged)


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    # The classic algorithm-confusion attack: HMAC keyed with the (public) Ed25519 key.
    keyset = build_keyset("EdDSA", [], SECRET)
    public = keyset.current.verifying_key
    assert not isinstance(public, bytes)
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    forged = jwt.encode(
        claims_now(),
        raw * 2,
        algorithm="HS256",
        headers={"typ": "at+jwt", "kid": keyset.current.kid},
    )
    with pytest.raises(InvalidTokenError):
        codec(keyset).verify(forged)


@pytest.mark.parametrize(
    "extra_header",
    [
        {"jku": "https://attacker.example/keys"},
        {"x5u": "https://attacker.example/cert"},
        {"crit": ["exp"]},
        {"jwk": {"kty": "OKP"}},
    ],
)
def test_headers_that_bring_their_own_key_or_extensions_are_refused(
    extra_header: dict[str, object],
) -> None:
    keyset = build_keyset("HS256", [], SECRET)
    key = keyset.current
    assert isinstance(key.signing_key, bytes)
    token = jwt.encode(
        claims_now(),
        key.signing_key,
        algorithm="HS256",
        headers={"typ": "at+jwt", "kid": key.kid, **extra_header},
    )
    with pytest.raises(InvalidTokenError):
        codec(keyset).verify(token)


def test_a_token_missing_a_required_claim_is_refused() -> None:
    keyset = build_keyset("HS256", [], SECRET)
    key = keyset.current
    assert isinstance(key.signing_key, bytes)
    claims = claims_now()
    del claims["sid"]
    token = jwt.encode(
        claims, key.signing_key, algorithm="HS256", headers={"typ": "at+jwt", "kid": key.kid}
    )
    with pytest.raises(InvalidTokenError):
        codec(keyset).verify(token)


def test_a_token_of_another_type_is_refused() -> None:
    keyset = build_keyset("HS256", [], SECRET)
    key = keyset.current
    assert isinstance(key.signing_key, bytes)
    token = jwt.encode(
        claims_now(), key.signing_key, algorithm="HS256", headers={"typ": "JWT", "kid": key.kid}
    )
    with pytest.raises(InvalidTokenError):
        codec(keyset).verify(token)


@pytest.mark.parametrize(
    ("algorithm", "key", "message"),
    [
        ("EdDSA", base64.urlsafe_b64encode(b"x" * 31).decode(), "32 bytes"),
        ("HS256", base64.urlsafe_b64encode(b"x" * 16).decode(), "at least 32 bytes"),
        ("EdDSA", "not base64 at all!", "base64url"),
    ],
)
def test_malformed_configured_keys_are_refused(
    algorithm: Algorithm, key: str, message: str
) -> None:
    with pytest.raises(KeyConfigurationError, match=message):
        build_keyset(algorithm, [key], SECRET)


def test_derived_keys_differ_per_algorithm_and_secret() -> None:
    kids = {
        build_keyset(algorithm, [], secret).current.kid
        for algorithm in ALGORITHMS
        for secret in (SECRET, SECRET + "x")
    }
    assert len(kids) == 4


def test_refresh_tokens_are_random_and_stored_hashed() -> None:
    first, second = new_refresh_token(), new_refresh_token()
    assert first != second
    assert len(first) >= 43
    assert hash_refresh_token(first) != first
    assert len(hash_refresh_token(first)) == 64
