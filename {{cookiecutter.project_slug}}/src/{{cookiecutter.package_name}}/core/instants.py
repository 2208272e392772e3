"""An instant in a query parameter: RFC 3339, with its offset, and nothing else."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d{1,6})?([Zz]|[+-]\d\d:\d\d)")


def _rfc3339_only(value: object) -> object:
    # pydantic would also read a number as Unix time, which no client means in a filter and
    # the API's description (format: date-time) does not offer.
    if isinstance(value, str) and _RFC3339.fullmatch(value):
        return value
    msg = "must be an RFC 3339 date-time with its offset, such as 2026-01-31T12:00:00Z"
    raise ValueError(msg)


Instant = Annotated[AwareDatetime, BeforeValidator(_rfc3339_only)]
