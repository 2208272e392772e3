"""The unit of work: the one place a transaction is committed or rolled back.

Services open it with `async with uow:`; leaving the block without `commit()` rolls back, so
a failure half-way through a use case never leaves half its writes behind. Leaving the block
also returns the connection to the pool, so slow work between blocks holds no connection.
Repositories only add and query; they never commit.
"""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncSession


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class SqlAlchemyUnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._committed = False

    async def __aenter__(self) -> Self:
        self._committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed:
            # close() rolls the transaction back and detaches the loaded objects with their
            # state intact, so what a read-only block returns stays readable afterwards
            # (rollback() would expire it, and async code cannot lazy-load).
            await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()
        self._committed = True
