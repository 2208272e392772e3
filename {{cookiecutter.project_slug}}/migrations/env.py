"""Alembic environment: async engine, the service's settings, and every model's metadata."""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator

from {{ cookiecutter.package_name }}.core.config import DatabaseSettings
from {{ cookiecutter.package_name }}.core.db.engine import create_engine
from {{ cookiecutter.package_name }}.models import load_models

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

target_metadata = load_models()


def _database_url() -> str:
    # Tests pass a URL through the config; everyone else goes through the settings.
    url = config.attributes.get("database_url")
    if isinstance(url, str):
        return url
    return DatabaseSettings().database_url


def _render_item(kind: str, obj: object, _context: AutogenContext) -> str | bool:
    # Migrations must not import the service's code (it changes; migrations must not), so a
    # custom column type is written as the plain SQLAlchemy type it stores.
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )


def _run_sync(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    url = _database_url()
    engine = create_engine(DatabaseSettings(database_url=url))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=_database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
