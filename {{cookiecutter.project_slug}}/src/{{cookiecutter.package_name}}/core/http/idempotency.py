"""The `Idempotency-Key` request header (IETF httpapi draft), as a route parameter."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header

# Printable ASCII without spaces or quotes: a UUID, a ULID or any opaque token fits.
KEY_PATTERN = r"^[!#-~]{1,255}$"

# Typed `str` with "" for an absent header (see core/http/conditional.py for why not None).
IdempotencyKey = Annotated[
    str,
    Header(
        pattern=KEY_PATTERN,
        max_length=255,
        description=(
            "A key of your choosing, new for each request, the same on its retries: a retry "
            "within 24 hours answers as the first request did and creates nothing again"
        ),
    ),
]
