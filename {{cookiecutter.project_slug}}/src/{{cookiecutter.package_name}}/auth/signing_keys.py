"""The fixed keyset that signs and verifies access tokens.

One algorithm per deployment, never a mix: EdDSA (Ed25519) by default, HS256 when chosen.
Keys are listed newest first in `JWT_KEYS`; the newest signs, every listed key verifies, so a
key can be rotated by prepending the new one and dropping the old one a token lifetime later.
With no `JWT_KEYS`, one key is derived from `SECRET_KEY` (HKDF-SHA256), so a fresh project
signs tokens with no extra setup.

Each key's id (`kid`) is derived from its public part, so ids never need configuring and a
token can only ever select a key from this set: key material never comes from the token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

Algorithm = Literal["EdDSA", "HS256"]
ED25519_SEED_BYTES = 32
MIN_HMAC_KEY_BYTES = 32  # RFC 7518: an HS256 key must be at least as long as the hash


class KeyConfigurationError(ValueError):
    """A configured key is malformed or too short."""


@dataclass(frozen=True, slots=True)
class TokenKey:
    kid: str
    signing_key: Ed25519PrivateKey | bytes
    verifying_key: Ed25519PublicKey | bytes


@dataclass(frozen=True, slots=True)
class KeySet:
    algorithm: Algorithm
    keys: tuple[TokenKey, ...]

    @property
    def current(self) -> TokenKey:
        return self.keys[0]

    def find(self, kid: object) -> TokenKey | None:
        return next((key for key in self.keys if key.kid == kid), None)


def _decode(encoded: str) -> bytes:
    # Standard and URL-safe alphabets both accepted; anything else is an error, not skipped.
    normalised = encoded.strip().replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.b64decode(normalised + "=" * (-len(normalised) % 4), b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        msg = "JWT_KEYS entries must be base64url text (for example `openssl rand -base64 32`)"
        raise KeyConfigurationError(msg) from exc


def _kid(public_material: bytes) -> str:
    return hashlib.sha256(b"kid:" + public_material).hexdigest()[:16]


def _key(algorithm: Algorithm, material: bytes) -> TokenKey:
    if algorithm == "EdDSA":
        if len(material) != ED25519_SEED_BYTES:
            msg = f"an EdDSA key must be {ED25519_SEED_BYTES} bytes (got {len(material)})"
            raise KeyConfigurationError(msg)
        private = Ed25519PrivateKey.from_private_bytes(material)
        public = private.public_key()
        raw_public = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return TokenKey(kid=_kid(raw_public), signing_key=private, verifying_key=public)
    if len(material) < MIN_HMAC_KEY_BYTES:
        msg = f"an HS256 key must be at least {MIN_HMAC_KEY_BYTES} bytes (got {len(material)})"
        raise KeyConfigurationError(msg)
    return TokenKey(
        kid=_kid(hashlib.sha256(material).digest()), signing_key=material, verifying_key=material
    )


def derive_key_material(secret_key: str, algorithm: Algorithm) -> bytes:
    """32 bytes for `algorithm`, derived from SECRET_KEY and bound to the algorithm's name."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"access-token-signing-key:" + algorithm.encode(),
    )
    return hkdf.derive(secret_key.encode())


def build_keyset(algorithm: Algorithm, configured: list[str], secret_key: str) -> KeySet:
    materials = [_decode(value) for value in configured] or [
        derive_key_material(secret_key, algorithm)
    ]
    return KeySet(algorithm=algorithm, keys=tuple(_key(algorithm, m) for m in materials))
