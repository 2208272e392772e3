"""What the users API accepts and returns; separate from the ORM model on purpose.

Every input model forbids unknown fields, so a client cannot slip `is_admin` into a
registration or a profile update (mass assignment).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.core.emails import (
    MAX_EMAIL_LENGTH,
    RESERVED_DOMAIN_PATTERN,
    normalise_email,
)
from {{ cookiecutter.package_name }}.core.password_policy import reject_common_password
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


class UserUpdate(BaseModel):
    """A partial update of one's own profile; changing the password needs the current one."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    password: Password | None = None
    current_password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)] | None = None


class AdminUserUpdate(BaseModel):
    """What an administrator may change on any account."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    is_active: bool | None = None
    is_admin: bool | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: datetime
