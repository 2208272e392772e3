"""An in-memory stand-in for the users feature's repository (no database).

It extends the auth feature's fake account repository, as `SqlUserRepository` extends
`SqlAccountRepository`, and satisfies `UserRepository`, so mypy proves it fits.
"""

from __future__ import annotations

from {{ cookiecutter.package_name }}.auth.models import User
from {{ cookiecutter.package_name }}.core.pagination import PageRequest
from tests.auth.fakes import FakeAccountRepository


class FakeUserRepository(FakeAccountRepository):
    async def list(self, page: PageRequest) -> list[User]:
        ordered = sorted(self.rows.values(), key=lambda user: (user.created_at, user.id))
        if page.after is not None:
            after = (page.after.value, page.after.id)
            ordered = [user for user in ordered if (user.created_at, user.id) > after]
        return ordered[: page.limit + 1]

    async def count_active_admins(self) -> int:
        return sum(1 for user in self.rows.values() if user.is_admin and user.is_active)

    async def delete(self, user: User) -> None:
        del self.rows[user.id]
