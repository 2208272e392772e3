from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.core.passwords import PasswordHashing


@pytest.fixture(scope="session")
def passwords() -> PasswordHashing:
    # OWASP's floor parameters: real argon2id, fast enough for unit tests.
    return PasswordHashing(concurrency=2, time_cost=2, memory_cost_kib=19 * 1024, parallelism=1)
