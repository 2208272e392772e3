"""What a new password must not be: one of the passwords attackers try first.

Length (8 to 128 characters, any Unicode, never truncated) is the only other rule; there are
no composition rules, as OWASP ASVS 5.0 and NIST SP 800-63B advise. The list ships as package
data (`auth/data/common-passwords.txt`, see the README beside it) and is read on first use,
not at import, so start-up stays fast.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from pydantic_core import PydanticCustomError

DATA_PACKAGE = "{{ cookiecutter.package_name }}.auth"
COMMON_PASSWORDS_RESOURCE = "data/common-passwords.txt"
TOO_COMMON_TYPE = "password_too_common"
# Says what is wrong and what to do, and never repeats the password.
TOO_COMMON_MESSAGE = (
    "This password is too common: it is on a list of passwords attackers try first. "
    "Choose another one, for example a few unrelated words."
)


@cache
def common_passwords() -> frozenset[str]:
    """The refused passwords, case-folded; read from the package once per process."""
    text = files(DATA_PACKAGE).joinpath(COMMON_PASSWORDS_RESOURCE).read_text(encoding="utf-8")
    return frozenset(line.casefold() for line in text.splitlines() if line)


def is_common_password(password: str) -> bool:
    """True when `password`, ignoring case, is on the list."""
    return password.casefold() in common_passwords()


def reject_common_password(password: str) -> str:
    """A pydantic validator: refuses a common password with the `password_too_common` error."""
    if is_common_password(password):
        raise PydanticCustomError(TOO_COMMON_TYPE, TOO_COMMON_MESSAGE)
    return password
