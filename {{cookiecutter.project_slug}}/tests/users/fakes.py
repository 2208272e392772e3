"""An in-memory stand-in for the users feature's repository (no database).
{% if cookiecutter.auth_provider == "local" %}
It extends the auth feature's fake account repository, as `SqlUserRepository` extends
`SqlAccountRepository`, and satisfies `UserRepository`, so mypy proves it fits.
{%- else %}
It satisfies `UserRepository`, so mypy proves it fits.
{%- endif %}
"""

from __future__ import annotations
{% if cookiecutter.auth_provider == "oidc" or (cookiecutter.include_graphql and cookiecutter.include_example_resource) %}
import uuid
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}
from collections.abc import Sequence
{%- endif %}
{% endif %}
from {{ cookiecutter.package_name }}.auth.models import User
{%- if cookiecutter.auth_provider == "oidc" %}
from {{ cookiecutter.package_name }}.core.db.base import utcnow
{%- endif %}
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
{%- if cookiecutter.auth_provider == "local" %}
from tests.auth.fakes import FakeAccountRepository


class FakeUserRepository(FakeAccountRepository):
{%- else %}


class FakeUserRepository:
    def __init__(self) -> None:
        self.rows: dict[uuid.UUID, User] = {}

    async def get(self, user_id: uuid.UUID) -> User | None:
        return self.rows.get(user_id)

    async def add(self, user: User) -> None:
        # The ORM fills column defaults at flush; the fake does it on add.
        if user.id is None:
            user.id = uuid.uuid4()
            user.created_at = utcnow()
        if user.is_active is None:
            user.is_active = True
        if user.is_admin is None:
            user.is_admin = False
        self.rows[user.id] = user
{% endif %}
    async def list(self, page: PageRequest) -> list[User]:
        ordered = sorted(self.rows.values(), key=lambda user: (user.created_at, user.id))
        if page.after is not None:
            after = (page.after.value, page.after.id)
            ordered = [user for user in ordered if (user.created_at, user.id) > after]
        return ordered[: page.limit + 1]
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}

    async def get_many(self, user_ids: Sequence[uuid.UUID]) -> Sequence[User]:
        return [self.rows[user_id] for user_id in dict.fromkeys(user_ids) if user_id in self.rows]
{%- endif %}

    async def count_active_admins(self) -> int:
        return sum(1 for user in self.rows.values() if user.is_admin and user.is_active)

    async def delete(self, user: User) -> None:
        del self.rows[user.id]
