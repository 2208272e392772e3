"""Login, refresh-token rotation, logout and access-token authentication.

Password hashing runs outside any transaction: the unit of work is closed (and its connection
returned to the pool) before a hash is computed, so slow hashing never pins a connection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog
from sqlalchemy.exc import IntegrityError

from {{ cookiecutter.package_name }}.auth import metrics
from {{ cookiecutter.package_name }}.auth.models import Account, AuthSession, RefreshToken, User
from {{ cookiecutter.package_name }}.auth.passwords import PasswordHashing
from {{ cookiecutter.package_name }}.auth.repository import (
    AccountRepository,
    ActiveAccountReader,
    SessionRepository,
)
from {{ cookiecutter.package_name }}.auth.schemas import TokenPair, UserCreate
from {{ cookiecutter.package_name }}.auth.throttle import Lockout, LoginThrottle
from {{ cookiecutter.package_name }}.auth.tokens import (
    AccessTokenCodec,
    InvalidTokenError,
    hash_refresh_token,
    new_refresh_token,
)
from {{ cookiecutter.package_name }}.core.db.base import utcnow
from {{ cookiecutter.package_name }}.core.db.uow import UnitOfWork
from {{ cookiecutter.package_name }}.core.errors import Conflict, Throttled, Unauthorized

INVALID_CREDENTIALS = "Incorrect email or password."
EMAIL_TAKEN = "An account with this email already exists; log in or use another email."
INVALID_REFRESH = "The refresh token is invalid or expired; log in again."
INVALID_ACCESS = "The access token is invalid or expired."
# Says nothing of whether the account exists: unknown accounts are throttled the same way.
LOGIN_THROTTLED = (
    "Too many failed logins for this account or from this address. "
    "Wait the number of seconds in the Retry-After header, then try again."
)

logger = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller: the account and the session its token belongs to."""

    user: Account
    session_id: uuid.UUID


class Authenticator:
    """Who sends this access token: run on every authenticated request, so kept apart.

    It needs no ORM session and no transaction, unlike the login and refresh flows: one read
    through its own connection, made for every request (a memoised signature check does not
    make the session check optional), so a revoked session or a disabled account ends access
    at once.
    """

    def __init__(self, *, access_tokens: AccessTokenCodec, accounts: ActiveAccountReader) -> None:
        self._access_tokens = access_tokens
        self._accounts = accounts

    async def authenticate(self, access_token: str) -> Principal:
        try:
            claims = self._access_tokens.verify(access_token)
        except InvalidTokenError:
            raise Unauthorized(INVALID_ACCESS) from None
        account = await self._accounts.get(claims.user_id, claims.session_id, utcnow())
        if account is None:
            raise Unauthorized(INVALID_ACCESS)
        return Principal(user=account, session_id=claims.session_id)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    refresh_ttl: timedelta
    max_lifetime: timedelta


class AuthService:
    def __init__(
        self,
        *,
        users: AccountRepository,
        sessions: SessionRepository,
        uow: UnitOfWork,
        passwords: PasswordHashing,
        access_tokens: AccessTokenCodec,
        policy: SessionPolicy,
        throttle: LoginThrottle,
    ) -> None:
        self._users = users
        self._sessions = sessions
        self._uow = uow
        self._passwords = passwords
        self._access_tokens = access_tokens
        self._policy = policy
        self._throttle = throttle

    async def login(
        self, email: str, password: str, *, client_host: str | None = None
    ) -> TokenPair:
        """Tokens for valid credentials. `client_host` is the caller's address, for throttling."""
        email = email.strip().lower()
        # Taken before any hash is verified, and counted as a failure at once: a locked-out
        # caller cannot make the server hash, and guesses sent in parallel cannot all be
        # checked before the first of them is counted.
        attempt = await self._throttle.begin(email, client_host)
        if isinstance(attempt, Lockout):
            logger.warning(
                "login_throttled",
                scopes=list(attempt.scopes),
                retry_after=attempt.retry_after,
                client_ip=client_host,
            )
            metrics.LOGIN_THROTTLED.inc()
            raise Throttled(attempt.retry_after, LOGIN_THROTTLED)

        async with self._uow.read_only():
            user = await self._users.get_by_email(email)
        # Verified even when the account is unknown, against a dummy hash: same time, same answer.
        matched = await self._passwords.verify(user.password_hash if user else None, password)
        if user is None or not matched or not user.is_active:
            # Nothing to record: the attempt has counted as a failure since it began.
            logger.info(
                "login_failed",
                # A match here means the password was right but the account is disabled.
                reason="inactive" if matched else "credentials",
                failures=attempt.failures,
                client_ip=client_host,
            )
            metrics.LOGIN_FAILED.inc()
            raise Unauthorized(INVALID_CREDENTIALS)
        await self._throttle.record_success(email, attempt)
        metrics.LOGIN_SUCCEEDED.inc()

        new_hash = None
        if self._passwords.needs_rehash(user.password_hash):
            new_hash = await self._passwords.hash(password)

        now = utcnow()
        async with self._uow:
            if new_hash is not None:
                user.password_hash = new_hash
                await self._users.add(user)
            session = AuthSession(user_id=user.id, expires_at=now + self._policy.max_lifetime)
            await self._sessions.add_session(session)
            refresh = await self._issue_refresh_token(session, now)
            await self._uow.commit()
        logger.info("login_succeeded", user_id=str(user.id), session_id=str(session.id))
        return self._token_pair(user.id, session.id, refresh, now)

    async def refresh(self, refresh_token: str) -> TokenPair:
        now = utcnow()
        async with self._uow:
            stored = await self._sessions.get_refresh_token(hash_refresh_token(refresh_token))
            if stored is None:
                raise Unauthorized(INVALID_REFRESH)
            if stored.used_at is not None:
                # A used token came back: it was stolen, or its rotation was replayed. End the
                # whole family, so the newest token in the thief's or the owner's hands dies too.
                await self._sessions.revoke_session(stored.session_id, now)
                await self._uow.commit()
                logger.warning("refresh_token_reused", session_id=str(stored.session_id))
                raise Unauthorized(INVALID_REFRESH)
            session = await self._sessions.get_session(stored.session_id)
            if (
                session is None
                or session.revoked_at is not None
                or session.expires_at <= now
                or stored.expires_at <= now
            ):
                raise Unauthorized(INVALID_REFRESH)
            user = await self._users.get(session.user_id)
            if user is None or not user.is_active:
                raise Unauthorized(INVALID_REFRESH)
            stored.used_at = now
            new_refresh = await self._issue_refresh_token(session, now)
            await self._uow.commit()
        return self._token_pair(user.id, session.id, new_refresh, now)

    async def logout(self, principal: Principal) -> None:
        async with self._uow:
            await self._sessions.revoke_session(principal.session_id, utcnow())
            await self._uow.commit()
        logger.info("logout", user_id=str(principal.user.id), session_id=str(principal.session_id))

    async def _issue_refresh_token(self, session: AuthSession, now: datetime) -> str:
        token = new_refresh_token()
        # Sliding expiry, but never past the session's absolute end.
        expires_at = min(now + self._policy.refresh_ttl, session.expires_at)
        await self._sessions.add_refresh_token(
            RefreshToken(
                session_id=session.id, token_hash=hash_refresh_token(token), expires_at=expires_at
            )
        )
        return token

    def _token_pair(
        self, user_id: uuid.UUID, session_id: uuid.UUID, refresh: str, now: datetime
    ) -> TokenPair:
        access = self._access_tokens.issue(user_id=user_id, session_id=session_id, now=now)
        return TokenPair(
            access_token=access,
            expires_in=int(self._access_tokens.ttl.total_seconds()),
            refresh_token=refresh,
        )


class RegistrationService:
    """Opens accounts: the public sign-up and `create-admin` on the command line."""

    def __init__(
        self, *, users: AccountRepository, uow: UnitOfWork, passwords: PasswordHashing
    ) -> None:
        self._users = users
        self._uow = uow
        self._passwords = passwords

    async def register(self, data: UserCreate, *, is_admin: bool = False) -> User:
        email = data.email.lower()
        # Hash before the transaction opens: no connection is held during the slow part.
        password_hash = await self._passwords.hash(data.password)
        async with self._uow:
            if await self._users.get_by_email(email) is not None:
                raise Conflict(EMAIL_TAKEN)
            user = User(
                email=email,
                full_name=data.full_name,
                password_hash=password_hash,
                is_admin=is_admin,
            )
            try:
                await self._users.add(user)
                await self._uow.commit()
            except IntegrityError:
                # Another request registered the same email between the check and the insert.
                raise Conflict(EMAIL_TAKEN) from None
        logger.info("user_registered", user_id=str(user.id), is_admin=is_admin)
        return user
