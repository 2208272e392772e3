"""Access tokens (signed JWTs) and refresh tokens (opaque random strings).

The verifier pins one algorithm, requires every claim, checks issuer and audience exactly and
refuses a token of another type (RFC 8725). Claims carry ids only: roles and account status
are read from the database on each request, so a demotion or a logout takes effect at once.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - the RFC 9068 media type, not a secret
ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("iss", "aud", "sub", "iat", "nbf", "exp", "jti", "sid")
LEEWAY_SECONDS = 30
MIN_HMAC_KEY_BYTES = 32


class InvalidTokenError(Exception):
    """The token is malformed, expired, forged or of the wrong type."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str
    expires_at: datetime


class AccessTokenCodec:
    def __init__(
        self, *, secret_key: str, issuer: str, audience: str, ttl: timedelta, key_id: str = "1"
    ) -> None:
        self._key = secret_key
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._key_id = key_id

    @property
    def ttl(self) -> timedelta:
        return self._ttl

    def issue(self, *, user_id: uuid.UUID, session_id: uuid.UUID, now: datetime) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience,
            "sub": str(user_id),
            "iat": now,
            "nbf": now,
            "exp": now + self._ttl,
            "jti": uuid.uuid4().hex,
            "sid": str(session_id),
        }
        headers = {"typ": ACCESS_TOKEN_TYPE, "kid": self._key_id}
        return jwt.encode(payload, self._key, algorithm=ALGORITHM, headers=headers)

    def verify(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("typ") != ACCESS_TOKEN_TYPE or header.get("kid") != self._key_id:
                raise InvalidTokenError
            claims = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS)},
            )
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                session_id=uuid.UUID(claims["sid"]),
                token_id=str(claims["jti"]),
                expires_at=datetime.fromtimestamp(claims["exp"], tz=UTC),
            )
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
            raise InvalidTokenError from exc


def new_refresh_token() -> str:
    """256 bits from the OS's CSPRNG, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    # Refresh tokens have 256 bits of entropy, so a fast hash is enough: nobody can brute-force
    # the preimage, and a stolen database row cannot be replayed.
    return hashlib.sha256(token.encode()).hexdigest()
