"""Every ORM model, imported in one place so Alembic and the tests see the whole schema."""

from {{ cookiecutter.package_name }}.auth.models import AuthSession, RefreshToken
from {{ cookiecutter.package_name }}.core.models import Base
from {{ cookiecutter.package_name }}.notes.models import Note
from {{ cookiecutter.package_name }}.users.models import User

__all__ = ["AuthSession", "Base", "Note", "RefreshToken", "User"]
