"""What the users API accepts; accounts are read as `UserRead` (auth/schemas.py).

Every input model forbids unknown fields, so a client cannot slip `is_admin` into a
profile update (mass assignment).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.auth.schemas import PASSWORD_MAX_LENGTH, FullName, Password


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
