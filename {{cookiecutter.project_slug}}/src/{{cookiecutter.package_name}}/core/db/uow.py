"""The unit of work: the one place a transaction is committed or rolled back.

Services open it with `async with uow:`; leaving the block without `commit()` rolls back, so
a failure half-way through a use case never leaves half its writes behind. Leaving the block
also returns the connection to the pool, so slow work between blocks holds no connection.
Repositories only add and query; they never commit.

A use case that only reads opens `async with uow.read_only():` instead. Its statements run
without a transaction around them, which on PostgreSQL saves the BEGIN and ROLLBACK round
trips a transaction costs: more than a small query itself. Each statement still sees one
consistent snapshot; reads that must agree with each other use `async with uow:`.

What must happen only once the writes are durable (invalidating a cached read, core/cache.py)
is registered in the block with `uow.after_commit(callback)`: it runs right after the commit
succeeds, before the use case returns, and never when the block rolls back.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType
from typing import Protocol, Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        """Run `callback` once this block has committed; dropped if it rolls back."""
        ...

    def read_only(self) -> AbstractAsyncContextManager[None]:
        """A block that only reads: no transaction, nothing to commit. Never write in it."""
        ...


class SqlAlchemyUnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._committed = False
        self._after_commit: list[Callable[[], Awaitable[object]]] = []

    async def __aenter__(self) -> Self:
        self._committed = False
        self._after_commit = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._after_commit = []
        if not self._committed:
            # close() rolls the transaction back and detaches the loaded objects with their
            # state intact, so what a read-only block returns stays readable afterwards
            # (rollback() would expire it, and async code cannot lazy-load).
            await self._session.close()

    async def commit(self) -> None:
        await self._session.commit()
        self._committed = True
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        self._after_commit.append(callback)

    @asynccontextmanager
    async def read_only(self) -> AsyncIterator[None]:
        if isinstance(self._session.bind, AsyncEngine) and not self._session.in_transaction():
            # Autocommit on a pooled connection: each statement is its own transaction. A
            # session bound to a connection already in a transaction (the rollback-per-test
            # fixture) keeps it, since the isolation level cannot change mid-transaction.
            await self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        try:
            yield
        finally:
            # Returns the connection to the pool, which restores its isolation level, and
            # detaches what was loaded, still readable.
            await self._session.close()
