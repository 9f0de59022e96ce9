"""schemathesis against /openapi.json: no 5xx, no answer outside the documented schema."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from posapp.provider.app import create_app
from posapp.provider.demo import make_demo_store
from posapp.provider.store import Store

TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module")
def provider_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = Store(f"sqlite:///{Path(tmp_path_factory.mktemp('st')) / 'provider.db'}")
    made = make_demo_store(store)
    TOKENS["admin"] = made["admin_token"]
    app = create_app(store)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.close()


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_provider_keeps_to_its_own_schema(provider_schema: Any) -> None:
    # schemathesis's pytest plugin does not run under pytest 9, so each operation gets its
    # own Hypothesis run here: bounded by examples, each example by the app's own speed.
    operations = [result.ok() for result in provider_schema.get_all_operations()]
    assert len(operations) == 17  # with GET /v1/transactions/lookup (issue 18)
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers={
                    "Authorization": f"Bearer {TOKENS['admin']}",
                    "Idempotency-Key": f"st-{uuid.uuid4()}",
                },
                checks=CHECKS,
            )

        try:
            run()
        except Unsatisfiable:  # nothing invalid to send (no parameters, no body)
            assert mode is GenerationMode.NEGATIVE


def test_openapi_documents_problems_and_the_contract(provider_schema: Any) -> None:
    raw = provider_schema.raw_schema
    redeem = raw["paths"]["/v1/gifts/{gift_id}/redemptions"]["post"]
    assert "application/problem+json" in redeem["responses"]["422"]["content"]
    assert "201" in redeem["responses"]
    body = raw["components"]["schemas"]["RedeemBody"]
    assert body["additionalProperties"] is False
