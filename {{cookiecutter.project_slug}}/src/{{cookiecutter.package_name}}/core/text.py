"""Validators for free text that reaches the database."""

from __future__ import annotations

import re

# NUL is refused by PostgreSQL text columns; other C0 controls have no place in names or
# passwords and are a common log-forging vector. Tab, newline and carriage return are allowed
# only where multi-line text is expected (see `reject_nul`).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NUL = "\x00"

# The same rules as JSON Schema patterns, so the OpenAPI description tells clients (and the
# contract test's generator) exactly what is accepted. The validators below enforce them with
# clearer messages than a pattern mismatch.
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
NO_NUL_PATTERN = r"^[^\x00]*$"


def reject_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        msg = "must not contain control characters"
        raise ValueError(msg)
    _reject_lone_surrogates(value)
    return value


def reject_nul(value: str) -> str:
    if _NUL in value:
        msg = "must not contain NUL characters"
        raise ValueError(msg)
    _reject_lone_surrogates(value)
    return value


def _reject_lone_surrogates(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        msg = "must be valid Unicode text"
        raise ValueError(msg) from exc
