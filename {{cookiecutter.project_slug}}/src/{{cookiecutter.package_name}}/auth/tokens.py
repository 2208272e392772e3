"""Access tokens (signed JWTs) and refresh tokens (opaque random strings).

The verifier pins one algorithm, takes its key only from the fixed keyset by `kid`, requires
every claim, checks issuer and audience exactly and refuses a token of another type
(RFC 8725). Claims carry ids only: roles and account status are read from the database on
each request, so a demotion or a logout takes effect at once.

A client sends the same access token for its whole lifetime, so each process remembers the
last tokens whose signature it checked, by their exact text: checking an Ed25519 signature
costs more than the rest of a small request. Expiry is still checked on every use, and the
session the token names is still read from the database on every request.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from {{ cookiecutter.package_name }}.auth.signing_keys import KeySet

ACCESS_TOKEN_TYPE = "at+jwt"  # noqa: S105 - the RFC 9068 media type, not a secret
REQUIRED_CLAIMS = ("iss", "aud", "sub", "iat", "nbf", "exp", "jti", "sid")
LEEWAY_SECONDS = 30
# Header parameters that would let a token choose its own key or demand extensions we do not
# implement (RFC 8725 §3.10, RFC 7515 §4.1.11): any token carrying one is refused.
FORBIDDEN_HEADERS = frozenset({"jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "crit"})
# Verified tokens remembered per process (about 1 KiB each); the least recently used go first.
VERIFIED_TOKENS_REMEMBERED = 4096


class InvalidTokenError(Exception):
    """The token is malformed, expired, forged or of the wrong type."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: str
    expires_at: datetime


class AccessTokenCodec:
    def __init__(self, *, keyset: KeySet, issuer: str, audience: str, ttl: timedelta) -> None:
        self._keyset = keyset
        self._issuer = issuer
        self._audience = audience
        self._ttl = ttl
        self._verified: OrderedDict[str, AccessClaims] = OrderedDict()

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
        key = self._keyset.current
        headers = {"typ": ACCESS_TOKEN_TYPE, "kid": key.kid}
        return jwt.encode(
            payload, key.signing_key, algorithm=self._keyset.algorithm, headers=headers
        )

    def verify(self, token: str) -> AccessClaims:
        claims = self._verified.get(token)
        if claims is None:
            claims = self._verify_signed(token)
            self._verified[token] = claims
            if len(self._verified) > VERIFIED_TOKENS_REMEMBERED:
                self._verified.popitem(last=False)
        else:
            self._verified.move_to_end(token)
            # The same test PyJWT applies: expired once `exp` is more than the leeway ago.
            if claims.expires_at.timestamp() <= time.time() - LEEWAY_SECONDS:
                del self._verified[token]
                raise InvalidTokenError
        return claims

    def _verify_signed(self, token: str) -> AccessClaims:
        try:
            header = jwt.get_unverified_header(token)
            key = self._keyset.find(header.get("kid"))
            if (
                key is None
                or header.get("typ") != ACCESS_TOKEN_TYPE
                or header.get("alg") != self._keyset.algorithm
                or FORBIDDEN_HEADERS.intersection(header)
            ):
                raise InvalidTokenError
            claims = jwt.decode(
                token,
                key.verifying_key,
                algorithms=[self._keyset.algorithm],
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
