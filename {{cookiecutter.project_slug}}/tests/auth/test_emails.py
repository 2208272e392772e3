from __future__ import annotations

import re

import pytest

from {{ cookiecutter.package_name }}.auth.emails import RESERVED_DOMAIN_PATTERN, normalise_email

SAMPLES = [
    ("Ada@Example.COM", True),
    ("ops@internal", True),
    ("a@b.test", False),
    ("a@printer.LOCAL", False),
    ("a@localhost", False),
    ("not-an-address", False),
    ("two@@example.com", False),
]


@pytest.mark.parametrize(("address", "accepted"), SAMPLES)
def test_the_validator_and_the_documented_pattern_agree(address: str, accepted: bool) -> None:
    documented_refused = re.search(RESERVED_DOMAIN_PATTERN, address) is not None
    try:
        normalise_email(address)
    except ValueError:
        assert not accepted
        # The pattern only describes the reserved-domain rule; syntax is `format: email`.
        if "." in address.rsplit("@", 1)[-1] and "@@" not in address:
            assert documented_refused
    else:
        assert accepted
        assert not documented_refused


def test_addresses_are_compared_lower_cased() -> None:
    assert normalise_email("Ada@Example.COM") == "ada@example.com"
