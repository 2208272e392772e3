"""Every operation, fuzzed from its own OpenAPI description, honours that description.

Schemathesis generates valid and invalid requests for each operation and runs its default
checks against a real server: no 5xx, documented status codes, content types, headers and
bodies, invalid input rejected, valid input accepted. Examples per operation are bounded to
keep the suite fast.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, {% if cookiecutter.auth_provider == "local" %}assume, {% endif %}settings
from schemathesis import Case
from schemathesis.checks import CheckFunction
{%- if cookiecutter.include_background_jobs and cookiecutter.include_example_resource %}
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
{%- else %}
from schemathesis.specs.openapi.checks import positive_data_acceptance
{%- endif %}

{% if cookiecutter.auth_provider == "local" %}from {{ cookiecutter.package_name }}.auth.password_policy import is_common_password
{% endif %}from {{ cookiecutter.package_name }}.core.http.conditional import TAG_LIST_PATTERN
from {{ cookiecutter.package_name }}.main import create_app
from tests.conftest import make_settings
from tests.contract.conftest import AdminSession

MAX_EXAMPLES_PER_OPERATION = 20

# The schema is the app's own description; building the app does no I/O.
schema = schemathesis.openapi.from_dict(create_app(make_settings("sqlite+aiosqlite://")).openapi())


@pytest.mark.server
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_honours_its_openapi_description(
    case: Case[Any], live_server: str, admin_session: AdminSession
) -> None:
{%- if cookiecutter.auth_provider == "local" %}
    # A common password is schema-valid but refused by policy (a list of thousands cannot be
    # written as JSON Schema), so a generated body proposing one as a new password is skipped.
    password = case.body.get("password") if isinstance(case.body, dict) else None
    assume(not (isinstance(password, str) and is_common_password(password)))
{%- endif %}
    response = case.call(base_url=live_server, headers=admin_session.headers())
    if response.status_code == HTTPStatus.UNAUTHORIZED or case.method != "GET":
{%- if cookiecutter.auth_provider == "local" %}
        # Logging out, revoking sessions or changing the password may have ended the session.
{%- else %}
        # Disabling or deleting an account may have ended the administrator's access.
{%- endif %}
        admin_session.forget_if_ended()
    excluded: list[CheckFunction] = []
{%- if cookiecutter.include_background_jobs and cookiecutter.include_example_resource %}
    # A file part is bytes, and any bytes are a file: schemathesis counts a part it filled
    # with digits as "an integer, not a string", which no server can tell from a file. What
    # a file must hold is checked by the service, which reports it (a failed import).
    if case.media_type == "multipart/form-data":
        excluded.append(negative_data_rejection)
{%- endif %}
    # A cursor is any string to the schema, but only one the service signed for that query
    # pages (core/http/cursors.py); any other is the documented 400, not a rejected valid one.
    if case.query and "cursor" in case.query:
        excluded.append(positive_data_acceptance)
    # Its coverage phase also sends conditional headers outside their schema's `pattern` ("0"
    # for If-Match) as valid values; FastAPI refuses those with a 422, as the schema says.
    if any(
        name.lower() in {"if-match", "if-none-match"} and not re.match(TAG_LIST_PATTERN, value)
        for name, value in (case.headers or {}).items()
    ):
        excluded.append(positive_data_acceptance)
    # A key it generated again with another body is refused by design (core/idempotency.py):
    # whether a keyed create is valid depends on the requests before it, not on its schema.
    if any(name.lower() == "idempotency-key" for name in case.headers or {}):
        excluded.append(positive_data_acceptance)
    case.validate_response(response, excluded_checks=excluded)
