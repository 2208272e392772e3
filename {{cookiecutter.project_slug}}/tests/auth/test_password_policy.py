"""The common-password list: shipped, large enough, read once, matched without regard to case."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from {{ cookiecutter.package_name }}.auth.password_policy import (
    TOO_COMMON_TYPE,
    common_passwords,
    is_common_password,
)
from {{ cookiecutter.package_name }}.auth.schemas import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    UserCreate,
)

# OWASP ASVS 5.0, 6.2.4: at least the top 3,000 passwords that meet the length policy.
ASVS_MINIMUM_ENTRIES = 3_000


def test_the_list_holds_at_least_the_top_3000_passwords_of_an_allowed_length() -> None:
    passwords = common_passwords()
    assert len(passwords) >= ASVS_MINIMUM_ENTRIES
    assert all(PASSWORD_MIN_LENGTH <= len(p) <= PASSWORD_MAX_LENGTH for p in passwords)


def test_the_list_is_read_once() -> None:
    assert common_passwords() is common_passwords()
    assert common_passwords.cache_info().currsize == 1


@pytest.mark.parametrize(
    "password", ["password", "Password1", "QWERTYUIOP", "iLoveYou1", "123456789012", "1q2w3e4r5t6y"]
)
def test_common_passwords_match_in_any_case(password: str) -> None:
    assert is_common_password(password)


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Tr0ub4dor&3xyz",
        "mot de passe très long",
        "密码是一句很长的话",
    ],
)
def test_uncommon_passwords_pass(password: str) -> None:
    assert not is_common_password(password)


def test_a_common_password_is_refused_by_type_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as raised:
        UserCreate(email="ada@example.com", password="Password123")
    (error,) = raised.value.errors(include_input=False)
    assert error["type"] == TOO_COMMON_TYPE
    assert error["loc"] == ("password",)
    assert "too common" in error["msg"]
    assert "password123" not in error["msg"].lower()


def test_a_common_password_with_extra_characters_is_allowed() -> None:
    # No composition rules and no fuzzy matching: only the listed passwords themselves.
    user = UserCreate(email="ada@example.com", password="password123 but longer")
    assert user.password == "password123 but longer"


def test_the_list_is_not_read_at_start_up() -> None:
    # A fresh interpreter that imports the whole app and builds it has not touched the file:
    # the list costs the first registration, never the start-up.
    code = (
        "import {{ cookiecutter.package_name }}.admin\n"
        "from {{ cookiecutter.package_name }}.settings import Settings\n"
        "from {{ cookiecutter.package_name }}.auth.password_policy import common_passwords\n"
        "from {{ cookiecutter.package_name }}.main import create_app\n"
        "create_app(Settings(_env_file=None, secret_key='start-up'))\n"
        "print(common_passwords.cache_info().currsize)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "0"
