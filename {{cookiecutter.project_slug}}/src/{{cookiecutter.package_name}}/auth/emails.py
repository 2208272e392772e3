"""Email addresses as the API accepts them: syntactically valid, compared lower-cased.

Deliverability is not checked (no DNS on a request path). Domains reserved for special use
(RFC 6761: `.test`, `.local`, ...) are refused by the validator, and the OpenAPI description
says so (`"not": {"pattern": RESERVED_DOMAIN_PATTERN}`), so clients and the contract test know
before they send one.
"""

from __future__ import annotations

from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

MAX_EMAIL_LENGTH = 320


def _any_case(name: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else f"\\{c}" for c in name)


# JSON Schema (ECMA-262) syntax; documentation only, the validator below enforces it. An
# address this finds is refused. Written as a plain suffix match under `not` rather than a
# negative lookahead: test generators build strings from a pattern, and a lookahead left them
# guessing and discarding for tens of seconds per run.
RESERVED_DOMAIN_PATTERN = (
    r"[.@](?:" + "|".join(_any_case(name) for name in SPECIAL_USE_DOMAIN_NAMES) + r")$"
)


def normalise_email(value: str) -> str:
    try:
        result = validate_email(value, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as exc:
        msg = f"is not a valid email address: {exc}"
        raise ValueError(msg) from None
    return result.normalized.lower()
