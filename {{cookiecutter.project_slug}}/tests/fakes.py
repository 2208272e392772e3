"""The in-memory unit of work every feature's service tests share (no database).

Each feature keeps its own fake repositories in its test folder (`tests/<feature>/fakes.py`);
only what every feature needs lives here. It satisfies the `UnitOfWork` Protocol, so mypy
proves it fits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Self


class FakeUnitOfWork:
    """Counts commits, rollbacks and read-only blocks, so a test can assert on them."""

    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0
        self.reads = 0
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
            self.rollbacks += 1

    async def commit(self) -> None:
        self.commits += 1
        self._committed = True
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            await callback()

    def after_commit(self, callback: Callable[[], Awaitable[object]]) -> None:
        self._after_commit.append(callback)

    @asynccontextmanager
    async def read_only(self) -> AsyncIterator[None]:
        self.reads += 1
        yield
