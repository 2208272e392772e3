"""Opaque page cursors: a row's place in a list, signed with the list it belongs to.

A client can only hand back a cursor the service gave out, for the list and filters it was
given out for: the MAC covers both, so an edited cursor, or one from another list or another
query, is a 400 problem instead of a page that silently starts somewhere else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from datetime import datetime

from {{ cookiecutter.package_name }}.core.errors import BadRequest
from {{ cookiecutter.package_name }}.core.pagination import Position, SortValue

# Distinguishes this key from every other use of the service's secret.
_KEY_PURPOSE = b"page cursor v1\x00"
_MAC_BYTES = 16
INVALID_CURSOR = (
    "The cursor is not one this list gave out, or the query changed since it was: repeat the "
    "request it came from with only `cursor` changed, or leave `cursor` out to start again."
)


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class CursorCodec:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(_KEY_PURPOSE + secret.encode()).digest()

    def _mac(self, listing: str, payload: str) -> str:
        message = f"{listing}\n{payload}".encode()
        return _b64encode(hmac.digest(self._key, message, "sha256")[:_MAC_BYTES])

    def encode(self, listing: str, position: Position) -> str:
        value = position.value
        kind, text = ("t", value.isoformat()) if isinstance(value, datetime) else ("s", value)
        payload = _b64encode(json.dumps([kind, text, str(position.id)]).encode())
        return f"{payload}.{self._mac(listing, payload)}"

    def decode(self, listing: str, cursor: str) -> Position:
        """The position `cursor` holds, if this codec signed it for `listing`; else BadRequest."""
        payload, _, mac = cursor.partition(".")
        if not hmac.compare_digest(mac.encode(), self._mac(listing, payload).encode()):
            raise BadRequest(INVALID_CURSOR)
        try:
            kind, text, row_id = json.loads(_b64decode(payload))
            value: SortValue = datetime.fromisoformat(text) if kind == "t" else str(text)
            return Position(value, uuid.UUID(row_id))
        except (ValueError, TypeError, binascii.Error) as error:
            # Signed by us, so only a key shared with an older, different format gets here.
            raise BadRequest(INVALID_CURSOR) from error
