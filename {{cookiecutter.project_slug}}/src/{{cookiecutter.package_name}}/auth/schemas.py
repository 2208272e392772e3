{% if cookiecutter.auth_provider == "local" -%}
"""What the auth API accepts and returns: accounts, credentials, tokens; never ORM models.

Every input model forbids unknown fields, so a client cannot slip `is_admin` into a
registration (mass assignment).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.auth.emails import (
    MAX_EMAIL_LENGTH,
    RESERVED_DOMAIN_PATTERN,
    normalise_email,
)
from {{ cookiecutter.package_name }}.auth.password_policy import reject_common_password
from {{ cookiecutter.package_name }}.core.text import SINGLE_LINE_PATTERN, reject_control_characters

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

# A new password: 8 to 128 characters of any Unicode, kept whole, and not a common one.
Password = Annotated[
    str,
    Field(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        json_schema_extra={"pattern": SINGLE_LINE_PATTERN},
    ),
    AfterValidator(reject_control_characters),
    AfterValidator(reject_common_password),
]
FullName = Annotated[
    str,
    Field(max_length=200, json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
    AfterValidator(reject_control_characters),
]
Email = Annotated[
    str,
    Field(
        max_length=MAX_EMAIL_LENGTH,
        json_schema_extra={"format": "email", "not": {"pattern": RESERVED_DOMAIN_PATTERN}},
    ),
    AfterValidator(normalise_email),
]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: Password
    full_name: FullName = ""


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name, not a secret
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[str, Field(min_length=1, max_length=256)]
{% else -%}
"""What the API returns for accounts; never ORM models."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.core.text import SINGLE_LINE_PATTERN, reject_control_characters

FullName = Annotated[
    str,
    Field(max_length=200, json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
    AfterValidator(reject_control_characters),
]


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    # The provider's email claim; null when its tokens carry none.
    email: str | None
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: datetime
{% endif -%}
