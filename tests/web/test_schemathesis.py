"""A bounded schemathesis run against the OpenAPI document: no request the schema
allows (or, in negative mode, nearly allows) gets a 500 or an undocumented answer,
with the tokens of two users and without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.conftest import populate
from xxgk.store.base import Store
from xxgk.web.app import create_app
from xxgk.web.worker import run_pending

# no 500; every status documented; every answer (the error shape too) as documented
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation and generation mode: bounded, about a minute in all


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_gets_a_server_error(tmp_path: Path, mode: GenerationMode) -> None:
    store = Store(tmp_path / "data", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    store.upgrade()
    tokens = populate(store)
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store, worker=False))
    operations = [r.ok() for r in schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "GET /api/v1/reports",
        "POST /api/v1/reports",
        "GET /api/v1/rectifications",
        "GET /api/v1/rectifications/{notice_id}",
        "POST /api/v1/rectifications",
        "POST /api/v1/rectifications/{notice_id}/rectified",
        "POST /api/v1/rectifications/{notice_id}/accept",
        "POST /api/v1/rectifications/{notice_id}/return",
        "GET /api/v1/notices/{notice_id}/replies",
        "POST /api/v1/notices/{notice_id}/replies",
    }
    seen: list[int] = []

    for op in operations:

        @given(case=op.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: Any) -> None:
            for user in ("管理员", "区办填报", None):
                headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                seen.append(response.status_code)
                if response.status_code >= 400:
                    body = response.json()
                    assert set(body) == {"error"}, body
                    assert set(body["error"]) == {"code", "message"}, body
            if case.method == "POST":
                run_pending(store)  # whatever bytes were uploaded are checked too

        try:
            run()
        except Unsatisfiable:  # nothing to get wrong (no parameters): e.g. /healthz
            assert mode is GenerationMode.NEGATIVE and not op.query and not op.body
    store.dispose()
    assert 500 not in seen and len(seen) > 3 * len(operations)
