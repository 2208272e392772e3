"""Creates an administrator account from the command line; no account exists by default."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from {{ cookiecutter.package_name }}.auth.repository import SqlAccountRepository
from {{ cookiecutter.package_name }}.auth.schemas import UserCreate
from {{ cookiecutter.package_name }}.auth.service import RegistrationService
from {{ cookiecutter.package_name }}.bootstrap import build_state
from {{ cookiecutter.package_name }}.core.db.uow import SqlAlchemyUnitOfWork
from {{ cookiecutter.package_name }}.core.errors import AppError
from {{ cookiecutter.package_name }}.settings import Settings


async def create_admin_account(settings: Settings, email: str, password: str) -> int:
    try:
        data = UserCreate(email=email, password=password)
    except ValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            print(f"error: {field}: {error['msg']}", file=sys.stderr)  # noqa: T201
        return 1
    state = build_state(settings)
    try:
        async with state.session_factory() as session:
            service = RegistrationService(
                users=SqlAccountRepository(session),
                uow=SqlAlchemyUnitOfWork(session),
                passwords=state.passwords,
            )
            try:
                user = await service.register(data, is_admin=True)
            except AppError as exc:
                print(f"error: {exc.detail}", file=sys.stderr)  # noqa: T201
                return 1
    finally:
        await state.engine.dispose()
    print(f"Created administrator {user.email} ({user.id}).")  # noqa: T201
    return 0
