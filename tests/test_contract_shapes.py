"""Client and provider read one contract (posapp/contract): neither side has shapes of its own.

The provider's routes take and document the contract's models, field for field in its
/openapi.json; the till's client sends bodies that the contract's request models take, and
reads every answer through its answer models. A field renamed, added or dropped on one side
only fails here. (tests/provider/test_contract.py checks the provider against docs/api.md.)
"""

from __future__ import annotations

import inspect
import re
import typing
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel

from posapp.adapters.api_client import ProviderClient
from posapp.contract import answers, problems, refusals, requests
from posapp.core.intent import Intent
from posapp.provider.app import create_app
from posapp.provider.store import Store

CONTRACT = "posapp.contract."


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('shapes') / 'provider.db'}")
    app = create_app(store)
    yield app, [r for r in app.routes if isinstance(r, APIRoute)]
    store.close()


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation names (list[X], X | None, Annotated[X, ...])."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for arg in typing.get_args(annotation) for found in models_in(arg)]


def test_every_route_takes_and_answers_the_contracts_models(routes: Any) -> None:
    _, found = routes
    seen: set[type[BaseModel]] = set()
    for route in found:
        named = models_in(route.response_model)
        for parameter in inspect.signature(route.endpoint).parameters.values():
            named += models_in(parameter.annotation)
        for model in named:
            assert model.__module__.startswith(CONTRACT), (route.path, model)
        seen.update(named)
    # Every top-level shape of the contract is served by a route (the rest sit inside them).
    served = {m.__name__ for m in seen}
    inside = {"Principal", "Gift", "Transaction", "StoreConfigurations", "StoreSettings"}
    for module in (answers, requests):
        for name, value in vars(module).items():
            if is_model_of(value, module) and name not in inside:
                assert name in served, f"{module.__name__}.{name} is served by no route"


def is_model_of(value: Any, module: Any) -> bool:
    return (
        isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    )


def test_openapi_documents_the_contracts_fields(routes: Any) -> None:
    app, _ = routes
    schemas = app.openapi()["components"]["schemas"]
    compared = 0
    for module in (answers, requests):
        for name, model in vars(module).items():
            if isinstance(model, type) and issubclass(model, BaseModel) and name in schemas:
                properties = set(schemas[name].get("properties", {}))
                assert properties == set(model.model_fields), name
                compared += 1
    assert compared >= 15


def client() -> ProviderClient:
    return ProviderClient("http://127.0.0.1:9", "t")


# Each body path of a money call, and the contract's model for it.
BODIES: list[tuple[str, type[BaseModel]]] = [
    (r"/v1/gifts/\d+/redemptions", requests.RedeemBody),
    (r"/v1/gifts/\d+/cash-out", requests.CashOutBody),
    (r"/v1/transactions/\d+/reversal", requests.ReversalBody),
    (r"/v1/gift-cards/activations", requests.ActivationBody),
    (r"/v1/gift-cards/issues", requests.IssueBody),
]
REF = "till-1:2026-12-05T22:00:00Z:7"
INTENTS = [
    Intent("redemption", gift_id="12", amount=500, reference="book 1", client_reference=REF),
    Intent("redemption", gift_id="12", quantity=2, client_reference=REF),
    Intent("redemption", gift_id="12", amount=900, use_all=True, client_reference=REF),
    Intent("cash_out", gift_id="12", amount=700, reference="closing", client_reference=REF),
    Intent("reversal", transaction_id="34", reason="wrong card", client_reference=REF),
    Intent("void", transaction_id="34", amount=2500, client_reference=REF),
    Intent("activation", code="AB-12", amount=2500, reference="pb", client_reference=REF),
    Intent("issue", amount=1200, recipient_email="a@b.example", client_reference=REF),
]


@pytest.mark.parametrize("intent", INTENTS, ids=lambda i: i.operation)
def test_the_clients_money_bodies_are_the_contracts_requests(intent: Intent) -> None:
    path, body = client().request_for(intent)
    model = next(model for pattern, model in BODIES if re.fullmatch(pattern, path))
    taken = model.model_validate(body or {})
    assert taken.model_dump(exclude_unset=True) == (body or {})


CHANGES = [
    (Intent("card_created", code="AB-13", balance=500, reason="gift"), requests.GiftCreate),
    (Intent("adjustment", gift_id="12", balance=0, reason="found"), requests.GiftPatch),
    (Intent("card_canceled", gift_id="12"), requests.CancelBody),
]


@pytest.mark.parametrize(("intent", "model"), CHANGES, ids=lambda x: getattr(x, "operation", ""))
def test_the_clients_manager_changes_are_the_contracts_requests(
    intent: Intent, model: type[BaseModel]
) -> None:
    _, _, body = ProviderClient.change_for(intent, REF)
    assert model.model_validate(body).model_dump(exclude_unset=True) == body


def test_the_client_reads_answers_only_through_the_contract() -> None:
    source = (Path(__file__).parents[1] / "posapp" / "adapters" / "api_client.py").read_text()
    read = set(re.findall(r"answers\.([A-Z]\w+)", source))
    assert read
    assert all(is_model_of(getattr(answers, name), answers) for name in read)
    assert "BaseModel" not in source  # no shape of its own


def test_each_refusal_has_the_status_the_contract_gives_its_code() -> None:
    """The client's no's (contract/refusals.py) and the provider's problems (problems.py)."""
    every = set(refusals.MANAGER_CHANGES).union(*refusals.MONEY_CALLS.values())
    assert {
        (status, code) for status, code in every if problems.STATUS.get(code) != status
    } == set()


def test_the_clients_cancel_body_is_the_contracts_request() -> None:
    sent: list[dict[str, Any]] = []

    class Recording(ProviderClient):
        def _read(self, method: str, path: str, model: Any, **kwargs: Any) -> Any:
            sent.append(kwargs["json"])
            return answers.CancelReferenceAnswer(client_reference=REF, canceled=True, movements=[])

    assert Recording("http://127.0.0.1:9", "t").cancel(INTENTS[0], "key-1") is None
    (body,) = sent
    assert requests.CancelReferenceBody.model_validate(body).model_dump(exclude_unset=True) == body
