"""What the users API accepts; accounts are read as `UserRead` (auth/schemas.py).

Every input model forbids unknown fields, so a client cannot slip `is_admin` into a
profile update (mass assignment).
"""

from __future__ import annotations
{%- if cookiecutter.auth_provider == "local" %}

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from {{ cookiecutter.package_name }}.auth.schemas import PASSWORD_MAX_LENGTH, FullName, Password
{%- else %}

from pydantic import BaseModel, ConfigDict

from {{ cookiecutter.package_name }}.auth.schemas import FullName
{%- endif %}


class UserUpdate(BaseModel):
{%- if cookiecutter.auth_provider == "local" %}
    """A partial update of one's own profile; changing the password needs the current one."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    password: Password | None = None
    current_password: Annotated[str, Field(max_length=PASSWORD_MAX_LENGTH)] | None = None
{%- else %}
    """A partial update of one's own profile."""

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
{%- endif %}


class AdminUserUpdate(BaseModel):
{%- if cookiecutter.auth_provider == "local" %}
    """What an administrator may change on any account."""
{%- else %}
    """What an administrator may change on any account.

    Not the administrator flag: it follows the provider's roles (OIDC_ADMIN_ROLE).
    """
{%- endif %}

    model_config = ConfigDict(extra="forbid")

    full_name: FullName | None = None
    is_active: bool | None = None
{%- if cookiecutter.auth_provider == "local" %}
    is_admin: bool | None = None
{%- endif %}
