"""The administration queries on a real database, inside a rolled-back transaction."""

from __future__ import annotations
{% if cookiecutter.include_graphql and cookiecutter.include_example_resource %}
import uuid
{% endif %}
from sqlalchemy.ext.asyncio import AsyncSession

from {{ cookiecutter.package_name }}.auth.models import User
from {{ cookiecutter.package_name }}.users.repository import SqlUserRepository


async def _user(session: AsyncSession, email: str, *, is_admin: bool = False) -> User:
    user = User(email=email{% if cookiecutter.auth_provider == "local" %}, password_hash="x"{% endif %}, is_admin=is_admin)
    await SqlUserRepository(session).add(user)
    return user


async def test_count_active_admins(db_session: AsyncSession) -> None:
    await _user(db_session, "admin@example.com", is_admin=True)
    await _user(db_session, "user@example.com")
    assert await SqlUserRepository(db_session).count_active_admins() == 1
{%- if cookiecutter.include_graphql and cookiecutter.include_example_resource %}


async def test_get_many_finds_the_ids_that_exist_in_one_query(db_session: AsyncSession) -> None:
    first = await _user(db_session, "first@example.com")
    second = await _user(db_session, "second@example.com")
    await _user(db_session, "third@example.com")
    repository = SqlUserRepository(db_session)
    found = await repository.get_many([second.id, uuid.uuid4(), first.id, first.id])
    assert {user.id for user in found} == {first.id, second.id}
{%- endif %}
