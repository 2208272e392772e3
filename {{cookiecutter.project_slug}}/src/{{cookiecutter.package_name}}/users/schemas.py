"""What the users API accepts and returns; separate from the ORM model on purpose.

Every input model forbids unknown fields, so a client cannot slip `is_admin` into a
registration or a profile update (mass assignment).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from {{ cookiecutter.package_name }}.core.text import reject_control_characters

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

Password = Annotated[
    str,
    Field(min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH),
    AfterValidator(reject_control_characters),
]
FullName = Annotated[str, Field(max_length=200), AfterValidator(reject_control_characters)]
Email = Annotated[EmailStr, Field(max_length=320)]


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
