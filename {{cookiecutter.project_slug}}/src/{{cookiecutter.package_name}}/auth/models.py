{% if cookiecutter.auth_provider == "local" -%}
"""Accounts, and the server-side session state behind their tokens.

A login opens an `AuthSession`; each refresh token belongs to one session (its "family").
Access tokens name their session, and every authenticated request checks it is still open,
so logging out, changing the password or disabling the account ends access at once.
"""
{%- else -%}
"""Accounts, and the OIDC provider's subjects they belong to.

The provider authenticates; an `ExternalIdentity` ties its (`iss`, `sub`) to one account, so
the account's data keeps its owner whatever the token's other claims say.
"""
{%- endif %}

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, {% if cookiecutter.auth_provider == "oidc" %}UniqueConstraint, {% endif %}Uuid
from sqlalchemy.orm import Mapped, mapped_column

from {{ cookiecutter.package_name }}.core.db.base import Base, UTCDateTime, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
{%- if cookiecutter.auth_provider == "local" %}
    # Stored lower-cased by the service, so the unique index is case-insensitive in effect.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
{%- else %}
    # The provider's `email` claim, lower-cased; None when its tokens carry none.
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
{%- endif %}
    is_active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@dataclass(frozen=True, slots=True)
class Account:
    """An account as one request sees it: what authentication hands to the handlers.

    Read fresh from the database on every request, as plain columns rather than a `User`
    entity: building an entity (instrumented state, identity map) costs more than the query.
    It is never written back; a change loads the `User` inside its own transaction. It holds
    no password hash, so no handler or log line can leak one from it.
    """

    id: uuid.UUID
    email: str{% if cookiecutter.auth_provider == "oidc" %} | None{% endif %}
    full_name: str
    is_active: bool
    is_admin: bool
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> Account:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            is_active=user.is_active,
            is_admin=user.is_admin,
            created_at=user.created_at,
        )

{%- if cookiecutter.auth_provider == "local" %}


class AuthSession(Base):
    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Absolute lifetime: refreshing slides the refresh token, never this.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RefreshToken(Base):
    __tablename__ = "refresh_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the token: the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
{%- else %}


class ExternalIdentity(Base):
    """One provider subject, and the account it signs in as."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
{%- endif %}
