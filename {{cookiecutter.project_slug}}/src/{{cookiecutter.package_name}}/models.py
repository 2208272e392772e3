"""Every ORM model, imported in one place so Alembic and the tests see the whole schema."""

from {{ cookiecutter.package_name }}.auth.models import AuthSession, RefreshToken
from {{ cookiecutter.package_name }}.core.models import Base
{%- if cookiecutter.include_example_resource %}
from {{ cookiecutter.package_name }}.notes.models import Note
{%- endif %}
from {{ cookiecutter.package_name }}.users.models import User

__all__ = ["AuthSession", "Base",{% if cookiecutter.include_example_resource %} "Note",{% endif %} "RefreshToken", "User"]
