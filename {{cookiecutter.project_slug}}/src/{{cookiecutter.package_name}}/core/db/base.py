"""The declarative base every feature's ORM models inherit from."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator
{%- if cookiecutter.database == "mysql" %}

# Registers how these types are stored on MySQL; imported here, where every model gets them.
from {{ cookiecutter.package_name }}.core.db import mysql as _mysql_types
{%- endif %}

# Deterministic constraint names, so Alembic can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no timezone type and hands back naive values; this restores UTC on the way out
    and refuses naive values on the way in, so comparisons never mix the two kinds.
{%- if cookiecutter.database == "mysql" %} MySQL's
    DATETIME has no time zone either: it is given the UTC wall time, naive, so every stored
    value is a UTC instant.
{%- endif %}
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            msg = "naive datetime given; pass an aware UTC datetime"
            raise ValueError(msg)
{%- if cookiecutter.database == "mysql" %}
        if dialect.name in _mysql_types.DIALECTS:
            return value.astimezone(UTC).replace(tzinfo=None)
{%- endif %}
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)
