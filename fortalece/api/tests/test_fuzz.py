"""Schemathesis fuzzes every API operation from the OpenAPI schema (bounded examples per
operation): no server error and every response conforms to the schema. CI runs it on
PostgreSQL as part of the suite."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fortalece.api.services import token_create

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 25
# Server errors and schema violations. (Not "positive data acceptance": a cursor is any
# string in the schema, yet only the server's own cursors are valid and others get a 422.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return schema, [result.ok() for result in schema.get_all_operations()]


def test_every_operation_survives_fuzzing_without_server_errors(world):
    _, raw = token_create(user=world.users["manager"], name="fuzz", can_write=True)
    schema, operations = _operations()
    assert len(operations) >= 14
    checked = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            # Plain bodies: the WSGI transport does not undo GZipMiddleware as HTTP clients do.
            case.headers = {
                **(case.headers or {}),
                "Authorization": f"Bearer {raw}",
                "Accept-Encoding": "identity",
            }
            response = case.call()
            case.validate_response(response, checks=CHECKS)

        fuzz()
        checked.append(operation.label)
    print(f"schemathesis: {len(checked)} operations x {EXAMPLES} examples, 0 failures")
