"""The in-memory unit of work every feature's service tests share (no database).

Each feature keeps its own fake repositories in its test folder (`tests/<feature>/fakes.py`);
only what every feature needs lives here. It satisfies the `UnitOfWork` Protocol, so mypy
proves it fits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
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
            self.rollbacks += 1

    async def commit(self) -> None:
        self.commits += 1
        self._committed = True

    @asynccontextmanager
    async def read_only(self) -> AsyncIterator[None]:
        self.reads += 1
        yield
