"""Which versions of a resource a change may apply to: the If-Match of a request, without HTTP.

A service receives an `ExpectedVersions` from its router and checks it inside the unit of
work, against the version it read; the version column then makes the write itself
conditional, so a change committed in between is refused too (a lost update).
"""

from __future__ import annotations

from dataclasses import dataclass

from {{ cookiecutter.package_name }}.core.errors import PreconditionFailed


@dataclass(frozen=True, slots=True)
class ExpectedVersions:
    # None: any version (`If-Match: *`), so only that the resource exists.
    versions: frozenset[int] | None

    def check(self, current: int) -> None:
        if self.versions is not None and current not in self.versions:
            raise PreconditionFailed
