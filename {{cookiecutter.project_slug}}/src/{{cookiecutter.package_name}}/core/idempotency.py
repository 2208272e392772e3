"""Idempotent creates: a client's `Idempotency-Key` makes a retried POST create nothing twice.

A feature that accepts the key stores it, and the fingerprint of the request it came with, on
the row the request creates, under a unique index on (owner, key). A retry with the same key
and the same request finds that row and answers with it; with another request, it is refused
(the draft's 422); two at once cannot both insert, as the index lets one row through. A key
counts for KEY_LIFETIME, after which it may name a new request.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel

from {{ cookiecutter.package_name }}.core.errors import UnprocessableContent

KEY_LIFETIME = timedelta(hours=24)
KEY_REUSED = (
    "This Idempotency-Key was already used with a different request. Send the same request "
    "again to get its answer, or use a new key for a new request."
)


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    key: str
    fingerprint: str

    @classmethod
    def of(cls, key: str, body: BaseModel) -> IdempotentRequest | None:
        """The request `body` sent under `key`; None when the client sent no key ("")."""
        if not key:
            return None
        digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()
        return cls(key=key, fingerprint=digest)

    def check_replay_of(self, fingerprint: str | None) -> None:
        """Refuse a key already used for another request (its stored fingerprint differs)."""
        if fingerprint != self.fingerprint:
            raise UnprocessableContent(KEY_REUSED)


def expired(created_at: datetime, now: datetime) -> bool:
    return now - created_at >= KEY_LIFETIME
